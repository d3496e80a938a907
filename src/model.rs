//! The validated site: every value typed, every reference resolved. Rendering reads only this,
//! so nothing after validation ever has to handle a malformed input.
//!
//! Every stage uses this module, so it uses none of them: besides plain data it holds only the
//! small vocabularies that data is made of (a KPI's [`Direction`], the site's achievement
//! [`Rules`], the [`RawHtml`] setting), and it depends only on the value types below it —
//! fiscal years, dates, positions, KPI cells, the progress vocabulary, the site languages. What those values mean
//! is decided above it: [`crate::kpi::achievement`] judges a [`Kpi`], `crate::markdown`
//! renders its text.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::date::Date;
use crate::diagnostics::Position;
use crate::fiscal::{ByYear, Era, FiscalYear};
use crate::kpi::cell::Cell;
use crate::language::Language;
use crate::progress::{StatusId, Vocabulary};

/// The whole validated site, which every page and data file is rendered from.
#[derive(Clone, Debug)]
pub struct Site {
    /// The site settings of `config.yaml`.
    pub config: Config,
    /// The plan of `content/plan.yaml`: its period, philosophy and policies.
    pub plan: Plan,
    /// Sorted by ID.
    pub measures: Vec<Measure>,
    /// In file order; the glossary page decides its own order.
    pub glossary: Vec<Term>,
    /// Sorted by (order, slug).
    pub pages: Vec<Page>,
    /// Annual activity plans, sorted by (year, measure ID); every plan's measure exists.
    pub activity: Vec<ActivityPlan>,
    /// Where this plan's pages are, relative to the site root: empty for the plan at
    /// `content/`, `ict-2018/` for the plan at `content/plans/ict-2018/`.
    pub prefix: String,
    /// The site's other plans (`content/plans/<slug>/`), by slug; empty on those plans
    /// themselves and in a single-plan site.
    pub others: Vec<Site>,
    /// Every plan of the site, as home pages list them: the current plan first, then the
    /// others by period, newest first. Empty in a single-plan site.
    pub plan_list: Vec<PlanEntry>,
    /// The language this value of the site is in: Japanese as loaded; another language in
    /// the copies [`crate::translate::localize`] makes for the other language trees, whose
    /// prefixes then start with that language's folder (`en/`, `en/ict-2018/`).
    pub language: Language,
    /// In a language tree, the texts a translation gave (the rest are shown in Japanese);
    /// empty, and never asked, in the Japanese site.
    pub translated: Translated,
    /// The translation files of this plan (and, on the main plan, of config.yaml), by
    /// language, as validated; [`crate::translate::localize`] applies one of them.
    pub translations: Translations,
    /// How departments are named in this tree, by their Japanese name (which stays the key
    /// everywhere: pages group and link by it). Empty in the Japanese site; see
    /// [`Site::department_name`].
    pub department_names: BTreeMap<String, String>,
    /// The department names of [`Site::department_names`] with furigana (`{課|か}`), in the
    /// やさしい日本語 tree; see [`Site::department_name_ruby`].
    pub department_ruby: BTreeMap<String, String>,
    /// The site's and the plan's titles as a translation wrote them, furigana included
    /// (`{木更津市|きさらづし}の…`), by their [`Translated`] path (`plan.site_title`,
    /// `plan.title`, `plan.revision`): the model's fields hold the plain words, for `<title>` and feeds; the
    /// header and the home page's heading show these. Empty in the Japanese site.
    pub title_ruby: BTreeMap<&'static str, String>,
}

/// The translation files of one plan, one [`Translation`] per language that has any.
#[derive(Clone, Debug, Default)]
pub struct Translations(pub BTreeMap<Language, Translation>);

impl Translations {
    /// The texts of `language`, if any file gave some.
    pub fn get(&self, language: Language) -> Option<&Translation> {
        self.0.get(&language)
    }
}

