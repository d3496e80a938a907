//! The validated site: every value typed, every reference resolved. Rendering reads only this,
//! so nothing after validation ever has to handle a malformed input.
//!
//! Every stage uses this module, so it uses none of them: besides plain data it holds only the
//! small vocabularies that data is made of (a KPI's [`Direction`], the site's achievement
//! [`Rules`], the [`RawHtml`] setting), and it depends only on the value types below it —
//! fiscal years, dates, positions, KPI cells, the progress vocabulary. What those values mean
//! is decided above it: [`crate::kpi::achievement`] judges a [`Kpi`], [`crate::markdown`]
//! renders its text.

use std::path::PathBuf;

use serde::Serialize;

use crate::date::Date;
use crate::diagnostics::Position;
use crate::fiscal::{ByYear, FiscalYear};
use crate::kpi::cell::Cell;
use crate::progress::{StatusId, Vocabulary};

#[derive(Clone, Debug)]
pub struct Site {
    pub config: Config,
    pub plan: Plan,
    /// Sorted by ID.
    pub measures: Vec<Measure>,
    /// In file order; the glossary page decides its own order.
    pub glossary: Vec<Term>,
    /// Sorted by (order, slug).
    pub pages: Vec<Page>,
    /// Annual activity plans, sorted by (year, measure ID); every plan's measure exists.
    pub activity: Vec<ActivityPlan>,
}

impl Site {
    /// The fiscal years that have activity plans, oldest first.
    pub fn activity_years(&self) -> Vec<FiscalYear> {
        let mut years: Vec<FiscalYear> = self.activity.iter().map(|a| a.year).collect();
        years.dedup();
        years
    }

    /// The date the plan as a whole was last changed: its `updated:`, else the month its
    /// revision names (`令和6年8月改訂` → 2024-08-01), else the first day of the plan period.
    /// Always from the content, never the build time, so that rebuilding announces nothing.
    pub fn plan_updated(&self) -> Date {
        self.plan
            .updated
            .or_else(|| self.plan.revision.as_deref().and_then(Date::from_revision))
            .unwrap_or_else(|| Date::start_of(self.plan.period.start))
    }

    /// A measure's last change: its own `updated:` or, failing that, the plan's.
    pub fn measure_updated(&self, m: &Measure) -> Date {
        m.updated.unwrap_or_else(|| self.plan_updated())
    }

    /// A page's last change: its own `updated:` or, failing that, the plan's.
    pub fn page_updated(&self, p: &Page) -> Date {
        p.updated.unwrap_or_else(|| self.plan_updated())
    }

    /// The latest change anywhere in the content: the feed's and the data package's date.
    pub fn last_updated(&self) -> Date {
        let measures = self.measures.iter().map(|m| self.measure_updated(m));
        let pages = self.pages.iter().map(|p| self.page_updated(p));
        measures
            .chain(pages)
            .fold(self.plan_updated(), std::cmp::max)
    }

    /// The plans of one measure, oldest first. Plans are sorted by (year, measure ID): one
    /// binary search per year, because every measure page and search entry asks.
    pub fn activity_of<'a>(
        &'a self,
        measure_id: &'a str,
    ) -> impl Iterator<Item = &'a ActivityPlan> {
        let mut found = Vec::new();
        let mut rest = &self.activity[..];
        while let Some(first) = rest.first() {
            let end = rest.partition_point(|a| a.year == first.year);
            let year = &rest[..end];
            if let Ok(i) = year.binary_search_by(|a| a.measure_id.as_str().cmp(measure_id)) {
                found.push(&year[i]);
            }
            rest = &rest[end..];
        }
        found.into_iter()
    }

    /// The measure with this ID (measures are sorted by ID).
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        find_measure(&self.measures, id)
    }
}

/// The measure with this ID in `measures`, sorted by ID (as [`Site::measures`] is).
pub fn find_measure<'a>(measures: &'a [Measure], id: &str) -> Option<&'a Measure> {
    measures
        .binary_search_by(|m| m.id.as_str().cmp(id))
        .ok()
        .map(|i| &measures[i])
}

#[derive(Clone, Debug)]
pub struct Config {
    pub title: String,
    pub city: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub contact: Option<Contact>,
    pub data_license: License,
    /// The progress words activity plans may use (built-in plus the site's own).
    pub progress: Vocabulary,
    /// Whether staff names (主担当者) of activity plans are published.
    pub publish_staff_names: bool,
    /// How achievement is judged site-wide (the optional 概ね達成 band).
    pub achievement: Rules,
    /// Whether links name `index.html` explicitly, for browsing from `file://`
    /// (see [`crate::url::file_system_links`]).
    pub file_links: bool,
    /// HTML inside Markdown: sanitised unless the site trusts its editors.
    pub raw_html: RawHtml,
    /// The site's own search synonyms (`search.synonyms`), added to the built-in ones.
    pub search_synonyms: Vec<Vec<String>>,
}

