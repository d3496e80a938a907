//! The glossary (用語の説明) and its aliases, one alias per row.

use super::table::{Field, ForeignKey, Kind, Table, Value};
use crate::model::Site;

pub fn glossary(site: &Site) -> Table {
    let mut t = Table {
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
                "用語の説明（Markdown）",
            )
            .required(),
        ],
        primary_key: &["term"],
        foreign_keys: Vec::new(),
        rows: Vec::new(),
    };
    for term in &site.glossary {
        t.push(vec![
            Value::Text(term.term.clone()),
            Value::text(term.reading.as_deref()),
            Value::Text(term.explanation.trim().to_string()),
        ]);
    }
    t
}

pub fn glossary_aliases(site: &Site) -> Table {
    let mut t = Table {
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
        rows: Vec::new(),
    };
    for term in &site.glossary {
        let mut aliases: Vec<&str> = term.aliases.iter().map(|a| a.trim()).collect();
        aliases.sort_unstable();
        aliases.dedup();
        for a in aliases.into_iter().filter(|a| !a.is_empty()) {
            t.push(vec![
                Value::Text(term.term.clone()),
                Value::Text(a.to_string()),
            ]);
        }
    }
    t
}