/// What the translation files of one language say about one plan. Only texts: every figure,
/// year, judgement and assignment comes from the Japanese files. Each `None` or missing entry
/// falls back to the Japanese text.
#[derive(Clone, Debug, Default)]
pub struct Translation {
    /// `config.<s>.yaml`: `title`.
    pub site_title: Option<String>,
    /// `config.<s>.yaml`: `city`.
    pub city: Option<String>,
    /// `config.<s>.yaml`: `contact.name`.
    pub contact_name: Option<String>,
    /// `config.<s>.yaml`: `data_license.name`.
    pub license_name: Option<String>,
    /// `plan.<s>.yaml`: `title`.
    pub plan_title: Option<String>,
    /// `plan.<s>.yaml`: `revision`.
    pub revision: Option<String>,
    /// `plan.<s>.yaml`: `philosophy` (Markdown).
    pub philosophy: Option<String>,
    /// `plan.<s>.yaml`: `policies`, by policy number.
    pub policies: BTreeMap<u32, PolicyText>,
    /// `plan.<s>.yaml`: `sections`, heading by section key.
    pub section_headings: BTreeMap<String, String>,
    /// `plan.<s>.yaml`: `departments`, by the Japanese name.
    pub departments: BTreeMap<String, String>,
    /// `measures/<id>.<s>.yaml`, by measure ID.
    pub measures: BTreeMap<String, MeasureText>,
    /// `pages/<slug>.<s>.md`, by slug.
    pub pages: BTreeMap<String, PageText>,
    /// `glossary.<s>.yaml`, by the Japanese term.
    pub terms: BTreeMap<String, TermText>,
}

/// A policy's translated texts.
#[derive(Clone, Debug, Default)]
pub struct PolicyText {
    /// The policy's name.
    pub title: Option<String>,
    /// Its summary (Markdown).
    pub summary: Option<String>,
}

/// A measure's translated texts.
#[derive(Clone, Debug, Default)]
pub struct MeasureText {
    /// 施策名.
    pub title: Option<String>,
    /// Section texts (Markdown) by section key.
    pub sections: BTreeMap<String, String>,
    /// One entry per schedule row of the original, in order (`None`: row not translated).
    pub tasks: Vec<Option<String>>,
    /// One entry per KPI of the original, in order.
    pub kpis: Vec<KpiText>,
}

/// A KPI's translated texts.
#[derive(Clone, Debug, Default)]
pub struct KpiText {
    /// The indicator, one text for every year.
    pub indicator: Option<String>,
    /// The notes (Markdown).
    pub notes: Option<String>,
}

/// A page's translated texts.
#[derive(Clone, Debug, Default)]
pub struct PageText {
    /// The page's heading.
    pub title: Option<String>,
    /// Its `<meta name="description">`.
    pub description: Option<String>,
    /// The Markdown body, when it has any text.
    pub body: Option<String>,
}

/// A glossary entry's translated texts.
#[derive(Clone, Debug, Default)]
pub struct TermText {
    /// The term's name in the language.
    pub name: Option<String>,
    /// Its explanation (Markdown).
    pub explanation: Option<String>,
}

/// The texts of a language tree that are in its language, by path:
///
/// - `plan.title`, `plan.philosophy`, `plan.revision`, `plan.city`, `plan.site_title`
/// - `config.contact` (the contact's name), `config.license` (the data licence's name)
/// - `plan.<slug>.title`: another plan's title, as the plan list and lineage links show it
/// - `policy.<number>.title`, `policy.<number>.summary`
/// - `section.<key>.heading` (a heading the plan declares under `sections:`)
/// - `measure.<id>.title`, `measure.<id>.section.<key>`, `measure.<id>.kpi.<number>.indicator`,
///   `measure.<id>.kpi.<number>.notes` (KPI numbers from 1, as [`Kpi::number`]),
///   `measure.<id>.task.<index>` (a schedule row, counted from 0)
/// - `measure.<slug>/<id>.title`: a measure of another plan, as a lineage link shows it
/// - `page.<slug>.title`, `page.<slug>.description`, `page.<slug>.body`
/// - `term.<anchor>.term`, `term.<anchor>.explanation`
/// - `department.<name as written in Japanese>`
///
/// Whatever a translation does not give falls back to the Japanese text, which pages then mark
/// `lang="ja"` with a note in the page's language (`render::view::lang_of`).
#[derive(Clone, Debug, Default)]
pub struct Translated(BTreeSet<String>);

impl Translated {
    /// Records that the text at `path` is in the tree's language.
    pub fn insert(&mut self, path: impl Into<String>) {
        self.0.insert(path.into());
    }

    /// Whether the text at `path` is in the tree's language.
    pub fn has(&self, path: &str) -> bool {
        self.0.contains(path)
    }

