//! Calendar dates of content updates (`updated: 2024-08-01`). Feeds and sitemaps need a date
//! per page, and it must come from the content — never from the build time, or every build
//! would announce every page as changed. [`crate::model::Site::measure_updated`] decides the
//! fallbacks when a file gives no date.

use std::fmt;

use crate::fiscal::{self, Era, FiscalYear};
use crate::text;

/// A day in the Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a date. Japanese for authors, English gist for maintainers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("日付として読めません: \"{0}\"（expected YYYY-MM-DD, e.g. 2024-08-01）")]
    Unreadable(String),
    #[error("存在しない日付です: \"{0}\"（no such day）")]
    NoSuchDay(String),
}

impl Date {
    /// A checked date.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1900..=2200).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Reads `2024-08-01` (ISO 8601, the form YAML and every data tool agree on). `2024/8/1`
    /// is accepted too because that is how Japanese spreadsheets print dates, and so are
    /// full-width digits and separators (`２０２４－０８－０１`, folded by [`crate::text`]).
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let input = s.trim();
        let folded = text::fold_width_str(input);
        let parts: Vec<&str> = folded.split(['-', '/']).collect();
        let number = |p: &str, max_len: usize| {
            (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u16>().ok())
                .flatten()
        };
        let unreadable = || DateError::Unreadable(input.to_string());
        let [y, m, d] = parts[..] else {
            return Err(unreadable());
        };
        let (Some(y), Some(m), Some(d)) = (number(y, 4), number(m, 2), number(d, 2)) else {
            return Err(unreadable());
        };
        if y < 1000 {
            return Err(unreadable());
        }
        Date::new(y, m as u8, d as u8).ok_or_else(|| DateError::NoSuchDay(input.to_string()))
    }

    /// The first day of the month named in a plan revision such as `令和6年8月改訂`
    /// (→ 2024-08-01): a date the plan itself states, used when no `updated:` is given.
    pub fn from_revision(revision: &str) -> Option<Date> {
        let folded = text::fold_width_str(revision);
        // 令和 before 平成: a note such as 平成30年策定・令和6年8月改訂 is dated by its revision.
        let at = Era::ALL.iter().find_map(|era| folded.find(era.name()))?;
        let (era_year, rest) = fiscal::read_era_year(&folded[at..])?;
        let (month_text, _) = rest.strip_prefix('年')?.split_once('月')?;
        let month: u8 = month_text.parse().ok()?;
        let year = u16::try_from(era_year.western().ok()?).ok()?;
        Date::new(year, month, 1)
    }

    /// The calendar year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// 1 April, the first day of a fiscal year.
    pub fn start_of(year: FiscalYear) -> Date {
        Date {
            year: year.western(),
            month: 4,
            day: 1,
        }
    }

    /// `2024-08-01T00:00:00+09:00`: the start of the day in Japan, as Atom wants a time.
    pub fn rfc3339_jst(self) -> String {
        format!("{self}T00:00:00+09:00")
    }
}

impl fmt::Display for Date {
    /// ISO 8601: `2024-08-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    /// The day as pages show it: 2024年8月1日 / 1 August 2024 / 2024ねん8がつ1にち.
    pub fn label_in(self, ui: &crate::interface::Ui) -> String {
        let month = ui.plain(&format!("month.m{}", self.month()));
        ui.fill(
            "format.date",
            &[
                ("year", &self.year().to_string()),
                ("month", &month),
                ("day", &self.day().to_string()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_day_in_each_language() {
        use crate::interface::Ui;
        use crate::language::Language;
        let day = Date::new(2024, 8, 1).unwrap();
        assert_eq!(
            day.label_in(&Ui::default_for(Language::Japanese)),
            "2024年8月1日"
        );
        assert_eq!(
            day.label_in(&Ui::default_for(Language::English)),
            "1 August 2024"
        );
        assert_eq!(
            day.label_in(&Ui::default_for(Language::EasyJapanese)),
            "2024ねん8がつ1にち"
        );
    }

    use super::*;

    #[test]
    fn iso_dates_and_spreadsheet_dates_are_read() {
        assert_eq!(Date::parse("2024-08-01").unwrap().to_string(), "2024-08-01");
        assert_eq!(Date::parse(" 2024/8/1 ").unwrap().to_string(), "2024-08-01");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(
            Date::parse("２０２４－０８－０１").unwrap().to_string(),
            "2024-08-01"
        );
        assert_eq!(
            Date::parse("２０２４／８／１").unwrap().to_string(),
            "2024-08-01"
        );
        for bad in [
            "",
            "2024",
            "2024-13-01",
            "24-08-01",
            "2024-08-01T00",
            "R6-8-1",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Date::parse("2023-02-29"),
            Err(DateError::NoSuchDay(_))
        ));
    }

    #[test]
    fn revisions_name_their_month() {
        assert_eq!(
            Date::from_revision("令和6年8月改訂").unwrap().to_string(),
            "2024-08-01"
        );
        assert_eq!(
            Date::from_revision("令和元年１０月").unwrap().to_string(),
            "2019-10-01"
        );
        assert_eq!(
            Date::from_revision("平成30年4月策定").unwrap().to_string(),
            "2018-04-01"
        );
        assert_eq!(Date::from_revision("第2版"), None);
        assert_eq!(Date::from_revision("令和6年13月"), None);
        assert_eq!(
            Date::from_revision("第２版（令和６年８月改訂）")
                .unwrap()
                .to_string(),
            "2024-08-01"
        );
        assert_eq!(
            Date::from_revision("平成30年4月策定・令和6年8月改訂")
                .unwrap()
                .to_string(),
            "2024-08-01"
        );
        // The era table knows that 平成 ended in its 31st year.
        assert_eq!(Date::from_revision("平成32年4月"), None);
        assert_eq!(Date::from_revision("令和0年4月"), None);
    }

    #[test]
    fn fiscal_years_start_in_april_and_atom_times_are_japanese() {
        let d = Date::start_of(FiscalYear::from_western(2022));
        assert_eq!(d.rfc3339_jst(), "2022-04-01T00:00:00+09:00");
        assert!(d < Date::parse("2022-04-02").unwrap());
    }
}
