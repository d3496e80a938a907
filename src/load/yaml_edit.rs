//! Small, targeted edits of a YAML text: replace one scalar, add one key to a mapping, add one
//! item to a sequence. serde_yaml cannot write a file back with its comments and layout, and city
//! staff annotate their files; so instead of re-serialising, these functions find the node with
//! [`Locator`] and change only the characters of that node (or insert whole lines with the
//! indentation of their neighbours). Everything else in the file stays byte-for-byte the same.
//!
//! The functions know nothing about measures or KPIs; `crate::cli::import` decides what to change.
//! Callers must re-load the result through the normal loader and validator before writing it.

use std::fmt;

use crate::diagnostics::{byte_offset, Position};
use crate::load::yaml::{format_scalar, Locator, Node, NodeKind, ScalarKind};

/// A value to insert, rendered in block style.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Fragment {
    /// Raw text of a scalar as it will be written: pass it through [`format_scalar`] first.
    Scalar(String),
    Map(Vec<(String, Fragment)>),
    /// Items, each rendered after `- `.
    Seq(Vec<Fragment>),
}

impl Fragment {
    /// A scalar from plain text, quoted as needed.
    pub(crate) fn text(value: &str) -> Fragment {
        Fragment::Scalar(format_scalar(value))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EditError {
    /// The path does not exist in the file.
    NotFound(String),
    /// The node is written in a style these edits do not rewrite (flow style, block scalar,
    /// structured value, alias); the user is asked to change it by hand.
    Unsupported { path: String, position: Position },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotFound(p) => write!(f, "「{p}」がファイルにありません"),
            EditError::Unsupported { path, position } => write!(
                f,
                "「{path}」（{}行{}列）は自動では書き換えられない書き方です",
                position.line, position.column
            ),
        }
    }
}

/// Replaces the scalar at `path` with `formatted` (already YAML-formatted text). A trailing
/// comment on the same line is kept.
pub(crate) fn replace_scalar(text: &str, path: &str, formatted: &str) -> Result<String, EditError> {
    let loc = Locator::new(text);
    let node = loc
        .node(path)
        .ok_or_else(|| EditError::NotFound(path.to_string()))?;
    match node.kind {
        NodeKind::Scalar { empty: true, .. } => {
            // An empty value is reported at its key; the new one goes after the colon.
            let start = byte_offset(text, node.start);
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let at = text[start..line_end]
                .find(':')
                .map_or(line_end, |i| start + i + 1);
            Ok(format!("{} {formatted}{}", &text[..at], &text[at..]))
        }
        NodeKind::Scalar {
            style: ScalarKind::Plain | ScalarKind::Quoted,
            ..
        } => {
            let (a, b) = range(text, &node);
            Ok(format!("{}{formatted}{}", &text[..a], &text[b..]))
        }
        _ => Err(unsupported(path, &node)),
    }
}

/// Adds `key: value` to the mapping at `map_path` (`""` is the top level), before the existing
/// key `before` when given, else after the last entry. A mapping written as nothing, `~`, `null`
/// or `{}` becomes a block mapping holding the new entry.
pub(crate) fn insert_entry(
    text: &str,
    map_path: &str,
    key: &str,
    value: &Fragment,
    before: Option<&str>,
) -> Result<String, EditError> {
    let loc = Locator::new(text);
    let node = loc
        .node(map_path)
        .ok_or_else(|| EditError::NotFound(map_path.to_string()))?;
    let child = |k: &str| join(map_path, k);
    match node.kind {
        NodeKind::Map { flow: false } if !loc.entries(map_path).unwrap_or(&[]).is_empty() => {
            let first = &loc.entries(map_path).unwrap_or(&[])[0];
            let first_pos = loc
                .key_exact(&child(first))
                .ok_or_else(|| EditError::NotFound(child(first)))?;
            let indent = first_pos.column - 1;
            let lines = render_entry(key, value, indent);
            let line = match before.and_then(|b| loc.key_exact(&child(b))) {
                Some(p) => p.line,
                None => node.end.line + 1,
            };
            Ok(insert_lines(text, line, &lines))
        }
        _ if is_empty_value(text, &node) => {
            // `key:` / `key: ~` / `key: {}` — the new entries go on the lines below the key.
            let key_pos = if map_path.is_empty() {
                None
            } else {
                Some(
                    loc.key_exact(map_path)
                        .ok_or_else(|| EditError::NotFound(map_path.to_string()))?,
                )
            };
            let (text, indent, line) = match key_pos {
                None => (text.to_string(), 0, usize::MAX),
                Some(kp) => {
                    let cleared = clear_value(text, &node);
                    (cleared, kp.column - 1 + 2, kp.line + 1)
                }
            };
            Ok(insert_lines(&text, line, &render_entry(key, value, indent)))
        }
        _ => Err(unsupported(map_path, &node)),
    }
}

