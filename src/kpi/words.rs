//! KPI values and verdicts in the words of a page's language.
//!
//! Every text keikaku makes about a KPI (a cell as the table shows it, a verdict, a sentence)
//! is built here from the interface table, in two forms at once ([`Said`]): plain, for
//! `<title>`, `alt`, SVG text and the chart's description, and HTML, where the content that
//! stays Japanese in another language's tree (a series label, a unit the `units:` table does
//! not know, a target written in words) is wrapped in `<span lang="ja">` so that screen
//! readers switch voice and the page's language rule holds. In the Japanese tree nothing is
//! marked and the HTML is the plain text escaped exactly as the templates escape it, so that
//! Japanese pages do not change by a byte.
//!
//! A cell is only ever re-worded, never re-valued: the number is the author's (full-width
//! digits folded, grouping kept), the unit comes from the `units:` table (`件` → "cases") or
//! stays as written, marked Japanese; a qualifier (以上) and an approximate word (約, 程度)
//! become the table's "at least {value}", "about {value}".

use crate::interface::Ui;
use crate::kpi::cell::{Approximate, Cell, CellValue, Qualifier, Quantity, Range, SeriesValue};
use crate::language::Language;

/// One text in both forms a page needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Said {
    /// Plain text (ruby reduced to its word, nothing escaped).
    pub plain: String,
    /// HTML: escaped, ruby as `<ruby>`, Japanese content in `<span lang="ja">` outside the
    /// Japanese tree.
    pub html: String,
}

impl Said {
    /// Whether nothing is said.
    pub fn is_empty(&self) -> bool {
        self.plain.is_empty()
    }
}

/// `text` escaped for HTML exactly as the templates escape what they print, so that a text
/// printed with `| safe` from here and one printed by the template are the same bytes.
pub fn escape(text: &str) -> String {
    let mut buf = Vec::with_capacity(text.len());
    // Writing to a `Vec` cannot fail, and escaping keeps UTF-8 valid.
    let _ = tera::escape_html(text, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// Whether `c` is a kana or kanji (or a full-width form), which outside the Japanese tree
/// must sit inside an element marked `lang="ja"`.
pub fn is_japanese_char(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF | 0x3005 | 0x3006 | 0x20000..=0x3134F)
}

/// Whether `text` has any Japanese letter (see [`is_japanese_char`]).
pub fn has_japanese(text: &str) -> bool {
    text.chars().any(is_japanese_char)
}

/// The table of a page's language and how content that stays Japanese is marked there.
#[derive(Clone, Copy)]
pub struct Voice<'a> {
    ui: &'a Ui,
    /// The Japanese tree: no marks, and the HTML is the plain text escaped.
    japanese: bool,
}

impl<'a> Voice<'a> {
    /// The voice of the pages `ui` is the table of.
    pub fn new(ui: &'a Ui) -> Voice<'a> {
        Voice {
            ui,
            japanese: ui.language() == Language::Japanese,
        }
    }

    /// The interface table.
    pub fn ui(&self) -> &'a Ui {
        self.ui
    }

    /// Whether this is the Japanese tree (the author's text is shown as written).
    pub fn is_japanese(&self) -> bool {
        self.japanese
    }

    /// A word of the table.
    pub fn word(&self, key: &str) -> Said {
        let plain = self.ui.plain(key);
        let html = if self.japanese {
            escape(&plain)
        } else {
            self.ui.html(key)
        };
        Said { plain, html }
    }

    /// A sentence form of the table with its `{name}`s filled.
    pub fn fill(&self, key: &str, args: &[(&str, &Said)]) -> Said {
        let plain_args: Vec<(&str, &str)> =
            args.iter().map(|(k, v)| (*k, v.plain.as_str())).collect();
        let plain = self.ui.fill(key, &plain_args);
        let html = if self.japanese {
            escape(&plain)
        } else {
            let html_args: Vec<(&str, &str)> =
                args.iter().map(|(k, v)| (*k, v.html.as_str())).collect();
            self.ui.fill_html_raw(key, &html_args)
        };
        Said { plain, html }
    }

