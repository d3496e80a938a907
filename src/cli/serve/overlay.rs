//! The error overlay: when a rebuild fails, every served page gets a box listing the errors
//! (file, line, column, message, hint) over the last good version of the page. It is plain HTML
//! with inline styles, so it shows without JavaScript and without the theme's stylesheet.

use super::state::Snapshot;
use crate::diagnostics::Diagnostic;
use crate::i18n::{self, Lang, Msg};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn items(errors: &[&Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in errors {
        let gist = if lang == Lang::En {
            format!("{} — ", i18n::code_gist(lang, d.code))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "<li style=\"margin:0 0 .75em\"><code style=\"font-weight:bold\">{}</code> [{} {}]<br>{}{}{}",
            escape(&d.location()),
            d.code.id(),
            d.code.key(),
            escape(&gist),
            d.field
                .as_ref()
                .map(|f| format!("<code>{}</code>: ", escape(f)))
                .unwrap_or_default(),
            escape(&d.message)
        ));
        if let Some(h) = &d.hint {
            let label = if lang == Lang::En {
                "Hint"
            } else {
                "ヒント"
            };
            out.push_str(&format!("<br>{label}: {}", escape(h)));
        }
        out.push_str("</li>");
    }
    out
}

fn heading(snapshot: &Snapshot, lang: Lang) -> String {
    let count = snapshot.errors.as_ref().map_or(0, |e| e.error_count());
    let msg = if snapshot.site.is_some() {
        Msg::RebuildFailed { errors: count }
    } else {
        Msg::NoGoodSiteYet
    };
    i18n::text(lang, msg)
}

/// The box shown over a page while the site has errors.
pub fn overlay(snapshot: &Snapshot, lang: Lang) -> String {
    let Some(errors) = &snapshot.errors else {
        return String::new();
    };
    let sorted = errors.sorted();
    format!(
        "<div id=\"keikaku-errors\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#111;border-top:6px solid #b00020;padding:1em 1.25em;font:16px/1.6 sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.3)\">\
<details open><summary style=\"cursor:pointer;font-weight:bold;color:#b00020\">⚠ keikaku serve: {}</summary><ul style=\"margin:.5em 0 0;padding-left:1.25em\">{}</ul></details></div>",
        escape(&heading(snapshot, lang)),
        items(&sorted, lang)
    )
}
