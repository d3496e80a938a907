//! The only module that calls a YAML library. serde_yaml is unmaintained upstream; keeping every
//! call here means a maintained drop-in fork replaces it by changing the `use` below.
//!
//! serde_yaml locates *structural* errors (wrong type, unknown field) itself. Errors found later,
//! while validating values (a KPI cell, a fiscal year, a policy number), need the position of a
//! field by its path; [`Locator`] finds it by scanning the file's events once, and only when a
//! file actually has such an error, so that a clean build pays nothing for it.

use std::collections::hash_map::Entry;
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

/// Positions of every node of a YAML text, by the same path syntax serde_yaml uses in its
/// messages (`kpis[0].actual.R5`). Besides where each node starts, it knows where it ends and
/// what kind of node it is, so that [`crate::load::yaml_edit`] can change one value in place
/// without re-serialising (and so losing the comments and layout of) the rest of the file.
pub struct Locator {
    nodes: HashMap<String, Node>,
    keys: HashMap<String, Position>,
    /// The keys of each mapping, in file order.
    entries: HashMap<String, Vec<String>>,
    /// Where a key is written a second time in its mapping.
    repeated: HashMap<String, Position>,
}

/// One node: where it starts, where it ends (exclusive), and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub start: Position,
    /// Just past the node's last character. For a block collection, the end of its last
    /// descendant (comments after it are not part of it).
    pub end: Position,
    pub kind: NodeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar; `empty` for a value left out (`actual:` followed by nothing).
    Scalar {
        style: ScalarKind,
        empty: bool,
    },
    Map {
        flow: bool,
    },
    Seq {
        flow: bool,
    },
    Alias,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    Plain,
    Quoted,
    /// `|` or `>`: spans several lines and starts after the indicator.
    Block,
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        start: Position,
        flow: bool,
    },
    Seq {
        path: String,
        index: usize,
        start: Position,
        flow: bool,
    },
    /// A mapping or sequence used as a mapping key: positions inside it are not addressable.
    Opaque,
}