    /// Text in no language (a number, a symbol): escaped only.
    pub fn literal(&self, text: &str) -> Said {
        Said {
            plain: text.to_string(),
            html: escape(text),
        }
    }

    /// Content written in Japanese (a label, a unit, a text cell, a KPI name): marked
    /// `lang="ja"` outside the Japanese tree when it has Japanese letters.
    pub fn content(&self, text: &str) -> Said {
        let escaped = escape(text);
        let html = if !self.japanese && has_japanese(text) {
            format!("<span lang=\"ja\">{escaped}</span>")
        } else {
            escaped
        };
        Said {
            plain: text.to_string(),
            html,
        }
    }

    /// The name of a plan revision (`令和6年8月改訂`): in another language, when it is only the
    /// month of the revision, that month in the table's words ("the August 2024 revision");
    /// otherwise the plan's text, marked Japanese.
    pub fn revision(&self, text: &str) -> Said {
        if self.japanese {
            return self.literal(text);
        }
        let folded = crate::text::fold_width_str(text.trim());
        let only_a_month = folded.ends_with("月改訂")
            && crate::fiscal::Era::ALL
                .iter()
                .any(|e| folded.starts_with(e.name()));
        match crate::date::Date::from_revision(&folded).filter(|_| only_a_month) {
            Some(date) => {
                let month = self.word(&format!("month.m{}", date.month()));
                self.fill(
                    "kpi.revision",
                    &[
                        ("year", &self.literal(&date.year().to_string())),
                        ("month", &month),
                    ],
                )
            }
            None => self.content(text),
        }
    }

