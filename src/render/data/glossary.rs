//! The glossary (用語の説明) and its aliases, one alias per row.

use super::table::{Field, ForeignKey, Kind, Rows, Source, Table, Value};
use crate::model::Site;

pub(super) fn glossary() -> Table {
    Table {
        name: "glossary",
        title: "用語の説明",
        description: "計画に出てくる用語と説明。1行が1用語",
        fields: vec![
            Field::new("term", "用語", Kind::String, "用語").required(),
            Field::new(
                "reading",
                "よみがな",
                Kind::String,
                "用語の読み（記載がある場合）",
            ),
            Field::new(
                "explanation",
                "説明",
                Kind::String,
                "用語の説明（書式なしの1行の文章）",
            )
            .required(),
            Field::new(
                "explanation_markdown",
                "説明（Markdown）",
                Kind::String,
                "用語の説明の Markdown（用語へのリンク [IT](用語:) などを含む。JSON のみ）",
            )
            .required()
            .json_only(),
        ],
        primary_key: &["term"],
        foreign_keys: Vec::new(),
        source: Source::Site(term_rows),
        published: None,
    }
}

fn term_rows(site: &Site, rows: &mut Rows) {
    for term in &site.glossary {
        rows.push(&[
            Value::str(&term.term),
            Value::text(term.reading.as_deref()),
            Value::string(super::text::plain_text(&term.explanation)),
            Value::markdown(Some(&term.explanation)),
        ]);
    }
}

pub(super) fn glossary_aliases() -> Table {
    Table {
        name: "glossary_aliases",
        title: "用語の別名",
        description: "用語の別の書き方（略語・言い換え）。1行が1別名",
        fields: vec![
            Field::new("term", "用語", Kind::String, "glossary.csv の用語").required(),
            Field::new("alias", "別名", Kind::String, "同じものを指す別の書き方").required(),
        ],
        primary_key: &["term", "alias"],
        foreign_keys: vec![ForeignKey {
            fields: &["term"],
            table: "glossary",
            reference: &["term"],
        }],
        source: Source::Site(alias_rows),
        published: None,
    }
}

fn alias_rows(site: &Site, rows: &mut Rows) {
    for term in &site.glossary {
        let mut aliases: Vec<&str> = term.aliases.iter().map(|a| a.trim()).collect();
        aliases.sort_unstable();
        aliases.dedup();
        for a in aliases.into_iter().filter(|a| !a.is_empty()) {
            rows.push(&[Value::str(&term.term), Value::str(a)]);
        }
    }
}
