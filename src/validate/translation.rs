//! Translation files (`01-01.en.yaml`, `about.easy.md`, docs/languages.md): each may hold
//! only the texts of its original, matched to the original's items, so that every figure,
//! year and judgement stays the Japanese file's. Every problem is reported in one run, at the
//! key or value it is about:
//!
//! - a field that is never translated (an ID, a target, a department's assignment): E1304;
//! - a field or an item the original does not have (a policy number, a KPI past the original's
//!   count, a section the plan does not declare, a term not in the glossary): E1305;
//! - an original updated after its translation (`updated:`): warning E1306;
//! - a blank translated text: warning E1307 (the Japanese text is shown);
//! - a file of a language the site does not publish: warning E1308 (it would be unused).

use std::collections::{BTreeMap, BTreeSet};

use super::context::FileCtx;
use super::glossary::{check_references, GlossaryNames};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position, Severity};
use crate::glossary::link;
use crate::language::Language;
use crate::load::raw::ScalarText;
use crate::load::translation::{
    RawConfigText, RawGlossaryText, RawMeasureText, RawPageText, RawPlanText, Translation as File,
    TranslationFiles,
};
use crate::load::yaml::nearest;
use crate::model::{
    ActivityPlan, Config, KpiText, Measure, MeasureText, Page, PageText, Plan, PolicyText, Term,
    TermText, Translation, Translations,
};

/// What the translation files of one plan are checked against.
pub(super) struct Originals<'a> {
    /// The site's settings; `None` when config.yaml has errors (then every language counts as
    /// published, so that its files are still checked).
    pub config: Option<&'a Config>,
    pub plan: Option<&'a Plan>,
    /// Whether plan.yaml declares `sections:` (only then may a translation name headings).
    pub plan_declares_sections: bool,
    pub measures: &'a [Measure],
    /// The activity plans, whose departments (as named that year) may be translated too.
    pub activity: &'a [ActivityPlan],
    /// The IDs of every measure file, valid or not: a translation of a measure with errors
    /// of its own is not also reported as having no original.
    pub measure_ids: &'a BTreeSet<String>,
    pub glossary: &'a [Term],
    pub pages: &'a [Page],
    /// The slugs of every page file, valid or not.
    pub page_slugs: &'a BTreeSet<String>,
    pub names: &'a GlossaryNames,
}

/// The hint of E1304.
const FIXED_HINT: &str =
    "数値・年度・達成状況は日本語のファイルから使われます。翻訳ファイルからこの行を削除してください";

/// Checks every translation file of one plan and returns what they translate, by language.
pub(super) fn validate_translations(
    files: &TranslationFiles,
    originals: &Originals,
    diags: &mut Diagnostics,
) -> Translations {
    let mut out: BTreeMap<Language, Translation> = BTreeMap::new();
    let published = |file: &crate::load::SourceFile,
                     language: Language,
                     diags: &mut Diagnostics| {
        let Some(config) = originals.config else {
            return true;
        };
        if config.languages.contains(&language) {
            return true;
        }
        diags.push(warning(
            file.diagnostic(
                Code::TranslationUnused,
                format!(
                    "{}の翻訳ファイルですが、config.yaml の languages: に {} がないので使われません",
                    language.own_name(),
                    language.code()
                ),
            )
            .at(Some(Position { line: 1, column: 1 }))
            .hint(format!(
                "{}のページを作るなら languages: に {} を加えてください（例: [ja, ja-easy, en]）",
                language.own_name(),
                language.code()
            )),
        ));
        false
    };
    for f in &files.config {
        if published(&f.parsed.file, f.language, diags) {
            config_text(f, originals, out.entry(f.language).or_default(), diags);
        }
    }
    for f in &files.plan {
        if published(&f.parsed.file, f.language, diags) {
            plan_text(f, originals, out.entry(f.language).or_default(), diags);
        }
    }
    // Term names first: the translated Markdown of the other files may reference them.
    for f in &files.glossary {
        if published(&f.parsed.file, f.language, diags) {
            glossary_text(f, originals, out.entry(f.language).or_default(), diags);
        }
    }
    for f in &files.measures {
        if published(&f.parsed.file, f.language, diags) {
            measure_text(f, originals, out.entry(f.language).or_default(), diags);
        }
    }
    for f in &files.pages {
        if published(&f.parsed.file, f.language, diags) {
            page_text(f, originals, out.entry(f.language).or_default(), diags);
        }
    }
    Translations(out)
}