/// Appends `item` to the block sequence at `seq_path`.
pub(crate) fn append_item(
    text: &str,
    seq_path: &str,
    item: &Fragment,
) -> Result<String, EditError> {
    let loc = Locator::new(text);
    let node = loc
        .node(seq_path)
        .ok_or_else(|| EditError::NotFound(seq_path.to_string()))?;
    match node.kind {
        NodeKind::Seq { flow: false } => {
            let first = loc
                .node(&format!("{seq_path}[0]"))
                .ok_or_else(|| EditError::NotFound(seq_path.to_string()))?;
            // The dash of the first item sets the indentation of the new one.
            let line_text = text.lines().nth(first.start.line - 1).unwrap_or("");
            let before_item: String = line_text.chars().take(first.start.column - 1).collect();
            let indent = before_item
                .rfind('-')
                .map_or(first.start.column.saturating_sub(3), |i| {
                    before_item[..i].chars().count()
                });
            let lines = render_item(item, indent);
            Ok(insert_lines(text, node.end.line + 1, &lines))
        }
        _ if is_empty_value(text, &node) => {
            let kp = loc
                .key_exact(seq_path)
                .ok_or_else(|| EditError::NotFound(seq_path.to_string()))?;
            let cleared = clear_value(text, &node);
            Ok(insert_lines(
                &cleared,
                kp.line + 1,
                &render_item(item, kp.column - 1 + 2),
            ))
        }
        _ => Err(unsupported(seq_path, &node)),
    }
}

fn unsupported(path: &str, node: &Node) -> EditError {
    EditError::Unsupported {
        path: path.to_string(),
        position: node.start,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn range(text: &str, node: &Node) -> (usize, usize) {
    (byte_offset(text, node.start), byte_offset(text, node.end))
}

/// Nothing, `~`, `null`, `{}` or `[]`.
fn is_empty_value(text: &str, node: &Node) -> bool {
    let (a, b) = range(text, node);
    match node.kind {
        NodeKind::Scalar {
            style: ScalarKind::Plain,
            ..
        } => matches!(text[a..b].trim(), "" | "~" | "null" | "Null" | "NULL"),
        NodeKind::Map { flow: true } | NodeKind::Seq { flow: true } => {
            let inner = text[a..b].trim();
            inner.len() == 2
        }
        _ => false,
    }
}

/// Removes an empty value (`~`, `{}`) from its line, with the spaces before it when nothing but
/// a comment follows.
fn clear_value(text: &str, node: &Node) -> String {
    let (a, b) = range(text, node);
    let head = &text[..a];
    let tail = &text[b..];
    let rest_of_line = tail.split('\n').next().unwrap_or("");
    if rest_of_line.trim().is_empty() {
        format!("{}{}", head.trim_end_matches(' '), tail)
    } else if rest_of_line.trim_start().starts_with('#') {
        format!("{head}{}", tail.trim_start_matches(' '))
    } else {
        format!("{head}{tail}")
    }
}

/// Inserts whole lines before line `line` (1-based); past the end, appends them.
fn insert_lines(text: &str, line: usize, lines: &[String]) -> String {
    let block: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let offset = if line <= 1 {
        0
    } else {
        let mut seen = 1;
        let mut found = None;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                seen += 1;
                if seen == line {
                    found = Some(i + 1);
                    break;
                }
            }
        }
        found.unwrap_or(text.len())
    };
    let mut out = String::with_capacity(text.len() + block.len() + 1);
    out.push_str(&text[..offset]);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&block);
    out.push_str(&text[offset..]);
    out
}

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

fn render_entry(key: &str, value: &Fragment, indent: usize) -> Vec<String> {
    let key = format_scalar(key);
    match value {
        Fragment::Scalar(s) => vec![format!("{}{key}: {s}", pad(indent))],
        Fragment::Map(entries) => {
            let mut lines = vec![format!("{}{key}:", pad(indent))];
            for (k, v) in entries {
                lines.extend(render_entry(k, v, indent + 2));
            }
            lines
        }
        Fragment::Seq(items) => {
            let mut lines = vec![format!("{}{key}:", pad(indent))];
            for item in items {
                lines.extend(render_item(item, indent + 2));
            }
            lines
        }
    }
}

