//! Every call into a YAML library, so that swapping one is a change here only: serde_yaml
//! deserialises the files (it is unmaintained upstream; a maintained drop-in fork replaces it by
//! changing the `use` below), and saphyr's event parser, which keeps its own stack instead of
//! recursing, locates nodes ([`Locator`]) and measures nesting ([`nesting`]). Outside tests no
//! other module of keikaku calls either.
//!
//! serde_yaml locates *structural* errors (wrong type, unknown field) itself. Errors found later,
//! while validating values (a KPI cell, a fiscal year, a policy number), need the position of a
//! field by its path; [`Locator`] finds it by scanning the file's events once, and only when a
//! file actually has such an error, so that a clean build pays nothing for it.

mod locator;

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_yaml as yaml_impl;

use crate::diagnostics::{Code, Position};
pub(crate) use locator::{Locator, Node, NodeKind, ScalarKind};

/// A YAML problem, already translated for city staff.
#[derive(Clone, Debug)]
pub(crate) struct YamlError {
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
    pub field: Option<String>,
    pub position: Option<Position>,
    /// For an unknown field: the key as written (`field` is its path) and its suggestion.
    pub unknown: Option<Box<UnknownField>>,
}

/// A key the format does not have, as serde reported it.
#[derive(Clone, Debug)]
pub(crate) struct UnknownField {
    /// The key as written.
    pub key: String,
    /// The allowed name nearest to it, if one is near enough to be the one meant.
    pub suggestion: Option<String>,
}

/// Parses and deserialises one YAML document; the first problem only (for tests).
#[cfg(test)]
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let (value, mut errors) = from_str_all(text);
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(errors.swap_remove(0)),
    }
}

/// The most unknown fields reported in one file: past a few dozen the file is surely not the
/// format it claims to be, and each one costs a parse of the whole file.
const MAX_UNKNOWN_FIELDS: usize = 50;

/// Parses and deserialises one YAML document, reporting every unknown field rather than the
/// first. serde stops at the first unknown key it meets, so each one is reported, blanked out
/// of the text (spaces over the key and its value, which keeps every other line and column
/// where it was) and the text parsed again. When only unknown fields were wrong the value is
/// returned beside their errors, so that validation still reports the file's other problems
/// (a bad KPI cell beside a misspelt key). Any other error ends the file: what serde would
/// read after it is not known.
pub(crate) fn from_str_all<T: DeserializeOwned>(text: &str) -> (Option<T>, Vec<YamlError>) {
    let mut errors = Vec::new();
    let mut current = std::borrow::Cow::Borrowed(text);
    loop {
        let error = match parse_once::<T>(&current) {
            Ok(value) => return (Some(value), errors),
            Err(error) => error,
        };
        let blanked = if error.code == Code::UnknownField && errors.len() < MAX_UNKNOWN_FIELDS {
            without_unknown_field(&current, &error)
        } else {
            None
        };
        errors.push(error);
        match blanked {
            Some(next) => current = std::borrow::Cow::Owned(next),
            None => return (None, errors),
        }
    }
}

/// `text` with the unknown field of `error` taken out of the way. A misspelt key whose
/// nearest allowed name is not written in its mapping is renamed to that name (`tittle:` →
/// `title :`), so that the file still loads and its values are checked; any other unknown
/// field is overwritten by spaces, key and value. `None` when that would change what the rest
/// means (the field is its mapping's only key, so the mapping would become empty) or the key
/// cannot be found.
fn without_unknown_field(text: &str, error: &YamlError) -> Option<String> {
    let unknown = error.unknown.as_deref()?;
    let key = unknown.key.as_str();
    let path = error.field.as_deref()?;
    let locator = Locator::new(text);
    let parent_path = parent(path).unwrap_or_default();
    let siblings = locator.entries(&parent_path).unwrap_or(&[]);
    let start = locator.key_exact(path).or(error.position)?;
    let from = crate::diagnostics::byte_offset(text, start);
    let written_plain = text[from..].starts_with(key);
    if let Some(near) = unknown.suggestion.as_deref() {
        if written_plain && !siblings.iter().any(|k| k == near) {
            let padding = key.chars().count().saturating_sub(near.chars().count());
            return Some(format!(
                "{}{near}{}{}",
                &text[..from],
                " ".repeat(padding),
                &text[from + key.len()..]
            ));
        }
    }
    if siblings.len() < 2 {
        return None;
    }
    let end = match locator.node(path) {
        Some(node) if node.end > start => node.end,
        _ => Position {
            line: start.line,
            column: usize::MAX,
        },
    };
    let to = crate::diagnostics::byte_offset(text, end);
    if from >= to {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..from]);
    out.extend(
        text[from..to]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' }),
    );
    out.push_str(&text[to..]);
    Some(out)
}

