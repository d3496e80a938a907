//! Status icons: a distinct *shape* per status, so that the status never depends on colour
//! (a check mark in a circle for 達成, a cross in a square for 未達成, a question mark in a
//! triangle for 判定不可, …). One definition draws both the icons in pages (small inline SVG,
//! hidden from screen readers because the status is always written next to it) and those in
//! charts.

use plotters::style::RGBColor;

use super::svg::{Canvas, INK_SOFT};
use crate::kpi::achievement::Status;

/// The colour that goes with a status, in charts and icons. All at least 3:1 on white.
pub(crate) fn color(status: Status) -> RGBColor {
    match status {
        Status::Achieved => RGBColor(0x00, 0x72, 0xb2),
        Status::Near => RGBColor(0x00, 0x7a, 0x5a),
        Status::NotAchieved => RGBColor(0xb8, 0x4a, 0x00),
        Status::Undeterminable => RGBColor(0x5e, 0x5e, 0x5e),
        Status::NoActual | Status::NoTarget => INK_SOFT,
    }
}

/// Drawing primitives in a 16×16 box.
enum Prim {
    Circle {
        r: f64,
        fill: bool,
    },
    Square,
    Triangle,
    Path(&'static [(f64, f64)]),
    /// A small filled dot (the point of the question mark).
    Dot(f64, f64),
}

const CHECK: &[(f64, f64)] = &[(4.5, 8.5), (7.0, 11.0), (11.5, 5.5)];
const CROSS_A: &[(f64, f64)] = &[(5.0, 5.0), (11.0, 11.0)];
const CROSS_B: &[(f64, f64)] = &[(11.0, 5.0), (5.0, 11.0)];
const DASH: &[(f64, f64)] = &[(5.0, 8.0), (11.0, 8.0)];
const SLASH: &[(f64, f64)] = &[(3.5, 12.5), (12.5, 3.5)];
/// The question mark of 判定不可, drawn as a line rather than a glyph: no text that could be
/// smaller than the charts' smallest text, and the same shape in every font.
const QUESTION: &[(f64, f64)] = &[
    (6.0, 7.0),
    (6.5, 5.5),
    (8.0, 4.8),
    (9.5, 5.5),
    (9.8, 7.0),
    (8.0, 8.8),
    (8.0, 10.0),
];

fn shape(status: Status) -> &'static [Prim] {
    match status {
        Status::Achieved => &[Prim::Circle { r: 7.5, fill: true }, Prim::Path(CHECK)],
        Status::Near => &[
            Prim::Circle {
                r: 7.0,
                fill: false,
            },
            Prim::Path(CHECK),
        ],
        Status::NotAchieved => &[Prim::Square, Prim::Path(CROSS_A), Prim::Path(CROSS_B)],
        Status::Undeterminable => &[Prim::Triangle, Prim::Path(QUESTION), Prim::Dot(8.0, 12.6)],
        Status::NoActual => &[
            Prim::Circle {
                r: 7.0,
                fill: false,
            },
            Prim::Path(DASH),
        ],
        Status::NoTarget => &[
            Prim::Circle {
                r: 7.0,
                fill: false,
            },
            Prim::Path(SLASH),
        ],
    }
}

fn filled(status: Status) -> bool {
    matches!(
        status,
        Status::Achieved | Status::NotAchieved | Status::Undeterminable
    )
}

/// The id of a status's symbol in the page's icon sprite.
fn symbol_id(status: Status) -> String {
    format!("status-icon-{}", status.key())
}

/// The icon as it appears in HTML: a reference to the page's sprite (decorative: the status
/// text sits next to it). The shape itself is drawn once per page, by [`with_sprite`]; a KPI
/// row costs only this reference.
pub(crate) fn html(status: Status) -> String {
    format!(
        "<svg class=\"achievement__icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\" focusable=\"false\"><use href=\"#{}\"/></svg>",
        symbol_id(status)
    )
}