/// The optional 概ね達成 band.
#[derive(Clone, Debug, PartialEq)]
pub struct NearBand {
    /// A rate at or above this (e.g. 0.9) turns 未達成 into the near status.
    pub ratio: f64,
    /// What the near status is called on the site (e.g. 概ね達成).
    pub label: String,
}

/// Site-wide judgement settings (`achievement:` in `config.yaml`), which
/// [`crate::kpi::achievement`] applies.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rules {
    pub near: Option<NearBand>,
}

/// What happens to HTML that authors write inside Markdown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum RawHtml {
    /// Kept only as far as the allow-list of [`crate::markdown::sanitise`] permits (the default).
    #[default]
    Sanitise,
    /// Passed through unchanged: only for sites whose editors are trusted with HTML.
    Trust,
}

#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct License {
    pub name: String,
    pub url: Option<String>,
}

impl License {
    /// 公共データ利用規約（第1.0版）: the Japanese government's standard terms for open data,
    /// compatible with CC BY 4.0; what a city publishes under when it says nothing else.
    pub fn public_data_license() -> License {
        License {
            name: "公共データ利用規約（第1.0版）".to_string(),
            url: Some(
                "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
                    .to_string(),
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: FiscalYear,
    pub end: FiscalYear,
}

impl Period {
    pub fn contains(&self, year: FiscalYear) -> bool {
        self.start <= year && year <= self.end
    }

    pub fn years(&self) -> Vec<FiscalYear> {
        FiscalYear::range_inclusive(self.start, self.end).collect()
    }
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub title: String,
    pub period: Period,
    pub revision: Option<String>,
    /// When the plan's content last changed, if the file says.
    pub updated: Option<Date>,
    /// Markdown.
    pub philosophy: String,
    /// Sorted by number.
    pub policies: Vec<Policy>,
}

#[derive(Clone, Debug)]
pub struct Policy {
    pub number: u32,
    pub title: String,
    /// Markdown.
    pub summary: String,
}

#[derive(Clone, Debug)]
pub struct Measure {
    pub id: String,
    pub title: String,
    pub policy: u32,
    pub lead_department: String,
    pub related_departments: Vec<RelatedDepartment>,
    /// The fiscal years the measure runs, within the plan period.
    pub active: Period,
    /// Set when the measure ended before the plan period did.
    pub completed: Option<FiscalYear>,
    /// Set when the measure started after the plan period did.
    pub added: Option<FiscalYear>,
    pub lifecycle_note: Option<String>,
    pub sections: Sections,
    pub schedule: Vec<Task>,
    pub kpis: Vec<Kpi>,
    /// When the measure's content last changed, if the file says.
    pub updated: Option<Date>,
    /// The file it came from, relative to the site root.
    pub source: PathBuf,
}

#[derive(Clone, Debug)]
pub struct RelatedDepartment {
    pub name: String,
    pub since: Option<FiscalYear>,
    pub until: Option<FiscalYear>,
    pub note: Option<String>,
}

/// The four narrative sections of a measure sheet, as Markdown.
#[derive(Clone, Debug, Default)]
pub struct Sections {
    pub current_state: Option<String>,
    pub details: Option<String>,
    pub expected_effects: Option<String>,
    pub future_policy: Option<String>,
}

impl Sections {
    /// The section that says best what the measure is, for a page's description and the
    /// feed's summary: its details, else its current state.
    pub fn lead(&self) -> Option<&str> {
        self.details.as_deref().or(self.current_state.as_deref())
    }
}

#[derive(Clone, Debug)]
pub struct Task {
    pub name: String,
    pub years: Vec<FiscalYear>,
}

#[derive(Clone, Debug)]
pub struct Kpi {
    /// 1-based, as printed: 成果目標①.
    pub number: usize,
    /// The indicator text per fiscal year of the plan period (the same text repeated when it
    /// never changed), so that a change of definition is visible year by year.
    pub indicator: ByYear<String>,
    pub unit: Option<String>,
    pub baseline: Option<Cell>,
    pub target: ByYear<Cell>,
    pub actual: ByYear<Cell>,
    /// Markdown.
    pub notes: Option<String>,
    /// Revisions of the targets, oldest first. `target` holds the current targets; each
    /// revision holds the values it replaced (see [`Kpi::target_history`]).
    pub revisions: Vec<TargetRevision>,
    /// Whether more or less is better; decides how targets are met.
    pub direction: Direction,
    /// 累計 or 単年度, when the author said so.
    pub aggregation: Option<Aggregation>,
    /// The author's verdict for years whose target or actual is text (`achieved:`).
    pub achieved: ByYear<bool>,
}

/// Which way a KPI should move.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 多いほど良い: sales, registrations, rates of use.
    #[default]
    Higher,
    /// 少ないほど良い: damage, working hours, the share of children who do not read.
    Lower,
}

impl Direction {
    /// Reads the `direction:` field (`higher` / `lower`).
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim() {
            "higher" => Some(Direction::Higher),
            "lower" => Some(Direction::Lower),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "多いほど良い",
            Direction::Lower => "少ないほど良い",
        }
    }
}

/// Whether yearly figures add up over the plan (累計) or stand alone (単年度).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Cumulative,
    SingleYear,
}

