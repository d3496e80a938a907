//! A plotters drawing backend that writes compact SVG elements straight into a `String`.
//!
//! plotters stays the drawing library (its elements and drawing area drive this backend), but
//! its own `SVGBackend` is made for stand-alone pictures, not for thousands of small charts
//! published twice each: it repeats the font family on every `<text>` and escapes that long
//! font stack character by character each time (the largest single cost of a big build), writes
//! `opacity="1"` and `stroke="none"` on every element, divides font sizes by 1.24, and puts
//! each text on three lines. The output had to be cleaned up with search and replace afterwards.
//!
//! This backend writes what the chart means and nothing else:
//! - no font family per text: the root `<svg>` sets the system font stack once, so the family
//!   of a text style is not written;
//! - the font size exactly as given, so charts pass the pixel size they mean;
//! - colours as lowercase hex, three digits when they can be; opacity only when not opaque;
//! - attributes at their SVG defaults (`text-anchor="start"`, `stroke-width="1"`) left out;
//! - a filled shape followed by the outline of the same shape becomes one element with both
//!   `fill` and `stroke`, which SVG paints in the same order (fill first, then stroke);
//! - text on one line, escaped by [`crate::text::escape_html_into`], which copies everything
//!   but `&` `<` `>` `"` `'` in runs.
//!
//! It writes only the elements: the caller writes the opening `<svg>` (with its title and
//! description) and the closing tag, see [`super::svg`].

use std::convert::Infallible;
use std::fmt::Write as _;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};

use crate::text::escape_html_into;

/// Where a text's `y` is: plotters anchors text at its top, centre or bottom; SVG at the
/// baseline. These shifts are the ones plotters' SVG backend uses, so text sits where it did.
fn baseline_shift(v: VPos) -> &'static str {
    match v {
        VPos::Top => "0.76em",
        VPos::Center => "0.5ex",
        VPos::Bottom => "-0.5ex",
    }
}

/// A shape that was just written filled, so that its outline can be added to it.
#[derive(PartialEq, Clone, Copy)]
enum Shape {
    Rect(BackendCoord, BackendCoord),
    Circle(BackendCoord, u32),
}

/// Writes SVG elements, one per line, into `out`.
pub(crate) struct SvgWriter<'a> {
    out: &'a mut String,
    size: (u32, u32),
    /// The last element written, when it is a filled shape without a stroke, with the length
    /// of `out` right after it (so nothing was written since).
    last_fill: Option<(Shape, usize)>,
    /// Mark each text holding Japanese letters `xml:lang="ja"`: a chart of another
    /// language's tree, whose KPI names and units may stay Japanese.
    mark_japanese: bool,
}

impl<'a> SvgWriter<'a> {
    /// A backend of `size` pixels appending to `out`.
    pub(crate) fn new(out: &'a mut String, size: (u32, u32)) -> SvgWriter<'a> {
        SvgWriter {
            out,
            size,
            last_fill: None,
            mark_japanese: false,
        }
    }

    /// The same, marking Japanese text (see [`SvgWriter::mark_japanese`]) when `mark` is set.
    pub(crate) fn marking_japanese(mut self, mark: bool) -> SvgWriter<'a> {
        self.mark_japanese = mark;
        self
    }

    fn int(&mut self, key: &str, v: impl std::fmt::Display) {
        self.out.push(' ');
        self.out.push_str(key);
        self.out.push_str("=\"");
        let _ = write!(self.out, "{v}");
        self.out.push('"');
    }

    fn color(&mut self, key: &str, c: BackendColor) {
        self.out.push(' ');
        self.out.push_str(key);
        self.out.push_str("=\"");
        push_hex(self.out, c.rgb);
        self.out.push('"');
        if c.alpha < 1.0 {
            let _ = write!(self.out, " {key}-opacity=\"{}\"", c.alpha);
        }
    }

    fn stroke_width(&mut self, w: u32) {
        if w != 1 {
            self.int("stroke-width", w);
        }
    }

