//! The drawing surface of the charts, and the accessible SVG it produces.
//!
//! Charts draw on a [`Canvas`] in chart units; [`Canvas::finish`] replays the drawing through
//! plotters into our own compact backend ([`super::backend`]) and wraps it for publishing. The
//! root element carries what plotters knows nothing about: a `viewBox` only (so the chart scales
//! to any width, down to 320 px, instead of a fixed pixel size), `role="img"`, the system font
//! stack (once, for every text), and a title and description referenced by `aria-labelledby`
//! and `aria-describedby`. Each chart is published in two forms: inline (ids prefixed so that
//! several charts can share a page) and standalone (a complete file with an XML declaration,
//! for download).

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

pub(crate) type Point = (f64, f64);

fn px(p: Point) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// Horizontal alignment of a text.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Start,
    Middle,
    End,
}

/// A drawing surface of `width`×`height` units.
pub(crate) struct Canvas {
    width: u32,
    height: u32,
    ops: Vec<Op>,
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
        }
    }

    pub(crate) fn width(&self) -> f64 {
        f64::from(self.width)
    }

    pub(crate) fn set_height(&mut self, height: f64) {
        self.height = height.ceil() as u32;
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

    /// A dotted straight line from the first to the last point (3 px dashes), drawn as short
    /// segments so it looks the same in every SVG viewer.
    pub(crate) fn dotted_line(&mut self, points: Vec<Point>, color: RGBColor, width: u32) {
        let (Some(&(x0, y0)), Some(&(x1, y1))) = (points.first(), points.last()) else {
            return;
        };
        let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        let steps = (len / 6.0).floor() as usize;
        for k in 0..steps {
            let t0 = k as f64 * 6.0 / len;
            let t1 = (k as f64 * 6.0 + 3.0) / len;
            let at = |t: f64| (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            self.line(vec![at(t0), at(t1.min(1.0))], color, width);
        }
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

    /// Draws everything with plotters into [`SvgWriter`] and returns both published forms.
    ///
    /// The standalone file is written in one pass: declaration, opening tag, then the drawing
    /// straight after it. The inline form only differs in its opening (no declaration, ids
    /// prefixed), so it is that opening plus one copy of the drawn body.
    pub(crate) fn finish(self, id: &str, title: &str, desc: &str) -> Rendered {
        const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        // About 80 bytes per element: room enough that the string seldom grows.
        let mut standalone = String::with_capacity(1024 + 80 * self.ops.len());
        standalone.push_str(DECLARATION);
        open(&mut standalone, self.width, self.height, "", title, desc);
        let body_start = standalone.len();
        {
            let root =
                SvgWriter::new(&mut standalone, (self.width, self.height)).into_drawing_area();
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
                            Align::End => HPos::Right,
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
        let body = &standalone[body_start..];
        let mut inline = String::with_capacity(1024 + body.len());
        open(
            &mut inline,
            self.width,
            self.height,
            &format!("{id}-"),
            title,
            desc,
        );
        inline.push_str(body);
        Rendered { inline, standalone }
    }
}

/// A chart in its two published forms.
#[derive(Clone, Debug)]
pub(crate) struct Rendered {
    /// For embedding in a page: no XML declaration, ids prefixed.
    pub inline: String,
    /// A complete SVG file.
    pub standalone: String,
}

/// The opening of a chart: a `viewBox` only (so it scales to any width, down to 320 px),
/// `role="img"`, the font stack for all its text, and the title and description that
/// `aria-labelledby` and `aria-describedby` point to, with ids starting with `prefix`.
fn open(out: &mut String, width: u32, height: u32, prefix: &str, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{prefix}title\" aria-describedby=\"{prefix}desc\" class=\"chart__svg\" font-family=\""
    );
    escape_into(out, FONT_STACK);
    let _ = write!(out, "\">\n<title id=\"{prefix}title\">");
    escape_into(out, title);
    let _ = write!(out, "</title>\n<desc id=\"{prefix}desc\">");
    escape_into(out, desc);
    out.push_str("</desc>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_share_one_body_and_differ_only_in_the_opening() {
        let mut c = Canvas::new(100, 10);
        c.rect((10.0, 10.0), (20.0, 40.0), SERIES[0], Some((INK, 1)));
        c.text("R&D", (5.0, 50.0), 13.0, INK_SOFT, Align::Middle);
        c.set_height(80.0);
        let r = c.finish("kpi-1-chart", "題 <1>", "説明 & \"引用\"");
        let body = |s: &str| s.split_once("</desc>\n").unwrap().1.to_string();
        assert_eq!(body(&r.inline), body(&r.standalone));
        assert!(r
            .standalone
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
        assert!(r.inline.starts_with("<svg "));
        assert!(r.inline.contains("aria-labelledby=\"kpi-1-chart-title\""));
        assert!(r
            .inline
            .contains("<title id=\"kpi-1-chart-title\">題 &lt;1&gt;</title>"));
        assert!(r.standalone.contains("aria-describedby=\"desc\""));
        assert!(r.standalone.ends_with("</svg>\n"));
        let doc = roxmltree::Document::parse(&r.standalone).unwrap();
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