fn parse_once<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    yaml_impl::from_str(text).map_err(|e| {
        let duplicate = duplicate_key(&e);
        let mut error = translate(e, text);
        // serde places a duplicate key at the start of its mapping; point at the second
        // occurrence instead, which is the line to delete.
        if let Some(key) = duplicate {
            let path = match &error.field {
                Some(parent) => join_key(parent, &key),
                None => key.clone(),
            };
            if let Some(position) = Locator::new(text).repeated_key(&path) {
                error.position = Some(position);
                error.field = Some(path);
            }
        }
        error
    })
}

/// The key named by a "duplicate field `x`" or "duplicate entry with key `x`" error.
fn duplicate_key(err: &yaml_impl::Error) -> Option<String> {
    let text = err.to_string();
    let rest = text
        .split_once("duplicate field `")
        .or_else(|| text.split_once("duplicate entry with key `"))?
        .1;
    rest.split_once('`').map(|(key, _)| key.to_string())
}

fn translate(err: yaml_impl::Error, text: &str) -> YamlError {
    let position = err.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let full = err.to_string();
    // serde_yaml renders "path: message at line L column C"; take the parts apart.
    let without_mark = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let (mut field, message) = match without_mark.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            (Some(path.to_string()), rest.to_string())
        }
        _ => (None, without_mark.to_string()),
    };
    let at = position.map(|p| char_at(text, p));
    let (code, ja, hint) = japanese(&message, at);
    // An unknown field is named by its own path, so that tools (`--format json`) see which.
    let unknown_key = (code == Code::UnknownField)
        .then(|| backticked(&message).into_iter().next())
        .flatten();
    let unknown = unknown_key.map(|key| {
        let names = backticked(&message);
        let suggestion =
            nearest(&key, names.iter().skip(1).map(String::as_str)).map(str::to_string);
        Box::new(UnknownField { key, suggestion })
    });
    if let Some(key) = unknown.as_ref().map(|u| &u.key) {
        field = Some(match &field {
            Some(parent) => join_key(parent, key),
            None => key.clone(),
        });
    }
    // The English original goes in parentheses, without serde's list of expected fields, which
    // the hint already gives in a friendlier form.
    let english = message
        .split(", expected one of")
        .next()
        .unwrap_or(&message);
    YamlError {
        code,
        message: format!("{ja}（{english}）"),
        hint,
        field,
        position,
        unknown,
    }
}

/// The character at `pos` (and the one before it, for a tab the scanner points just past).
fn char_at(text: &str, pos: Position) -> (Option<char>, Option<char>) {
    let offset = crate::diagnostics::byte_offset(text, pos);
    (
        text[offset..].chars().next(),
        text[..offset].chars().next_back(),
    )
}

/// The names between backticks in serde's messages (`unknown field `x`, expected `a``).
fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, p)| p.to_string())
        .collect()
}