/// `d` as a warning: reported, and the site still built.
fn warning(d: Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..d
    }
}

/// `parent.key`, or `key` at the top.
fn join(parent: &str, key: &str) -> String {
    match parent {
        "" => key.to_string(),
        _ => format!("{parent}.{key}"),
    }
}

/// What pages call a field that is never translated, for E1304's message.
fn field_ja(key: &str) -> &'static str {
    match key {
        "id" => "ID",
        "policy" => "基本方針の番号",
        "lead_department" => "主管部署",
        "departments" => "担当課",
        "related_departments" => "関連部署",
        "continues" => "引き継ぐ施策",
        "lifecycle" => "施策の開始・完了",
        "draft" => "下書き",
        "publish_date" => "公開予約の日",
        "years" => "実施年度",
        "unit" => "単位",
        "baseline" => "基準値",
        "target" => "目標値",
        "actual" => "実績値",
        "revisions" => "目標の改訂",
        "direction" => "よい向き",
        "aggregation" => "累計・単年度",
        "achieved" => "達成の判定",
        "period" => "計画期間",
        "status" => "計画の状態",
        "reading" => "よみ",
        "aliases" => "別名",
        "related" => "関連する用語",
        "source" => "出典",
        "order" => "並び順",
        "main_nav" => "メニューへの表示",
        "email" => "メールアドレス",
        "phone" => "電話番号",
        "url" => "URL",
        _ => "この項目",
    }
}

/// The keys of the mapping at `path`: each must be one of `allowed`; one of `fixed` (a field
/// of the original that is never translated) is E1304, anything else E1305.
fn check_keys(
    ctx: &FileCtx,
    path: &str,
    allowed: &[&str],
    fixed: &[&str],
    diags: &mut Diagnostics,
) {
    let Some(keys) = ctx.locator().entries(path).map(<[String]>::to_vec) else {
        return;
    };
    for key in keys {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let at = join(path, &key);
        if fixed.contains(&key.as_str()) {
            diags.push(ctx.key_error(
                Code::TranslationFixedField,
                &at,
                format!(
                    "{}（{key}）は訳さないので、翻訳ファイルには書けません",
                    field_ja(&key)
                ),
                FIXED_HINT,
            ));
        } else {
            let hint = match nearest(&key, allowed.iter().copied()) {
                Some(near) => format!(
                    "「{near}」ではありませんか？（訳せる項目: {}）",
                    allowed.join(", ")
                ),
                None => format!(
                    "もとのファイルにこの項目はありません。訳せる項目: {}",
                    allowed.join(", ")
                ),
            };
            diags.push(ctx.key_error(
                Code::TranslationUnknown,
                &at,
                format!("「{key}」は、もとのファイルにない項目です（unknown field）"),
                hint,
            ));
        }
    }
}

/// A translated text, or `None` (and a warning) when it is blank; an absent text is `None`
/// without a word. Malformed ruby in it is reported as in any text.
fn text(
    ctx: &FileCtx,
    path: &str,
    value: Option<&String>,
    markdown: bool,
    diags: &mut Diagnostics,
) -> Option<String> {
    let present = value.is_some() || ctx.locator().key_exact(path).is_some();
    match value {
        // Markdown keeps its layout (a block's last newline); a one-line text is trimmed.
        Some(v) if !v.trim().is_empty() => {
            if markdown {
                super::ruby::check_markdown(ctx, path, v, diags);
                Some(v.clone())
            } else {
                super::ruby::check_text(ctx, path, v, diags);
                Some(v.trim().to_string())
            }
        }
        _ if present => {
            diags.push(warning(ctx.error(
                Code::TranslationBlank,
                path,
                "訳が空です。この部分は日本語のまま表示されます",
                "訳を書くか、この行を削除してください",
            )));
            None
        }
        _ => None,
    }
}

/// A translated Markdown text whose glossary references must name a term (by its Japanese
/// name, an alias, or its name in this language).
fn markdown(
    ctx: &FileCtx,
    path: &str,
    value: Option<&String>,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) -> Option<String> {
    let t = text(ctx, path, value, true, diags)?;
    check_references(ctx, path, &t, names, diags);
    Some(t)
}

