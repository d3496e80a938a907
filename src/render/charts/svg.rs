//! The drawing surface of the charts, and the accessible SVG it produces.
//!
//! Charts draw on a [`Canvas`] in chart units; [`Canvas::finish`] replays the drawing through
//! plotters into our own compact backend ([`super::backend`]) and wraps it for publishing. The
//! root element carries what plotters knows nothing about: a `viewBox` only (so the chart scales
//! to any width, down to 320 px, instead of a fixed pixel size), `role="img"`, the system font
//! stack (once, for every text), and a title and description referenced by `aria-labelledby`
//! and `aria-describedby`. Each chart is published once, as a standalone file (with an XML
//! declaration) that the page shows with `<img>` and offers for download (see [`super`]).

use std::fmt::Write as _;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontFamily;

use super::backend::SvgWriter;
use crate::text::escape_html_into as escape_into;

/// System fonts only: the SVG must not embed or link font files.
pub(crate) const FONT_STACK: &str = "Hiragino Sans, Hiragino Kaku Gothic ProN, Yu Gothic UI, Yu Gothic, Meiryo, Noto Sans CJK JP, Noto Sans JP, sans-serif";

/// Text colour: 16:1 on white.
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text (axis ticks, notes): 9.7:1 on white.
pub(crate) const INK_SOFT: RGBColor = RGBColor(0x44, 0x44, 0x44);
/// The page background behind hollow markers.
pub(crate) const WHITE: RGBColor = RGBColor(0xff, 0xff, 0xff);
/// Grid lines: decoration only, carrying no meaning.
pub(crate) const GRID: RGBColor = RGBColor(0xd0, 0xd0, 0xd0);
/// Empty cells of the schedule: outline 3.1:1 on white (#949494).
pub(crate) const EMPTY_OUTLINE: RGBColor = RGBColor(0x94, 0x94, 0x94);

/// Series colours, from the Okabe–Ito palette (distinguishable with the common forms of colour
/// blindness), each at least 3:1 against white: blue 5.3:1, vermillion 3.9:1, bluish green
/// 3.4:1, wine 9.6:1. Colour is never the only cue: bars are labelled directly.
pub(crate) const SERIES: [RGBColor; 4] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0x88, 0x22, 0x55),
];

/// The width every chart is drawn for, in chart units. Pages show a chart at this width in CSS
/// pixels at the default text size (`.chart__img`: 20em of a 15 px–16 px root, never wider
/// than the column), so that chart text is as large as the page's small print.
pub(crate) const WIDTH: u32 = 300;

/// The smallest text in any chart, in chart units. At 320 px the page's column leaves the chart
/// 286 px, 0.95 of [`WIDTH`], so 13 units are at least 12.4 CSS px there (and more everywhere
/// else); tests/browser measures it.
pub(crate) const MIN_TEXT: f64 = 13.0;

pub(crate) type Point = (f64, f64);

fn px(p: Point) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// Horizontal alignment of a text.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Start,
    Middle,
}

/// A drawing surface of `width`×`height` units.
pub(crate) struct Canvas {
    width: u32,
    height: u32,
    ops: Vec<Op>,
    /// The `xml:lang` of a chart outside the Japanese tree (`en`); `None` for Japanese, whose
    /// files stay as they were.
    lang: Option<&'static str>,
}

/// Drawing operations are collected first and replayed into plotters at the end: the height of
/// a chart is known only once it is laid out, and the opening tag that carries it is written
/// before the drawing, into the same string.
enum Op {
    Rect(Point, Point, RGBColor, Option<(RGBColor, u32)>),
    Line(Vec<Point>, RGBColor, u32),
    Polygon(Vec<Point>, RGBColor),
    Circle(Point, f64, Option<RGBColor>, Option<(RGBColor, u32)>),
    Text(String, Point, f64, RGBColor, Align, bool),
}

impl Canvas {
    pub(crate) fn new(width: u32, height: u32) -> Canvas {
        Canvas {
            width,
            height,
            ops: Vec::new(),
            lang: None,
        }
    }

    /// Draws in `language`: outside Japanese the file names its language and marks each text
    /// that stays Japanese (a KPI name, a unit) `xml:lang="ja"`.
    pub(crate) fn set_language(&mut self, language: crate::language::Language) {
        self.lang = (language != crate::language::Language::Japanese).then(|| language.lang());
    }

    pub(crate) fn width(&self) -> f64 {
        f64::from(self.width)
    }