    /// How many texts are translated.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is translated.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Site {
    /// Whether the text at `path` (see [`Translated`]) is shown in this site's language: always
    /// in the Japanese site, and in another language's tree when a translation gave it.
    pub fn in_own_language(&self, path: &str) -> bool {
        self.language == Language::Japanese || self.translated.has(path)
    }

    /// The department `name` (its Japanese name, as measures write it) as this tree names it:
    /// its translation, or `name` itself (then shown in Japanese; path `department.<name>`).
    /// Plain text, for attributes and plain outputs as well as HTML.
    pub fn department_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.department_names.get(name).map_or(name, String::as_str)
    }

    /// The title at `path` (`plan.site_title`, `plan.title`) as HTML: with its furigana
    /// where this tree's translation wrote some, else escaped.
    pub fn title_html(&self, path: &str, plain: &str) -> String {
        match self.title_ruby.get(path) {
            Some(written) => crate::ruby::to_html(written),
            None => crate::kpi::words::escape(plain),
        }
    }

    /// The department `name` with furigana (`{情報政策課|じょうほうせいさくか}`), when this tree
    /// gives it some (the やさしい日本語 tree, from the plan's department readings): render it
    /// with `crate::ruby::to_html`; `None` elsewhere, where [`Site::department_name`] is all.
    pub fn department_name_ruby(&self, name: &str) -> Option<&str> {
        self.department_ruby.get(name).map(String::as_str)
    }
}

/// One plan of a site of several plans, as the home page lists it.
#[derive(Clone, Debug, Serialize)]
pub struct PlanEntry {
    /// The plan's slug (`ict-2018`): `continues:` and the open data's `plan_id` name it.
    pub slug: String,
    /// Where its pages are, relative to the site root (`""` or `ict-2018/`).
    pub prefix: String,
    /// 計画名.
    pub title: String,
    /// 計画期間, as pages show it.
    pub period_label: String,
    /// Whether the plan is marked 計画期間終了.
    pub ended: bool,
    /// Whether it is the plan the site presents as current (`current_plan:` in config.yaml).
    pub current: bool,
    /// How many measures it has.
    pub measure_count: usize,
}

/// A measure of some plan of the site, as `continues:` names it (`ict-2018/1`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MeasureRef {
    /// The plan's slug.
    pub plan: String,
    /// The measure's ID in that plan.
    pub id: String,
}

impl MeasureRef {
    /// Reads `plan/id`; `None` when either part is missing.
    pub fn parse(text: &str) -> Option<MeasureRef> {
        let (plan, id) = text.trim().split_once('/')?;
        let (plan, id) = (plan.trim(), id.trim());
        (!plan.is_empty() && !id.is_empty()).then(|| MeasureRef {
            plan: plan.to_string(),
            id: id.to_string(),
        })
    }
}

/// A measure of another plan of the site, as a lineage link shows it.
#[derive(Clone, Debug)]
pub struct LinkedMeasure {
    /// The plan's slug and the measure's ID.
    pub at: MeasureRef,
    /// The plan's title (計画名).
    pub plan_title: String,
    /// Where the plan's pages are (`""` or `ict-2018/`).
    pub prefix: String,
    /// The measure's title (施策名).
    pub title: String,
}

impl std::fmt::Display for MeasureRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.plan, self.id)
    }
}

impl Site {
    /// Whether the plan's title already starts with the city's name (「木更津市DX推進計画」),
    /// so that text which would put the city before it names the city once.
    pub fn title_names_city(&self) -> bool {
        self.plan.title.starts_with(self.config.city.as_str())
    }

    /// The plan's title with the city before it, joined by `joint` (「の」, 「・」), unless the
    /// title already names the city.
    pub fn plan_with_city(&self, joint: &str) -> String {
        match self.title_names_city() {
            true => self.plan.title.clone(),
            false => format!("{}{joint}{}", self.config.city, self.plan.title),
        }
    }

    /// How many folders below the site root this plan's pages are (0, or 1 for `ict-2018/`).
    pub fn prefix_depth(&self) -> usize {
        self.prefix.matches('/').count()
    }