/// E1305 at `path` (its key when `key` is set).
fn unknown_item(
    ctx: &FileCtx,
    path: &str,
    key: bool,
    message: String,
    hint: impl Into<String>,
) -> Diagnostic {
    match key {
        true => ctx.key_error(Code::TranslationUnknown, path, message, hint),
        false => ctx.error(Code::TranslationUnknown, path, message, hint),
    }
}

/// The translation's `updated:` against its original's: a warning when the original changed
/// later, or when the original has a date and the translation none.
fn check_stale(
    ctx: &FileCtx,
    raw: Option<&ScalarText>,
    original: Option<Date>,
    original_file: &str,
    diags: &mut Diagnostics,
) {
    let own = ctx.date(raw, "updated", diags);
    let Some(original) = original else { return };
    let message = match own {
        Some(own) if own >= original => return,
        Some(own) => format!(
            "もとの {original_file} が {original} に更新されていて、この翻訳（updated: {own}）より新しくなっています"
        ),
        None => format!(
            "もとの {original_file} は {original} に更新されていますが、この翻訳には updated: がありません"
        ),
    };
    let path = if own.is_some() { "updated" } else { "" };
    let mut d = warning(ctx.error(
        Code::TranslationStale,
        path,
        message,
        "もとのファイルの変更を訳に反映し、updated: をその日付にしてください",
    ));
    if path.is_empty() {
        // About the whole file: it has no `updated:` to point at.
        d.field = None;
        d.position = Some(Position { line: 1, column: 1 });
    }
    diags.push(d);
}

/// The position of a whole file, for errors about the file itself.
fn at_file(d: Diagnostic) -> Diagnostic {
    d.at(Some(Position { line: 1, column: 1 }))
}

/// `config.<s>.yaml`: the settings' names only.
fn config_text(
    f: &File<RawConfigText>,
    originals: &Originals,
    out: &mut Translation,
    diags: &mut Diagnostics,
) {
    let ctx = FileCtx::new(&f.parsed.file);
    let raw = &f.parsed.value;
    check_keys(
        &ctx,
        "",
        &["title", "city", "contact", "data_license"],
        &[
            "city_code",
            "base_url",
            "language",
            "theme",
            "progress_statuses",
            "publish_staff_names",
            "achievement",
            "allow_raw_html",
            "limits",
            "search",
            "languages",
            "readings",
            "page_size",
            "current_plan",
        ],
        diags,
    );
    for part in ["contact", "data_license"] {
        check_keys(&ctx, part, &["name"], &["email", "phone", "url"], diags);
    }
    out.site_title = text(&ctx, "title", raw.title.as_ref(), false, diags);
    out.city = text(&ctx, "city", raw.city.as_ref(), false, diags);
    let contact = raw.contact.as_ref().and_then(|c| c.name.as_ref());
    out.contact_name = text(&ctx, "contact.name", contact, false, diags);
    if out.contact_name.is_some() && originals.config.is_some_and(|c| c.contact.is_none()) {
        diags.push(unknown_item(
            &ctx,
            "contact",
            true,
            "config.yaml に contact: がないので、その名前は訳せません".to_string(),
            "contact: を削除するか、config.yaml に contact: を書いてください",
        ));
        out.contact_name = None;
    }
    let license = raw.data_license.as_ref().and_then(|c| c.name.as_ref());
    out.license_name = text(&ctx, "data_license.name", license, false, diags);
}