    pub(crate) fn set_height(&mut self, height: f64) {
        self.height = height.ceil() as u32;
    }

    /// The position in the drawing order, for [`Canvas::behind`].
    pub(crate) fn mark(&self) -> usize {
        self.ops.len()
    }

    /// Draws with `f` behind everything drawn since `mark`: grid lines whose extent is known
    /// only once the bars are laid out.
    pub(crate) fn behind(&mut self, mark: usize, f: impl FnOnce(&mut Canvas)) {
        let mut under = Canvas::new(self.width, self.height);
        f(&mut under);
        let later = self.ops.split_off(mark);
        self.ops.extend(under.ops);
        self.ops.extend(later);
    }

    /// A filled rectangle, optionally outlined.
    pub(crate) fn rect(
        &mut self,
        a: Point,
        b: Point,
        fill: RGBColor,
        stroke: Option<(RGBColor, u32)>,
    ) {
        self.ops.push(Op::Rect(a, b, fill, stroke));
    }

    pub(crate) fn line(&mut self, points: Vec<Point>, color: RGBColor, width: u32) {
        self.ops.push(Op::Line(points, color, width));
    }

    pub(crate) fn polygon(&mut self, points: Vec<Point>, fill: RGBColor) {
        self.ops.push(Op::Polygon(points, fill));
    }

    pub(crate) fn circle(
        &mut self,
        c: Point,
        r: f64,
        fill: Option<RGBColor>,
        stroke: Option<(RGBColor, u32)>,
    ) {
        self.ops.push(Op::Circle(c, r, fill, stroke));
    }

    /// Text whose *top* is at `p.1`. Sizes are whole pixels, so the SVG carries exact values.
    pub(crate) fn text(&mut self, s: &str, p: Point, size: f64, color: RGBColor, align: Align) {
        self.ops
            .push(Op::Text(s.to_string(), p, size, color, align, false));
    }

    pub(crate) fn bold_text(
        &mut self,
        s: &str,
        p: Point,
        size: f64,
        color: RGBColor,
        align: Align,
    ) {
        self.ops
            .push(Op::Text(s.to_string(), p, size, color, align, true));
    }

    /// Draws everything with plotters into [`SvgWriter`] and returns the file: declaration,
    /// opening tag, then the drawing straight after it, in one pass.
    pub(crate) fn finish(self, id: &str, title: &str, desc: &str) -> Rendered {
        const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        // About 80 bytes per element: room enough that the string seldom grows.
        let mut standalone = String::with_capacity(1024 + 80 * self.ops.len());
        standalone.push_str(DECLARATION);
        open(
            &mut standalone,
            self.width,
            self.height,
            title,
            desc,
            self.lang,
        );
        {
            let root = SvgWriter::new(&mut standalone, (self.width, self.height))
                .marking_japanese(self.lang.is_some())
                .into_drawing_area();
            // The backend writes to a String and cannot fail (its error type is Infallible).
            let _ = root.fill(&WHITE);
            for op in &self.ops {
                let _ = match op {
                    // A fill and then the outline of the same rectangle: the backend joins
                    // them into one element.
                    Op::Rect(a, b, fill, stroke) => {
                        let r = root.draw(&Rectangle::new([px(*a), px(*b)], fill.filled()));
                        match stroke {
                            Some((c, w)) => {
                                root.draw(&Rectangle::new([px(*a), px(*b)], c.stroke_width(*w)))
                            }
                            None => r,
                        }
                    }
                    Op::Line(points, color, w) => root.draw(&PathElement::new(
                        points.iter().map(|p| px(*p)).collect::<Vec<_>>(),
                        color.stroke_width(*w),
                    )),
                    Op::Polygon(points, fill) => root.draw(&Polygon::new(
                        points.iter().map(|p| px(*p)).collect::<Vec<_>>(),
                        fill.filled(),
                    )),
                    Op::Circle(c, r, fill, stroke) => {
                        let radius = r.round() as i32;
                        if let Some(f) = fill {
                            let _ = root.draw(&Circle::new(px(*c), radius, f.filled()));
                        }
                        match stroke {
                            Some((s, w)) => {
                                root.draw(&Circle::new(px(*c), radius, s.stroke_width(*w)))
                            }
                            None => Ok(()),
                        }
                    }
                    Op::Text(s, p, size, color, align, bold) => {
                        let h = match align {
                            Align::Start => HPos::Left,
                            Align::Middle => HPos::Center,
                        };
                        // The family is set once on the root element, so the backend writes
                        // none; the size goes through as given.
                        let weight = if *bold {
                            FontStyle::Bold
                        } else {
                            FontStyle::Normal
                        };
                        let style = TextStyle::from((FontFamily::SansSerif, *size, weight));
                        root.draw(&Text::new(
                            s.as_str(),
                            px(*p),
                            style.color(color).pos(Pos::new(h, VPos::Top)),
                        ))
                    }
                };
            }
            let _ = root.present();
        }
        standalone.push_str("</svg>\n");
        Rendered {
            file: standalone,
            id: id.to_string(),
            width: self.width,
            height: self.height,
            desc: desc.to_string(),
            desc_html: None,
            title_html: None,
            lazy: true,
        }
    }
}

