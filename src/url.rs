//! Where every page lives and how pages link to each other. All internal links are relative,
//! computed from the linking page's own location, so the same output works at a domain root,
//! under a sub-path (`/shisei/dx/`) and opened from the file system; `base_url` is used only
//! where an absolute URL is required (canonical links, feeds, sitemaps).

/// Folder names the generator uses itself; a Markdown page may not take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "activity",
    "assets",
    "data",
    "departments",
    "glossary",
    "measures",
    "policies",
    "search",
    "index",
    "404",
];

/// Measure IDs become path segments: ASCII letters, digits and `-` only, so no `..`, `/`, `%`
/// or anything a web server might interpret.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !id.starts_with('-')
}

/// Page slugs and theme names: lower-case ASCII, digits and `-`.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
}

/// `https://example.jp/dx` → `https://example.jp/dx/`.
pub fn normalize_base_url(url: &str) -> String {
    let trimmed = url.trim();
    if trimmed.ends_with('/') {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    }
}

/// A page's location inside the site, as a folder path with a trailing slash (`measures/01-01/`)
/// or `""` for the home page. Files are written to `<route>index.html`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route(String);

impl Route {
    pub fn home() -> Route {
        Route(String::new())
    }
    pub fn measure(id: &str) -> Route {
        Route(format!("measures/{id}/"))
    }
    pub fn measures() -> Route {
        Route("measures/".to_string())
    }
    pub fn policy(number: u32) -> Route {
        Route(format!("policies/{number}/"))
    }
    pub fn departments() -> Route {
        Route("departments/".to_string())
    }
    pub fn glossary() -> Route {
        Route("glossary/".to_string())
    }
    /// The list of years that have annual activity plans.
    pub fn activity() -> Route {
        Route("activity/".to_string())
    }
    /// All activity plans of one fiscal year (`activity/R4/`).
    pub fn activity_year(year: crate::fiscal::FiscalYear) -> Route {
        Route(format!("activity/{}/", year.key()))
    }
    /// One measure's activity plan of one year (`activity/R4/01-01/`).
    pub fn activity_plan(year: crate::fiscal::FiscalYear, id: &str) -> Route {
        Route(format!("activity/{}/{id}/", year.key()))
    }
    pub fn page(slug: &str) -> Route {
        Route(format!("{slug}/"))
    }

    /// The file this route is written to, relative to the output folder.
    pub fn file(&self) -> String {
        format!("{}index.html", self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How many folders deep the page is; its links climb this many `../`.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// The absolute URL, for canonical links.
    pub fn absolute(&self, base_url: &str) -> String {
        format!("{base_url}{}", self.0)
    }
}

/// A link from a page at `from` to any site path (`assets/style.css`, `measures/01-01/`).
pub fn relative(from: &Route, to: &str) -> String {
    relative_from_depth(from.depth(), to)
}

/// Same as [`relative`], for files that are not pages (a 404 page served from any folder uses
/// absolute paths instead; see the renderer).
pub fn relative_from_depth(depth: usize, to: &str) -> String {
    let up = "../".repeat(depth);
    let link = format!("{up}{to}");
    if link.is_empty() {
        "./".to_string()
    } else {
        link
    }
}

/// A fragment identifier for an arbitrary label (a department name): HTML allows any
/// characters except whitespace in `id`, so Japanese names are kept readable and only
/// whitespace and URL-significant characters are replaced.
pub fn anchor(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.trim().chars() {
        if c.is_whitespace() || matches!(c, '#' | '%' | '?' | '/' | '"' | '\'' | '<' | '>' | '&') {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_could_escape_the_output_are_rejected() {
        for bad in [
            "", "../x", "a/b", "01 01", "01%2F", "-x", "ａ", "01.01", "a\\b",
        ] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
        for good in ["01-01", "A1", "x-1-2"] {
            assert!(is_valid_id(good));
        }
    }

    #[test]
    fn relative_links_climb_from_the_page() {
        assert_eq!(
            relative(&Route::home(), "assets/style.css"),
            "assets/style.css"
        );
        assert_eq!(relative(&Route::home(), ""), "./");
        assert_eq!(
            relative(&Route::measure("01-01"), "assets/style.css"),
            "../../assets/style.css"
        );
        assert_eq!(relative(&Route::measure("01-01"), ""), "../../");
        assert_eq!(
            relative(&Route::glossary(), "measures/01-02/"),
            "../measures/01-02/"
        );
        assert_eq!(Route::measure("01-01").file(), "measures/01-01/index.html");
    }

    #[test]
    fn base_url_and_anchors() {
        assert_eq!(normalize_base_url("https://a.jp/dx"), "https://a.jp/dx/");
        assert_eq!(
            Route::policy(2).absolute("https://a.jp/dx/"),
            "https://a.jp/dx/policies/2/"
        );
        assert_eq!(anchor("産業振興課"), "産業振興課");
        assert_eq!(anchor("a b/c"), "a-b-c");
    }
}
