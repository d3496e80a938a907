//! Limits on what a file *says*, checked as soon as it is parsed: the length of each text and
//! the number of KPIs in a measure. The file size limit bounds a file, but not what it becomes:
//! a measure title is written on every page that lists the measure, each KPI becomes a table
//! and a chart, so a 9 MB title made 209 MB of output and 5,000 KPIs a 38 MB page. Over a
//! limit, the error is located at the value (file, line, column, field) and the file is kept,
//! so that validation still reports everything else; the build stops because of the error.
//!
//! Two lengths: a *title* is a one-line label that pages repeat (titles, names, departments,
//! indicators, units, task names, glossary terms); a *text* is a paragraph or Markdown
//! (sections, summaries, notes, explanations). A page's Markdown body is bounded by the file
//! size alone: it is written once, on its own page.

use std::cell::OnceCell;

use super::limits::{group_digits, Limits};
use super::page::{split_front_matter, FrontMatter, RawPage};
use super::raw::{
    RawActivity, RawConfig, RawGlossary, RawIndicator, RawKpi, RawMeasure, RawPlan, YearMap,
};
use super::yaml::Locator;
use super::{Parsed, SourceFile};
use crate::diagnostics::{Code, Diagnostics, Position};
use crate::kpi::cell::CellInput;

/// A parsed file whose contents are checked against [`Limits`].
pub(crate) trait Bounded {
    /// Pushes an error for every text over its length limit and for too many KPIs.
    fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics);
}

/// Which length limit a field is under.
#[derive(Clone, Copy)]
enum Length {
    Title,
    Text,
}

/// One file being checked; its locator is built only when a value is over a limit.
struct Check<'a> {
    file: &'a SourceFile,
    limits: &'a Limits,
    /// A Markdown page: paths are in its front matter, positions in the whole file.
    page: bool,
    locator: OnceCell<Option<Locator>>,
    diags: &'a mut Diagnostics,
}

impl<'a> Check<'a> {
    fn new(file: &'a SourceFile, limits: &'a Limits, diags: &'a mut Diagnostics) -> Self {
        Check {
            file,
            limits,
            page: false,
            locator: OnceCell::new(),
            diags,
        }
    }

    fn position(&self, path: &str) -> Option<Position> {
        let locator = self.locator.get_or_init(|| {
            if self.page {
                split_front_matter(&self.file.text)
                    .ok()
                    .map(|f| Locator::new(f.yaml))
            } else {
                Some(self.file.locator())
            }
        });
        let at = locator.as_ref()?.value(path)?;
        Some(if self.page {
            FrontMatter::file_position(at)
        } else {
            at
        })
    }

    /// Checks one text; `path` (`kpis[2].notes`) is only built for an error.
    fn text(&mut self, length: Length, value: &str, path: impl FnOnce() -> String) {
        let (max, key) = match length {
            Length::Title => (self.limits.max_title_chars, "max_title_chars"),
            Length::Text => (self.limits.max_text_chars, "max_text_chars"),
        };
        // A character is at least one byte: most texts are judged without counting.
        if value.len() <= max {
            return;
        }
        // Counted as shown: without the line break a block scalar (`|`) ends with, or the
        // spaces around a title, which validation trims.
        let chars = value.trim().chars().count();
        if chars <= max {
            return;
        }
        let path = path();
        let d = self
            .file
            .diagnostic(
                Code::TextTooLong,
                format!(
                    "文が長すぎます（{}文字、上限 {}文字）（text too long）",
                    group_digits(chars as u64),
                    group_digits(max as u64)
                ),
            )
            .at(self.position(&path))
            .field(path)
            .hint(format!(
                "短くしてください。本当に必要なら config.yaml の limits: {key}: を増やしてください"
            ));
        self.diags.push(d);
    }

    fn optional(&mut self, length: Length, value: &Option<String>, path: impl FnOnce() -> String) {
        if let Some(v) = value {
            self.text(length, v, path);
        }
    }

    fn cell(&mut self, cell: &CellInput, path: &str) {
        match cell {
            CellInput::Text(s) => self.text(Length::Text, s, || path.to_string()),
            CellInput::Structured(s) => {
                self.optional(Length::Title, &s.unit, || format!("{path}.unit"));
                self.optional(Length::Text, &s.note, || format!("{path}.note"));
                self.optional(Length::Text, &s.text, || format!("{path}.text"));
            }
            CellInput::Number(_) | CellInput::Blank => {}
        }
    }

    fn cells(&mut self, map: &YearMap<CellInput>, base: &str) {
        for (year, cell) in &map.0 {
            self.cell(cell, &format!("{base}.{year}"));
        }
    }