    fn points(&mut self, points: impl IntoIterator<Item = BackendCoord>) {
        self.out.push_str(" points=\"");
        for (i, (x, y)) in points.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            let _ = write!(self.out, "{x},{y}");
        }
        self.out.push('"');
    }

    fn end(&mut self) {
        self.out.push_str("/>\n");
        self.last_fill = None;
    }

    /// Closes an unfilled shape drawn as an outline only.
    fn outline(&mut self, color: BackendColor, width: u32) {
        self.out.push_str(" fill=\"none\"");
        self.color("stroke", color);
        self.stroke_width(width);
        self.end();
    }

    fn end_filled(&mut self, shape: Shape) {
        self.out.push_str("/>\n");
        self.last_fill = Some((shape, self.out.len()));
    }

    /// Adds a stroke to the element just written when it is the fill of `shape`.
    fn stroke_last(&mut self, shape: Shape, stroke: BackendColor, width: u32) -> bool {
        if self.last_fill != Some((shape, self.out.len())) {
            return false;
        }
        self.out.truncate(self.out.len() - "/>\n".len());
        self.color("stroke", stroke);
        self.stroke_width(width);
        self.end();
        true
    }
}

impl DrawingBackend for SvgWriter<'_> {
    /// Writing to a `String` cannot fail.
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        (x, y): BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if color.alpha > 0.0 {
            self.out.push_str("<rect");
            self.int("x", x);
            self.int("y", y);
            self.out.push_str(" width=\"1\" height=\"1\"");
            self.color("fill", color);
            self.end();
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha > 0.0 {
            self.out.push_str("<line");
            self.int("x1", from.0);
            self.int("y1", from.1);
            self.int("x2", to.0);
            self.int("y2", to.1);
            self.color("stroke", style.color());
            self.stroke_width(style.stroke_width());
            self.end();
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let shape = Shape::Rect(a, b);
        if !fill && self.stroke_last(shape, color, style.stroke_width()) {
            return Ok(());
        }
        self.out.push_str("<rect");
        self.int("x", a.0);
        self.int("y", a.1);
        self.int("width", b.0 - a.0);
        self.int("height", b.1 - a.1);
        if fill {
            self.color("fill", color);
            self.end_filled(shape);
        } else {
            self.outline(color, style.stroke_width());
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<BackendCoord> = path.into_iter().collect();
        match points[..] {
            // Nothing to see in a path of one point.
            [] | [_] => Ok(()),
            [from, to] => self.draw_line(from, to, style),
            _ => {
                self.out.push_str("<polyline");
                self.points(points);
                self.outline(color, style.stroke_width());
                Ok(())
            }
        }
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let shape = Shape::Circle(center, radius);
        if !fill && self.stroke_last(shape, color, style.stroke_width()) {
            return Ok(());
        }
        self.out.push_str("<circle");
        self.int("cx", center.0);
        self.int("cy", center.1);
        self.int("r", radius);
        if fill {
            self.color("fill", color);
            self.end_filled(shape);
        } else {
            self.outline(color, style.stroke_width());
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if style.color().alpha > 0.0 {
            self.out.push_str("<polygon");
            self.points(vert);
            self.color("fill", style.color());
            self.end();
        }
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        (x, y): BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let anchor = style.anchor();
        self.out.push_str("<text");
        self.int("x", x);
        self.int("y", y);
        self.out.push_str(" dy=\"");
        self.out.push_str(baseline_shift(anchor.v_pos));
        self.out.push('"');
        match anchor.h_pos {
            HPos::Left => {}
            HPos::Center => self.out.push_str(" text-anchor=\"middle\""),
            HPos::Right => self.out.push_str(" text-anchor=\"end\""),
        }
        self.out.push_str(" font-size=\"");
        push_size(self.out, style.size());
        self.out.push('"');
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => self.out.push_str(" font-weight=\"bold\""),
            FontStyle::Italic => self.out.push_str(" font-style=\"italic\""),
            FontStyle::Oblique => self.out.push_str(" font-style=\"oblique\""),
        }
        let angle = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            FontTransform::None => None,
        };
        if let Some(a) = angle {
            let _ = write!(self.out, " transform=\"rotate({a},{x},{y})\"");
        }
        self.color("fill", color);
        if self.mark_japanese && crate::kpi::words::has_japanese(text) {
            self.out.push_str(" xml:lang=\"ja\"");
        }
        self.out.push('>');
        escape_html_into(self.out, text);
        self.out.push_str("</text>\n");
        self.last_fill = None;
        Ok(())
    }
}

