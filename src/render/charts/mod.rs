//! Accessible SVG charts, drawn with plotters into a compact SVG backend of our own: one per
//! numeric KPI ([`kpi`]), a schedule chart per measure ([`schedule`]) and a status summary for
//! the home and policy pages ([`summary`]). Every chart carries a `<title>` and a `<desc>` generated from the data, is
//! published inline in its page (beside the full data table) and as a standalone `.svg` file
//! next to the page for download. [`svg`] is the drawing surface and the accessible wrapping;
//! [`backend`] writes the SVG elements (why not plotters' own SVG backend is said there);
//! [`text`] measures Japanese text; [`icons`] draws the status shapes shared with the pages.

pub mod backend;
pub mod icons;
pub mod kpi;
pub mod schedule;
pub mod summary;
pub mod svg;
pub mod text;

use serde::Serialize;

use crate::output::Output;

/// A chart as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ChartView {
    /// Inline SVG markup.
    pub svg: String,
    /// Link to the standalone file, relative to the page.
    pub href: String,
    pub title: String,
}

/// Builds the view of a chart and the standalone file written next to the page at
/// `page_dir` (a route like `measures/01-01/`).
pub fn publish(
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
