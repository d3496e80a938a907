//! `content/glossary.yaml`, and the explicit references (`[…](用語:…)`) that every Markdown
//! text may make to it.

use std::collections::{HashMap, HashSet};

use super::context::FileCtx;
use crate::diagnostics::{Code, Diagnostics, Severity};
use crate::glossary::{anchor, collate, link};
use crate::load::raw::RawTerm;
use crate::load::{Loaded, SourceFile};
use crate::model::Term;
use crate::url;

/// Fragment ids the glossary page uses itself, which an entry's id may not take.
fn reserved_anchor(anchor: &str) -> bool {
    matches!(anchor, "main" | "footer-contact") || anchor.starts_with("gyo-")
}

/// The valid entries, in file order, each with its anchor and its resolved `related:`.
pub(super) fn validate_glossary(
    file: &SourceFile,
    terms: &[RawTerm],
    diags: &mut Diagnostics,
) -> Vec<Term> {
    let ctx = FileCtx::new(file);
    // Normalised name (term or alias) → index of the raw entry that has it.
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut anchors: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    // Raw index → index in `out`, for resolving `related`.
    let mut kept: HashMap<usize, usize> = HashMap::new();
    for (i, t) in terms.iter().enumerate() {
        let base = format!("terms[{i}]");
        let term = t.term.trim();
        let mut ok = ctx.not_empty(&t.term, &format!("{base}.term"), diags);
        ok &= ctx.not_empty(&t.explanation, &format!("{base}.explanation"), diags);

        let reading = t
            .reading
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        match reading {
            Some(r) => {
                if let Some((at, c)) = collate::invalid_reading_char(r) {
                    diags.push(ctx.error_in_scalar(
                        Code::GlossaryReading,
                        &format!("{base}.reading"),
                        at,
                        format!("よみ「{r}」に、かな以外の文字「{c}」があります"),
                        "よみは ひらがな か カタカナ で書いてください（例: でじたるでばいど）",
                    ));
                    ok = false;
                }
            }
            None if collate::has_kanji(term) => {
                diags.push(ctx.error(
                    Code::GlossaryReading,
                    &format!("{base}.term"),
                    format!("漢字を含む用語「{term}」には よみ（reading）が必要です"),
                    "reading: に ひらがなで読みを書いてください。用語の説明のページはよみの五十音順に並びます",
                ));
                ok = false;
            }
            None => {}
        }

        let spelled = std::iter::once((term, format!("{base}.term"))).chain(
            t.aliases
                .iter()
                .enumerate()
                .map(|(j, a)| (a.trim(), format!("{base}.aliases[{j}]"))),
        );
        for (name, path) in spelled {
            if name.is_empty() {
                continue;
            }
            let normal = link::normalize_name(name);
            if let Some(&owner) = names.get(&normal) {
                diags.push(ctx.error(
                    Code::Duplicate,
                    &path,
                    format!(
                        "用語「{name}」は「{}」（terms[{owner}]）で既に使われています",
                        terms[owner].term.trim()
                    ),
                    "用語と別名は、全角・半角の違いを除いても重複しないようにしてください",
                ));
                ok = false;
            } else {
                names.insert(normal, i);
            }
        }

        let (anchor, anchor_path) = match t.id.as_deref().map(str::trim) {
            Some(id) => (id.to_string(), format!("{base}.id")),
            None => (anchor::derive(term, reading), format!("{base}.term")),
        };
        if t.id.is_some() && !url::is_valid_slug(&anchor) {
            diags.push(ctx.error(
                Code::GlossaryAnchor,
                &anchor_path,
                format!("id「{anchor}」はページ内の位置の名前に使えません"),
                "半角の英小文字・数字・ハイフンだけにしてください（例: id: dx）",
            ));
            ok = false;
        } else if anchor.is_empty() && reading.is_none() && collate::has_kanji(term) {
            // Reported above: the missing reading is what the id would be made from.
        } else if anchor.is_empty() || reserved_anchor(&anchor) {
            diags.push(ctx.error(
                Code::GlossaryAnchor,
                &anchor_path,
                format!("用語「{term}」からはページ内の位置の名前（アンカー）を作れません"),
                "id: に半角の英小文字・数字・ハイフンで名前を付けてください（例: id: kome-mark）",
            ));
            ok = false;
        } else if let Some(&owner) = anchors.get(&anchor) {
            diags.push(ctx.error(
                Code::GlossaryAnchor,
                &anchor_path,
                format!(
                    "用語「{term}」のアンカー「{anchor}」が用語「{}」と同じです",
                    terms[owner].term.trim()
                ),
                "どちらかの用語に id: で別の名前を付けてください（アンカーはURLの #以降 になります）",
            ));
            ok = false;
        } else {
            anchors.insert(anchor.clone(), i);
        }

        if ok {
            kept.insert(i, out.len());
            out.push(Term {
                term: term.to_string(),
                reading: reading.map(str::to_string),
                aliases: t
                    .aliases
                    .iter()
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                explanation: t.explanation.clone(),
                anchor,
                related: Vec::new(),
                source: t
                    .source
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
                position: ctx.locator().value(&format!("{base}.term")),
            });
        }
    }

    // `related:` may name entries further down the file, so it is resolved once all are known.
    for (i, t) in terms.iter().enumerate() {
        for (j, name) in t.related.iter().enumerate() {
            match names.get(&link::normalize_name(name)) {
                None => diags.push(ctx.error(
                    Code::UnknownTerm,
                    &format!("terms[{i}].related[{j}]"),
                    format!("関連用語「{}」は用語の説明にありません", name.trim()),
                    "用語の説明にある用語か別名を書いてください",
                )),
                Some(&target) => {
                    if let (Some(&from), Some(&to)) = (kept.get(&i), kept.get(&target)) {
                        if from != to && !out[from].related.contains(&to) {
                            out[from].related.push(to);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every name (term or alias, normalised) an explicit glossary reference may use.
pub(crate) type GlossaryNames = HashSet<String>;

/// Every name of the glossary (terms and aliases, normalised), valid or not, so that a
/// reference to an entry with some other error is not reported a second time as unknown.
pub(crate) fn glossary_names(loaded: &Loaded) -> GlossaryNames {
    loaded
        .glossary
        .iter()
        .flat_map(|g| &g.value.terms)
        .flat_map(|t| std::iter::once(&t.term).chain(&t.aliases))
        .map(|n| link::normalize_name(n))
        .filter(|n| !n.is_empty())
        .collect()
}

/// Explicit glossary references (`[…](用語:…)`) in the Markdown at `path` must name an entry.
pub(super) fn check_references(
    ctx: &FileCtx,
    path: &str,
    markdown: &str,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) {
    warn_asterisk_marks(ctx, path, markdown, names, diags);
    for (offset, name) in link::references(markdown) {
        if !names.contains(&link::normalize_name(&name)) {
            diags.push(ctx.error_in_markdown(
                Code::UnknownTerm,
                path,
                markdown,
                offset,
                unknown_term_message(&name),
                UNKNOWN_TERM_HINT,
            ));
        }
    }
}

/// The longest glossary name a `*` mark is looked for behind, in characters.
const LONGEST_MARKED_NAME: usize = 40;

/// A pasted plan marks glossary terms with `※`; some write `*` instead (`DX*`). Markdown reads
/// two such marks in one paragraph as emphasis (`DX*の推進とRPA*` → `DX<em>の推進とRPA</em>`),
/// the marks vanish and the text between them turns italic. So an unescaped `*` directly
/// after a glossary name is a warning at its line and column, pointing to `※` or `\*`.
fn warn_asterisk_marks(
    ctx: &FileCtx,
    path: &str,
    markdown: &str,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) {
    for (at, _) in markdown.match_indices('*') {
        let before = &markdown[..at];
        if before.ends_with(['\\', '*']) || markdown[at + 1..].starts_with('*') {
            continue;
        }
        let starts: Vec<usize> = before
            .char_indices()
            .rev()
            .take(LONGEST_MARKED_NAME)
            .map(|(i, _)| i)
            .collect();
        let Some(name) = starts
            .iter()
            .rev()
            .map(|&i| &before[i..])
            .find(|candidate| names.contains(&link::normalize_name(candidate)))
        else {
            continue;
        };
        let mut d = ctx.error_in_markdown(
            Code::GlossaryMarkAsterisk,
            path,
            markdown,
            at,
            format!(
                "「{}*」の * は Markdown では強調の記号として読まれ、用語の印になりません",
                name.trim()
            ),
            format!("用語の印は ※ で書くか（{name}※）、* を残すなら \\* と書いてください"),
        );
        d.severity = Severity::Warning;
        diags.push(d);
    }
}

pub(super) fn unknown_term_message(name: &str) -> String {
    format!("「{name}」は用語の説明（content/glossary.yaml）にありません")
}

pub(super) const UNKNOWN_TERM_HINT: &str =
    "用語の説明に追加するか、用語か別名と同じ書き方にしてください（[表示](用語:用語名) の形）";