/// A chart as published: the file, and what the page needs to show it with `<img>`.
#[derive(Clone, Debug)]
pub(crate) struct Rendered {
    /// A complete SVG file.
    pub file: String,
    /// Prefix of the chart's ids in its page (`kpi-1-chart`).
    pub id: String,
    /// The drawing's size in chart units (the `viewBox`), for the `<img>`'s `width` and
    /// `height`, so the page reserves its place before the file arrives.
    pub width: u32,
    pub height: u32,
    /// The description (also in the file's `<desc>`), written in the page as the image's
    /// accessible description, because the inside of an `<img>` is not read out.
    pub desc: String,
    /// The description as HTML for the page, when it holds content that stays Japanese in
    /// another language's tree (marked `lang="ja"`); `None`: the description escaped.
    pub desc_html: Option<String>,
    /// The title as HTML for the page's download link, content that stays Japanese marked as
    /// [`Rendered::desc_html`] is; `None`: the title escaped.
    pub title_html: Option<String>,
    /// Whether the chart may load lazily: everything except a chart at the top of a page.
    pub lazy: bool,
}

/// The opening of a chart: a `viewBox` only (so it scales to any width, down to 320 px),
/// `role="img"`, the font stack for all its text, and the title and description that
/// `aria-labelledby` and `aria-describedby` point to (read when the file is opened alone).
fn open(out: &mut String, width: u32, height: u32, title: &str, desc: &str, lang: Option<&str>) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\""
    );
    if let Some(lang) = lang {
        let _ = write!(out, " xml:lang=\"{lang}\"");
    }
    out.push_str(
        " role=\"img\" aria-labelledby=\"title\" aria-describedby=\"desc\" font-family=\"",
    );
    escape_into(out, FONT_STACK);
    out.push_str("\">\n<title id=\"title\">");
    escape_into(out, title);
    out.push_str("</title>\n<desc id=\"desc\">");
    escape_into(out, desc);
    out.push_str("</desc>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_a_complete_accessible_svg() {
        let mut c = Canvas::new(100, 10);
        c.rect((10.0, 10.0), (20.0, 40.0), SERIES[0], Some((INK, 1)));
        c.text("R&D", (5.0, 50.0), 13.0, INK_SOFT, Align::Middle);
        c.set_height(80.0);
        let r = c.finish("kpi-1-chart", "題 <1>", "説明 & \"引用\"");
        assert!(r
            .file
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
        assert!(r.file.contains("<title id=\"title\">題 &lt;1&gt;</title>"));
        assert!(r.file.contains("aria-describedby=\"desc\""));
        assert!(r.file.ends_with("</svg>\n"));
        assert_eq!((r.width, r.height), (100, 80));
        assert_eq!(r.desc, "説明 & \"引用\"");
        assert_eq!(r.id, "kpi-1-chart");
        let doc = roxmltree::Document::parse(&r.file).unwrap();
        let svg = doc.root_element();
        assert_eq!(svg.attribute("viewBox"), Some("0 0 100 80"));
        assert_eq!(svg.attribute("font-family"), Some(FONT_STACK));
        // Background, one bar (fill and outline together), one text.
        let names: Vec<&str> = svg
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(names, ["title", "desc", "rect", "rect", "text"]);
        let text = svg.children().find(|n| n.has_tag_name("text")).unwrap();
        assert_eq!(text.text(), Some("R&D"));
        assert_eq!(text.attribute("font-size"), Some("13"));
        assert_eq!(
            doc.descendants()
                .filter(|n| n.attribute("font-family").is_some())
                .count(),
            1,
            "the font stack is set once, on the root"
        );
    }
}