    fn kpi(&mut self, i: usize, k: &RawKpi) {
        let base = format!("kpis[{i}]");
        match &k.indicator {
            RawIndicator::Same(t) => self.text(Length::Title, t, || format!("{base}.indicator")),
            RawIndicator::PerYear(map) => {
                for (year, t) in &map.0 {
                    self.text(Length::Title, t, || format!("{base}.indicator.{year}"));
                }
            }
        }
        self.optional(Length::Title, &k.unit, || format!("{base}.unit"));
        self.optional(Length::Text, &k.notes, || format!("{base}.notes"));
        if let Some(b) = &k.baseline {
            self.cell(b, &format!("{base}.baseline"));
        }
        self.cells(&k.target, &format!("{base}.target"));
        self.cells(&k.actual, &format!("{base}.actual"));
        for (j, r) in k.revisions.iter().enumerate() {
            self.text(Length::Title, &r.revision, || {
                format!("{base}.revisions[{j}].revision")
            });
            self.optional(Length::Text, &r.reason, || {
                format!("{base}.revisions[{j}].reason")
            });
            self.cells(&r.before, &format!("{base}.revisions[{j}].before"));
        }
    }
}

/// Translation files: their texts are under the same limits as the originals'.
mod translations {
    use super::{Bounded, Check, Length};
    use crate::diagnostics::Diagnostics;
    use crate::load::limits::Limits;
    use crate::load::translation::{
        RawConfigText, RawGlossaryText, RawMeasureText, RawPageText, RawPlanText,
    };
    use crate::load::Parsed;

    impl Bounded for Parsed<RawConfigText> {
        fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
            let mut c = Check::new(&self.file, limits, diags);
            let v = &self.value;
            c.optional(Length::Title, &v.title, || "title".into());
            c.optional(Length::Title, &v.city, || "city".into());
            let contact = v.contact.as_ref().and_then(|n| n.name.clone());
            c.optional(Length::Title, &contact, || "contact.name".into());
            let license = v.data_license.as_ref().and_then(|n| n.name.clone());
            c.optional(Length::Title, &license, || "data_license.name".into());
        }
    }

    impl Bounded for Parsed<RawPlanText> {
        fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
            let mut c = Check::new(&self.file, limits, diags);
            let v = &self.value;
            c.optional(Length::Title, &v.title, || "title".into());
            c.optional(Length::Title, &v.revision, || "revision".into());
            c.optional(Length::Text, &v.philosophy, || "philosophy".into());
            for (i, p) in v.policies.iter().enumerate() {
                c.optional(Length::Title, &p.title, || format!("policies[{i}].title"));
                c.optional(Length::Text, &p.summary, || {
                    format!("policies[{i}].summary")
                });
            }
            for (i, s) in v.sections.iter().enumerate() {
                c.optional(Length::Title, &s.heading, || {
                    format!("sections[{i}].heading")
                });
            }
            for (name, translated) in &v.departments {
                c.optional(Length::Title, translated, || format!("departments.{name}"));
            }
        }
    }

    impl Bounded for Parsed<RawMeasureText> {
        fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
            let mut c = Check::new(&self.file, limits, diags);
            let v = &self.value;
            c.optional(Length::Title, &v.title, || "title".into());
            for (key, text) in &v.sections.0 {
                c.optional(Length::Text, text, || format!("sections.{key}"));
            }
            for (i, t) in v.schedule.iter().enumerate() {
                c.optional(Length::Title, &t.task, || format!("schedule[{i}].task"));
            }
            for (i, k) in v.kpis.iter().enumerate() {
                c.optional(Length::Title, &k.indicator, || {
                    format!("kpis[{i}].indicator")
                });
                c.optional(Length::Text, &k.notes, || format!("kpis[{i}].notes"));
            }
        }
    }

    impl Bounded for Parsed<RawGlossaryText> {
        fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
            let mut c = Check::new(&self.file, limits, diags);
            for (i, t) in self.value.terms.iter().enumerate() {
                c.optional(Length::Title, &t.term, || format!("terms[{i}].term"));
                c.optional(Length::Title, &t.name, || format!("terms[{i}].name"));
                c.optional(Length::Text, &t.explanation, || {
                    format!("terms[{i}].explanation")
                });
            }
        }
    }

    impl Bounded for Parsed<RawPageText> {
        fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
            let mut c = Check::new(&self.file, limits, diags);
            c.page = true;
            let front = &self.value.front;
            c.optional(Length::Title, &front.title, || "title".into());
            c.optional(Length::Text, &front.description, || "description".into());
        }
    }
}

