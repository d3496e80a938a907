//! Fiscal years and dates in the words of a page's language, from its interface table
//! (`format.*`, `era.*`, `month.*`): 令和6年度 / FY2024 / れいわ6ねんど（2024ねんど）, and
//! 2024年8月1日 / 1 August 2024 / 2024ねん8がつ1にち. The one place pages turn a year or a day into
//! words; the Japanese table gives exactly what [`FiscalYear::label`] and its kin write, which
//! the tests below check year by year.

use std::sync::OnceLock;

use super::{Era, FiscalYear};
use crate::interface::Ui;
use crate::language::Language;

/// The default Japanese table, loaded once: for the callers that only ever speak Japanese
/// (the open data, the feed, messages to authors) and the Japanese wrappers of the KPI words.
pub fn japanese() -> &'static Ui {
    static TABLE: OnceLock<Ui> = OnceLock::new();
    TABLE.get_or_init(|| Ui::default_for(Language::Japanese))
}

/// The era's name in the table (`令和`, `Reiwa`, `れいわ`).
pub fn era_name(ui: &Ui, era: Era) -> String {
    ui.plain(match era {
        Era::Reiwa => "era.reiwa",
        Era::Heisei => "era.heisei",
    })
}

/// A year number within an era as the table writes it: 元 (Japanese) or 1 for the first.
fn era_number(ui: &Ui, number: u16) -> String {
    match number {
        1 => ui.plain("format.era_first_year"),
        n => n.to_string(),
    }
}

/// The named values every form of a fiscal year may use.
fn year_args(ui: &Ui, year: FiscalYear) -> Option<[(&'static str, String); 3]> {
    let era = year.era()?;
    let number = year.year_in_era()?;
    Some([
        ("era", era_name(ui, era)),
        ("era_year", era_number(ui, number)),
        ("western", year.western().to_string()),
    ])
}

fn fill(ui: &Ui, key: &str, args: &[(&'static str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ui.fill(key, &pairs)
}

fn western_only(ui: &Ui, year: FiscalYear) -> String {
    ui.fill(
        "format.fiscal_year_western",
        &[("western", &year.western().to_string())],
    )
}

/// The label used in tables: 令和4年度 / FY2022 / れいわ4ねんど（2022ねんど）.
pub fn year(ui: &Ui, year: FiscalYear) -> String {
    match year_args(ui, year) {
        Some(args) => fill(ui, "format.fiscal_year", &args),
        None => western_only(ui, year),
    }
}

/// The label where there is room: 令和4年度（2022年度） / FY2022 (Reiwa 4).
pub fn year_long(ui: &Ui, year: FiscalYear) -> String {
    match year_args(ui, year) {
        Some(args) => fill(ui, "format.fiscal_year_with_western", &args),
        None => western_only(ui, year),
    }
}

/// The table values of `year` and the era-year it is called in `written`, when the author
/// wrote it in an era other than the one keikaku labels it in (平成31年度 for FY2019).
fn as_written_args(
    ui: &Ui,
    year: FiscalYear,
    written: Option<Era>,
) -> Option<Vec<(&'static str, String)>> {
    let era = written?;
    year.label_in(era)?;
    let number = year.western() - era.first_western() + 1;
    let mut args = year_args(ui, year)?.to_vec();
    args.push(("written_era", era_name(ui, era)));
    args.push(("written_year", number.to_string()));
    Some(args)
}

/// [`year`] in the era the plan wrote it in: 平成31年度（令和元年度） / FY2019 (Heisei 31).
pub fn year_as_written(ui: &Ui, year: FiscalYear, written: Option<Era>) -> String {
    match as_written_args(ui, year, written) {
        Some(args) => fill(ui, "format.fiscal_year_as_written", &args),
        None => self::year(ui, year),
    }
}

/// [`year_long`] in the era the plan wrote it in: 平成31年度（令和元年度・2019年度）.
pub fn year_long_as_written(ui: &Ui, year: FiscalYear, written: Option<Era>) -> String {
    match as_written_args(ui, year, written) {
        Some(args) => fill(ui, "format.fiscal_year_long_as_written", &args),
        None => year_long(ui, year),
    }
}

/// A span of years: 令和6年度〜令和7年度 / FY2024 to FY2025.
pub fn span(ui: &Ui, start: &str, end: &str) -> String {
    ui.fill("format.period", &[("start", start), ("end", end)])
}

/// A plan's period as the footer and the home page show it, each end in the era the plan
/// wrote it in: 平成30年度（2018年度）〜令和4年度（2022年度） / "FY2018 (Heisei 30) to FY2022
/// (Reiwa 4)". The Japanese is [`crate::model::Plan::period_label`]'s.
pub fn period(
    ui: &Ui,
    (start, start_written): (FiscalYear, Option<Era>),
    (end, end_written): (FiscalYear, Option<Era>),
) -> String {
    span(
        ui,
        &year_long_as_written(ui, start, start_written),
        &year_long_as_written(ui, end, end_written),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui(language: Language) -> Ui {
        Ui::default_for(language)
    }

    #[test]
    fn japanese_is_what_the_labels_always_were() {
        let ja = japanese();
        for western in 1985..=2120 {
            let y = FiscalYear::from_western(western);
            assert_eq!(year(ja, y), y.label(), "{western}");
            assert_eq!(year_long(ja, y), y.label_long(), "{western}");
            for era in [None, Some(Era::Heisei), Some(Era::Reiwa)] {
                assert_eq!(year_as_written(ja, y, era), y.label_as_written(era));
                assert_eq!(
                    year_long_as_written(ja, y, era),
                    y.label_long_as_written(era)
                );
            }
        }
        let (start, end) = (
            FiscalYear::from_western(2015),
            FiscalYear::from_western(2019),
        );
        assert_eq!(
            period(ja, (start, None), (end, Some(Era::Heisei))),
            format!(
                "{}〜{}",
                start.label_long_as_written(None),
                end.label_long_as_written(Some(Era::Heisei))
            )
        );
        assert_eq!(
            period(
                &ui(Language::English),
                (start, None),
                (end, Some(Era::Heisei))
            ),
            "FY2015 (Heisei 27) to FY2019 (Heisei 31, Reiwa 1)"
        );
    }

    #[test]
    fn each_language_writes_years_its_own_way() {
        let fy = FiscalYear::from_western(2024);
        let en = ui(Language::English);
        let easy = ui(Language::EasyJapanese);
        assert_eq!(year(&en, fy), "FY2024");
        assert_eq!(year(&easy, fy), "れいわ6ねんど（2024ねんど）");
        assert_eq!(year_long(&en, fy), "FY2024 (Reiwa 6)");
        let first = FiscalYear::from_western(2019);
        assert_eq!(year(&easy, first), "れいわ1ねんど（2019ねんど）");
        assert_eq!(
            year_long_as_written(&en, first, Some(Era::Heisei)),
            "FY2019 (Heisei 31, Reiwa 1)"
        );
        assert_eq!(
            year_as_written(&easy, first, Some(Era::Heisei)),
            "へいせい31ねんど（れいわ1ねんど・2019ねんど）"
        );
        assert_eq!(span(&en, "FY2022", "FY2026"), "FY2022 to FY2026");
    }
}
