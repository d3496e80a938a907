//! Where each node of a YAML text is: found from saphyr's events, by the path syntax
//! serde_yaml uses in its messages.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::{join_key, parent};
use crate::diagnostics::Position;

/// Positions of every node of a YAML text, by the same path syntax serde_yaml uses in its
/// messages (`kpis[0].actual.R5`). Besides where each node starts, it knows where it ends and
/// what kind of node it is, so that [`crate::load::yaml_edit`] can change one value in place
/// without re-serialising (and so losing the comments and layout of) the rest of the file.
pub(crate) struct Locator {
    nodes: HashMap<String, Node>,
    keys: HashMap<String, Position>,
    /// The keys of each mapping, in file order.
    entries: HashMap<String, Vec<String>>,
    /// Where a key is written a second time in its mapping.
    repeated: HashMap<String, Position>,
}

/// One node: where it starts, where it ends (exclusive), and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    pub start: Position,
    /// Just past the node's last character. For a block collection, the end of its last
    /// descendant (comments after it are not part of it).
    pub end: Position,
    pub kind: NodeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeKind {
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
pub(crate) enum ScalarKind {
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
    pub(crate) fn new(text: &str) -> Locator {
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
    pub(crate) fn repeated_key(&self, path: &str) -> Option<Position> {
        self.repeated.get(path).copied()
    }

    /// Where the value at `path` starts; for a path that does not exist (a missing field), the
    /// nearest existing ancestor, so the report still points into the right block.
    pub(crate) fn value(&self, path: &str) -> Option<Position> {
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
    pub(crate) fn key(&self, path: &str) -> Option<Position> {
        self.keys.get(path).copied().or_else(|| self.value(path))
    }

    /// The node at exactly `path` (no fallback to a parent).
    pub(crate) fn node(&self, path: &str) -> Option<Node> {
        self.nodes.get(path).copied()
    }

    /// Where the key of exactly `path` is written.
    pub(crate) fn key_exact(&self, path: &str) -> Option<Position> {
        self.keys.get(path).copied()
    }

    /// The keys of the mapping at `path`, in file order (empty for a mapping with no keys,
    /// `None` when `path` is not a mapping).
    pub(crate) fn entries(&self, path: &str) -> Option<&[String]> {
        self.entries.get(path).map(Vec::as_slice)
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
}