    /// Every plan of the site, this one first: itself and its other plans (a single-plan
    /// site, or one of the other plans alone, gives only itself).
    pub fn plans(&self) -> Vec<&Site> {
        std::iter::once(self).chain(self.others.iter()).collect()
    }

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
        // The plan's date once, not once per measure: it reads the revision text.
        let plan = self.plan_updated();
        let measures = self.measures.iter().map(|m| m.updated.unwrap_or(plan));
        let pages = self.pages.iter().map(|p| p.updated.unwrap_or(plan));
        measures.chain(pages).fold(plan, std::cmp::max)
    }

    /// The plans of one fiscal year, in measure ID order: a slice of [`Site::activity`]
    /// (sorted by year first), found by binary search.
    pub fn activity_in(&self, year: FiscalYear) -> &[ActivityPlan] {
        let start = self.activity.partition_point(|a| a.year < year);
        let end = self.activity.partition_point(|a| a.year <= year);
        &self.activity[start..end]
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
            if let Ok(i) = year.binary_search_by(|a| compare_ids(&a.measure_id, measure_id)) {
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

    /// How many KPIs the plan has in all.
    pub fn kpi_count(&self) -> usize {
        self.measures.iter().map(|m| m.kpis.len()).sum()
    }

    /// Whether any measure has a KPI: pages and open data mention KPIs only then.
    pub fn has_kpis(&self) -> bool {
        self.measures.iter().any(|m| !m.kpis.is_empty())
    }

    /// Whether any measure names a department at all (lead, responsible or related): a plan
    /// that names none has no departments page and no departments table.
    pub fn has_departments(&self) -> bool {
        self.measures.iter().any(|m| {
            m.lead_department.is_some()
                || !m.departments.is_empty()
                || !m.related_departments.is_empty()
        })
    }

    /// Whether the plan's measures name related departments (関連部署) at all: only then do
    /// pages say 「なし」 for a measure without them.
    pub fn uses_related_departments(&self) -> bool {
        self.measures
            .iter()
            .any(|m| !m.related_departments.is_empty())
    }
}

/// The measure with this ID in `measures`, sorted by ID (as [`Site::measures`] is).
pub fn find_measure<'a>(measures: &'a [Measure], id: &str) -> Option<&'a Measure> {
    measures
        .binary_search_by(|m| compare_ids(&m.id, id))
        .ok()
        .map(|i| &measures[i])
}

/// The order of measure IDs everywhere — indexes, prev/next, open data, the sitemap: runs of
/// digits compare as numbers, so a plan numbered `1`…`14` reads 1, 2, …, 10 rather than 1, 10,
/// 11, 2. Zero-padded IDs of one width (`01-01`) keep their text order. IDs that differ only in
/// leading zeros (`1`, `01`) fall back to text order, so that the order is total and agrees
/// with equality (binary searches rely on it).
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let (m, rest_x) = split_digits(x);
                let (n, rest_y) = split_digits(y);
                let (m, n) = (trim_zeros(m), trim_zeros(n));
                let by_value = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(p), Some(q)) => {
                if p != q {
                    return p.cmp(q);
                }
                (x, y) = (&x[1..], &y[1..]);
            }
        }
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(s.len());
    s.split_at(end)
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&c| c != b'0').unwrap_or(s.len());
    &s[start..]
}

/// The site settings (`config.yaml`), with defaults filled in.
#[derive(Clone, Debug)]
pub struct Config {
    /// サイト名: the name in every page's header and `<title>`.
    pub title: String,
    /// 自治体名: the publisher named on the home page, in the feed and in the data package.
    pub city: String,
    /// The city's 全国地方公共団体コード (six digits, check digit verified), when the site
    /// gives it: the first column of every open-data table.
    pub city_code: Option<String>,
    /// Always ends with `/`.
    pub base_url: String,
    /// The language tag of the pages and the feed (`ja` unless set).
    pub language: String,
    /// The theme folder under `themes/` whose templates override the built-in ones.
    pub theme: String,
    /// 問い合わせ先, shown in the footer when set.
    pub contact: Option<Contact>,
    pub(crate) data_license: License,
    /// The progress words activity plans may use (built-in plus the site's own).
    pub progress: Vocabulary,
    /// Whether staff names (主担当者) of activity plans are published.
    pub publish_staff_names: bool,
    /// How achievement is judged site-wide (the optional 概ね達成 band).
    pub achievement: Rules,
    /// Whether links name `index.html` explicitly, for browsing from `file://`
    /// (see `crate::url::file_system_links`).
    pub file_links: bool,
    /// HTML inside Markdown: sanitised unless the site trusts its editors.
    pub raw_html: RawHtml,
    /// The site's own search synonyms (`search.synonyms`), added to the built-in ones.
    pub search_synonyms: Vec<Vec<String>>,
    /// The languages the site is published in, as `config.yaml` lists them; always holds
    /// [`Language::Japanese`], which is the default.
    pub languages: Vec<Language>,
    /// The site's dictionary of readings (word → kana), for furigana (`crate::ruby`).
    pub readings: BTreeMap<String, String>,
    /// How many entries one page of a long listing holds (`page_size`; see
    /// `crate::render::pages::paging`).
    pub page_size: usize,
    /// The slug of the plan presented as current in a site of several plans; `None`: the
    /// plan at `content/`.
    pub current_plan: Option<String>,
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
    /// The 概ね達成 band; `None` judges only 達成 and 未達成.
    pub near: Option<NearBand>,
}