/// `plan.<s>.yaml`: policies matched by number, headings by key, departments by name.
fn plan_text(
    f: &File<RawPlanText>,
    originals: &Originals,
    out: &mut Translation,
    diags: &mut Diagnostics,
) {
    let ctx = FileCtx::new(&f.parsed.file);
    let raw = &f.parsed.value;
    let plan_file = f.parsed.file.path.with_file_name("plan.yaml");
    let plan_file = plan_file.to_string_lossy();
    check_keys(
        &ctx,
        "",
        &[
            "updated",
            "title",
            "revision",
            "philosophy",
            "policies",
            "sections",
            "departments",
        ],
        &["id", "status", "period"],
        diags,
    );
    let Some(plan) = originals.plan else { return };
    check_stale(&ctx, raw.updated.as_ref(), plan.updated, &plan_file, diags);
    out.plan_title = text(&ctx, "title", raw.title.as_ref(), false, diags);
    out.revision = text(&ctx, "revision", raw.revision.as_ref(), false, diags);
    if out.revision.is_some() && plan.revision.is_none() {
        diags.push(unknown_item(
            &ctx,
            "revision",
            true,
            format!("{plan_file} に revision: がないので、訳せません"),
            "revision: を削除してください",
        ));
        out.revision = None;
    }
    out.philosophy = markdown(
        &ctx,
        "philosophy",
        raw.philosophy.as_ref(),
        originals.names,
        diags,
    );
    if out.philosophy.is_some() && plan.philosophy.is_none() {
        diags.push(unknown_item(
            &ctx,
            "philosophy",
            true,
            format!("{plan_file} に philosophy:（基本理念）がないので、訳せません"),
            "philosophy: を削除してください",
        ));
        out.philosophy = None;
    }
    for (i, p) in raw.policies.iter().enumerate() {
        let base = format!("policies[{i}]");
        check_keys(&ctx, &base, &["number", "title", "summary"], &[], diags);
        let Some(number) = p.number else {
            diags.push(unknown_item(
                &ctx,
                &base,
                false,
                "どの基本方針の訳か、number: がありません".to_string(),
                "もとの plan.yaml の基本方針と同じ number: を書いてください",
            ));
            continue;
        };
        let Some(policy) = plan.policy(number) else {
            let numbers: Vec<String> = plan.policies.iter().map(|p| p.number.to_string()).collect();
            diags.push(unknown_item(
                &ctx,
                &format!("{base}.number"),
                false,
                format!("基本方針 {number} は {plan_file} にありません"),
                format!("ある基本方針の番号: {}", numbers.join(", ")),
            ));
            continue;
        };
        if out.policies.contains_key(&number) {
            diags.push(unknown_item(
                &ctx,
                &format!("{base}.number"),
                false,
                format!("基本方針 {number} の訳が2回あります"),
                "1つにまとめてください",
            ));
            continue;
        }
        let title = text(
            &ctx,
            &format!("{base}.title"),
            p.title.as_ref(),
            false,
            diags,
        );
        let summary_path = format!("{base}.summary");
        let mut summary = markdown(
            &ctx,
            &summary_path,
            p.summary.as_ref(),
            originals.names,
            diags,
        );
        if summary.is_some() && policy.summary.trim().is_empty() {
            diags.push(unknown_item(
                &ctx,
                &summary_path,
                true,
                format!("基本方針 {number} には説明（summary）がないので、訳せません"),
                "summary: を削除してください",
            ));
            summary = None;
        }
        out.policies.insert(number, PolicyText { title, summary });
    }
    for (i, s) in raw.sections.iter().enumerate() {
        let base = format!("sections[{i}]");
        check_keys(&ctx, &base, &["key", "heading"], &[], diags);
        if !originals.plan_declares_sections {
            diags.push(unknown_item(
                &ctx,
                &base,
                false,
                format!("{plan_file} に sections: がないので、見出しは訳せません"),
                "既定の見出し（現状と課題 など）は画面の文言の表から訳されます。sections: を削除してください",
            ));
            break;
        }
        let Some(key) = s.key.as_deref().map(str::trim) else {
            diags.push(unknown_item(
                &ctx,
                &base,
                false,
                "どの欄の見出しか、key: がありません".to_string(),
                "もとの plan.yaml の sections: と同じ key: を書いてください",
            ));
            continue;
        };
        if plan.section(key).is_none() {
            let keys: Vec<&str> = plan.sections.iter().map(|s| s.key.as_str()).collect();
            let hint = match nearest(key, keys.iter().copied()) {
                Some(near) => format!("「{near}」ではありませんか？"),
                None => format!("ある欄: {}", keys.join(", ")),
            };
            diags.push(unknown_item(
                &ctx,
                &format!("{base}.key"),
                false,
                format!("欄「{key}」は {plan_file} の sections: にありません"),
                hint,
            ));
            continue;
        }
        if let Some(h) = text(
            &ctx,
            &format!("{base}.heading"),
            s.heading.as_ref(),
            false,
            diags,
        ) {
            out.section_headings.insert(key.to_string(), h);
        }
    }
    let known = departments_of(plan, originals.measures, originals.activity);
    for (name, translated) in &raw.departments {
        let path = join("departments", name);
        if !known.contains(name.trim()) {
            let hint = match nearest(name, known.iter().map(String::as_str)) {
                Some(near) => format!("「{near}」ではありませんか？"),
                None => "部署名は、施策のファイルや plan.yaml の departments: に書いたとおりに書いてください".to_string(),
            };
            diags.push(unknown_item(
                &ctx,
                &path,
                true,
                format!("部署「{name}」は、この計画にありません"),
                hint,
            ));
            continue;
        }
        if let Some(t) = text(&ctx, &path, translated.as_ref(), false, diags) {
            out.departments.insert(name.trim().to_string(), t);
        }
    }
}

