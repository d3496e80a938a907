//! Where every page lives and how pages link to each other. All internal links are relative,
//! computed from the linking page's own location, so the same output works at a domain root,
//! under a sub-path (`/shisei/dx/`) and opened from the file system; `base_url` is used only
//! where an absolute URL is required (canonical links, feeds, sitemaps).

/// Folder names the generator uses itself; a Markdown page may not take them.
pub(crate) const RESERVED_SLUGS: &[&str] = &[
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
    // The folders of the language trees (`crate::language::Language::url_prefix`).
    "en",
    "easy",
];

/// Measure IDs become path segments: ASCII letters, digits and `-` only, so no `..`, `/`, `%`
/// or anything a web server might interpret.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !id.starts_with('-')
}

/// Page slugs and theme names: lower-case ASCII, digits and `-`.
pub(crate) fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
}

/// `https://example.jp/dx` → `https://example.jp/dx/`.
pub(crate) fn normalize_base_url(url: &str) -> String {
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
pub(crate) struct Route(String);

impl Route {
    pub(crate) fn home() -> Route {
        Route(String::new())
    }
    pub(crate) fn measure(id: &str) -> Route {
        Route(format!("measures/{id}/"))
    }
    pub(crate) fn measures() -> Route {
        Route("measures/".to_string())
    }
    pub(crate) fn policy(number: u32) -> Route {
        Route(format!("policies/{number}/"))
    }
    pub(crate) fn departments() -> Route {
        Route("departments/".to_string())
    }
    /// The open-data page; the data files live beside it (`data/measures.csv`).
    pub(crate) fn data() -> Route {
        Route("data/".to_string())
    }
    /// The search page, which without JavaScript lists every measure.
    pub(crate) fn search() -> Route {
        Route("search/".to_string())
    }
    pub(crate) fn glossary() -> Route {
        Route("glossary/".to_string())
    }
    /// The pages that use one glossary entry, listed apart when there are many
    /// (`glossary/dx/`; anchors are slugs).
    pub(crate) fn glossary_uses(anchor: &str) -> Route {
        Route(format!("glossary/{anchor}/"))
    }
    /// The list of years that have annual activity plans.
    pub(crate) fn activity() -> Route {
        Route("activity/".to_string())
    }
    /// All activity plans of one fiscal year (`activity/R4/`).
    pub(crate) fn activity_year(year: crate::fiscal::FiscalYear) -> Route {
        Route(format!("activity/{}/", year.key()))
    }
    /// One measure's activity plan of one year (`activity/R4/01-01/`).
    pub(crate) fn activity_plan(year: crate::fiscal::FiscalYear, id: &str) -> Route {
        Route(format!("activity/{}/{id}/", year.key()))
    }
    pub(crate) fn page(slug: &str) -> Route {
        Route(format!("{slug}/"))
    }

    /// Page `n` (from 1) of the listing at this route: page 1 is the route itself, later
    /// pages are `page_<n>/` below it (`measures/page_2/`). No measure ID or slug holds `_`, so
    /// a page of a listing never takes the address of a measure or plan in the same folder.
    pub(crate) fn paged(&self, n: usize) -> Route {
        match n {
            0 | 1 => self.clone(),
            n => Route(format!("{}page_{n}/", self.0)),
        }
    }

    /// The file this route is written to, relative to the output folder.
    pub(crate) fn file(&self) -> String {
        format!("{}index.html", self.0)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// How many folders deep the page is; its links climb this many `../`.
    pub(crate) fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// The absolute URL, for canonical links.
    pub(crate) fn absolute(&self, base_url: &str) -> String {
        format!("{base_url}{}", self.0)
    }
}

/// The folder of the measure whose page or chart `path` is (`measures/01-01/kpi-1.svg` →
/// `measures/01-01/`); `None` for every other file, the measure list included.
pub fn measure_dir_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("measures/")?;
    let id_len = rest.find('/')?;
    // `measures/page_2/`: a page of the measures index, not a measure.
    if !is_valid_id(&rest[..id_len]) {
        return None;
    }
    Some(&path[.."measures/".len() + id_len + 1])
}

/// A link from a page at `from` to any site path (`assets/style.css`, `measures/01-01/`).
pub(crate) fn relative(from: &Route, to: &str) -> String {
    relative_from_depth(from.depth(), to)
}

/// A link from a page at `from` of the plan published under `from_prefix` (`""`, or
/// `ict-2018/`) to the path `to` of the plan under `to_prefix`: for the links between the
/// plans of one site (lineage, the list of plans).
pub(crate) fn across_plans(from: &Route, from_prefix: &str, to_prefix: &str, to: &str) -> String {
    relative_from_depth(
        from.depth() + from_prefix.matches('/').count(),
        &format!("{to_prefix}{to}"),
    )
}

/// Same as [`relative`], for files that are not pages (a 404 page served from any folder uses
/// absolute paths instead; see the renderer).
pub(crate) fn relative_from_depth(depth: usize, to: &str) -> String {
    let up = "../".repeat(depth);
    let link = format!("{up}{to}");
    if link.is_empty() {
        "./".to_string()
    } else {
        link
    }
}

/// Rewrites the internal links of a rendered page for a copy opened from the file system,
/// where a folder link (`../measures/01-01/`) shows a directory listing instead of the page:
/// every relative `href`, `src` and `action` whose path ends in `/` (or is empty before a
/// `?`/`#`) gets `index.html`. Relative links are exactly the internal ones — generated links
/// come from [`relative`], and author links in Markdown that point inside the site are
/// relative too — so links with a scheme (`https:`, `mailto:`), root-relative (`/…`) and
/// fragment-only (`#…`) links are left alone. Applied to the finished HTML so that it covers
/// every link of every template and content file, and stays the one place that decides the
/// file-system link shape.
pub(crate) fn file_system_links(html: &str) -> String {
    map_links(html, &|link| file_link(link))
}

/// `html` with the value of every `href`, `src` and `action` attribute replaced by what `map`
/// makes of it.
fn map_links(html: &str, map: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 20);
    let mut rest = html;
    loop {
        let next = ["href=\"", "src=\"", "action=\""]
            .iter()
            .filter_map(|attr| rest.find(attr).map(|i| (i, attr.len())))
            .min();
        let Some((start, len)) = next else {
            out.push_str(rest);
            return out;
        };
        let value_start = start + len;
        // Only whole attribute names: the character before must not belong to a name.
        let preceded_ok = start == 0
            || rest[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace());
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let Some(end) = rest.find('"') else {
            out.push_str(rest);
            return out;
        };
        let value = &rest[..end];
        if preceded_ok {
            out.push_str(&map(value));
        } else {
            out.push_str(value);
        }
        rest = &rest[end..];
    }
}