impl Aggregation {
    /// Reads the `aggregation:` field (`cumulative` / `single_year`).
    pub fn parse(s: &str) -> Option<Aggregation> {
        match s.trim() {
            "cumulative" => Some(Aggregation::Cumulative),
            "single_year" => Some(Aggregation::SingleYear),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Aggregation::Cumulative => "累計",
            Aggregation::SingleYear => "単年度",
        }
    }
}

/// One revision of a KPI's targets (e.g. the plan's 令和6年8月改訂).
#[derive(Clone, Debug)]
pub struct TargetRevision {
    /// The revision, as written (`令和6年8月改訂`).
    pub revision: String,
    pub reason: Option<String>,
    /// The targets before this revision, for the years it changed.
    pub before: ByYear<Cell>,
}

/// One change of one year's target: from `before` to `after` by `revision`.
#[derive(Clone, Debug)]
pub struct TargetChange<'a> {
    pub revision: &'a str,
    pub reason: Option<&'a str>,
    pub before: &'a Cell,
    pub after: &'a Cell,
}

impl Kpi {
    /// How the target of `year` changed, oldest change first. Each change ends at the value
    /// the next revision replaced, or at the current target. Charts and data files read this
    /// to show the revised target and mark where it changed.
    pub fn target_history(&self, year: FiscalYear) -> Vec<TargetChange<'_>> {
        let mut changes = Vec::new();
        for (i, r) in self.revisions.iter().enumerate() {
            let Some(before) = r.before.get(&year) else {
                continue;
            };
            let after = self.revisions[i + 1..]
                .iter()
                .find_map(|later| later.before.get(&year))
                .or_else(|| self.target.get(&year));
            if let Some(after) = after {
                changes.push(TargetChange {
                    revision: &r.revision,
                    reason: r.reason.as_deref(),
                    before,
                    after,
                });
            }
        }
        changes
    }

    /// The indicator of the latest year that has one: what the KPI is called today.
    pub fn current_indicator(&self) -> &str {
        self.indicator
            .values()
            .next_back()
            .map_or("", String::as_str)
    }

    /// Whether the indicator's wording changed during the plan.
    pub fn indicator_changed(&self) -> bool {
        let mut texts = self.indicator.values();
        let first = texts.next();
        texts.any(|t| Some(t) != first)
    }
}

#[derive(Clone, Debug)]
pub struct Term {
    pub term: String,
    /// Kana; present whenever the term has kanji.
    pub reading: Option<String>,
    pub aliases: Vec<String>,
    /// Markdown.
    pub explanation: String,
    /// The fragment id of the entry on the glossary page (`glossary/#<anchor>`): the `id:` of
    /// the entry or one derived from it, unique, `[a-z0-9-]`.
    pub anchor: String,
    /// Related entries, as indices into [`Site::glossary`].
    pub related: Vec<usize>,
    /// Where the explanation comes from (shown as written).
    pub source: Option<String>,
    /// Where the entry is written in content/glossary.yaml, for warnings about it.
    pub position: Option<Position>,
}

#[derive(Clone, Debug)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub order: i64,
    pub description: Option<String>,
    /// Markdown.
    pub body: String,
    /// When the page last changed, if its front matter says.
    pub updated: Option<Date>,
    pub source: PathBuf,
}

/// An annual activity plan (個別施策 年間活動計画) of one measure for one fiscal year.
#[derive(Clone, Debug)]
pub struct ActivityPlan {
    pub measure_id: String,
    pub year: FiscalYear,
    /// The lead department as named that year (departments get renamed); `None` when the
    /// file does not say, in which case the measure's current lead department applies.
    pub department: Option<String>,
    /// The department's contact address.
    pub contact: Option<String>,
    /// 主担当者. Only ever `Some` when the site allows publishing staff names: validation drops
    /// it otherwise, so no template or data file can leak it by mistake.
    pub staff: Option<String>,
    /// 到達目標, Markdown.
    pub goal: String,
    /// IDs of related measures (関連施策); every one exists.
    pub related_measures: Vec<String>,
    pub tasks: Vec<ActivityTask>,
    pub budget: Option<Budget>,
    pub source: PathBuf,
}

impl ActivityPlan {
    /// The plan's overall progress: the most pressing status among its tasks.
    pub fn overall(&self, vocabulary: &Vocabulary) -> Option<StatusId> {
        vocabulary.overall(self.tasks.iter().filter_map(|t| t.progress))
    }
}

/// One row (取組内容) of an activity plan.
#[derive(Clone, Debug)]
pub struct ActivityTask {
    pub name: String,
    /// The work planned for the 1st–4th quarter (April–June … January–March).
    pub quarters: [Vec<String>; 4],
    /// 進捗; `None` when not yet judged.
    pub progress: Option<StatusId>,
    /// 対応策, Markdown.
    pub countermeasures: Option<String>,
}

/// 次年度予算化予定.
#[derive(Clone, Debug)]
pub struct Budget {
    pub planned: bool,
    /// 調達内容: what is to be budgeted.
    pub details: Option<String>,
}