/// Every department the plan knows: those it lists, those its measures name and those its
/// activity plans name.
fn departments_of(
    plan: &Plan,
    measures: &[Measure],
    activity: &[ActivityPlan],
) -> BTreeSet<String> {
    let mut known = plan.listed_departments.clone();
    known.extend(plan.department_readings.keys().cloned());
    for m in measures {
        known.extend(m.responsible().map(str::to_string));
        known.extend(m.related_departments.iter().map(|r| r.name.clone()));
    }
    known.extend(activity.iter().filter_map(|a| a.department.clone()));
    known
}

/// `glossary.<s>.yaml`: entries matched by their Japanese term.
fn glossary_text(
    f: &File<RawGlossaryText>,
    originals: &Originals,
    out: &mut Translation,
    diags: &mut Diagnostics,
) {
    let ctx = FileCtx::new(&f.parsed.file);
    check_keys(&ctx, "", &["updated", "terms"], &[], diags);
    ctx.date(f.parsed.value.updated.as_ref(), "updated", diags);
    let by_name: BTreeMap<String, &Term> = originals
        .glossary
        .iter()
        .map(|t| (link::normalize_name(&t.term), t))
        .collect();
    for (i, t) in f.parsed.value.terms.iter().enumerate() {
        let base = format!("terms[{i}]");
        check_keys(
            &ctx,
            &base,
            &["term", "name", "explanation"],
            &["reading", "id", "aliases", "related", "source"],
            diags,
        );
        let Some(term) = t.term.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
            diags.push(unknown_item(
                &ctx,
                &base,
                false,
                "どの用語の訳か、term: がありません".to_string(),
                "もとの glossary.yaml の用語を term: に日本語のまま書いてください",
            ));
            continue;
        };
        let Some(original) = by_name.get(&link::normalize_name(term)) else {
            let hint = match nearest(term, originals.glossary.iter().map(|t| t.term.as_str())) {
                Some(near) => format!("「{near}」ではありませんか？"),
                None => "term: には glossary.yaml の用語を日本語のまま書いてください".to_string(),
            };
            diags.push(unknown_item(
                &ctx,
                &format!("{base}.term"),
                false,
                format!("用語「{term}」は用語の説明（glossary.yaml）にありません"),
                hint,
            ));
            continue;
        };
        if out.terms.contains_key(&original.term) {
            diags.push(unknown_item(
                &ctx,
                &format!("{base}.term"),
                false,
                format!("用語「{term}」の訳が2回あります"),
                "1つにまとめてください",
            ));
            continue;
        }
        let name = text(&ctx, &format!("{base}.name"), t.name.as_ref(), false, diags);
        let explanation = text(
            &ctx,
            &format!("{base}.explanation"),
            t.explanation.as_ref(),
            true,
            diags,
        );
        out.terms
            .insert(original.term.clone(), TermText { name, explanation });
    }
}

/// The glossary names translated Markdown of `language` may reference: the Japanese ones and
/// the names the glossary translation gives.
fn names_with(originals: &Originals, out: &Translation) -> GlossaryNames {
    let mut names = originals.names.clone();
    names.extend(
        (out.terms.values())
            .filter_map(|t| t.name.as_deref())
            .map(link::normalize_name),
    );
    names
}