/// Rewrites the links of a page of a language tree that lead to files only the Japanese tree
/// has. The trees mirror the Japanese pages, so a link in the content (`/measures/01-01/`, or
/// relative) stays in the tree, as it should: an English page leads to the English page. But
/// the open data (`data/measures.csv`) and the theme's files (`assets/`) are written once, at
/// the root, and a link to them must leave the tree. `page_dir` is the folder of the page from
/// the site root (`en/measures/01-01/`), `language_folder` the tree's (`en/`), `plan_folders`
/// the folders of the site's other plans (`ict-2018/`), whose open data is under them.
pub(crate) fn links_out_of_tree(
    html: &str,
    page_dir: &str,
    language_folder: &str,
    plan_folders: &[&str],
) -> String {
    let depth = page_dir.matches('/').count();
    map_links(html, &|link| {
        let Some((path, tail)) = relative_link(link) else {
            return link.to_string();
        };
        let resolved = resolve(page_dir, path);
        let in_root = resolved
            .strip_prefix(language_folder)
            .filter(|rest| is_root_only(rest, plan_folders));
        match in_root {
            Some(rest) => format!("{}{rest}{tail}", "../".repeat(depth)),
            None => link.to_string(),
        }
    })
}

/// `path` (relative) read from the folder `dir`, as a path from the site root.
fn resolve(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let segments: Vec<&str> = path.split('/').collect();
    for segment in &segments {
        match *segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            _ => parts.push(segment),
        }
    }
    let mut out = parts.join("/");
    let is_folder = matches!(segments.last(), Some(&("" | "." | "..")));
    if is_folder && !out.is_empty() {
        out.push('/');
    }
    out
}

/// Whether `path` (from a tree's root) names a file only the Japanese tree writes: a file of
/// the open data (not the data page) of the main plan or of one of `plan_folders`, or a file
/// of the theme.
pub(crate) fn is_root_only(path: &str, plan_folders: &[&str]) -> bool {
    if path.starts_with("assets/") {
        return true;
    }
    let in_plan = std::iter::once("")
        .chain(plan_folders.iter().copied())
        .filter_map(|folder| path.strip_prefix(folder));
    in_plan
        .filter_map(|rest| rest.strip_prefix("data/"))
        .any(|file| !file.is_empty() && file != "index.html")
}