impl Bounded for Parsed<RawConfig> {
    fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
        let mut c = Check::new(&self.file, limits, diags);
        let v = &self.value;
        c.text(Length::Title, &v.title, || "title".into());
        c.text(Length::Title, &v.city, || "city".into());
        if let Some(contact) = &v.contact {
            c.text(Length::Title, &contact.name, || "contact.name".into());
            c.optional(Length::Title, &contact.email, || "contact.email".into());
            c.optional(Length::Title, &contact.phone, || "contact.phone".into());
        }
        if let Some(license) = &v.data_license {
            c.text(Length::Title, &license.name, || "data_license.name".into());
        }
        for (i, s) in v.progress_statuses.iter().enumerate() {
            c.text(Length::Title, &s.label, || {
                format!("progress_statuses[{i}].label")
            });
            c.optional(Length::Title, &s.icon, || {
                format!("progress_statuses[{i}].icon")
            });
        }
        if let Some(a) = &v.achievement {
            c.optional(Length::Title, &a.near_label, || {
                "achievement.near_label".into()
            });
        }
    }
}

impl Bounded for Parsed<RawPlan> {
    fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
        let mut c = Check::new(&self.file, limits, diags);
        let v = &self.value;
        c.text(Length::Title, &v.title, || "title".into());
        c.optional(Length::Title, &v.revision, || "revision".into());
        c.optional(Length::Text, &v.philosophy, || "philosophy".into());
        for (i, s) in v.sections.iter().flatten().enumerate() {
            c.text(Length::Title, &s.heading, || {
                format!("sections[{i}].heading")
            });
        }
        for (i, d) in v.departments.iter().enumerate() {
            c.text(Length::Title, &d.name, || format!("departments[{i}].name"));
            c.optional(Length::Title, &d.reading, || {
                format!("departments[{i}].reading")
            });
        }
        for (i, p) in v.policies.iter().enumerate() {
            c.text(Length::Title, &p.title, || format!("policies[{i}].title"));
            c.optional(Length::Text, &p.summary, || {
                format!("policies[{i}].summary")
            });
        }
    }
}

impl Bounded for Parsed<RawMeasure> {
    fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
        let v = &self.value;
        if v.kpis.len() > limits.max_kpis_per_measure {
            let max = limits.max_kpis_per_measure;
            let path = format!("kpis[{max}]");
            let at = self.file.locator().value(&path);
            diags.push(
                self.file
                    .diagnostic(
                        Code::TooManyKpis,
                        format!(
                            "KPI が多すぎます（{}件、上限 {}件）（too many KPIs）",
                            group_digits(v.kpis.len() as u64),
                            group_digits(max as u64)
                        ),
                    )
                    .at(at)
                    .field(path)
                    .hint("施策を分けるか、本当に必要なら config.yaml の limits: max_kpis_per_measure: を増やしてください"),
            );
        }
        let mut c = Check::new(&self.file, limits, diags);
        c.text(Length::Title, &v.title, || "title".into());
        c.optional(Length::Title, &v.lead_department, || {
            "lead_department".into()
        });
        for (i, d) in v.departments.iter().enumerate() {
            c.text(Length::Title, d, || format!("departments[{i}]"));
        }
        for (i, r) in v.related_departments.iter().enumerate() {
            c.text(Length::Title, &r.name, || {
                format!("related_departments[{i}].name")
            });
            c.optional(Length::Text, &r.note, || {
                format!("related_departments[{i}].note")
            });
        }
        if let Some(l) = &v.lifecycle {
            c.optional(Length::Text, &l.note, || "lifecycle.note".into());
        }
        for (key, text) in &v.sections.0 {
            c.optional(Length::Text, text, || format!("sections.{key}"));
        }
        for (i, t) in v.schedule.iter().enumerate() {
            c.text(Length::Title, &t.task, || format!("schedule[{i}].task"));
        }
        for (i, k) in v.kpis.iter().enumerate() {
            c.kpi(i, k);
        }
    }
}

impl Bounded for Parsed<RawGlossary> {
    fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
        let mut c = Check::new(&self.file, limits, diags);
        for (i, t) in self.value.terms.iter().enumerate() {
            c.text(Length::Title, &t.term, || format!("terms[{i}].term"));
            c.optional(Length::Title, &t.reading, || format!("terms[{i}].reading"));
            for (j, a) in t.aliases.iter().enumerate() {
                c.text(Length::Title, a, || format!("terms[{i}].aliases[{j}]"));
            }
            for (j, r) in t.related.iter().enumerate() {
                c.text(Length::Title, r, || format!("terms[{i}].related[{j}]"));
            }
            c.text(Length::Text, &t.explanation, || {
                format!("terms[{i}].explanation")
            });
            c.optional(Length::Text, &t.source, || format!("terms[{i}].source"));
        }
    }
}

