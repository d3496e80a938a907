//! Drafts (下書き) and scheduled publishing (公開予約). A measure or page with `draft: true`,
//! or with a `publish_date:` after the build date, is not published: it is taken out of the
//! validated site here, before anything is rendered, so that no page, list, index, pager,
//! sitemap, feed, search index, open-data file or glossary back-link can name it — they are
//! all made from the site. A draft measure's activity plans go with it. `serve` (and
//! `build --drafts`) keep them, and their pages carry a 下書き banner.
//!
//! The build date is `--now YYYY-MM-DD` if given, else `SOURCE_DATE_EPOCH` (seconds since
//! 1970, the reproducible-builds convention), else today's date on the computer's clock, all
//! as a date in Japan (UTC+9), where the plans are published.

use std::collections::BTreeSet;

use crate::date::Date;
use crate::model::{Publication, Site};
use crate::url::Route;
use crate::validate::links::Held;

/// What a run does with drafts and pages scheduled for later.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drafts {
    /// Keep them, with a banner (`build --drafts`, `serve` unless `--no-drafts`).
    include: bool,
    /// The build date `publish_date:` is compared with (`--now`); `None`: from
    /// `SOURCE_DATE_EPOCH` or the clock.
    now: Option<Date>,
}

impl Drafts {
    /// `include`: keep drafts (with a banner); `now`: the build date as `YYYY-MM-DD`
    /// (`--now`), or `None` for `SOURCE_DATE_EPOCH` or the clock. `Err` says why `now` is not
    /// a date.
    pub fn new(include: bool, now: Option<&str>) -> Result<Drafts, String> {
        let now = match now {
            Some(text) => Some(Date::parse(text).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Drafts { include, now })
    }

    /// `build`'s default: published content only, as of today.
    pub fn published() -> Drafts {
        Drafts::default()
    }

    /// `serve`'s default: everything, drafts marked.
    pub fn shown() -> Drafts {
        Drafts {
            include: true,
            now: None,
        }
    }

    /// The build date: `now`, else `SOURCE_DATE_EPOCH`, else the clock (dates in Japan).
    pub fn today(&self) -> Date {
        if let Some(d) = self.now {
            return d;
        }
        let seconds = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        date_in_japan(seconds)
    }
}

/// The calendar date in Japan (UTC+9) at `seconds` since 1970-01-01T00:00:00Z.
pub(crate) fn date_in_japan(seconds: i64) -> Date {
    let days = (seconds + 9 * 3600).div_euclid(86_400);
    // Days to a civil date (the proleptic Gregorian calendar), after H. Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(year.clamp(1900, 2200) as u16, month, day)
        .unwrap_or_else(|| Date::new(1970, 1, 1).expect("a valid date"))
}

/// Takes the measures and pages not yet published out of `site` (unless `drafts` keeps them)
/// and returns the site paths they would have had (`measures/01-05/index.html` → 「施策01-05」),
/// so that the link check reports a published link to one of them as a link to a draft
/// (E0908, a warning), not as a broken link.
pub(crate) fn apply(site: &mut Site, drafts: &Drafts) -> Held {
    let today = drafts.today();
    site.measures
        .iter_mut()
        .for_each(|m| settle(&mut m.publication, today));
    site.pages
        .iter_mut()
        .for_each(|p| settle(&mut p.publication, today));
    if drafts.include {
        return Held::default();
    }
    let held_measures: BTreeSet<String> = (site.measures.iter())
        .filter(|m| m.publication != Publication::default())
        .map(|m| m.id.clone())
        .collect();
    let held_pages: BTreeSet<String> = (site.pages.iter())
        .filter(|p| p.publication != Publication::default())
        .map(|p| p.slug.clone())
        .collect();
    let mut held = Held::default();
    for id in &held_measures {
        let path = format!("{}index.html", Route::measure(id).as_str());
        held.insert(path, format!("施策{id}"));
    }
    for slug in &held_pages {
        let path = format!("{}index.html", Route::page(slug).as_str());
        held.insert(path, format!("ページ「{slug}」"));
    }
    site.measures.retain(|m| !held_measures.contains(&m.id));
    site.pages.retain(|p| !held_pages.contains(&p.slug));
    site.activity
        .retain(|a| !held_measures.contains(&a.measure_id));
    held
}

/// `p` as of `today`: [`Publication::default`] once published.
pub(crate) fn settle(p: &mut Publication, today: Date) {
    if p.is_published(today) {
        *p = Publication::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_japan_turn_at_15_utc() {
        // 2026-03-31T15:00:00Z is 2026-04-01 00:00 in Japan.
        assert_eq!(date_in_japan(1_774_969_200), Date::new(2026, 4, 1).unwrap());
        assert_eq!(
            date_in_japan(1_774_969_199),
            Date::new(2026, 3, 31).unwrap()
        );
        assert_eq!(date_in_japan(0), Date::new(1970, 1, 1).unwrap());
    }
}