/// What happens to HTML that authors write inside Markdown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum RawHtml {
    /// Kept only as far as the allow-list of `crate::markdown::sanitise` permits (the default).
    #[default]
    Sanitise,
    /// Passed through unchanged: only for sites whose editors are trusted with HTML.
    Trust,
}

impl Config {
    /// Who to contact, as pages and metadata name them: the city and the contact's name
    /// (「木更津市 企画部 情報経営課」), or the name alone when it already starts with the
    /// city (a contact named 「木更津市」 is not 「木更津市 木更津市」).
    pub fn contact_name(&self) -> Option<String> {
        self.contact.as_ref().map(|c| {
            let name = c.name.trim();
            match name.starts_with(self.city.as_str()) {
                true => name.to_string(),
                false => format!("{} {name}", self.city),
            }
        })
    }
}

/// The office that answers questions about the plan (`contact:`).
#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    /// The office's name (部署名).
    pub name: String,
    /// A mail address, linked with `mailto:`.
    pub email: Option<String>,
    pub(crate) phone: Option<String>,
    /// The office's web page.
    pub url: Option<String>,
}

/// The licence the open data is published under (`data_license:`).
#[derive(Clone, Debug, Serialize)]
pub struct License {
    /// As shown on the data page and written into the data package.
    pub name: String,
    /// Where the licence text is.
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

/// An inclusive span of fiscal years: the plan period, or the years a measure runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// The first fiscal year.
    pub start: FiscalYear,
    /// The last fiscal year, included.
    pub end: FiscalYear,
}

impl Period {
    /// Whether `year` is inside the period, both ends included.
    pub fn contains(&self, year: FiscalYear) -> bool {
        self.start <= year && year <= self.end
    }

    /// Every fiscal year of the period, oldest first.
    pub fn years(&self) -> Vec<FiscalYear> {
        FiscalYear::range_inclusive(self.start, self.end).collect()
    }
}

/// The plan itself (`content/plan.yaml`).
#[derive(Clone, Debug)]
pub struct Plan {
    /// 計画名.
    pub title: String,
    /// 計画期間: the fiscal years every KPI table and chart spans.
    pub period: Period,
    /// The eras the plan wrote its first and last year in (`period.start: 平成30年度`), so
    /// that pages show 平成31年度 as the plan does rather than only as 令和元年度.
    pub period_written: [Option<Era>; 2],
    /// 改訂, shown as written (`令和6年8月改訂`); also the plan's date when `updated` is not set.
    pub revision: Option<String>,
    /// When the plan's content last changed, if the file says.
    pub updated: Option<Date>,
    /// 基本理念, Markdown; not every plan has one.
    pub philosophy: Option<String>,
    /// Sorted by number; empty for a plan that lists its measures without policies.
    pub policies: Vec<Policy>,
    /// The sections a measure sheet may have, in the order pages show them.
    pub sections: Vec<SectionDef>,
    /// Readings (kana) of department names, for sorting lists of departments.
    pub department_readings: BTreeMap<String, String>,
    /// Every department the plan lists under `departments:`, with or without a reading; empty
    /// when it lists none (then any name goes).
    pub listed_departments: BTreeSet<String>,
    /// The plan's slug (`id:` in plan.yaml, or its folder under content/plans/).
    pub id: Option<String>,
    /// Whether the plan has ended (`status: ended`): its pages are marked 計画期間終了.
    pub ended: bool,
}