/// A relative link within the site (not empty, not root-relative, not a bare `#…`/`?…`, no
/// scheme) as its path and the `?…`/`#…` after it; `None` for every other link.
fn relative_link(link: &str) -> Option<(&str, &str)> {
    let is_internal = !link.is_empty()
        && !link.starts_with(['/', '#', '?'])
        && !link
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .contains(':');
    is_internal.then(|| link.split_at(link.find(['?', '#']).unwrap_or(link.len())))
}

/// One link in file-system shape (see [`file_system_links`]).
pub(crate) fn file_link(link: &str) -> String {
    let Some((path, tail)) = relative_link(link) else {
        return link.to_string();
    };
    if path.ends_with('/') || path == "." || path == ".." {
        let sep = if path.ends_with('/') { "" } else { "/" };
        format!("{path}{sep}index.html{tail}")
    } else {
        link.to_string()
    }
}

/// A fragment identifier for an arbitrary label (a department name): HTML allows any
/// characters except whitespace in `id`, so Japanese names are kept readable and only
/// whitespace and URL-significant characters are replaced.
pub(crate) fn anchor(label: &str) -> String {
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

/// The path part of the base URL (`https://a.jp/dx/` → `/dx/`): what root-relative links
/// of the site begin with once published.
pub(crate) fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_the_open_data_leave_the_tree_and_the_others_stay() {
        let html = concat!(
            r#"<a href="../../data/measures.csv">a</a> <a href="../01-02/">b</a> "#,
            r#"<a href="../../data/">c</a> <img src="../../assets/x.svg"> "#,
            r#"<a href="../../ict-2018/data/kpis.json#x">d</a> <a href="https://a.jp/data/x">e</a>"#
        );
        let out = links_out_of_tree(html, "en/measures/01-01/", "en/", &["ict-2018/"]);
        assert_eq!(
            out,
            concat!(
                r#"<a href="../../../data/measures.csv">a</a> <a href="../01-02/">b</a> "#,
                r#"<a href="../../data/">c</a> <img src="../../../assets/x.svg"> "#,
                r#"<a href="../../../ict-2018/data/kpis.json#x">d</a> <a href="https://a.jp/data/x">e</a>"#
            )
        );
        // A measure whose ID is `data` is a page of the tree.
        let own = links_out_of_tree(
            r#"<a href="../data/kpi-1.svg">"#,
            "en/measures/x/",
            "en/",
            &[],
        );
        assert_eq!(own, r#"<a href="../data/kpi-1.svg">"#);
        assert_eq!(resolve("en/measures/01-01/", "../../"), "en/");
        assert_eq!(resolve("en/", "./"), "en/");
    }

    #[test]
    fn the_language_folders_are_reserved() {
        for language in crate::language::Language::ALL {
            let folder = language.url_prefix().trim_end_matches('/');
            assert!(
                folder.is_empty() || RESERVED_SLUGS.contains(&folder),
                "{folder}"
            );
        }
    }

    #[test]
    fn base_path_of_urls() {
        assert_eq!(base_path("https://a.jp/dx/"), "/dx/");
        assert_eq!(base_path("https://a.jp/"), "/");
        assert_eq!(base_path("/x/"), "/x/");
    }

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
    fn file_system_links_name_index_html() {
        assert_eq!(file_link("../../"), "../../index.html");
        assert_eq!(file_link("./"), "./index.html");
        assert_eq!(file_link("."), "./index.html");
        assert_eq!(
            file_link("../departments/#産業振興課"),
            "../departments/index.html#産業振興課"
        );
        assert_eq!(file_link("search/?q=x"), "search/index.html?q=x");
        for same in [
            "assets/style.css?v=1",
            "https://example.jp/dx/",
            "mailto:a@b.jp",
            "#kpis",
            "/dx/",
            "data/measures.csv",
        ] {
            assert_eq!(file_link(same), same);
        }
        let html = r#"<a href="../">x</a><link rel="stylesheet" href="../assets/style.css"><form action="../search/"><a data-href="x/">"#;
        assert_eq!(
            file_system_links(html),
            r#"<a href="../index.html">x</a><link rel="stylesheet" href="../assets/style.css"><form action="../search/index.html"><a data-href="x/">"#
        );
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