/// `#1a1a1a`, or `#fff` when each channel's two digits are the same.
fn push_hex(out: &mut String, (r, g, b): (u8, u8, u8)) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.push('#');
    let short = [r, g, b].iter().all(|c| c >> 4 == c & 0xf);
    for c in [r, g, b] {
        if !short {
            out.push(char::from(DIGITS[usize::from(c >> 4)]));
        }
        out.push(char::from(DIGITS[usize::from(c & 0xf)]));
    }
}

/// A font size as the chart gave it: `13`, or `12.5` (at most two decimals, so that float
/// noise never reaches the file).
fn push_size(out: &mut String, size: f64) {
    let v = (size * 100.0).round() / 100.0;
    let _ = write!(out, "{v}");
}

#[cfg(test)]
mod tests {
    // Only what the charts use: plotters' elements and styles, not the backend traits.
    use super::SvgWriter;
    use crate::text::escape_html_into;
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    /// Draws with plotters' elements through a drawing area, as charts do, and returns the
    /// body wrapped in a root element so it can be parsed.
    fn draw(f: impl FnOnce(&DrawingArea<SvgWriter, plotters::coord::Shift>)) -> String {
        let mut out = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\">\n");
        {
            let root = SvgWriter::new(&mut out, (100, 100)).into_drawing_area();
            f(&root);
            root.present().unwrap();
        }
        out.push_str("</svg>\n");
        out
    }

    /// An element of the drawing, as an SVG parser reads it.
    struct El {
        name: String,
        attrs: Vec<(String, String)>,
        text: String,
    }

    impl El {
        fn attr(&self, key: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        }
    }

    fn elements(svg: &str) -> Vec<El> {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        doc.root_element()
            .children()
            .filter(|n| n.is_element())
            .map(|n| El {
                name: n.tag_name().name().to_string(),
                attrs: n
                    .attributes()
                    .map(|a| (a.name().to_string(), a.value().to_string()))
                    .collect(),
                text: n.text().unwrap_or("").to_string(),
            })
            .collect()
    }

    #[test]
    fn escaping_replaces_only_the_markup_characters() {
        let mut out = String::new();
        escape_html_into(&mut out, "A&B <c> \"d\" 'e' 令和6年度");
        // `'` too since the escape is pulldown-cmark's (`crate::text`), safe in any attribute.
        assert_eq!(out, "A&amp;B &lt;c&gt; &quot;d&quot; &#39;e&#39; 令和6年度");
        let mut out = String::new();
        escape_html_into(&mut out, "&&");
        assert_eq!(out, "&amp;&amp;");
        let text = "R&D <β> \"引用\" 'x' & more";
        let svg = draw(|root| {
            root.draw(&Text::new(text, (5, 5), ("sans-serif", 12.0).into_font()))
                .unwrap();
        });
        let els = elements(&svg);
        assert_eq!(els.len(), 1);
        assert_eq!(els[0].text, text, "text survives the round trip: {svg}");
    }

    #[test]
    fn a_filled_and_outlined_rect_is_one_element() {
        let svg = draw(|root| {
            let fill = RGBColor(0x00, 0x72, 0xb2);
            let ink = RGBColor(0x1a, 0x1a, 0x1a);
            root.draw(&Rectangle::new([(10, 20), (30, 60)], fill.filled()))
                .unwrap();
            root.draw(&Rectangle::new([(10, 20), (30, 60)], ink.stroke_width(1)))
                .unwrap();
            // An outline of another rect stays its own element.
            root.draw(&Rectangle::new([(40, 20), (50, 60)], fill.filled()))
                .unwrap();
            root.draw(&Rectangle::new([(40, 20), (51, 60)], ink.stroke_width(2)))
                .unwrap();
        });
        let els = elements(&svg);
        assert_eq!(els.len(), 3, "{svg}");
        let a = &els[0];
        assert_eq!(a.name, "rect");
        assert_eq!(a.attr("x"), Some("10"));
        assert_eq!(a.attr("y"), Some("20"));
        assert_eq!(a.attr("width"), Some("20"));
        assert_eq!(a.attr("height"), Some("40"));
        assert_eq!(a.attr("fill"), Some("#0072b2"));
        assert_eq!(a.attr("stroke"), Some("#1a1a1a"));
        assert_eq!(a.attr("stroke-width"), None, "1 is the default");
        assert_eq!(els[1].attr("stroke"), None);
        assert_eq!(els[2].attr("fill"), Some("none"));
        assert_eq!(els[2].attr("stroke-width"), Some("2"));
    }

    #[test]
    fn a_filled_and_outlined_circle_is_one_element() {
        let svg = draw(|root| {
            root.draw(&Circle::new((50, 50), 5, WHITE.filled()))
                .unwrap();
            root.draw(&Circle::new((50, 50), 5, BLACK.stroke_width(2)))
                .unwrap();
        });
        let els = elements(&svg);
        assert_eq!(els.len(), 1, "{svg}");
        assert_eq!(els[0].attr("fill"), Some("#fff"));
        assert_eq!(els[0].attr("stroke"), Some("#000"));
        assert_eq!(els[0].attr("stroke-width"), Some("2"));
    }

    #[test]
    fn text_has_the_exact_size_and_no_per_element_font() {
        let svg = draw(|root| {
            let style = TextStyle::from(("sans-serif", 13.0).into_font())
                .color(&RGBColor(0x44, 0x44, 0x44))
                .pos(Pos::new(HPos::Right, VPos::Top));
            root.draw(&Text::new("12,000", (40, 10), style)).unwrap();
            let bold = TextStyle::from(("sans-serif", 12.5, FontStyle::Bold).into_font())
                .pos(Pos::new(HPos::Left, VPos::Top));
            root.draw(&Text::new("見出し", (4, 30), bold)).unwrap();
            let odd = TextStyle::from(("sans-serif", 13.0 * 1.24 / 1.24).into_font());
            root.draw(&Text::new("x", (4, 50), odd)).unwrap();
        });
        assert!(!svg.contains("font-family"), "{svg}");
        assert!(!svg.contains("opacity"), "{svg}");
        // One line per element.
        assert_eq!(svg.lines().count(), 5, "{svg}");
        let els = elements(&svg);
        assert_eq!(els[0].attr("font-size"), Some("13"));
        assert_eq!(els[0].attr("text-anchor"), Some("end"));
        assert_eq!(els[0].attr("dy"), Some("0.76em"));
        assert_eq!(els[0].attr("fill"), Some("#444"));
        assert_eq!(els[1].attr("font-size"), Some("12.5"));
        assert_eq!(els[1].attr("font-weight"), Some("bold"));
        assert_eq!(els[1].attr("text-anchor"), None, "start is the default");
        assert_eq!(els[2].attr("font-size"), Some("13"));
    }

    #[test]
    fn lines_polylines_and_polygons_parse() {
        let svg = draw(|root| {
            let c = RGBColor(0xd0, 0xd0, 0xd0);
            root.draw(&PathElement::new(
                vec![(0, 10), (90, 10)],
                c.stroke_width(1),
            ))
            .unwrap();
            root.draw(&PathElement::new(
                vec![(0, 10), (5, 20), (9, 3)],
                RGBColor(0x1a, 0x1a, 0x1a).stroke_width(2),
            ))
            .unwrap();
            root.draw(&Polygon::new(vec![(8, 0), (15, 15), (0, 15)], c.filled()))
                .unwrap();
            root.draw(&PathElement::new(vec![(3, 3)], c.stroke_width(1)))
                .unwrap();
        });
        let els = elements(&svg);
        let names: Vec<&str> = els.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["line", "polyline", "polygon"], "{svg}");
        assert_eq!(els[0].attr("x2"), Some("90"));
        assert_eq!(els[0].attr("stroke"), Some("#d0d0d0"));
        assert_eq!(els[1].attr("points"), Some("0,10 5,20 9,3"));
        assert_eq!(els[1].attr("fill"), Some("none"));
        assert_eq!(els[1].attr("stroke-width"), Some("2"));
        assert_eq!(els[2].attr("points"), Some("8,0 15,15 0,15"));
    }
}