impl Plan {
    /// The plan period as pages print it: `令和4年度（2022年度）〜令和7年度（2025年度）`, each end
    /// in the era the plan wrote it in (`平成30年度（2018年度）〜平成31年度（令和元年度・2019年度）`).
    pub fn period_label(&self) -> String {
        format!(
            "{}〜{}",
            (self.period.start).label_long_as_written(self.period_written[0]),
            (self.period.end).label_long_as_written(self.period_written[1])
        )
    }

    /// A year of the plan as tables print it, in the era the plan wrote its period in
    /// (`平成31年度（令和元年度）` in a plan that ends 平成31年度).
    pub fn year_label(&self, year: FiscalYear) -> String {
        let written = match year == self.period.start {
            true => self.period_written[0],
            false => self.period_written[1],
        };
        year.label_as_written(written)
    }

    /// The policy with this number, if the plan has it.
    pub fn policy(&self, number: u32) -> Option<&Policy> {
        self.policies.iter().find(|p| p.number == number)
    }

    /// The declared section with this key.
    pub fn section(&self, key: &str) -> Option<&SectionDef> {
        self.sections.iter().find(|s| s.key == key)
    }
}

/// A section of the measure sheet as the plan declares it (`sections:` in plan.yaml).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionDef {
    /// What measures write it under (`current_state`); `[a-z0-9_]`.
    pub key: String,
    /// What pages call it (現状と課題).
    pub heading: String,
}

impl SectionDef {
    /// The four sections of the DX plan's measure sheets: a plan that declares none has these.
    pub fn defaults() -> Vec<SectionDef> {
        [
            ("current_state", "現状と課題"),
            ("details", "施策内容詳細"),
            ("expected_effects", "施策の実施により期待される効果"),
            ("future_policy", "今後の取組方針・取組内容"),
        ]
        .into_iter()
        .map(|(key, heading)| SectionDef {
            key: key.to_string(),
            heading: heading.to_string(),
        })
        .collect()
    }

    /// The fragment id of the section on a measure page (`current-state`).
    pub fn anchor(&self) -> String {
        self.key.replace('_', "-")
    }
}

/// A basic policy (基本方針) of the plan, which measures belong to.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The number measures refer to (`policy:`); unique, positive.
    pub number: u32,
    /// The policy's name.
    pub title: String,
    /// As written, when it holds furigana (`{木更津|きさらづ}`, `crate::ruby`); `title` is then
    /// its words only, for every output that is plain text or does not show ruby yet.
    pub title_ruby: Option<String>,
    /// Markdown.
    pub summary: String,
}

/// A measure (施策) with its sections, schedule and KPIs, from `content/measures/<ID>.yaml`.
#[derive(Clone, Debug)]
pub struct Measure {
    /// 施策ID (`01-01`): the measure's URL and file name; `0-9 A-Z a-z -` only.
    pub id: String,
    /// 施策名.
    pub title: String,
    /// As written, when it holds furigana (`{木更津|きさらづ}`, `crate::ruby`); `title` is then
    /// its words only, for every output that is plain text or does not show ruby yet.
    pub title_ruby: Option<String>,
    /// The policy it belongs to; `None` only in a plan without policies.
    pub policy: Option<u32>,
    /// 主管部署, when the plan names one department as the lead.
    pub lead_department: Option<String>,
    /// 担当課: departments equally responsible, when the plan names no lead.
    pub departments: Vec<String>,
    /// The measures of other plans this one continues (`continues:`), each one that exists.
    pub continues: Vec<MeasureRef>,
    /// Those measures with their titles and plans, for the page's link 「…を引き継いでいます」.
    pub predecessors: Vec<LinkedMeasure>,
    /// The measures of other plans that continue this one (the other side of `continues:`).
    pub successors: Vec<LinkedMeasure>,
    /// 関連部署, in file order.
    pub related_departments: Vec<RelatedDepartment>,
    /// The fiscal years the measure runs, within the plan period.
    pub active: Period,
    /// Set when the measure ended before the plan period did.
    pub completed: Option<FiscalYear>,
    /// Set when the measure started after the plan period did.
    pub added: Option<FiscalYear>,
    pub(crate) lifecycle_note: Option<String>,
    /// The narrative sections of the measure sheet, in the plan's order.
    pub sections: Sections,
    /// 取組みスケジュール: the tasks and the years each runs.
    pub schedule: Vec<Task>,
    /// 成果目標①②③…, in file order.
    pub kpis: Vec<Kpi>,
    /// When the measure's content last changed, if the file says.
    pub updated: Option<Date>,
    /// Draft or scheduled: whether (and from when) it is published.
    pub publication: Publication,
    /// The file it came from, relative to the site root.
    pub source: PathBuf,
}