/// `measures/<id>.<s>.yaml`: the original's sections, rows and KPIs, in its order.
fn measure_text(
    f: &File<RawMeasureText>,
    originals: &Originals,
    out: &mut Translation,
    diags: &mut Diagnostics,
) {
    let ctx = FileCtx::new(&f.parsed.file);
    let raw = &f.parsed.value;
    check_keys(
        &ctx,
        "",
        &["updated", "title", "sections", "schedule", "kpis"],
        &[
            "id",
            "policy",
            "lead_department",
            "departments",
            "continues",
            "related_departments",
            "lifecycle",
            "draft",
            "publish_date",
        ],
        diags,
    );
    let Some(m) = crate::model::find_measure(originals.measures, &f.stem) else {
        if !originals.measure_ids.contains(&f.stem) {
            let hint = match nearest(&f.stem, originals.measure_ids.iter().map(String::as_str)) {
                Some(near) => format!("「{near}」の訳なら、ファイル名を {near}.{}.yaml にしてください", suffix(f.language)),
                None => "ファイル名を、もとの施策のファイル名（施策ID）に言語の印を付けた形（01-01.en.yaml）にしてください".to_string(),
            };
            diags.push(
                at_file(f.parsed.file.diagnostic(
                    Code::TranslationUnknown,
                    format!(
                        "施策「{}」のファイルがないので、この訳は使われません",
                        f.stem
                    ),
                ))
                .hint(hint),
            );
        }
        return;
    };
    let names = names_with(originals, out);
    let original_file = m.source.to_string_lossy();
    check_stale(&ctx, raw.updated.as_ref(), m.updated, &original_file, diags);
    let mut text_of = MeasureText {
        title: text(&ctx, "title", raw.title.as_ref(), false, diags),
        ..MeasureText::default()
    };
    let declared: Vec<&str> = match originals.plan {
        Some(plan) => plan.sections.iter().map(|s| s.key.as_str()).collect(),
        None => Vec::new(),
    };
    for (key, value) in &raw.sections.0 {
        let path = join("sections", key);
        if m.sections.get(key).is_none() {
            let message = match declared.contains(&key.as_str()) {
                true => format!("もとの施策に欄「{key}」がないので、訳せません"),
                false => format!("欄「{key}」は計画の sections: にありません"),
            };
            let hint = match nearest(key, m.sections.iter().map(|(k, _)| k)) {
                Some(near) => format!("「{near}」ではありませんか？"),
                None => {
                    let written: Vec<&str> = m.sections.iter().map(|(k, _)| k).collect();
                    format!("もとの施策にある欄: {}", written.join(", "))
                }
            };
            diags.push(unknown_item(&ctx, &path, true, message, hint));
            continue;
        }
        if let Some(t) = markdown(&ctx, &path, value.as_ref(), &names, diags) {
            text_of.sections.insert(key.clone(), t);
        }
    }
    if !raw.schedule.is_empty() && raw.schedule.len() != m.schedule.len() {
        diags.push(unknown_item(
            &ctx,
            "schedule",
            true,
            format!(
                "取組みスケジュールの行が{}行ありますが、もとの施策は{}行です",
                raw.schedule.len(),
                m.schedule.len()
            ),
            "もとの行と同じ数・同じ順に書いてください（訳さない行は「- {}」と書きます）",
        ));
    } else {
        for (i, t) in raw.schedule.iter().enumerate() {
            let base = format!("schedule[{i}]");
            check_keys(&ctx, &base, &["task"], &["years"], diags);
            text_of.tasks.push(text(
                &ctx,
                &format!("{base}.task"),
                t.task.as_ref(),
                false,
                diags,
            ));
        }
    }
    for (i, k) in raw.kpis.iter().enumerate() {
        let base = format!("kpis[{i}]");
        if i >= m.kpis.len() {
            diags.push(unknown_item(
                &ctx,
                &base,
                false,
                match m.kpis.len() {
                    0 => "もとの施策には成果目標がないので、kpis: は訳せません".to_string(),
                    n => format!(
                        "成果目標が{}つありますが、もとの施策には{n}つしかありません",
                        raw.kpis.len()
                    ),
                },
                "もとの成果目標と同じ順に、同じ数までにしてください",
            ));
            break;
        }
        check_keys(
            &ctx,
            &base,
            &["indicator", "notes"],
            &[
                "unit",
                "baseline",
                "target",
                "actual",
                "revisions",
                "direction",
                "aggregation",
                "achieved",
            ],
            diags,
        );
        let indicator = text(
            &ctx,
            &format!("{base}.indicator"),
            k.indicator.as_ref(),
            false,
            diags,
        );
        let notes_path = format!("{base}.notes");
        let mut notes = markdown(&ctx, &notes_path, k.notes.as_ref(), &names, diags);
        if notes.is_some() && m.kpis[i].notes.is_none() {
            diags.push(unknown_item(
                &ctx,
                &notes_path,
                true,
                format!(
                    "もとの成果目標{}には注記（notes）がないので、訳せません",
                    i + 1
                ),
                "notes: を削除してください",
            ));
            notes = None;
        }
        text_of.kpis.push(KpiText { indicator, notes });
    }
    out.measures.insert(m.id.clone(), text_of);
}

