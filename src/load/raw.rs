//! The files exactly as authors write them (docs/content.md). Values stay as text here — fiscal
//! years, KPI cells, IDs — because turning them into typed values is validation's job, which
//! reports *every* bad value with its location instead of stopping at the first.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::kpi::cell::CellInput;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    pub title: String,
    pub city: String,
    /// 全国地方公共団体コード (six digits with the check digit), for the open data
    /// (crate::validate::city_code).
    #[serde(default)]
    pub city_code: Option<ScalarText>,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub contact: Option<RawContact>,
    #[serde(default)]
    pub data_license: Option<RawLicense>,
    /// Progress words added to the built-in ones (crate::progress).
    #[serde(default)]
    pub progress_statuses: Vec<RawStatus>,
    /// Whether the staff names of activity plans (主担当者) may appear on the site. Off unless
    /// the city decides otherwise: staff names are personal data.
    #[serde(default)]
    pub publish_staff_names: bool,
    #[serde(default)]
    pub achievement: Option<RawAchievement>,
    /// Whether HTML written inside Markdown is passed through unchecked. Off by default: it is
    /// then sanitised (crate::markdown::sanitise).
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Size limits the loader enforces before parsing (crate::load::limits).
    #[serde(default)]
    pub limits: RawLimits,
    /// Site search settings (crate::render::search).
    #[serde(default)]
    pub search: RawSearch,
    /// The languages the site is published in (crate::language); Japanese only when absent.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    /// Readings of place and proper names (`木更津: きさらづ`), given as furigana wherever
    /// the site adds readings (crate::ruby::annotate).
    #[serde(default)]
    pub readings: std::collections::BTreeMap<String, String>,
    /// How many entries one page of a long listing holds (crate::render::pages::paging).
    #[serde(default)]
    pub page_size: Option<usize>,
    /// The slug of the plan the home page presents as current, in a site of several plans
    /// (absent: the plan at content/).
    #[serde(default)]
    pub current_plan: Option<String>,
}

/// `search:` in config.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSearch {
    /// Groups of words that find each other (`[スマホ, スマートフォン]`), added to the
    /// built-in ones.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

/// `limits:` in config.yaml; each is optional and falls back to
/// [`crate::load::limits::Limits::default`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLimits {
    /// The limits on what a file says (crate::load::bounds).
    #[serde(default)]
    pub max_title_chars: Option<usize>,
    #[serde(default)]
    pub max_text_chars: Option<usize>,
    #[serde(default)]
    pub max_kpis_per_measure: Option<usize>,
    #[serde(default)]
    pub max_file_bytes: Option<u64>,
    #[serde(default)]
    pub max_depth: Option<usize>,
    #[serde(default)]
    pub max_measures: Option<usize>,
    /// The `max_sheet_*` limits are `keikaku import`'s (crate::cli::import::limits).
    #[serde(default)]
    pub max_sheet_bytes: Option<u64>,
    #[serde(default)]
    pub max_sheet_rows: Option<usize>,
    #[serde(default)]
    pub max_sheet_columns: Option<usize>,
    #[serde(default)]
    pub max_sheet_cells: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStatus {
    pub label: String,
    pub key: String,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub attention: bool,
}

/// `achievement:` in `config.yaml`: the optional 概ね達成 band.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAchievement {
    /// A fraction of the target (0.9 = 90%); unset means no band.
    #[serde(default)]
    pub near_band: Option<f64>,
    #[serde(default)]
    pub near_label: Option<String>,
}

