//! Drawing with plotters' SVG backend, and making its output accessible.
//!
//! plotters writes a bare `<svg width=… height=…>` with no `<title>`, `<desc>`, `role` or
//! ARIA, and a fixed pixel size. [`Canvas::finish`] replaces that opening tag with one that has
//! a `viewBox` only (so the chart scales to any width, down to 320 px), `role="img"`, the
//! system font stack, and a title and description referenced by `aria-labelledby` and
//! `aria-describedby`. It produces both forms a chart is published in: inline (ids prefixed so
//! that several charts can share a page) and standalone (a complete file with an XML
//! declaration, for download).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontFamily;

/// System fonts only: the SVG must not embed or link font files.
pub const FONT_STACK: &str = "Hiragino Sans, Hiragino Kaku Gothic ProN, Yu Gothic UI, Yu Gothic, Meiryo, Noto Sans CJK JP, Noto Sans JP, sans-serif";

/// Text colour: 16:1 on white.
pub const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text (axis ticks, notes): 9.7:1 on white.
pub const INK_SOFT: RGBColor = RGBColor(0x44, 0x44, 0x44);
/// Grid lines: decoration only, carrying no meaning.
/// The page background behind hollow markers.
pub const WHITE: RGBColor = RGBColor(0xff, 0xff, 0xff);
pub const GRID: RGBColor = RGBColor(0xd0, 0xd0, 0xd0);
/// Empty cells of the schedule: outline 3.1:1 on white (#949494).
pub const EMPTY_OUTLINE: RGBColor = RGBColor(0x94, 0x94, 0x94);

/// Series colours, from the Okabe–Ito palette (distinguishable with the common forms of colour
/// blindness), each at least 3:1 against white: blue 5.3:1, vermillion 3.9:1, bluish green
/// 3.4:1, wine 9.6:1. Colour is never the only cue: bars are labelled directly.
pub const SERIES: [RGBColor; 4] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0x88, 0x22, 0x55),
];

pub type Point = (f64, f64);

fn px(p: Point) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// Horizontal alignment of a text.
#[derive(Clone, Copy)]
pub enum Align {
    Start,
    Middle,
    End,
}

/// A drawing surface of `width`×`height` units.
pub struct Canvas {
    buf: String,
    width: u32,
    height: u32,
    ops: Vec<Op>,
}

/// Drawing operations are collected first and replayed into plotters at the end, because the
/// backend borrows the output string for as long as it lives.
enum Op {
    Rect(Point, Point, RGBColor, Option<(RGBColor, u32)>),
    Line(Vec<Point>, RGBColor, u32),
    Polygon(Vec<Point>, RGBColor),
    Circle(Point, f64, Option<RGBColor>, Option<(RGBColor, u32)>),
    Text(String, Point, f64, RGBColor, Align, bool),
}

impl Canvas {
    pub fn new(width: u32, height: u32) -> Canvas {
        Canvas {
            buf: String::new(),
            width,
            height,
            ops: Vec::new(),
        }
    }

    pub fn width(&self) -> f64 {
        f64::from(self.width)
    }

    pub fn set_height(&mut self, height: f64) {
        self.height = height.ceil() as u32;
    }

    /// A filled rectangle, optionally outlined.
    pub fn rect(&mut self, a: Point, b: Point, fill: RGBColor, stroke: Option<(RGBColor, u32)>) {
        self.ops.push(Op::Rect(a, b, fill, stroke));
    }

    pub fn line(&mut self, points: Vec<Point>, color: RGBColor, width: u32) {
        self.ops.push(Op::Line(points, color, width));
    }

    /// A dotted straight line from the first to the last point (3 px dashes), drawn as short
    /// segments so it looks the same in every SVG viewer.
    pub fn dotted_line(&mut self, points: Vec<Point>, color: RGBColor, width: u32) {
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

    pub fn polygon(&mut self, points: Vec<Point>, fill: RGBColor) {
        self.ops.push(Op::Polygon(points, fill));
    }

    pub fn circle(
        &mut self,
        c: Point,
        r: f64,
        fill: Option<RGBColor>,
        stroke: Option<(RGBColor, u32)>,
    ) {
        self.ops.push(Op::Circle(c, r, fill, stroke));
    }

    /// Text whose *top* is at `p.1`. Sizes are whole pixels, so the SVG carries exact values.
    pub fn text(&mut self, s: &str, p: Point, size: f64, color: RGBColor, align: Align) {
        self.ops
            .push(Op::Text(s.to_string(), p, size, color, align, false));
    }

    pub fn bold_text(&mut self, s: &str, p: Point, size: f64, color: RGBColor, align: Align) {
        self.ops
            .push(Op::Text(s.to_string(), p, size, color, align, true));
    }

    /// Draws everything with plotters and wraps the result for the page and for download.
    pub fn finish(mut self, id: &str, title: &str, desc: &str) -> Rendered {
        {
            let root = SVGBackend::with_string(&mut self.buf, (self.width, self.height))
                .into_drawing_area();
            // Errors from the SVG backend can only come from writing a file; we write to a
            // String, so they cannot happen, and ignoring them keeps rendering total.
            let _ = root.fill(&WHITE);
            for op in &self.ops {
                let _ = match op {
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
                        // plotters divides the size by 1.24 when writing SVG.
                        let style = if *bold {
                            TextStyle::from((
                                FontFamily::Name(FONT_STACK),
                                size * 1.24,
                                FontStyle::Bold,
                            ))
                        } else {
                            TextStyle::from((FontFamily::Name(FONT_STACK), size * 1.24))
                        };
                        root.draw(&Text::new(
                            s.clone(),
                            px(*p),
                            style.color(color).pos(Pos::new(h, VPos::Top)),
                        ))
                    }
                };
            }
            let _ = root.present();
        }
        wrap(&self.buf, self.width, self.height, id, title, desc)
    }
}

/// A chart in its two published forms.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// For embedding in a page: no XML declaration, ids prefixed.
    pub inline: String,
    /// A complete SVG file.
    pub standalone: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The root element sets the font stack, so plotters' copy on every `<text>` goes; and font
/// sizes, which plotters writes after dividing by 1.24 (`13.000000000000002`), are rounded
/// back to the whole pixels they were meant to be.
fn tidy(body: &str) -> String {
    let body = body.replace(&format!(" font-family=\"{}\"", escape(FONT_STACK)), "");
    let mut out = String::with_capacity(body.len());
    let mut rest = body.as_str();
    const ATTR: &str = " font-size=\"";
    while let Some(i) = rest.find(ATTR) {
        let (head, tail) = rest.split_at(i + ATTR.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        match tail[..end].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{}", (v * 100.0).round() / 100.0)),
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn wrap(raw: &str, width: u32, height: u32, id: &str, title: &str, desc: &str) -> Rendered {
    // plotters' output: `<svg width=".." height=".." viewBox=".." xmlns="..">\n` + body.
    let body = raw.split_once(">\n").map_or(raw, |(_, rest)| rest);
    let body = tidy(body);
    let open = |prefix: &str| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{prefix}title\" aria-describedby=\"{prefix}desc\" class=\"chart__svg\" font-family=\"{font}\">\n<title id=\"{prefix}title\">{title}</title>\n<desc id=\"{prefix}desc\">{desc}</desc>\n",
            font = escape(FONT_STACK),
            title = escape(title),
            desc = escape(desc),
        )
    };
    let inline = format!("{}{body}", open(&format!("{id}-")));
    let standalone = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}{body}",
        open("")
    );
    Rendered { inline, standalone }
}