/// `html` with the sprite of the status icons it uses inserted before `</body>`: one
/// `<symbol>` per status that the page shows, none when it shows no icon.
pub(crate) fn with_sprite(mut html: String) -> String {
    // One pass over the page: the key after each reference.
    const REF: &str = "href=\"#status-icon-";
    let mut used: Vec<Status> = Vec::new();
    for (at, _) in html.match_indices(REF) {
        let rest = &html[at + REF.len()..];
        let key = &rest[..rest.find('"').unwrap_or(0)];
        if let Some(s) = Status::ALL.iter().find(|s| s.key() == key) {
            if !used.contains(s) {
                used.push(*s);
            }
        }
    }
    // In the order of Status::ALL, so a page's sprite is the same whatever order it uses them in.
    used.sort_by_key(|s| Status::ALL.iter().position(|x| x == s));
    let Some(at) = html.rfind("</body>") else {
        return html;
    };
    if used.is_empty() {
        return html;
    }
    let mut sprite = String::from(
        "<svg class=\"icon-sprite\" xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\" aria-hidden=\"true\" focusable=\"false\">",
    );
    for s in used {
        sprite.push_str(&format!(
            "<symbol id=\"{}\" viewBox=\"0 0 16 16\">{}</symbol>",
            symbol_id(s),
            shapes_html(s)
        ));
    }
    sprite.push_str("</svg>\n");
    html.insert_str(at, &sprite);
    html
}

/// The shapes of a status icon as SVG elements in a 16×16 box.
fn shapes_html(status: Status) -> String {
    let c = color(status);
    let hex = format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
    let mark = if filled(status) { "#fff" } else { hex.as_str() };
    let mut out = String::new();
    for p in shape(status) {
        match p {
            Prim::Circle { r, fill: true } => {
                out.push_str(&format!("<circle cx=\"8\" cy=\"8\" r=\"{r}\" fill=\"{hex}\"/>"))
            }
            Prim::Circle { r, fill: false } => out.push_str(&format!(
                "<circle cx=\"8\" cy=\"8\" r=\"{r}\" fill=\"#fff\" stroke=\"{hex}\" stroke-width=\"1.5\"/>"
            )),
            Prim::Square => out.push_str(&format!(
                "<rect x=\"1\" y=\"1\" width=\"14\" height=\"14\" fill=\"{hex}\"/>"
            )),
            Prim::Triangle => out.push_str(&format!(
                "<polygon points=\"8,0.5 15.5,15 0.5,15\" fill=\"{hex}\"/>"
            )),
            Prim::Path(points) => {
                let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
                out.push_str(&format!(
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{mark}\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>",
                    pts.join(" ")
                ));
            }
            Prim::Dot(cx, cy) => out.push_str(&format!(
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"1.2\" fill=\"{mark}\"/>"
            )),
        }
    }
    out
}

/// Draws the icon into a chart with its top-left corner at (`x`, `y`) and side `size`.
pub(crate) fn draw(canvas: &mut Canvas, status: Status, x: f64, y: f64, size: f64) {
    let k = size / 16.0;
    let at = |(px, py): (f64, f64)| (x + px * k, y + py * k);
    let c = color(status);
    let mark = if filled(status) {
        plotters::style::WHITE
    } else {
        c
    };
    let stroke = (2.0 * k).round().max(1.0) as u32;
    for p in shape(status) {
        match p {
            Prim::Circle { r, fill: true } => canvas.circle(at((8.0, 8.0)), r * k, Some(c), None),
            Prim::Circle { r, fill: false } => canvas.circle(
                at((8.0, 8.0)),
                r * k,
                Some(plotters::style::WHITE),
                Some((c, stroke)),
            ),
            Prim::Square => canvas.rect(at((1.0, 1.0)), at((15.0, 15.0)), c, None),
            Prim::Triangle => {
                canvas.polygon(vec![at((8.0, 0.5)), at((15.5, 15.0)), at((0.5, 15.0))], c)
            }
            Prim::Path(points) => {
                canvas.line(points.iter().map(|p| at(*p)).collect(), mark, stroke)
            }
            Prim::Dot(cx, cy) => {
                canvas.circle(at((*cx, *cy)), (1.2 * k).max(1.0), Some(mark), None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sprite_holds_each_used_status_once_and_nothing_when_none_is_used() {
        let page = format!(
            "<body><p>{}{}{}</p></body>",
            html(Status::NotAchieved),
            html(Status::Achieved),
            html(Status::NotAchieved)
        );
        let out = with_sprite(page);
        assert_eq!(out.matches("<symbol ").count(), 2, "{out}");
        assert!(out.contains("<symbol id=\"status-icon-achieved\""));
        assert!(out.contains("<symbol id=\"status-icon-not-achieved\""));
        assert!(
            out.find("status-icon-achieved\" viewBox").unwrap()
                < out.find("status-icon-not-achieved\" viewBox").unwrap()
        );
        assert!(out.ends_with("</svg>\n</body>"));
        let plain = "<body><p>no icons</p></body>".to_string();
        assert_eq!(with_sprite(plain.clone()), plain);
    }
}
