//! Accessible SVG charts, drawn with plotters into a compact SVG backend of our own: one per
//! numeric KPI ([`kpi`]), a schedule chart per measure ([`schedule`]) and a status summary for
//! the home and policy pages ([`summary`]). Every chart carries a `<title>` and a `<desc>`
//! generated from the data. [`svg`] is the drawing surface and the accessible wrapping;
//! [`backend`] writes the SVG elements (why not plotters' own SVG backend is said there);
//! [`text`] measures Japanese text; [`icons`] draws the status shapes shared with the pages.
//!
//! Each chart is written once, as a file next to its page: the page shows that file with
//! `<img>` (its title as `alt`, its description written in the page and referenced by
//! `aria-describedby`, `width`/`height` set, `loading="lazy"` below the top of the page) and
//! links to the same file for download. Why a file and not inline SVG: the downloads need a
//! file anyway, a page then carries a few hundred bytes per chart instead of the drawing, and
//! the browser fetches a chart only when it is scrolled to. The price is that text inside an
//! `<img>` cannot follow the page's CSS, so the charts are drawn to be legible as they are: laid
//! out for a narrow column (each year a row of horizontal bars, so nothing depends on how many
//! years fit side by side) and shown at a width in `em`, so that they grow with the browser's
//! text size until the column is full (see docs/architecture.md, "Charts").

pub(crate) mod backend;
pub(crate) mod icons;
pub(crate) mod kpi;
pub(crate) mod schedule;
pub(crate) mod summary;
pub(crate) mod svg;
pub(crate) mod text;

use serde::Serialize;

use crate::output::Output;

/// A chart as the page shows it: an `<img>` of the file `href`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChartView {
    /// The file, relative to the page; shown and downloaded.
    pub href: String,
    /// The chart's name: the SVG's title and the name of its download link.
    pub title: String,
    /// The `alt` text: the title, except in another language's tree when the title holds
    /// Japanese content (an untranslated KPI name), which an attribute cannot mark
    /// `lang="ja"`: then a sentence in the page's language pointing to the heading above the
    /// chart, which shows the name marked.
    pub alt: String,
    /// The accessible description, written in the page under the chart.
    pub desc: String,
    /// [`ChartView::desc`] as HTML, Japanese content marked in another language's tree.
    pub desc_html: String,
    /// The download link's words: 「…」のグラフをダウンロード（SVGファイル）.
    pub download: String,
    /// Prefix of the ids in the page (`kpi-1-chart`).
    pub id: String,
    pub width: u32,
    pub height: u32,
    pub lazy: bool,
}

/// Builds the view of a chart and its file, written next to the page at `page_dir` (a route
/// like `measures/01-01/`).
pub(crate) fn publish(
    ui: &crate::interface::Ui,
    rendered: svg::Rendered,
    title: String,
    page_dir: &str,
    file_name: &str,
) -> (ChartView, Output) {
    let desc_html =
        (rendered.desc_html).unwrap_or_else(|| crate::kpi::words::escape(&rendered.desc));
    let view = ChartView {
        href: file_name.to_string(),
        download: {
            let title_html = (rendered.title_html.as_deref())
                .map_or_else(|| crate::kpi::words::escape(&title), str::to_string);
            match ui.language() {
                crate::language::Language::Japanese => {
                    crate::kpi::words::escape(&ui.fill("chart.download", &[("title", &title)]))
                }
                _ => ui.fill_html_raw("chart.download", &[("title", &title_html)]),
            }
        },
        alt: match ui.language() {
            crate::language::Language::Japanese => title.clone(),
            _ if crate::kpi::words::has_japanese(&title) => ui.plain("chart.alt_untranslated"),
            _ => title.clone(),
        },
        title,
        desc: rendered.desc,
        desc_html,
        id: rendered.id,
        width: rendered.width,
        height: rendered.height,
        lazy: rendered.lazy,
    };
    let file = Output::new(format!("{page_dir}{file_name}"), rendered.file);
    (view, file)
}
