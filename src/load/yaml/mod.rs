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
}

/// Parses and deserialises one YAML document.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    yaml_impl::from_str(text).map_err(|e| {
        let duplicate = duplicate_key(&e);
        let mut error = translate(e);
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

fn translate(err: yaml_impl::Error) -> YamlError {
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
    let (field, message) = match without_mark.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            (Some(path.to_string()), rest.to_string())
        }
        _ => (None, without_mark.to_string()),
    };
    let (code, ja, hint) = japanese(&message);
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
    }
}

/// Japanese wording for serde's and libyaml's English messages. Unrecognised messages are
/// still reported (as a syntax or type error), with the English original in parentheses.
fn japanese(message: &str) -> (Code, String, Option<String>) {
    let backticked = |s: &str| -> Vec<String> {
        s.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, p)| p.to_string())
            .collect()
    };
    if message.starts_with("unknown field") {
        let names = backticked(message);
        let field = names.first().cloned().unwrap_or_default();
        let allowed = names[1.min(names.len())..].join(", ");
        return (
            Code::UnknownField,
            format!("未知のフィールド「{field}」です"),
            Some(if allowed.is_empty() {
                "このフィールドを削除してください".to_string()
            } else {
                format!("綴りを確認してください。使えるフィールド: {allowed}")
            }),
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
    if message.contains("tab") && message.contains("indentation")
        || message.contains("found character that cannot start any token")
    {
        return (
            Code::YamlSyntax,
            "YAMLの構文エラーです（タブ文字や記号の使い方）".to_string(),
            Some(
                "インデントには半角スペースを使い、記号で始まる値は \"…\" で囲んでください"
                    .to_string(),
            ),
        );
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
    fn alias_bombs_are_refused() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        let e = from_str::<yaml_impl::Value>(bomb).unwrap_err();
        assert_eq!(e.code, Code::YamlSyntax);
    }
}
