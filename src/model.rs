//! The validated site: every value typed, every reference resolved. Rendering reads only this,
//! so nothing after validation ever has to handle a malformed input.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::fiscal::FiscalYear;
use crate::kpi::cell::Cell;

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
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize)]
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
    pub indicator: BTreeMap<FiscalYear, String>,
    pub unit: Option<String>,
    pub baseline: Option<Cell>,
    pub target: BTreeMap<FiscalYear, Cell>,
    pub actual: BTreeMap<FiscalYear, Cell>,
    /// Markdown.
    pub notes: Option<String>,
}

impl Kpi {
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
    pub reading: Option<String>,
    pub aliases: Vec<String>,
    /// Markdown.
    pub explanation: String,
}

#[derive(Clone, Debug)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub order: i64,
    pub description: Option<String>,
    /// Markdown.
    pub body: String,
    pub source: PathBuf,
}
