//! The bodies of the fuzz targets (fuzz/fuzz_targets/*), kept in the library so that the
//! crashing inputs they find are replayed by the ordinary test suite through exactly the same
//! code (tests/fuzz_regressions.rs). Each function takes arbitrary bytes, must never panic,
//! and checks a few properties that must hold for any input; a failed check panics, which is
//! what the fuzzer reports as a crash.

use std::path::{Path, PathBuf};

use crate::cli::serve::{parse_head, HostGuard, Method};
use crate::diagnostics::{self, Format};
use crate::fiscal;
use crate::glossary::{Linker, PageTerms};
use crate::kpi::cell::parse_cell;
use crate::markdown;
use crate::model::{RawHtml, Term};
use crate::url::Route;

/// KPI cell grammar: a cell is read or refused, and a refusal points inside the cell.
pub fn kpi_cell(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_cell(text) {
        Ok(cell) => {
            // The text shown on pages is the cell as written, trimmed.
            assert_eq!(cell.display(), text.trim(), "display text of {text:?}");
        }
        Err(e) => {
            assert!(
                e.offset <= text.chars().count(),
                "offset {} past the end of {text:?}",
                e.offset
            );
            assert!(!e.to_string().is_empty());
        }
    }
}

/// Fiscal years: whatever is accepted prints in a form that reads back as the same year.
pub fn fiscal_year(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(year) = fiscal::parse(text) {
        // `label_long` (令和4年度（2022年度）) is for reading only, not an input spelling.
        assert!(!year.label_long().is_empty());
        for shown in [year.to_string(), year.label()] {
            let again = fiscal::parse(&shown);
            assert_eq!(again.ok(), Some(year), "{text:?} shown as {shown:?}");
        }
    }
}

/// Glossary linker over sanitised Markdown. The first line lists terms separated by `|`, the
/// rest is the page text.
pub fn glossary_link(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (names, body) = text.split_once('\n').unwrap_or((text, ""));
    let terms: Vec<Term> = names
        .split('|')
        .filter(|n| !n.trim().is_empty())
        .take(16)
        .enumerate()
        .map(|(i, name)| Term {
            term: name.to_string(),
            reading: None,
            aliases: Vec::new(),
            explanation: String::new(),
            anchor: format!("t{i}"),
            related: Vec::new(),
            source: None,
            position: None,
        })
        .collect();
    let linker = Linker::new(&terms);
    let mut page = PageTerms::new(&linker, &Route::measure("01-01"));
    let html = markdown::to_html_with_terms(body, 2, &mut page, RawHtml::Sanitise);
    assert_no_active_markup(&html);
    markdown::to_plain_text(body, 120);
}

/// Checks the tags of sanitised HTML: no script or style elements, no event handler, no URL
/// with a scheme that runs code. Text never contains a literal `<` (the serializer escapes
/// it), so every `<` opens a tag; a `>` inside an attribute value ends the scan of that tag
/// early, which can only miss, never invent, a finding.
pub fn assert_no_active_markup(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(
            !matches!(
                name.as_str(),
                "script" | "style" | "iframe" | "object" | "embed" | "svg" | "math"
            ),
            "<{name}> in {html:?}"
        );
        for attr in tag.split_ascii_whitespace().skip(1) {
            let (key, value) = attr.split_once('=').unwrap_or((attr, ""));
            assert!(!key.starts_with("on"), "event handler {key} in {html:?}");
            assert!(
                key != "style" || value.starts_with("\"text-align"),
                "style in {html:?}"
            );
            if key == "href" || key == "src" {
                let v = value.trim_matches('"').trim();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!v.starts_with(scheme), "{scheme} URL in {html:?}");
                }
            }
        }
    }
}

/// The files of a site, in the order the input gives them, separated by a line `%%`.
/// A missing or empty part leaves the file out.
pub const SITE_FILES: [&str; 6] = [
    "config.yaml",
    "content/plan.yaml",
    "content/measures/01-01.yaml",
    "content/glossary.yaml",
    "content/pages/about.md",
    "content/activity/R4/01-01.yaml",
];

/// Whole-site loading, validation and rendering from arbitrary files: `keikaku check` on a
/// folder written from the input. Every problem must come back as a diagnostic, and the
/// report must render in every format.
pub fn site_yaml(data: &[u8]) {
    let dir = scratch_dir();
    for rel in SITE_FILES {
        let _ = std::fs::remove_file(dir.join(rel));
    }
    let mut parts = data.split_inclusive(|&b| b == b'\n');
    let mut current = Vec::new();
    let mut index = 0;
    let flush = |bytes: &mut Vec<u8>, index: usize| {
        if let Some(rel) = SITE_FILES.get(index) {
            if !bytes.is_empty() {
                let path = dir.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, &bytes).unwrap();
            }
        }
        bytes.clear();
    };
    for line in parts.by_ref() {
        if line == b"%%\n" || line == b"%%" {
            flush(&mut current, index);
            index += 1;
        } else {
            current.extend_from_slice(line);
        }
    }
    flush(&mut current, index);

    let diags = crate::build::Pipeline::new(&dir).check();
    for d in diags.iter() {
        assert!(!d.message.is_empty(), "{d:?}");
        if let Some(p) = d.position {
            assert!(p.line >= 1 && p.column >= 1, "{d:?}");
        }
    }
    for format in [Format::Human, Format::Plain, Format::Json] {
        diagnostics::render(&diags, format, false);
    }
}

/// `serve`'s request heads and `Host` check, on bytes as they come from the network: a head
/// is read or refused; one that is read reads back the same when written out again (so no
/// part of it can be taken two ways), and a `Host` is let through only when it is a loopback
/// name (the guard is bound to 127.0.0.1 here).
pub fn http_head(data: &[u8]) {
    let Ok(request) = parse_head(data) else {
        return;
    };
    let method = match &request.method {
        Method::Get => "GET",
        Method::Head => "HEAD",
        Method::Other(m) => m,
    };
    let version = if request.http11 { "1.1" } else { "1.0" };
    let mut again = format!("{method} {} HTTP/{version}", request.target);
    for (name, value) in &request.headers {
        assert!(!name.is_empty() && !name.contains([' ', ':']), "{name:?}");
        again.push_str(&format!("\r\n{name}: {value}"));
    }
    assert_eq!(
        parse_head(again.as_bytes()).as_ref(),
        Ok(&request),
        "{again:?}"
    );
    let _ = request.keep_alive();
    if let Some(host) = request.host() {
        let guard = HostGuard::new(std::net::SocketAddr::from(([127, 0, 0, 1], 8000)));
        if guard.allows(host) {
            let name = host.rsplit_once(':').map_or(host, |(n, _)| n);
            assert!(
                name.eq_ignore_ascii_case("localhost")
                    || name.starts_with("127.")
                    || name.starts_with('['),
                "{host:?} let through"
            );
        }
    }
}

/// One folder per process, reused across runs (the fuzzer calls the target thousands of
/// times a second).
fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keikaku-fuzz-{}", std::process::id()));
    if !Path::new(&dir).exists() {
        std::fs::create_dir_all(&dir).unwrap();
    }
    dir
}