/// The file-name mark of `language`'s translation files, for hints.
fn suffix(language: Language) -> &'static str {
    crate::load::translation::suffix_of(language)
}

/// `pages/<slug>.<s>.md`: front matter texts and the body.
fn page_text(
    f: &File<RawPageText>,
    originals: &Originals,
    out: &mut Translation,
    diags: &mut Diagnostics,
) {
    // The front matter alone, so that a body that happens to read as YAML adds no keys.
    let file = &f.parsed.file;
    let front_end = file.text.len() - f.parsed.value.body.len();
    let front = crate::load::SourceFile {
        path: file.path.clone(),
        text: file.text[..front_end].into(),
    };
    let ctx = FileCtx::new(&front);
    let raw = &f.parsed.value;
    check_keys(
        &ctx,
        "",
        &["title", "description", "updated"],
        &["order", "main_nav", "draft", "publish_date"],
        diags,
    );
    let Some(page) = originals.pages.iter().find(|p| p.slug == f.stem) else {
        if !originals.page_slugs.contains(&f.stem) {
            let hint = match nearest(&f.stem, originals.page_slugs.iter().map(String::as_str)) {
                Some(near) => format!("「{near}」の訳なら、ファイル名を {near}.{}.md にしてください", suffix(f.language)),
                None => "ファイル名を、もとのページのファイル名に言語の印を付けた形（about.en.md）にしてください".to_string(),
            };
            diags.push(
                at_file(f.parsed.file.diagnostic(
                    Code::TranslationUnknown,
                    format!(
                        "ページ「{}」のファイルがないので、この訳は使われません",
                        f.stem
                    ),
                ))
                .hint(hint),
            );
        }
        return;
    };
    check_stale(
        &ctx,
        raw.front.updated.as_ref(),
        page.updated,
        &page.source.to_string_lossy(),
        diags,
    );
    let title = text(&ctx, "title", raw.front.title.as_ref(), false, diags);
    let mut description = text(
        &ctx,
        "description",
        raw.front.description.as_ref(),
        false,
        diags,
    );
    if description.is_some() && page.description.is_none() {
        diags.push(unknown_item(
            &ctx,
            "description",
            true,
            "もとのページに description: がないので、訳せません".to_string(),
            "description: を削除するか、もとのページにも書いてください",
        ));
        description = None;
    }
    let body = (!raw.body.trim().is_empty()).then(|| raw.body.clone());
    if let Some(body) = &body {
        super::ruby::check_page_body(&f.parsed.file, body, raw.body_line, diags);
        let names = names_with(originals, out);
        for (offset, name) in link::references(body) {
            if !names.contains(&link::normalize_name(&name)) {
                let before = &body[..offset];
                let position = Position {
                    line: raw.body_line + before.matches('\n').count(),
                    column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                };
                diags.push(
                    f.parsed
                        .file
                        .diagnostic(
                            Code::UnknownTerm,
                            super::glossary::unknown_term_message(&name),
                        )
                        .at(Some(position))
                        .hint(super::glossary::UNKNOWN_TERM_HINT),
                );
            }
        }
    }
    out.pages.insert(
        page.slug.clone(),
        PageText {
            title,
            description,
            body,
        },
    );
}
