//! What `serve` adds to the pages it serves ([`inject`]): the live-reload script, and the error
//! overlay — when a rebuild fails, every served page gets a box listing the errors (file, line,
//! column, message, hint) over the last good version of the page. The box is plain HTML with
//! inline styles, so it shows without JavaScript and without the theme's stylesheet.

use super::endpoints::EVENTS_PATH;
use super::state::Snapshot;
use crate::diagnostics::Diagnostic;
use crate::i18n::{self, Lang, Msg};
use crate::text::escape_html as escape;

fn items(errors: &[&Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in errors {
        let gist = i18n::gist_prefix(lang, d.code);
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
            let label = i18n::text(lang, Msg::Hint);
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
pub(super) fn overlay(snapshot: &Snapshot, lang: Lang) -> String {
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

/// A whole page for when no build has succeeded yet.
pub(super) fn error_page(snapshot: &Snapshot, lang: Lang) -> String {
    let html_lang = lang.html_lang();
    format!(
        "<!doctype html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>keikaku serve</title></head><body><main><h1 style=\"font:bold 1.25em sans-serif\">keikaku serve</h1>{}</main>{}</body></html>",
        overlay(snapshot, lang),
        reload_script(snapshot.version, "index.html")
    )
}

/// Adds the error overlay (when the last rebuild failed) and the reload script before `</body>`.
pub(super) fn inject(html: &[u8], key: &str, snapshot: &Snapshot, lang: Lang) -> Vec<u8> {
    let mut extra = String::new();
    if snapshot.errors.is_some() {
        extra.push_str(&overlay(snapshot, lang));
    }
    extra.push_str(&reload_script(snapshot.version, key));
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// Reloads the page when a rebuild changed it (or a shared file, or the error state).
fn reload_script(version: u64, key: &str) -> String {
    let key = serde_json::to_string(key).unwrap_or_else(|_| "\"\"".into());
    format!(
        "<script>/* keikaku serve: live reload (serve only, never in built sites) */\
(function(){{if(!window.EventSource)return;var v={version},k={key};\
var s=new EventSource(\"{EVENTS_PATH}?v=\"+v);\
s.onmessage=function(e){{var d=JSON.parse(e.data);if(d.version===v)return;\
if(d.all||d.changed.indexOf(k)>=0){{s.close();location.reload();}}else{{v=d.version;}}}};}})();</script>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let snap = Snapshot::default();
        let out = inject(
            b"<html><body><p>x</p></body></html>",
            "index.html",
            &snap,
            Lang::Ja,
        );
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script></body></html>"));
    }
}