/// The allowed name nearest to a misspelt `name`, if it is near enough to be the one meant
/// (`tittle` → `title`, `lead_departmnt` → `lead_department`).
pub(crate) fn nearest<'a>(
    name: &str,
    allowed: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let name_lower = name.to_lowercase();
    allowed
        .into_iter()
        .map(|candidate| {
            let score =
                strsim::normalized_damerau_levenshtein(&name_lower, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// Japanese wording for serde's and libyaml's English messages. Unrecognised messages are
/// still reported (as a syntax or type error), with the English original in parentheses.
/// `at` is the character at the error's position and the one before it, by which a tab is
/// told from other characters that cannot start a token.
fn japanese(
    message: &str,
    at: Option<(Option<char>, Option<char>)>,
) -> (Code, String, Option<String>) {
    if message.starts_with("unknown field") {
        let names = backticked(message);
        let field = names.first().cloned().unwrap_or_default();
        let candidates = &names[1.min(names.len())..];
        let allowed = candidates.join(", ");
        let hint = match nearest(&field, candidates.iter().map(String::as_str)) {
            Some(near) => format!("「{near}」ではありませんか？（使えるフィールド: {allowed}）"),
            None if allowed.is_empty() => "このフィールドを削除してください".to_string(),
            None => format!("綴りを確認してください。使えるフィールド: {allowed}"),
        };
        return (
            Code::UnknownField,
            format!("未知のフィールド「{field}」です"),
            Some(hint),
        );
    }
    if message.starts_with("missing field") {
        let field = backticked(message).into_iter().next().unwrap_or_default();
        return (
            Code::MissingField,
            format!("必須フィールド「{field}」がありません"),
            Some(format!(
                "「{field}:」を追加してください（docs/content.md 参照）"
            )),
        );
    }
    if message.starts_with("duplicate field") || message.starts_with("duplicate entry") {
        return (
            Code::DuplicateKey,
            "同じキーが2回書かれています".to_string(),
            Some("どちらか一方を削除してください".to_string()),
        );
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let expected = message
            .split_once("expected ")
            .map(|(_, e)| e.to_string())
            .unwrap_or_default();
        return (
            Code::WrongType,
            "値の型が違います".to_string(),
            Some(format!("期待される形: {}", expected_ja(&expected))),
        );
    }
    if message.starts_with("unknown variant") {
        let names = backticked(message);
        return (
            Code::InvalidValue,
            format!(
                "使えない値「{}」です",
                names.first().cloned().unwrap_or_default()
            ),
            Some(format!(
                "使える値: {}",
                names[1.min(names.len())..].join(", ")
            )),
        );
    }
    if message.contains("recursion limit exceeded") {
        return (
            Code::YamlSyntax,
            "入れ子が深すぎます".to_string(),
            Some("構造を浅くしてください".to_string()),
        );
    }
    if message.contains("repetition limit exceeded") || message.contains("unknown anchor") {
        return (
            Code::YamlSyntax,
            "YAMLの別名（&/*）の使い方が不正か、展開すると大きすぎます".to_string(),
            Some("別名（アンカー）を使わずに値を書いてください".to_string()),
        );
    }
    if message.contains("more than one document") {
        return (
            Code::YamlSyntax,
            "1つのファイルに複数のYAML文書（---）があります".to_string(),
            Some("1ファイル1文書にしてください".to_string()),
        );
    }
    if message.starts_with("EOF while parsing") {
        return (
            Code::MissingField,
            "ファイルが空です".to_string(),
            Some("docs/content.md の例をもとに内容を書いてください".to_string()),
        );
    }
    if let Some(explained) = syntax_ja(message, at) {
        return explained;
    }
    (
        Code::YamlSyntax,
        "YAMLの構文エラーです".to_string(),
        Some(
            "インデント（半角スペース）、コロンの後の空白、引用符の閉じ忘れを確認してください"
                .to_string(),
        ),
    )
}

/// The YAML scanner's and parser's English (libyaml's wording) as a Japanese explanation of
/// what the author most likely did, with the fix as the hint.
fn syntax_ja(
    message: &str,
    at: Option<(Option<char>, Option<char>)>,
) -> Option<(Code, String, Option<String>)> {
    let tab = at.is_some_and(|(here, before)| here == Some('\t') || before == Some('\t'));
    let (ja, hint) = if message.contains("tab") && message.contains("indentation")
        || message.contains("found character that cannot start any token") && tab
    {
        (
            "タブ文字があります。YAML の字下げにタブは使えません",
            "タブを半角スペース（2つずつ）に置き換えてください",
        )
    } else if message.contains("found character that cannot start any token") {
        (
            "値の先頭に、YAML では使えない記号（@ や ` など）があります",
            "記号で始まる値は \"…\" で囲んでください（例: title: \"@お知らせ\"）",
        )
    } else if message.contains("mapping values are not allowed") {
        (
            "この「: 」を YAML として読めません。値の中に「: 」が入っているか、字下げがずれて前の行の続きと読まれています",
            "値に「: 」を含めるときは値全体を \"…\" で囲み（例: title: \"目標: 100件\"）、そうでなければ行の字下げを同じ深さの項目とそろえてください",
        )
    } else if message.contains("did not find expected key") {
        (
            "字下げ（インデント）がずれているか、「キー: 値」の「:」が抜けている行があります",
            "示された行と、その上の行の字下げが同じ深さの項目とそろっているか、「:」の後に半角スペースがあるかを確認してください",
        )
    } else if message.contains("could not find expected ':'") {
        (
            "「キー: 値」の「:」が抜けています",
            "キーの後に「: 」（コロンと半角スペース）を書いてください",
        )
    } else if message.contains("did not find expected '-' indicator") {
        (
            "リストの項目の字下げがそろっていません",
            "リストの各行の「- 」を同じ字下げの位置にそろえてください",
        )
    } else if message.contains("block sequence entries are not allowed") {
        (
            "「- 」で始まるリストの項目が、キーと同じ行に書かれています",
            "「キー:」の次の行から、字下げして「- 」を書いてください",
        )
    } else if message.contains("while scanning a quoted scalar") {
        (
            "引用符（\" または '）が閉じられていません",
            "値を囲む引用符の閉じ忘れを確認してください",
        )
    } else if message.contains("did not find expected ',' or")
        || message.contains("while parsing a flow")
    {
        (
            "[ ] または { } の括弧が閉じられていないか、中の区切りが誤っています",
            "[ や { で始まる値が文章なら \"…\" で囲んでください",
        )
    } else if message.contains("did not find expected node content") {
        (
            "値があるはずのところに値がありません（記号だけが書かれています）",
            "値を書くか、記号で始まる値は \"…\" で囲んでください",
        )
    } else {
        return None;
    };
    Some((Code::YamlSyntax, ja.to_string(), Some(hint.to_string())))
}

fn expected_ja(expected: &str) -> String {
    let e = expected.trim();
    let ja = if e.contains("sequence") {
        "リスト（- で始まる行）"
    } else if e.contains("map") || e.contains("struct") {
        "キーと値の組（key: value）"
    } else if e.contains("string") {
        "文字列"
    } else if e.contains("integer") || e.contains("u32") || e.contains("u16") || e.contains("u8") {
        "整数"
    } else if e.contains("bool") {
        "true または false"
    } else {
        ""
    };
    if ja.is_empty() {
        e.to_string()
    } else {
        format!("{ja}（{e}）")
    }
}

/// `value` as a YAML scalar: plain when YAML reads it back as exactly the same text (most KPI
/// cells: `40,529千円`), double-quoted otherwise (`-`, `80%: 以上`, `123`, text with `#`).
pub(crate) fn format_scalar(value: &str) -> String {
    let plain_ok = !value.is_empty()
        && !value.contains(['\n', '\r', '\t', '"', '\''])
        && value.trim() == value
        && matches!(
            yaml_impl::from_str::<HashMap<String, yaml_impl::Value>>(&format!("k: {value}\n")),
            Ok(map) if map.get("k") == Some(&yaml_impl::Value::String(value.to_string()))
        );
    if plain_ok {
        value.to_string()
    } else {
        // A JSON string is a valid YAML double-quoted scalar (and keeps non-ASCII as is).
        serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"))
    }
}

fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn parent(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(path[..cut].to_string())
}

/// How deep a YAML text nests, as far as the event parser gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Nesting {
    /// The deepest level reached (the top-level collection is 1) before the end of the text,
    /// its first syntax error, or the first node past the limit.
    pub deepest: usize,
    /// The first node nested deeper than the limit, or where the scanner itself gave up on
    /// nesting too deep; `None` if neither happened before the end or the first syntax error.
    pub too_deep_at: Option<Position>,
}

/// Walks `text`'s events, stopping at the first node nested deeper than `limit`.
pub(crate) fn nesting(text: &str, limit: usize) -> Nesting {
    use saphyr_parser::{Event, Parser};

    let (mut depth, mut deepest) = (0usize, 0usize);
    let at = |line: usize, col: usize| {
        Some(Position {
            line,
            column: col + 1,
        })
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(e) => e,
            // The scanner reads a flow collection ahead to resolve its keys, so very deep
            // `[[[…` hits the scanner's own limit (255) before any event reaches us.
            Err(e) if e.info().contains("recursion limit") => {
                let too_deep_at = at(e.marker().line(), e.marker().col());
                return Nesting {
                    deepest,
                    too_deep_at,
                };
            }
            Err(_) => break,
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                deepest = deepest.max(depth);
                if depth > limit {
                    let too_deep_at = at(span.start.line(), span.start.col());
                    return Nesting {
                        deepest,
                        too_deep_at,
                    };
                }
            }
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::StreamEnd => break,
            _ => {}
        }
    }
    Nesting {
        deepest,
        too_deep_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        id: String,
        count: u32,
    }

    #[test]
    fn structural_errors_are_located_and_japanese() {
        let e = from_str::<Small>("id: a\ncount: 1\ntitel: x\n").unwrap_err();
        assert_eq!(e.code, Code::UnknownField);
        assert_eq!(e.position, Some(Position { line: 3, column: 1 }));
        assert!(
            e.message.starts_with("未知のフィールド「titel」"),
            "{}",
            e.message
        );

        let e = from_str::<Small>("id: a\ncount: many\n").unwrap_err();
        assert_eq!(e.code, Code::WrongType);
        assert_eq!(e.field.as_deref(), Some("count"));
        assert_eq!(e.position.map(|p| p.line), Some(2));

        let e = from_str::<Small>("id: a\n").unwrap_err();
        assert_eq!(e.code, Code::MissingField);

        let e = from_str::<Small>("id: a: b\ncount: 1\n").unwrap_err();
        assert_eq!(e.code, Code::YamlSyntax);
        assert!(e.position.is_some());

        let e = from_str::<Small>("id: a\ncount: 1\nid: b\n").unwrap_err();
        assert_eq!(e.code, Code::DuplicateKey);
        assert_eq!(e.position, Some(Position { line: 3, column: 1 }));
        assert_eq!(e.field.as_deref(), Some("id"));
    }

    #[test]
    fn every_unknown_field_is_reported_and_a_misspelt_key_still_loads() {
        // `xyzzy` is near no allowed name, so it is blanked; `cuont` is renamed to `count`,
        // which then loads.
        let (value, errors) = from_str_all::<Small>("id: a\nxyzzy: 1\ncuont: 2\n");
        assert_eq!(value.map(|v| v.count), Some(2));
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.code, e.field.clone(), e.position.map(|p| p.line)))
            .collect();
        assert_eq!(
            found,
            vec![
                (Code::UnknownField, Some("xyzzy".to_string()), Some(2)),
                (Code::UnknownField, Some("cuont".to_string()), Some(3)),
            ]
        );
        assert_eq!(
            errors[1]
                .hint
                .as_deref()
                .map(|h| h.starts_with("「count」ではありませんか？")),
            Some(true)
        );
        // A key that is its mapping's only one ends the file: blanking it would empty it.
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Outer {
            inner: Vec<Small>,
        }
        let (value, errors) = from_str_all::<Outer>("inner:\n  - xyzzy: 1\n");
        assert!(value.is_none());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field.as_deref(), Some("inner[0].xyzzy"));
    }

    #[test]
    fn nearest_names_only_a_near_name() {
        let allowed = ["title", "lead_department", "policy"];
        assert_eq!(nearest("tittle", allowed), Some("title"));
        assert_eq!(nearest("lead_departmnt", allowed), Some("lead_department"));
        assert_eq!(nearest("Title", allowed), Some("title"));
        assert_eq!(nearest("xyzzy", allowed), None);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        let e = from_str::<yaml_impl::Value>(bomb).unwrap_err();
        assert_eq!(e.code, Code::YamlSyntax);
    }
}
