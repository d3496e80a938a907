//! Accessible SVG charts, drawn with plotters into a compact SVG backend of our own: one per
//! numeric KPI ([`kpi`]), a schedule chart per measure ([`schedule`]) and a status summary for
//! the home and policy pages ([`summary`]). Every chart carries a `<title>` and a `<desc>` generated from the data, is
//! published inline in its page (beside the full data table) and as a standalone `.svg` file
//! next to the page for download. [`svg`] is the drawing surface and the accessible wrapping;
//! [`backend`] writes the SVG elements (why not plotters' own SVG backend is said there);
//! [`text`] measures Japanese text; [`icons`] draws the status shapes shared with the pages.

pub(crate) mod backend;
pub(crate) mod icons;
pub(crate) mod kpi;
pub(crate) mod schedule;
pub(crate) mod summary;
pub(crate) mod svg;
pub(crate) mod text;

use serde::Serialize;

use crate::output::Output;

/// A chart as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChartView {
    /// Inline SVG markup.
    pub svg: String,
    /// Link to the standalone file, relative to the page.
    pub href: String,
    pub title: String,
}

/// Builds the view of a chart and the standalone file written next to the page at
/// `page_dir` (a route like `measures/01-01/`).
pub(crate) fn publish(
    rendered: svg::Rendered,
    title: String,
    page_dir: &str,
    file_name: &str,
) -> (ChartView, Output) {
    let view = ChartView {
        svg: rendered.inline,
        href: file_name.to_string(),
        title,
    };
    let file = Output::new(format!("{page_dir}{file_name}"), rendered.standalone);
    (view, file)
}
