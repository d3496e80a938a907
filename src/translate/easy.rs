//! Furigana in the やさしい日本語 tree, from the readings the content already has: the
//! glossary's (`reading:` of each term written with kanji), the plan's department readings
//! and the site's dictionary (`readings:` in config.yaml). Titles get them in their
//! `title_ruby`, Markdown in its source, department names in
//! [`crate::model::Site::department_name_ruby`]. A word the author already wrote with ruby
//! keeps the author's; the Japanese tree never gets any of this. No reading is guessed
//! (docs/languages.md).

use aho_corasick::AhoCorasick;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::glossary::collate::has_kanji;
use crate::model::Site;
use crate::ruby::{self, Readings};

/// The readings the tree's texts get: the site's dictionary, then the departments', then the
/// glossary's (a later source wins for the same word: the plan's own readings are the more
/// specific).
pub(super) fn readings(site: &Site) -> Readings {
    let mut readings = site.config.readings.clone();
    readings.extend(
        (site.plan.department_readings.iter())
            .filter(|(name, _)| has_kanji(name))
            .map(|(name, reading)| (name.clone(), reading.clone())),
    );
    for term in &site.glossary {
        // The entry's Japanese name: the term itself or, when the tree renamed it, the first
        // alias (crate::translate keeps it there).
        let japanese = match site.translated.has(&format!("term.{}.term", term.anchor)) {
            true => term.aliases.first().unwrap_or(&term.term),
            false => &term.term,
        };
        if let (Some(reading), true) = (&term.reading, has_kanji(japanese)) {
            readings.insert(japanese.clone(), reading.clone());
        }
    }
    readings
}

/// The readings with a matcher of their words, built once per tree: most texts hold none of
/// the words, and are then passed over without [`ruby::annotate`] building its own.
pub(crate) struct Words {
    readings: Readings,
    matcher: Option<AhoCorasick>,
}

impl Words {
    pub(crate) fn new(readings: Readings) -> Words {
        let matcher = AhoCorasick::new(readings.keys()).ok();
        Words { readings, matcher }
    }

    /// `text` (YAML text or one Markdown text event) with furigana added.
    fn annotate(&self, text: &str) -> String {
        match &self.matcher {
            Some(m) if m.is_match(text) => ruby::annotate(text, &self.readings),
            _ => text.to_string(),
        }
    }
}

/// Adds furigana to the texts of one plan of the やさしい日本語 tree.
pub(super) fn annotate_site(site: &mut Site) {
    let readings = readings(site);
    if readings.is_empty() {
        return;
    }
    let readings = Words::new(readings);
    let plan = &mut site.plan;
    if let Some(p) = &mut plan.philosophy {
        *p = annotate_markdown(p, &readings);
    }
    for policy in &mut plan.policies {
        policy.title_ruby = title_ruby(&policy.title, policy.title_ruby.as_deref(), &readings);
        policy.summary = annotate_markdown(&policy.summary, &readings);
    }
    for m in &mut site.measures {
        m.title_ruby = title_ruby(&m.title, m.title_ruby.as_deref(), &readings);
        for (_, text) in &mut m.sections.0 {
            *text = annotate_markdown(text, &readings);
        }
        for kpi in &mut m.kpis {
            if let Some(notes) = &mut kpi.notes {
                *notes = annotate_markdown(notes, &readings);
            }
        }
    }
    for page in &mut site.pages {
        page.body = annotate_markdown(&page.body, &readings);
    }
    for term in &mut site.glossary {
        term.explanation = annotate_markdown(&term.explanation, &readings);
    }
    let mut names: Vec<String> = site.plan.department_readings.keys().cloned().collect();
    for m in &site.measures {
        names.extend(m.responsible().map(str::to_string));
        names.extend(m.related_departments.iter().map(|r| r.name.clone()));
    }
    names.extend(site.activity.iter().filter_map(|a| a.department.clone()));
    names.sort();
    names.dedup();
    for name in names {
        let written = match site.department_ruby.get(&name) {
            Some(ruby) => ruby.clone(),
            None => site.department_name(&name).to_string(),
        };
        let annotated = readings.annotate(&written);
        if annotated != ruby::base_text(&annotated) {
            site.department_ruby.insert(name, annotated);
        }
    }
}

/// A title's `title_ruby` with furigana added; `None` when it still has none.
fn title_ruby(title: &str, written: Option<&str>, readings: &Words) -> Option<String> {
    let annotated = readings.annotate(written.unwrap_or(title));
    (ruby::base_text(&annotated) != annotated).then_some(annotated)
}

/// `source` (Markdown) with furigana added to the words of its text: only text as written
/// (not code, not link targets, not HTML, not an image's description, not a text holding a
/// character reference), and inside a table with `\|`, which is how ruby is written there.
pub(crate) fn annotate_markdown(source: &str, readings: &Words) -> String {
    let mut out = String::with_capacity(source.len() + 32);
    let mut copied = 0;
    let (mut code, mut image, mut table) = (0usize, 0usize, 0usize);
    for (event, range) in Parser::new_ext(source, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image = image.saturating_sub(1),
            Event::Start(Tag::Table(_)) => table += 1,
            Event::End(TagEnd::Table) => table = table.saturating_sub(1),
            Event::Text(text) if code == 0 && image == 0 => {
                if range.start < copied || source[range.clone()] != *text {
                    continue;
                }
                let mut annotated = readings.annotate(&text);
                if annotated == *text {
                    continue;
                }
                if table > 0 {
                    // Text as written in a cell has no `|` (it would end the cell): every
                    // one now is a ruby's.
                    annotated = annotated.replace('|', "\\|");
                }
                out.push_str(&source[copied..range.start]);
                out.push_str(&annotated);
                copied = range.end;
            }
            _ => {}
        }
    }
    out.push_str(&source[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings() -> Words {
        Words::new(
            [
                ("木更津", "きさらづ"),
                ("情報政策課", "じょうほうせいさくか"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        )
    }

    #[test]
    fn only_text_as_written_gets_furigana() {
        let r = readings();
        assert_eq!(
            annotate_markdown(
                "木更津の[木更津](https://example.jp/木更津)と`木更津`\n",
                &r
            ),
            "{木更津|きさらづ}の[{木更津|きさらづ}](https://example.jp/木更津)と`木更津`\n"
        );
        assert_eq!(
            annotate_markdown("```\n木更津\n```\n\n![木更津](a.png)\n", &r),
            "```\n木更津\n```\n\n![木更津](a.png)\n"
        );
        // The author's ruby stays as written.
        assert_eq!(
            annotate_markdown("{木更津|きさらず}と木更津", &r),
            "{木更津|きさらず}と{木更津|きさらづ}"
        );
    }

    #[test]
    fn ruby_in_a_table_is_written_with_an_escaped_bar() {
        let r = readings();
        let annotated = annotate_markdown("| 課 |\n| --- |\n| 情報政策課 |\n", &r);
        assert_eq!(
            annotated,
            "| 課 |\n| --- |\n| {情報政策課\\|じょうほうせいさくか} |\n"
        );
        let html = crate::markdown::to_html(&annotated, 2, Default::default());
        assert!(html.contains("<ruby>情報政策課"), "{html}");
        assert_eq!(html.matches("<td>").count(), 1, "{html}");
    }
}