    /// `parts` one after another, `separator` between them.
    pub fn join(&self, parts: &[Said], separator: &Said) -> Said {
        let mut out = Said::default();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.plain.push_str(&separator.plain);
                out.html.push_str(&separator.html);
            }
            out.plain.push_str(&p.plain);
            out.html.push_str(&p.html);
        }
        out
    }

    /// `a` then `b`.
    pub fn concat(&self, a: &Said, b: &Said) -> Said {
        self.join(&[a.clone(), b.clone()], &Said::default())
    }

    /// A number as written, full-width digits folded outside the Japanese tree (`４４.６０` →
    /// `44.60`); the author's grouping is kept.
    fn number(&self, text: &str) -> Said {
        if self.japanese {
            self.literal(text)
        } else {
            self.literal(&crate::text::fold_width_str(text))
        }
    }

    /// `number` with `unit` in the table's words: `300件` / "300 cases" / `300けん`; a unit the
    /// `units:` table lacks stays as written, marked Japanese.
    pub fn with_unit(&self, number: &str, value: f64, unit: Option<&str>) -> Said {
        let n = self.number(number);
        let Some(unit) = unit else { return n };
        if self.japanese {
            return self.literal(&format!("{number}{unit}"));
        }
        if unit == "%" {
            return self.fill("format.percent", &[("n", &n)]);
        }
        let form = if value == 1.0 { "one" } else { "other" };
        let key = format!("units.{unit}.{form}");
        if self.ui.text(&key) != key {
            return self.fill(&key, &[("n", &n)]);
        }
        let space = if self.ui.language() == Language::English {
            " "
        } else {
            ""
        };
        let mut said = n;
        said.plain.push_str(space);
        said.html.push_str(space);
        self.concat(&said, &self.content(unit))
    }

    fn qualified(&self, value: Said, qualifier: Option<Qualifier>) -> Said {
        let key = match qualifier {
            None => return value,
            Some(Qualifier::AtLeast) => "format.at_least",
            Some(Qualifier::AtMost) => "format.at_most",
            Some(Qualifier::LessThan) => "format.less_than",
            Some(Qualifier::MoreThan) => "format.more_than",
        };
        self.fill(key, &[("value", &value)])
    }

    fn approximate(&self, value: Said, approximate: Option<&Approximate>) -> Said {
        match approximate {
            None => value,
            Some(a) if self.japanese => self.literal(&a.around(&value.plain)),
            Some(_) => self.fill("format.about", &[("value", &value)]),
        }
    }

    fn labelled(&self, label: Option<&str>, value: Said) -> Said {
        match label {
            None => value,
            Some(l) if self.japanese => self.literal(&format!("{l}{}", value.plain)),
            Some(l) => self.fill(
                "kpi.labelled",
                &[("label", &self.content(l)), ("value", &value)],
            ),
        }
    }

    /// A number with its unit, qualifier and approximate word, without its label:
    /// `80%以上` / "at least 80%". `unit` is used when the quantity has none of its own.
    pub fn quantity_value(&self, q: &Quantity, unit: Option<&str>) -> Said {
        let unit = q.unit.as_deref().or(unit);
        if self.japanese {
            let qualifier = q.qualifier.map_or("", |x| x.as_str());
            let value = format!("{}{}{qualifier}", q.number.text, unit.unwrap_or(""));
            return self.literal(&Approximate::apply(q.approximate.as_ref(), value));
        }
        let value = self.with_unit(&q.number.text, q.number.value, unit);
        let value = self.qualified(value, q.qualifier);
        self.approximate(value, q.approximate.as_ref())
    }

    /// [`Voice::quantity_value`] after the quantity's label, as a sentence reads it.
    pub fn quantity(&self, q: &Quantity, unit: Option<&str>) -> Said {
        let value = self.quantity_value(q, unit);
        self.labelled(q.label.as_deref(), value)
    }

    /// A range as a sentence reads it, the unit on both ends: 7俵から7.5俵 / "7 to 7.5 ...".
    pub fn range(&self, r: &Range, unit: Option<&str>) -> Said {
        let unit = r.unit.as_deref().or(unit);
        let low = self.with_unit(&r.low.text, r.low.value, unit);
        let high = self.with_unit(&r.high.text, r.high.value, unit);
        let value = self.fill("kpi.say_range", &[("low", &low), ("high", &high)]);
        let value = self.approximate(value, r.approximate.as_ref());
        self.labelled(r.label.as_deref(), value)
    }

    fn series_value(&self, value: &SeriesValue, unit: Option<&str>) -> Said {
        match value {
            SeriesValue::Quantity(q) => self.quantity(q, unit),
            SeriesValue::Range(r) => self.range(r, unit),
        }
    }

    /// How a cell's value reads in a sentence, `None` for a blank cell: text in quotes, an
    /// estimate marked (見込み), a note left out (the table shows it).
    pub fn value_phrase(&self, cell: &Cell, unit: Option<&str>) -> Option<Said> {
        let phrase = match &cell.value {
            CellValue::Empty | CellValue::NotApplicable { .. } => return None,
            CellValue::Quantity(q) => self.quantity(q, unit),
            CellValue::Range(r) => self.range(r, unit),
            CellValue::Series(items) => {
                let parts: Vec<Said> = items
                    .iter()
                    .map(|i| {
                        let v = self.series_value(&i.value, unit);
                        if self.japanese {
                            self.literal(&format!("{}{}", i.label, v.plain))
                        } else {
                            self.fill(
                                "kpi.labelled",
                                &[("label", &self.content(&i.label)), ("value", &v)],
                            )
                        }
                    })
                    .collect();
                self.join(&parts, &self.word("kpi.say_series_separator"))
            }
            // `700回/1/1`: the figures in order, 「700回と1と1」 (a slash would be read out).
            CellValue::List(list) => {
                let items: Vec<Said> = list
                    .items
                    .iter()
                    .map(|v| self.series_value(v, unit))
                    .collect();
                let joined = self.join(&items, &self.word("kpi.say_list_separator"));
                self.labelled(list.label.as_deref(), joined)
            }
            CellValue::Qualitative(text) => {
                self.fill("kpi.say_quoted", &[("text", &self.content(text))])
            }
        };
        Some(if cell.provisional {
            self.fill("kpi.say_provisional", &[("value", &phrase)])
        } else {
            phrase
        })
    }

    /// A cell as the KPI table shows it. The Japanese tree shows what the author wrote, note
    /// and all. Elsewhere a value is re-worded ("at least 80%", "30,000 thousand yen") and its
    /// note follows, marked Japanese; a cell written in words is shown as written, marked
    /// Japanese. `None` for a blank cell (the page shows its [`Blank`](super::sentence::Blank)
    /// word).
    pub fn cell(&self, cell: &Cell) -> Option<Said> {
        if self.japanese {
            return match cell.value {
                CellValue::Empty => None,
                _ => Some(self.literal(cell.display())),
            };
        }
        let value = match &cell.value {
            CellValue::Empty | CellValue::NotApplicable { .. } => return None,
            CellValue::Qualitative(_) => return Some(self.content(cell.display())),
            CellValue::Quantity(q) => {
                let v = self.quantity_value(q, None);
                self.labelled(q.label.as_deref(), v)
            }
            CellValue::Range(r) => self.range_as_written(r),
            CellValue::Series(items) => {
                let parts: Vec<Said> = items
                    .iter()
                    .map(|i| {
                        let v = match &i.value {
                            SeriesValue::Quantity(q) => self.quantity_value(q, None),
                            SeriesValue::Range(r) => self.range_as_written(r),
                        };
                        self.fill(
                            "kpi.labelled",
                            &[("label", &self.content(&i.label)), ("value", &v)],
                        )
                    })
                    .collect();
                self.join(&parts, &self.word("kpi.say_series_separator"))
            }
            CellValue::List(list) => {
                let items: Vec<Said> = list
                    .items
                    .iter()
                    .map(|v| match v {
                        SeriesValue::Quantity(q) => self.quantity_value(q, None),
                        SeriesValue::Range(r) => self.range_as_written(r),
                    })
                    .collect();
                let joined = self.join(&items, &self.literal(" / "));
                self.labelled(list.label.as_deref(), joined)
            }
        };
        Some(match &cell.note {
            Some(note) => self.concat(
                &value,
                &self.concat(&self.literal(" "), &self.content(note)),
            ),
            None => value,
        })
    }

    /// A range as a table shows it, the unit once: 7~7.5俵 / "7 to 7.5 ...".
    fn range_as_written(&self, r: &Range) -> Said {
        let low = self.number(&r.low.text);
        let high = self.with_unit(&r.high.text, r.high.value, r.unit.as_deref());
        let value = self.fill("format.range", &[("low", &low), ("high", &high)]);
        let value = self.approximate(value, r.approximate.as_ref());
        self.labelled(r.label.as_deref(), value)
    }
}