/// `- value`; a mapping item has its first entry on the dash's line.
fn render_item(item: &Fragment, indent: usize) -> Vec<String> {
    match item {
        Fragment::Scalar(s) => vec![format!("{}- {s}", pad(indent))],
        Fragment::Map(entries) => {
            let mut lines = Vec::new();
            for (k, v) in entries {
                lines.extend(render_entry(k, v, indent + 2));
            }
            if let Some(first) = lines.first_mut() {
                first.replace_range(indent..indent + 2, "- ");
            }
            lines
        }
        Fragment::Seq(items) => {
            let mut lines = Vec::new();
            for i in items {
                lines.extend(render_item(i, indent + 2));
            }
            if let Some(first) = lines.first_mut() {
                first.replace_range(indent..indent + 2, "- ");
            }
            lines
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEASURE: &str = "\
id: \"01-01\"   # 施策ID
kpis:
  - indicator: 月間利用金額
    target:
      R4: 30,000千円
      R5: 35,000千円 # 見直し前
    actual:
      R4: 40,529千円
      R6: \"33,474千円\"
    notes: |
      備考です。

  - indicator: 件数
    actual:
# 最後のコメント
";

    #[test]
    fn replacing_a_scalar_keeps_comments_and_quotes_only_when_needed() {
        let out =
            replace_scalar(MEASURE, "kpis[0].target.R5", &format_scalar("36,000千円")).unwrap();
        assert!(out.contains("      R5: 36,000千円 # 見直し前\n"), "{out}");
        let out = replace_scalar(&out, "kpis[0].actual.R6", &format_scalar("-")).unwrap();
        assert!(out.contains("      R6: \"-\"\n"), "{out}");
        // Everything else is unchanged.
        assert_eq!(
            out.replace("36,000千円", "35,000千円")
                .replace("\"-\"", "\"33,474千円\""),
            MEASURE
        );
    }

    #[test]
    fn inserting_a_year_goes_in_order_or_at_the_end_of_the_block() {
        let v = Fragment::text("62,588千円");
        let out = insert_entry(MEASURE, "kpis[0].actual", "R5", &v, Some("R6")).unwrap();
        assert!(
            out.contains("      R4: 40,529千円\n      R5: 62,588千円\n      R6: \"33,474千円\"\n"),
            "{out}"
        );
        let out = insert_entry(MEASURE, "kpis[0].actual", "R7", &v, None).unwrap();
        assert!(
            out.contains("      R6: \"33,474千円\"\n      R7: 62,588千円\n    notes: |"),
            "{out}"
        );
    }

    #[test]
    fn an_empty_mapping_receives_a_block_and_a_missing_key_is_added_after_a_block_scalar() {
        let out = insert_entry(
            MEASURE,
            "kpis[1].actual",
            "R4",
            &Fragment::text("3件"),
            None,
        )
        .unwrap();
        assert!(
            out.contains("    actual:\n      R4: 3件\n# 最後のコメント\n"),
            "{out}"
        );
        let target = Fragment::Map(vec![("R4".into(), Fragment::text("10件"))]);
        let out =
            insert_entry(MEASURE, "kpis[0]", "baseline", &Fragment::text("5件"), None).unwrap();
        assert!(
            out.contains("      備考です。\n    baseline: 5件\n\n  - indicator: 件数"),
            "{out}"
        );
        let out = insert_entry(
            "a:\n  b: {}  # c\n",
            "a.b",
            "R4",
            &Fragment::text("x"),
            None,
        )
        .unwrap();
        assert_eq!(out, "a:\n  b: # c\n    R4: x\n");
        let out = insert_entry(
            "kpis:\n  - indicator: x\n",
            "kpis[0]",
            "target",
            &target,
            None,
        )
        .unwrap();
        assert_eq!(
            out,
            "kpis:\n  - indicator: x\n    target:\n      R4: 10件\n"
        );
    }

    #[test]
    fn items_are_appended_with_the_dash_of_their_siblings() {
        let item = Fragment::Map(vec![
            ("indicator".into(), Fragment::text("新しい指標")),
            (
                "target".into(),
                Fragment::Map(vec![("R4".into(), Fragment::text("1件"))]),
            ),
        ]);
        let out = append_item(MEASURE, "kpis", &item).unwrap();
        assert!(
            out.ends_with("    actual:\n  - indicator: 新しい指標\n    target:\n      R4: 1件\n# 最後のコメント\n"),
            "{out}"
        );
        let out = append_item("kpis:\n- a\n", "kpis", &Fragment::text("b")).unwrap();
        assert_eq!(out, "kpis:\n- a\n- b\n");
        let out = append_item("id: x\nkpis: []\n", "kpis", &Fragment::text("b")).unwrap();
        assert_eq!(out, "id: x\nkpis:\n  - b\n");
    }

    #[test]
    fn styles_that_cannot_be_edited_safely_are_refused() {
        let text = "a:\n  R4: {value: 3}\n  R5: |\n    x\n  m: {R4: 1}\n";
        assert!(matches!(
            replace_scalar(text, "a.R4", "1"),
            Err(EditError::Unsupported { .. })
        ));
        assert!(matches!(
            replace_scalar(text, "a.R5", "1"),
            Err(EditError::Unsupported { .. })
        ));
        assert!(matches!(
            insert_entry(text, "a.m", "R5", &Fragment::text("2"), None),
            Err(EditError::Unsupported { .. })
        ));
        assert_eq!(
            replace_scalar(text, "a.R9", "1"),
            Err(EditError::NotFound("a.R9".into()))
        );
    }

    #[test]
    fn text_without_final_newline_still_gets_whole_lines() {
        let out = insert_entry("a:\n  R4: 1", "a", "R5", &Fragment::text("2件"), None).unwrap();
        assert_eq!(out, "a:\n  R4: 1\n  R5: 2件\n");
    }
}