/// Whether a measure or page is published: `draft: true` keeps it back until the line is
/// removed, `publish_date:` until that day. A build leaves out what is not published on its
/// build date (see `crate::build::drafts`); `serve` shows it with a 下書き banner.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Publication {
    /// `draft: true`.
    pub draft: bool,
    /// `publish_date:`: not published before this day.
    pub publish_date: Option<Date>,
}

impl Publication {
    /// Published on `today`: not a draft, and its publish date (if any) has come.
    pub fn is_published(&self, today: Date) -> bool {
        !self.draft && self.publish_date.is_none_or(|d| d <= today)
    }

    /// What the 下書き banner of a preview says, `None` for a published page. A build
    /// settles every publication against its date first (a published one becomes the
    /// default), so a publication other than the default is one not published on that date.
    pub fn banner(&self) -> Option<String> {
        match (self.draft, self.publish_date) {
            _ if *self == Publication::default() => None,
            (true, _) => Some(
                "このページはまだ公開されません（draft: true）。公開するサイトには含まれません"
                    .to_string(),
            ),
            (false, Some(d)) => Some(format!(
                "公開予約: このページは {d} から公開されます（publish_date: {d}）。それまでは公開するサイトに含まれません"
            )),
            (false, None) => None,
        }
    }
}

/// A department that shares a measure, possibly for only part of the plan period.
#[derive(Clone, Debug)]
pub struct RelatedDepartment {
    /// The department's name.
    pub name: String,
    /// The first fiscal year it was related; `None` from the start.
    pub since: Option<FiscalYear>,
    /// The last fiscal year it was related; `None` to the end.
    pub until: Option<FiscalYear>,
    /// Why it joined or left, shown beside the name.
    pub note: Option<String>,
}

impl Measure {
    /// The departments responsible for the measure: its lead, or its equally responsible
    /// departments (none when the plan names none).
    pub fn responsible(&self) -> impl Iterator<Item = &str> {
        self.lead_department
            .as_deref()
            .into_iter()
            .chain(self.departments.iter().map(String::as_str))
    }

    /// Who is responsible, as lists print it (`主管部署: 情報政策課`, `担当課: 企画課、総務課`);
    /// `None` when the plan names no department.
    pub fn responsibility_label(&self) -> Option<String> {
        match (&self.lead_department, self.departments.is_empty()) {
            (Some(lead), _) => Some(format!("主管部署: {lead}")),
            (None, false) => Some(format!("担当課: {}", self.departments.join("、"))),
            (None, true) => None,
        }
    }

    /// Whether the measure has nothing to show beyond its title: no section text, no KPI, no
    /// schedule (`check` warns about it).
    pub fn is_blank(&self) -> bool {
        self.sections.iter().all(|(_, t)| t.trim().is_empty())
            && self.kpis.is_empty()
            && self.schedule.is_empty()
    }
}

/// The narrative sections of a measure sheet as (key, Markdown), in the order the plan
/// declares them; only the sections the measure writes.
#[derive(Clone, Debug, Default)]
pub struct Sections(pub Vec<(String, String)>);

impl Sections {
    /// The text of the section with this key, when the measure writes it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, t)| t.as_str())
    }

    /// Every section with its key, in the plan's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, t)| (k.as_str(), t.as_str()))
    }

    /// Every section's text, in the plan's order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(_, t)| t.as_str())
    }

    /// The section that says best what the measure is, for a page's description and the
    /// feed's summary: its details, else its current state, else the first it has.
    pub fn lead(&self) -> Option<&str> {
        self.get("details")
            .or_else(|| self.get("current_state"))
            .or_else(|| self.texts().next())
    }
}

/// One row of a measure's 取組みスケジュール.
#[derive(Clone, Debug)]
pub struct Task {
    /// 取組内容.
    pub name: String,
    /// 実施年度, oldest first; the measure's whole period when the file names none.
    pub years: Vec<FiscalYear>,
}