/// A unit on its own (a table caption's 単位, a chart's title) in `ui`'s language: the
/// `units:` table's word ("cases" for 件), or the unit as written when the table lacks it or
/// the page is Japanese.
pub fn unit_word(ui: &Ui, unit: &str) -> String {
    if ui.language() == Language::Japanese || unit == "%" {
        return unit.to_string();
    }
    let key = format!("units.{unit}.other");
    if ui.text(&key) == key {
        return unit.to_string();
    }
    ui.fill(&key, &[("n", "")]).trim().to_string()
}

/// The table key of a built-in progress status (`crate::progress`), by its stable key.
fn progress_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "delayed" => "progress.delayed",
        "not-started" => "progress.not_started",
        "on-track" => "progress.on_track",
        "ahead" => "progress.ahead",
        "done" => "progress.done",
        crate::progress::NOT_RECORDED_KEY => "progress.not_recorded",
        _ => return None,
    })
}

/// A progress status (進捗) of the activity plans in `ui`'s language: a built-in status in
/// the table's words, a site's own status (config.yaml `progress:`) as written. The flag says
/// that the word stays Japanese on a page in another language (mark it `lang="ja"`). The
/// Japanese tree always shows `label`, the word the plan uses.
pub fn progress_word(ui: &Ui, key: &str, label: &str) -> (String, bool) {
    if ui.language() == Language::Japanese {
        return (label.to_string(), false);
    }
    match progress_key(key) {
        Some(k) => (ui.plain(k), false),
        None => (label.to_string(), has_japanese(label)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(language: Language, raw: &str) -> Said {
        let ui = Ui::default_for(language);
        Voice::new(&ui).cell(&Cell::parse(raw).unwrap()).unwrap()
    }

    #[test]
    fn japanese_cells_are_shown_as_written() {
        for raw in [
            "80%以上",
            "30,000千円",
            "約30%",
            "小 8.9% 中 12.8%",
            "整備完了",
            "1607",
        ] {
            let said = shown(Language::Japanese, raw);
            assert_eq!(said.plain, raw);
            assert_eq!(said.html, escape(raw));
        }
    }

    #[test]
    fn english_cells_are_reworded_and_keep_their_meaning() {
        assert_eq!(shown(Language::English, "80%以上").plain, "at least 80%");
        assert_eq!(
            shown(Language::English, "30,000千円").plain,
            "30,000 thousand yen"
        );
        assert_eq!(shown(Language::English, "1件").plain, "1 case");
        assert_eq!(shown(Language::English, "1,607人").plain, "1,607 people");
        assert_eq!(shown(Language::English, "約30%").plain, "about 30%");
        assert_eq!(
            shown(Language::English, "5件未満").plain,
            "less than 5 cases"
        );
        assert_eq!(shown(Language::English, "1607").plain, "1607");
        assert_eq!(shown(Language::EasyJapanese, "300件").plain, "300けん");
        assert_eq!(
            shown(Language::EasyJapanese, "80%以上").plain,
            "80%いじょう"
        );
    }

    #[test]
    fn what_the_tables_do_not_know_stays_japanese_and_is_marked() {
        let said = shown(Language::English, "7俵");
        assert_eq!(said.plain, "7 俵");
        assert_eq!(said.html, "7 <span lang=\"ja\">俵</span>");
        let said = shown(Language::English, "整備完了");
        assert_eq!(said.html, "<span lang=\"ja\">整備完了</span>");
        let said = shown(Language::English, "小 8.9% 中 12.8%");
        assert_eq!(
            said.html,
            "<span lang=\"ja\">小</span> 8.9%; <span lang=\"ja\">中</span> 12.8%"
        );
        let said = shown(Language::EasyJapanese, "整備完了");
        assert_eq!(said.html, "<span lang=\"ja\">整備完了</span>");
    }

    #[test]
    fn progress_words_come_from_the_table_and_site_words_stay() {
        let vocabulary = crate::progress::Vocabulary::default();
        let ja = crate::fiscal::words::japanese();
        let en = Ui::default_for(Language::English);
        for id in vocabulary.ordered() {
            let s = vocabulary.get(id);
            assert_eq!(
                progress_word(ja, &s.key, &s.label),
                (s.label.clone(), false)
            );
            assert_eq!(ja.text(progress_key(&s.key).unwrap()), s.label);
            let (word, japanese) = progress_word(&en, &s.key, &s.label);
            assert!(!japanese && !has_japanese(&word), "{word}");
        }
        assert_eq!(
            progress_word(
                &en,
                crate::progress::NOT_RECORDED_KEY,
                crate::progress::NOT_RECORDED_LABEL
            )
            .0,
            "No progress recorded"
        );
        assert_eq!(
            progress_word(&en, "paused", "一時休止"),
            ("一時休止".to_string(), true)
        );
    }

    #[test]
    fn a_revision_named_by_its_month_is_said_in_the_page_language() {
        let en = Ui::default_for(Language::English);
        let v = Voice::new(&en);
        assert_eq!(
            v.revision("令和6年8月改訂").plain,
            "the August 2024 revision"
        );
        let other = v.revision("第2版（令和6年8月改訂）");
        assert_eq!(
            other.html,
            "<span lang=\"ja\">第2版（令和6年8月改訂）</span>"
        );
        let ja = crate::fiscal::words::japanese();
        assert_eq!(
            Voice::new(ja).revision("令和6年8月改訂").plain,
            "令和6年8月改訂"
        );
    }
}