impl Bounded for RawPage {
    fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
        let mut c = Check::new(&self.file, limits, diags);
        c.page = true;
        c.text(Length::Title, &self.front.title, || "title".into());
        c.optional(Length::Text, &self.front.description, || {
            "description".into()
        });
    }
}

impl Bounded for Parsed<RawActivity> {
    fn check_bounds(&self, limits: &Limits, diags: &mut Diagnostics) {
        let mut c = Check::new(&self.file, limits, diags);
        let v = &self.value;
        c.optional(Length::Title, &v.department, || "department".into());
        c.optional(Length::Title, &v.contact, || "contact".into());
        c.optional(Length::Title, &v.staff, || "staff".into());
        c.text(Length::Text, &v.goal, || "goal".into());
        for (i, t) in v.tasks.iter().enumerate() {
            c.text(Length::Title, &t.task, || format!("tasks[{i}].task"));
            for (quarter, work) in &t.quarters.0 {
                for (j, w) in work.0.iter().enumerate() {
                    c.text(Length::Text, w, || {
                        format!("tasks[{i}].quarters.{quarter}[{j}]")
                    });
                }
            }
            c.optional(Length::Title, &t.progress, || {
                format!("tasks[{i}].progress")
            });
            c.optional(Length::Text, &t.countermeasures, || {
                format!("tasks[{i}].countermeasures")
            });
        }
        if let Some(b) = &v.budget {
            c.optional(Length::Text, &b.details, || "budget.details".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_yaml;
    use std::sync::Arc;

    fn check<T>(path: &str, text: &str, limits: Limits) -> Vec<(Code, Option<String>, usize)>
    where
        Parsed<T>: Bounded,
        T: serde::de::DeserializeOwned,
    {
        let file = SourceFile {
            path: path.into(),
            text: Arc::from(text),
        };
        let mut diags = Diagnostics::default();
        let parsed: Parsed<T> = parse_yaml(file, &mut diags).expect("parses");
        parsed.check_bounds(&limits, &mut diags);
        diags
            .iter()
            .map(|d| (d.code, d.field.clone(), d.position.map_or(0, |p| p.line)))
            .collect()
    }

    const MEASURE: &str =
        "id: 01-01\ntitle: 窓口のデジタル化\npolicy: 1\nlead_department: 情報課\n";

    #[test]
    fn long_texts_are_located_at_their_field() {
        let limits = Limits {
            max_title_chars: 7,
            max_text_chars: 20,
            ..Limits::default()
        };
        let text = format!(
            "{MEASURE}sections:\n  details: |\n    {}\nkpis:\n  - indicator: 利用者数\n    unit: 人\n    actual:\n      R4: {{ value: 1, note: {} }}\n",
            "あ".repeat(21),
            "い".repeat(21)
        );
        let found = check::<RawMeasure>("m.yaml", &text, limits);
        assert_eq!(
            found,
            vec![
                (Code::TextTooLong, Some("title".into()), 2),
                (Code::TextTooLong, Some("sections.details".into()), 7),
                (Code::TextTooLong, Some("kpis[0].actual.R4.note".into()), 12),
            ]
        );
        // The title has 8 characters (24 bytes): characters are counted, and the limit itself
        // is allowed.
        let with_title = |max_title_chars| Limits {
            max_title_chars,
            ..Limits::default()
        };
        assert!(check::<RawMeasure>("m.yaml", MEASURE, with_title(8)).is_empty());
    }

    #[test]
    fn too_many_kpis_point_at_the_first_one_past_the_limit() {
        let kpis: String = (0..4)
            .map(|i| format!("  - indicator: 指標{i}\n"))
            .collect();
        let text = format!("{MEASURE}kpis:\n{kpis}");
        let limits = Limits {
            max_kpis_per_measure: 3,
            ..Limits::default()
        };
        assert_eq!(
            check::<RawMeasure>("m.yaml", &text, limits),
            vec![(Code::TooManyKpis, Some("kpis[3]".into()), 9)]
        );
        assert!(check::<RawMeasure>("m.yaml", &text, Limits::default()).is_empty());
    }

    #[test]
    fn page_titles_are_located_in_the_whole_file() {
        let file = SourceFile {
            path: "content/pages/a.md".into(),
            text: Arc::from(format!(
                "---\norder: 1\ntitle: {}\n---\nbody\n",
                "x".repeat(9)
            )),
        };
        let mut diags = Diagnostics::default();
        let page = super::super::parse_page(file, &mut diags).unwrap();
        let limits = Limits {
            max_title_chars: 8,
            ..Limits::default()
        };
        page.check_bounds(&limits, &mut diags);
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, Code::TextTooLong);
        assert_eq!(d.position, Some(Position { line: 3, column: 8 }));
    }
}