/// A KPI (成果目標) of a measure: what is measured, and its targets and actuals per fiscal year.
#[derive(Clone, Debug)]
pub struct Kpi {
    /// 1-based, as printed: 成果目標①.
    pub number: usize,
    /// The indicator text per fiscal year of the plan period (the same text repeated when it
    /// never changed), so that a change of definition is visible year by year.
    pub indicator: ByYear<String>,
    /// 単位 as written; `None` when the file leaves it to the cells.
    pub unit: Option<String>,
    /// 基準値; when numeric, pages also show the progress from it.
    pub baseline: Option<Cell>,
    /// 目標 per fiscal year: the current targets (earlier ones are in `revisions`).
    pub target: ByYear<Cell>,
    /// 実績 per fiscal year; a year not yet reported is absent.
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

    /// The direction as pages name it (多いほど良い / 少ないほど良い).
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
    /// 累計: each year's figure includes the years before.
    Cumulative,
    /// 単年度: each year's figure counts that year only.
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

    /// The aggregation as pages name it (累計 / 単年度).
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
    /// 理由, shown with the revised targets.
    pub reason: Option<String>,
    /// The targets before this revision, for the years it changed.
    pub before: ByYear<Cell>,
}

/// One change of one year's target: from `before` to `after` by `revision`.
#[derive(Clone, Debug)]
pub struct TargetChange<'a> {
    /// The revision that made the change (`令和6年8月改訂`).
    pub revision: &'a str,
    /// Why, when the revision says.
    pub reason: Option<&'a str>,
    /// The target the revision replaced.
    pub before: &'a Cell,
    /// The target it set: the next revision's `before`, or the current target.
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

/// A glossary entry (用語の説明) of `content/glossary.yaml`.
#[derive(Clone, Debug)]
pub struct Term {
    /// 用語: the name the entry is listed and linked under.
    pub term: String,
    /// Kana; present whenever the term has kanji.
    pub reading: Option<String>,
    /// 別名: other names that also link to this entry.
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

/// A free-standing page (`content/pages/<slug>.md`), such as このサイトについて.
#[derive(Clone, Debug)]
pub struct Page {
    /// The file name without `.md`, which is also the URL (`about` → `/about/`).
    pub slug: String,
    /// The page's heading and navigation label.
    pub title: String,
    /// Position in the navigation, lower first (0 unless the front matter says).
    pub order: i64,
    /// The `<meta name="description">` of the page.
    pub description: Option<String>,
    /// Whether the main navigation links it (`main_nav: true`), after ホーム, in page order.
    pub main_nav: bool,
    /// Markdown.
    pub body: String,
    /// When the page last changed, if its front matter says.
    pub updated: Option<Date>,
    /// Draft or scheduled, as for a measure.
    pub publication: Publication,
    /// The file it came from, relative to the site root.
    pub source: PathBuf,
}

/// An annual activity plan (個別施策 年間活動計画) of one measure for one fiscal year.
#[derive(Clone, Debug)]
pub struct ActivityPlan {
    /// The measure it plans; that measure exists.
    pub measure_id: String,
    /// The fiscal year it plans (its folder under `content/activity/`).
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
    /// The rows of the plan (取組内容ごとの計画), in file order.
    pub tasks: Vec<ActivityTask>,
    /// 次年度予算化予定, when the file says.
    pub budget: Option<Budget>,
    /// The file it came from, relative to the site root.
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
    /// 取組内容.
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
    /// Whether budgeting for the next fiscal year is planned (有 / 無).
    pub planned: bool,
    /// 調達内容: what is to be budgeted.
    pub details: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::compare_ids;
    use std::cmp::Ordering;

    fn sorted(ids: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare_ids(a, b));
        v
    }

    #[test]
    fn numbers_sort_as_numbers() {
        assert_eq!(
            sorted(&["10", "2", "1", "14", "3"]),
            ["1", "2", "3", "10", "14"]
        );
        assert_eq!(
            sorted(&["1-10", "1-9", "2-1", "1-01"]),
            ["1-01", "1-9", "1-10", "2-1"]
        );
    }

    #[test]
    fn zero_padded_ids_keep_their_text_order() {
        let ids = ["01-01", "01-02", "01-10", "02-01", "10-01", "a", "a1", "b"];
        let mut text = ids.to_vec();
        text.sort();
        assert_eq!(sorted(&ids), text);
    }

    #[test]
    fn the_order_is_total() {
        assert_eq!(compare_ids("1", "01"), "1".cmp("01"));
        assert_ne!(compare_ids("1", "01"), Ordering::Equal);
        assert_eq!(compare_ids("7", "7"), Ordering::Equal);
    }
}