fn default_language() -> String {
    "ja".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContact {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLicense {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlan {
    /// The plan's slug: `continues:` references and the open data's `plan_id` name it. For a
    /// plan in content/plans/<slug>/ it is the folder's name (and may be left out).
    #[serde(default)]
    pub id: Option<String>,
    /// `current` (the default) or `ended`: an ended plan is marked 計画期間終了.
    #[serde(default)]
    pub status: Option<String>,
    pub title: String,
    pub period: RawPeriod,
    #[serde(default)]
    pub revision: Option<String>,
    /// When the plan's content last changed (`2024-08-01`); feeds and sitemaps fall back to it.
    #[serde(default)]
    pub updated: Option<ScalarText>,
    /// 基本理念 (Markdown); a plan without one leaves it out.
    #[serde(default)]
    pub philosophy: Option<String>,
    /// 基本方針; a plan without policies leaves them out and lists its measures directly.
    #[serde(default)]
    pub policies: Vec<RawPolicy>,
    /// The sections of every measure sheet, in order; the four of a DX plan when absent.
    #[serde(default)]
    pub sections: Option<Vec<RawSectionDef>>,
    /// Departments with their readings (kana), so that lists of departments sort in 五十音
    /// order like the glossary.
    #[serde(default)]
    pub departments: Vec<RawDepartment>,
}

/// One section a measure sheet may have: the key measures write it under and its heading.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSectionDef {
    pub key: String,
    pub heading: String,
}

/// A department of the plan, with the reading its name sorts by.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDepartment {
    pub name: String,
    #[serde(default)]
    pub reading: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPeriod {
    pub start: ScalarText,
    pub end: ScalarText,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPolicy {
    pub number: u32,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeasure {
    pub id: ScalarText,
    pub title: String,
    /// Required when the plan has policies; absent when it has none.
    #[serde(default)]
    pub policy: Option<u32>,
    /// 主管部署: the one department that leads, when the plan names one.
    #[serde(default)]
    pub lead_department: Option<String>,
    /// 担当課: departments equally responsible, when the plan names no lead.
    #[serde(default)]
    pub departments: Vec<String>,
    /// Measures of other plans this one continues (`ict-2018/1`: plan slug / measure ID).
    #[serde(default)]
    pub continues: Vec<String>,
    #[serde(default)]
    pub related_departments: Vec<RawRelated>,
    #[serde(default)]
    pub lifecycle: Option<RawLifecycle>,
    #[serde(default)]
    pub sections: RawSections,
    #[serde(default)]
    pub schedule: Vec<RawTask>,
    #[serde(default)]
    pub kpis: Vec<RawKpi>,
    /// When the measure's content last changed (`2024-08-01`), for feeds and sitemaps.
    #[serde(default)]
    pub updated: Option<ScalarText>,
    /// 下書き: not published until this is removed (`keikaku build --drafts` shows it).
    #[serde(default)]
    pub draft: bool,
    /// 公開予約: not published before this day (`2026-04-01`).
    #[serde(default)]
    pub publish_date: Option<ScalarText>,
}

/// A related department: a plain name, or a name with the years it was involved.
#[derive(Clone, Debug)]
pub(crate) struct RawRelated {
    pub name: String,
    pub since: Option<ScalarText>,
    pub until: Option<ScalarText>,
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelatedDetailed {
    name: String,
    #[serde(default)]
    since: Option<ScalarText>,
    #[serde(default)]
    until: Option<ScalarText>,
    #[serde(default)]
    note: Option<String>,
}

impl<'de> Deserialize<'de> for RawRelated {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRelated;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a department name, or a mapping with name/since/until/note")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawRelated, E> {
                Ok(RawRelated {
                    name: v.to_string(),
                    since: None,
                    until: None,
                    note: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawRelated, A::Error> {
                let r =
                    RawRelatedDetailed::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawRelated {
                    name: r.name,
                    since: r.since,
                    until: r.until,
                    note: r.note,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLifecycle {
    #[serde(default)]
    pub since: Option<ScalarText>,
    #[serde(default)]
    pub completed: Option<ScalarText>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The sections of a measure sheet, in file order with the keys as written: which keys are
/// allowed is the plan's (`sections:` in plan.yaml), so validation checks them and points at
/// a wrong key instead of serde rejecting it without knowing the plan.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawSections(pub(crate) Vec<(String, Option<String>)>);

impl<'de> Deserialize<'de> for RawSections {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSections;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping from section key (current_state, details…) to text")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawSections, E> {
                Ok(RawSections(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSections, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(RawSections(entries))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTask {
    pub task: String,
    #[serde(default)]
    pub years: Option<Vec<ScalarText>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKpi {
    pub indicator: RawIndicator,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub baseline: Option<CellInput>,
    #[serde(default)]
    pub target: YearMap<CellInput>,
    #[serde(default)]
    pub actual: YearMap<CellInput>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Revisions of the targets (目標の改訂), oldest first.
    #[serde(default)]
    pub revisions: Vec<RawRevision>,
    /// `higher` (default) or `lower`: kept as text so a typo gets a located Japanese message.
    #[serde(default)]
    pub direction: Option<String>,
    /// `cumulative` or `single_year`.
    #[serde(default)]
    pub aggregation: Option<String>,
    /// Per fiscal year, whether a qualitative target was met.
    #[serde(default)]
    pub achieved: YearMap<bool>,
}

/// One revision of a KPI's targets: the plan revision that made it and the targets it replaced.
/// A revision is written once per KPI rather than per cell because one plan revision changes
/// several years at once, for one reason.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRevision {
    pub revision: String,
    #[serde(default)]
    pub reason: Option<String>,
    /// The targets as they were before this revision, for the years it changed.
    pub before: YearMap<CellInput>,
}

/// An annual activity plan (個別施策 年間活動計画), `content/activity/<year>/<ID>.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawActivity {
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    /// 主担当者: accepted so that staff can keep their working copy complete, published only
    /// when `publish_staff_names: true`.
    #[serde(default)]
    pub staff: Option<String>,
    pub goal: String,
    #[serde(default)]
    pub related_measures: Vec<ScalarText>,
    #[serde(default)]
    pub tasks: Vec<RawActivityTask>,
    #[serde(default)]
    pub budget: Option<RawBudget>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawActivityTask {
    pub task: String,
    /// Work planned per quarter, keyed 1–4 (checked in validation so that a bad key is
    /// reported with its line instead of as a type error).
    #[serde(default)]
    pub quarters: QuarterMap,
    #[serde(default)]
    pub progress: Option<String>,
    #[serde(default)]
    pub countermeasures: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBudget {
    pub planned: bool,
    #[serde(default)]
    pub details: Option<String>,
}

/// Work per quarter, in file order with the keys as written (`1`, `Q1`, `第1四半期`).
#[derive(Clone, Debug, Default)]
pub(crate) struct QuarterMap(pub Vec<(String, TextList)>);

impl<'de> Deserialize<'de> for QuarterMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = QuarterMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping from quarter (1, 2, 3, 4) to the work planned")
            }
            fn visit_unit<E: de::Error>(self) -> Result<QuarterMap, E> {
                Ok(QuarterMap(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<QuarterMap, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<ScalarText>()? {
                    entries.push((key.0, map.next_value()?));
                }
                Ok(QuarterMap(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// One text or a list of texts (`1: 協定締結に向け協議` or `1: [情報発信, キャンペーン]`).
#[derive(Clone, Debug, Default)]
pub(crate) struct TextList(pub Vec<String>);

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TextList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a list of texts")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextList, E> {
                Ok(TextList(vec![v.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<TextList, E> {
                Ok(TextList(Vec::new()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<TextList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(TextList(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The indicator (評価項目): one text, or one per fiscal year when its definition changed.
#[derive(Clone, Debug)]
pub(crate) enum RawIndicator {
    Same(String),
    PerYear(YearMap<String>),
}

impl<'de> Deserialize<'de> for RawIndicator {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawIndicator;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an indicator text, or a mapping from fiscal year to text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawIndicator, E> {
                Ok(RawIndicator::Same(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawIndicator, A::Error> {
                YearMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawIndicator::PerYear)
            }
        }
        d.deserialize_any(V)
    }
}

/// A mapping keyed by fiscal year, kept in file order with the keys as written (`R5`,
/// `令和5年度`, `2023`), so that errors can point at the key the author typed.
#[derive(Clone, Debug)]
pub(crate) struct YearMap<T>(pub Vec<(String, T)>);

impl<T> Default for YearMap<T> {
    fn default() -> Self {
        YearMap(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for YearMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = YearMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping from fiscal year (R4, 令和4年度, FY2022) to a value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<YearMap<T>, E> {
                Ok(YearMap(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YearMap<T>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<ScalarText>()? {
                    entries.push((key.0, map.next_value()?));
                }
                Ok(YearMap(entries))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A scalar kept as text whether YAML typed it as a string or a number (`R4`, `2022`, `01-01`),
/// because YAML would otherwise read an unquoted `2022` as an integer and reject it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ScalarText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text or number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGlossary {
    #[serde(default)]
    pub terms: Vec<RawTerm>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTerm {
    pub term: String,
    #[serde(default)]
    pub reading: Option<String>,
    /// Fragment id on the glossary page (derived from the term or reading when absent).
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    pub explanation: String,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFrontMatter {
    pub title: String,
    #[serde(default)]
    pub order: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the page is one of the plan's chapters that belong in the main navigation
    /// (beside 施策一覧), not only in the footer.
    #[serde(default)]
    pub main_nav: bool,
    /// When the page last changed (`2024-08-01`), for feeds and sitemaps.
    #[serde(default)]
    pub updated: Option<ScalarText>,
    /// 下書き, as on a measure.
    #[serde(default)]
    pub draft: bool,
    /// 公開予約, as on a measure.
    #[serde(default)]
    pub publish_date: Option<ScalarText>,
}
