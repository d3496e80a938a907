//! The only module that calls a YAML library. serde_yaml is unmaintained upstream; keeping every
//! call here means a maintained drop-in fork replaces it by changing the `use` below.
//!
//! serde_yaml locates *structural* errors (wrong type, unknown field) itself. Errors found later,
//! while validating values (a KPI cell, a fiscal year, a policy number), need the position of a
//! field by its path; [`Locator`] finds it by scanning the file's events once, and only when a
//! file actually has such an error, so that a clean build pays nothing for it.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_yaml as yaml_impl;

use crate::diagnostics::{Code, Position};

/// A YAML problem, already translated for city staff.
#[derive(Clone, Debug)]
pub struct YamlError {
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
    pub field: Option<String>,
    pub position: Option<Position>,
}

/// Parses and deserialises one YAML document.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    yaml_impl::from_str(text).map_err(translate)
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

/// Positions of every node of a YAML text, by the same path syntax serde_yaml uses in its
/// messages (`kpis[0].actual.R5`).
pub struct Locator {
    values: HashMap<String, Position>,
    keys: HashMap<String, Position>,
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
    },
    Seq {
        path: String,
        index: usize,
    },
    /// A mapping or sequence used as a mapping key: positions inside it are not addressable.
    Opaque,
}

impl Locator {
    pub fn new(text: &str) -> Locator {
        use saphyr_parser::{Event, Parser};

        let mut values = HashMap::new();
        let mut keys = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(text);
        while let Some(Ok((event, span))) = parser.next_event() {
            let pos = Position {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            let (is_node, opens) = match &event {
                Event::Scalar(..) | Event::Alias(..) => (true, None),
                Event::MappingStart(..) => (true, Some(true)),
                Event::SequenceStart(..) => (true, Some(false)),
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    continue;
                }
                _ => (false, None),
            };
            if !is_node {
                continue;
            }
            // Decide what this node is: a key, or a value at some path.
            let child_path = match stack.last_mut() {
                None => Some(String::new()),
                Some(Frame::Opaque) => None,
                Some(Frame::Map { path, key }) => match key.take() {
                    None => {
                        // This node is a key.
                        if let Event::Scalar(value, ..) = &event {
                            let k = value.to_string();
                            keys.insert(join_key(path, &k), pos);
                            *key = Some(k);
                        } else {
                            *key = Some(String::from("?"));
                            stack.push(Frame::Opaque);
                        }
                        continue;
                    }
                    Some(k) => Some(join_key(path, &k)),
                },
                Some(Frame::Seq { path, index }) => {
                    let p = format!("{path}[{index}]");
                    *index += 1;
                    Some(p)
                }
            };
            if let Some(p) = &child_path {
                values.entry(p.clone()).or_insert(pos);
            }
            match (opens, child_path) {
                (Some(true), Some(path)) => stack.push(Frame::Map { path, key: None }),
                (Some(false), Some(path)) => stack.push(Frame::Seq { path, index: 0 }),
                (Some(_), None) => stack.push(Frame::Opaque),
                (None, _) => {}
            }
        }
        Locator { values, keys }
    }

    /// Where the value at `path` starts; for a path that does not exist (a missing field), the
    /// nearest existing ancestor, so the report still points into the right block.
    pub fn value(&self, path: &str) -> Option<Position> {
        let mut p = path.to_string();
        loop {
            if let Some(pos) = self.values.get(&p) {
                return Some(*pos);
            }
            match parent(&p) {
                Some(up) => p = up,
                None => return None,
            }
        }
    }

    /// Where the key of `path` is written (for "unknown field" or "duplicate" reports).
    pub fn key(&self, path: &str) -> Option<Position> {
        self.keys.get(path).copied().or_else(|| self.value(path))
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

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "id: \"01-01\"\nkpis:\n  - indicator: 件数\n    actual:\n      R4: 10件\n      令和5年度: 12件\n  - indicator: 率\n";

    #[test]
    fn locator_finds_nested_values_and_keys() {
        let loc = Locator::new(TEXT);
        assert_eq!(loc.value("id"), Some(Position { line: 1, column: 5 }));
        assert_eq!(
            loc.value("kpis[0].actual.R4"),
            Some(Position {
                line: 5,
                column: 11
            })
        );
        assert_eq!(
            loc.key("kpis[0].actual.令和5年度"),
            Some(Position { line: 6, column: 7 })
        );
        assert_eq!(
            loc.value("kpis[1].indicator"),
            Some(Position {
                line: 7,
                column: 16
            })
        );
        // A missing field points at its nearest parent.
        assert_eq!(loc.value("kpis[1].target.R4"), loc.value("kpis[1]"));
    }

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

        let e = from_str::<Small>("id: a\nid: b\ncount: 1\n").unwrap_err();
        assert_eq!(e.code, Code::DuplicateKey);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        let e = from_str::<yaml_impl::Value>(bomb).unwrap_err();
        assert_eq!(e.code, Code::YamlSyntax);
    }
}
