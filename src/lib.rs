//! keikaku (計画): turns a city's plan — policies, measures, KPIs, glossary — kept as YAML and
//! Markdown into an accessible static website. The modules follow the data:
//! load → validate → model → render → output, with the shared concepts (fiscal years, the KPI
//! cell grammar, URLs, Markdown, diagnostics) each in one module that every stage calls.

#![warn(unreachable_pub, missing_docs)]

pub mod build;
pub mod cli;
pub(crate) mod date;
pub mod diagnostics;
pub mod fiscal;
/// Bodies of the fuzz targets (fuzz/), shared with the regression tests.
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod glossary;
pub mod i18n;
pub mod interface;
pub mod kpi;
pub mod language;
pub(crate) mod load;
pub(crate) mod markdown;
pub mod model;
pub mod output;
pub mod progress;
pub mod render;
pub mod ruby;
pub(crate) mod text;
pub mod translate;
pub mod url;
pub mod validate;
