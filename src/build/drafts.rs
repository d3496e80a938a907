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
use std::path::Path;

use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::model::{Publication, Site};

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

/// Warns about links from published text to what is not published, then — unless `drafts`
/// keeps them — takes out of `site` every measure and page that is not published on the build
/// date, with the activity plans of those measures. `root` is read again only to locate a
/// link at its line.
///
/// Every publication is settled against the build date first: what is published then reads
/// as [`Publication::default`] (its publish date has passed and says nothing more), so that
/// rendering tells a draft by its publication alone.
pub(crate) fn apply(site: &mut Site, drafts: &Drafts, root: &Path, diags: &mut Diagnostics) {
    let today = drafts.today();
    site.measures
        .iter_mut()
        .for_each(|m| settle(&mut m.publication, today));
    site.pages
        .iter_mut()
        .for_each(|p| settle(&mut p.publication, today));
    let held_measures: BTreeSet<String> = (site.measures.iter())
        .filter(|m| m.publication != Publication::default())
        .map(|m| m.id.clone())
        .collect();
    let held_pages: BTreeSet<String> = (site.pages.iter())
        .filter(|p| p.publication != Publication::default())
        .map(|p| p.slug.clone())
        .collect();
    if held_measures.is_empty() && held_pages.is_empty() {
        return;
    }
    let held = |dest: &str| -> Option<String> {
        let path = link_path(dest)?;
        if let Some(id) = path.strip_prefix("measures/") {
            if held_measures.contains(id) {
                return Some(format!("施策{id}"));
            }
        }
        if held_pages.contains(path.as_str()) {
            return Some(format!("ページ「{path}」"));
        }
        None
    };
    let mut found = Vec::new();
    for m in site
        .measures
        .iter()
        .filter(|m| m.publication == Publication::default())
    {
        for (key, text) in m.sections.iter() {
            for dest in links(text) {
                if let Some(what) = held(&dest) {
                    found.push((m.source.clone(), Some(format!("sections.{key}")), dest, what));
                }
            }
        }
    }
    for p in site
        .pages
        .iter()
        .filter(|p| p.publication == Publication::default())
    {
        for dest in links(&p.body) {
            if let Some(what) = held(&dest) {
                found.push((p.source.clone(), None, dest, what));
            }
        }
    }
    for (file, field, dest, what) in found {
        let text = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
        let mut d = Diagnostic::warning(
            Code::LinkToDraft,
            &file,
            format!("{what}（{dest}）は下書きか公開前のため、公開するサイトにはありません。このリンクは公開後まで切れています"),
        )
        .at(line_of(&text, &dest))
        .hint("リンクを外すか、リンク先の draft: / publish_date: を見直してください");
        if let Some(field) = field {
            d = d.field(field);
        }
        diags.push(d);
    }
    if drafts.include {
        return;
    }
    site.measures.retain(|m| !held_measures.contains(&m.id));
    site.pages.retain(|p| !held_pages.contains(&p.slug));
    site.activity
        .retain(|a| !held_measures.contains(&a.measure_id));
}

/// `p` as of `today`: [`Publication::default`] once published.
pub(crate) fn settle(p: &mut Publication, today: Date) {
    if p.is_published(today) {
        *p = Publication::default();
    }
}

/// The link destinations of Markdown `text`.
fn links(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(text, crate::markdown::options())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// The site path a link names (`/measures/01-02/`, `../01-02/index.html` from a measure page
/// → `measures/01-02`; `/about/` → `about`), or `None` for an address elsewhere.
fn link_path(dest: &str) -> Option<String> {
    if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('#') {
        return None;
    }
    let dest = dest.split(['#', '?']).next().unwrap_or("");
    let dest = dest.strip_suffix("index.html").unwrap_or(dest);
    let parts: Vec<&str> = dest
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    // A relative link between measure pages (`../01-02/`) names the measure alone.
    if parts.len() == 1 && dest.starts_with("..") && crate::url::is_valid_id(parts[0]) {
        return Some(format!("measures/{}", parts[0]));
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Where `dest` is first written in `text` (as a Markdown link target).
fn line_of(text: &str, dest: &str) -> Option<Position> {
    let at = text.find(&format!("]({dest}")).map(|i| i + 2)?;
    let before = &text[..at];
    Some(Position {
        line: before.matches('\n').count() + 1,
        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
    })
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

    #[test]
    fn links_name_measures_and_pages_however_they_are_written() {
        assert_eq!(
            link_path("/measures/01-02/").as_deref(),
            Some("measures/01-02")
        );
        assert_eq!(link_path("../01-02/").as_deref(), Some("measures/01-02"));
        assert_eq!(link_path("/about/index.html#top").as_deref(), Some("about"));
        assert_eq!(link_path("https://example.jp/about/"), None);
        assert_eq!(link_path("#kpis"), None);
    }
}