impl Locator {
    pub fn new(text: &str) -> Locator {
        use saphyr_parser::{Event, Parser, ScalarStyle};

        let mut nodes: HashMap<String, Node> = HashMap::new();
        let mut keys = HashMap::new();
        let mut repeated = HashMap::new();
        let mut entries: HashMap<String, Vec<String>> = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        // End of the most recent scalar: a block collection ends where its last scalar does.
        let mut last_end = Position { line: 1, column: 1 };
        let mut parser = Parser::new_from_str(text);
        let at = |m: saphyr_parser::Marker| Position {
            line: m.line(),
            column: m.col() + 1,
        };
        while let Some(Ok((event, span))) = parser.next_event() {
            let pos = at(span.start);
            let (kind, opens) = match &event {
                Event::Scalar(value, style, ..) => {
                    let style = match style {
                        ScalarStyle::Plain => ScalarKind::Plain,
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => ScalarKind::Quoted,
                        _ => ScalarKind::Block,
                    };
                    // A block scalar's span runs on to the next token; end it at its text.
                    last_end = if style == ScalarKind::Block {
                        end_of_text_before(text, at(span.end))
                    } else {
                        at(span.end)
                    };
                    let empty = value.is_empty() && style == ScalarKind::Plain;
                    (NodeKind::Scalar { style, empty }, None)
                }
                Event::Alias(..) => {
                    last_end = at(span.end);
                    (NodeKind::Alias, None)
                }
                Event::MappingStart(..) => {
                    let flow = span.end.index() > span.start.index();
                    (NodeKind::Map { flow }, Some(true))
                }
                Event::SequenceStart(..) => {
                    let flow = span.end.index() > span.start.index();
                    (NodeKind::Seq { flow }, Some(false))
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(
                        Frame::Map {
                            path, start, flow, ..
                        }
                        | Frame::Seq {
                            path, start, flow, ..
                        },
                    ) = stack.pop()
                    {
                        let end = if flow {
                            // The span of `}` / `]` may run on over a comment; end after it.
                            let close = at(span.start);
                            last_end = Position {
                                line: close.line,
                                column: close.column + 1,
                            };
                            last_end
                        } else {
                            last_end.max(start)
                        };
                        if let Some(n) = nodes.get_mut(&path) {
                            if n.start == start {
                                n.end = end;
                            }
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            // Decide what this node is: a key, or a value at some path.
            let child_path = match stack.last_mut() {
                None => Some(String::new()),
                Some(Frame::Opaque) => None,
                Some(Frame::Map { path, key, .. }) => match key.take() {
                    None => {
                        // This node is a key.
                        if let Event::Scalar(value, ..) = &event {
                            let k = value.to_string();
                            let full = join_key(path, &k);
                            match keys.entry(full) {
                                Entry::Occupied(e) => {
                                    repeated.entry(e.key().clone()).or_insert(pos);
                                }
                                Entry::Vacant(e) => {
                                    e.insert(pos);
                                }
                            }
                            entries.entry(path.clone()).or_default().push(k.clone());
                            *key = Some(k);
                        } else {
                            *key = Some(String::from("?"));
                            stack.push(Frame::Opaque);
                        }
                        continue;
                    }
                    Some(k) => Some(join_key(path, &k)),
                },
                Some(Frame::Seq { path, index, .. }) => {
                    let p = format!("{path}[{index}]");
                    *index += 1;
                    Some(p)
                }
            };
            if let Some(p) = &child_path {
                let end = if opens.is_some() { pos } else { last_end };
                nodes.entry(p.clone()).or_insert(Node {
                    start: pos,
                    end,
                    kind,
                });
            }
            let flow = matches!(
                kind,
                NodeKind::Map { flow: true } | NodeKind::Seq { flow: true }
            );
            match (opens, child_path) {
                (Some(true), Some(path)) => {
                    entries.entry(path.clone()).or_default();
                    stack.push(Frame::Map {
                        path,
                        key: None,
                        start: pos,
                        flow,
                    })
                }
                (Some(false), Some(path)) => stack.push(Frame::Seq {
                    path,
                    index: 0,
                    start: pos,
                    flow,
                }),
                (Some(_), None) => stack.push(Frame::Opaque),
                (None, _) => {}
            }
        }
        Locator {
            nodes,
            keys,
            entries,
            repeated,
        }
    }

    /// Where the key of `path` is written again, if its mapping has it twice.
    pub fn repeated_key(&self, path: &str) -> Option<Position> {
        self.repeated.get(path).copied()
    }

    /// Where the value at `path` starts; for a path that does not exist (a missing field), the
    /// nearest existing ancestor, so the report still points into the right block.
    pub fn value(&self, path: &str) -> Option<Position> {
        let mut p = path.to_string();
        loop {
            if let Some(node) = self.nodes.get(&p) {
                return Some(node.start);
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

    /// The node at exactly `path` (no fallback to a parent).
    pub fn node(&self, path: &str) -> Option<Node> {
        self.nodes.get(path).copied()
    }

    /// Where the key of exactly `path` is written.
    pub fn key_exact(&self, path: &str) -> Option<Position> {
        self.keys.get(path).copied()
    }

    /// The keys of the mapping at `path`, in file order (empty for a mapping with no keys,
    /// `None` when `path` is not a mapping).
    pub fn entries(&self, path: &str) -> Option<&[String]> {
        self.entries.get(path).map(Vec::as_slice)
    }

    /// Number of items of the sequence at `path`.
    pub fn seq_len(&self, path: &str) -> usize {
        (0..)
            .take_while(|i| self.nodes.contains_key(&format!("{path}[{i}]")))
            .count()
    }
}

/// The position just past the last non-blank character before `pos`.
fn end_of_text_before(text: &str, pos: Position) -> Position {
    let offset = crate::diagnostics::byte_offset(text, pos);
    let before = text[..offset].trim_end();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position { line, column }
}

/// `value` as a YAML scalar: plain when YAML reads it back as exactly the same text (most KPI
/// cells: `40,529千円`), double-quoted otherwise (`-`, `80%: 以上`, `123`, text with `#`).
pub fn format_scalar(value: &str) -> String {
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
