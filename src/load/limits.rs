//! Limits the loader enforces before it parses anything, so that a mistaken or hostile file
//! (a 50 MB export pasted into a measure, a structure nested thousands deep, a folder of
//! generated files) ends in a clear message instead of exhausting memory or the stack; and
//! the limits on what a parsed file says ([`super::bounds`]: text lengths, KPIs per measure),
//! which keep one value from multiplying into the output of every page that shows it.
//! Each limit can be raised in config.yaml (`limits:`) for a site that really needs it.

use std::io::Read;
use std::path::Path;

use super::page::{split_front_matter, FrontMatter};
use super::raw::RawLimits;
use super::{yaml, SourceFile};
use crate::diagnostics::{Code, Diagnostic};

/// The limits in force for one load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Largest input file, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences in a YAML document (the top level is 1).
    pub max_depth: usize,
    /// Most measure files in content/measures.
    pub max_measures: usize,
    /// Longest one-line text (a title, a name, an indicator), in characters.
    pub max_title_chars: usize,
    /// Longest paragraph or Markdown text in a YAML file (a section, a summary, a note), in
    /// characters.
    pub max_text_chars: usize,
    /// Most KPIs in one measure.
    pub max_kpis_per_measure: usize,
}

impl Default for Limits {
    /// Far above any real plan (the largest example file is a few tens of KB, nesting is at
    /// most 5 deep, a city has at most a few hundred measures; the example's longest title is
    /// 41 characters, its longest section 327, its most KPIs in a measure 3) and far below
    /// what would hurt.
    fn default() -> Self {
        Limits {
            max_file_bytes: 10 * 1024 * 1024,
            max_depth: 64,
            max_measures: 100_000,
            max_title_chars: 200,
            max_text_chars: 20_000,
            max_kpis_per_measure: 100,
        }
    }
}

impl Limits {
    pub(crate) fn from_raw(raw: &RawLimits) -> Limits {
        let d = Limits::default();
        Limits {
            max_file_bytes: raw.max_file_bytes.unwrap_or(d.max_file_bytes),
            max_depth: raw.max_depth.unwrap_or(d.max_depth),
            max_measures: raw.max_measures.unwrap_or(d.max_measures),
            max_title_chars: raw.max_title_chars.unwrap_or(d.max_title_chars),
            max_text_chars: raw.max_text_chars.unwrap_or(d.max_text_chars),
            max_kpis_per_measure: raw.max_kpis_per_measure.unwrap_or(d.max_kpis_per_measure),
        }
    }
}

/// Reads at most `max + 1` bytes of `file`: a file over the limit is never read whole (it
/// may be a multi-gigabyte dump). Only regular files get here (`read::open_regular`).
pub(crate) fn read_bounded(file: std::fs::File, max: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    let known_len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if known_len > max {
        return Ok(Err(known_len));
    }
    let mut bytes = Vec::with_capacity(known_len as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

pub(crate) fn too_large(rel: &Path, len: u64, max: u64) -> Diagnostic {
    Diagnostic::error(
        Code::FileTooLarge,
        rel,
        format!(
            "ファイルが大きすぎます（{} バイト、上限 {} バイト）（file too large）",
            group_digits(len),
            group_digits(max)
        ),
    )
    .hint("ファイルを分けるか、本当に必要なら config.yaml の limits: max_file_bytes: を増やしてください")
}

pub(crate) fn too_many_measures(dir: &str, count: usize, max: usize) -> Diagnostic {
    Diagnostic::error(
        Code::TooManyMeasures,
        dir,
        format!("施策のファイルが多すぎます（{count}件、上限 {max}件）（too many measures）"),
    )
    .hint("不要なファイルを除くか、本当に必要なら config.yaml の limits: max_measures: を増やしてください")
}

/// Checks the nesting depth of a YAML file, or of a Markdown page's front matter, before
/// serde sees it. Uses the same event parser as the [`super::yaml::Locator`], which keeps its
/// own stack (no recursion), and stops at the first node past the limit. A file that is not
/// valid YAML passes here: the parser proper reports the syntax error with its position (and a
/// page without front matter, the page parser).
pub(crate) fn check_depth(file: &SourceFile, max_depth: usize) -> Option<Diagnostic> {
    check_depth_with(file, max_depth, true)
}

/// [`check_depth`], optionally without the shortcut of [`depth_bound`] (for its tests).
fn check_depth_with(file: &SourceFile, max_depth: usize, use_bound: bool) -> Option<Diagnostic> {
    let is_page = file.path.extension().is_some_and(|e| e == "md");
    let text = if is_page {
        split_front_matter(&file.text).ok()?.yaml
    } else {
        &file.text[..]
    };
    if use_bound && depth_bound(text, max_depth).is_some_and(|bound| bound <= max_depth) {
        return None;
    }
    let at = yaml::nesting(text, max_depth).too_deep_at?;
    Some(
        file.diagnostic(
            Code::TooDeep,
            format!("入れ子が深すぎます（上限 {max_depth} 段）（nesting too deep）"),
        )
        .at(Some(if is_page {
            FrontMatter::file_position(at)
        } else {
            at
        }))
        .hint("構造を浅くしてください。本当に必要なら config.yaml の limits: max_depth: を増やしてください"),
    )
}

/// An upper bound of the depth [`check_depth`] would find, from the text alone, so that the
/// exact check (a second full parse of every file) runs only for files that might be too
/// deep. `None` when the bound passes `limit` (counting stops there) or the text holds what
/// it does not model (a byte order mark, which the parser does not count as a column).
///
/// Why it holds, following saphyr's scanner and parser:
/// - A block collection starts where the scanner raises its indentation (`roll_indent`), and
///   the open block collections' columns strictly increase. The scanner raises it only for a
///   `-`, `?` or `:` indicator or a simple key, all at a point where a simple key is allowed,
///   which in block context is the first token of a line, or the token right after a `-`, `?`
///   or `:` indicator that itself stood at such a point (a `:` after a simple key forbids
///   one). So every open block collection sits at a column counted below: the first
///   non-blank character of a line and, while that is an indicator followed by a blank, the
///   next one (also on lines inside block scalars, flow collections and comments: counting
///   too many only loosens the bound).
/// - A sequence without indentation (`key:` then `- item` at the key's column) is the one
///   block collection that raises nothing; there is at most one per mapping, hence 2 per
///   column.
/// - A flow collection opens at a `[` or `{`; a single-pair mapping inside `[…]` (`[a: b]`)
///   adds one more level without a bracket, hence 2 per bracket in the whole text. 255
///   nested brackets end in the scanner's own recursion limit, which `check_depth` reports
///   whatever the limit: so many brackets are never let through here.
///
/// The test `depth_bound_is_never_below_the_depth` checks this against saphyr.
fn depth_bound(text: &str, limit: usize) -> Option<usize> {
    const FLOW_LIMIT: usize = 255;
    if text.contains('\u{feff}') {
        return None;
    }
    let brackets = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if brackets >= FLOW_LIMIT {
        return None;
    }
    let mut bound = 2 * brackets;
    // Columns seen so far, one bit each.
    let mut seen: Vec<u64> = Vec::new();
    let mut count_column = |col: usize| {
        let (word, bit) = (col / 64, 1u64 << (col % 64));
        if seen.len() <= word {
            seen.resize(word + 1, 0);
        }
        if seen[word] & bit == 0 {
            seen[word] |= bit;
            bound += 2;
        }
        bound <= limit
    };
    for line in text.split(['\n', '\r']) {
        let mut chars = line.chars().peekable();
        let mut col = 0;
        loop {
            while chars.next_if(|c| matches!(c, ' ' | '\t')).is_some() {
                col += 1;
            }
            let Some(c) = chars.next() else { break };
            if c == '#' {
                break;
            }
            if !count_column(col) {
                return None;
            }
            col += 1;
            // A document marker (`--- `) may be followed by content too.
            if col == 1 && matches!(c, '-' | '.') {
                let marker = if c == '-' { "--" } else { ".." };
                if chars.clone().take(2).eq(marker.chars())
                    && chars.clone().nth(2).is_none_or(|n| matches!(n, ' ' | '\t'))
                {
                    chars.nth(1);
                    col += 2;
                    continue;
                }
            }
            let indicator = matches!(c, '-' | '?' | ':')
                && chars.peek().is_none_or(|n| matches!(n, ' ' | '\t'));
            if !indicator {
                break;
            }
        }
    }
    Some(bound)
}

pub(super) fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Position;
    use std::sync::Arc;

    fn source(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: Arc::from(text),
        }
    }

    #[test]
    fn depth_counts_block_and_flow_nesting() {
        let ok = source("a.yaml", "a:\n  b:\n    - [1, [2]]\n");
        assert!(check_depth(&ok, 5).is_none());
        let d = check_depth(&ok, 4).expect("5 levels > 4");
        assert_eq!(d.code, Code::TooDeep);
        assert_eq!(
            d.position,
            Some(Position {
                line: 3,
                column: 11
            })
        );
        let deep = format!("x: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let d = check_depth(&source("b.yaml", &deep), 64).expect("too deep");
        assert_eq!(d.code, Code::TooDeep);
        assert_eq!(d.position.map(|p| p.line), Some(1));
        let block: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let d = check_depth(&source("c.yaml", &block), 64).expect("too deep");
        assert_eq!(
            d.position,
            Some(Position {
                line: 65,
                column: 65
            })
        );
    }

    #[test]
    fn page_depth_is_checked_in_the_front_matter_only() {
        let page = source(
            "p.md",
            "---\ntitle: x\ntags: [[[1]]]\n---\n\n> > > > > 引用\n",
        );
        let d = check_depth(&page, 3).unwrap();
        assert_eq!(d.position.map(|p| p.line), Some(3));
        assert!(check_depth(&page, 4).is_none());
    }

    /// Every YAML and Markdown file of the example site and the test fixtures, and generated
    /// text built from the constructs that nest (compact `- - -`, `? ` keys, `: ` values,
    /// flow collections over several lines, brackets in quotes, comments and block scalars,
    /// anchors, tags, tabs, document markers): the bound is never below the depth saphyr
    /// finds, and `check_depth` reports exactly what the full check reports.
    #[test]
    fn depth_bound_is_never_below_the_depth() {
        use rand::{Rng, SeedableRng};
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<(String, String)> = Vec::new();
        for dir in ["content", "tests", "fuzz"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let path = entry.path();
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if matches!(ext, "yaml" | "yml" | "md") {
                    if let Ok(text) = std::fs::read_to_string(path) {
                        texts.push((format!("f.{ext}"), text));
                    }
                }
            }
        }
        assert!(texts.len() > 50, "{} files", texts.len());
        const PIECES: &[&str] = &[
            "a: b",
            "a:",
            "k: [1, [2, {x: y}]]",
            "[a: b, [c: d]]",
            "{a: [b], c: {d: e}}",
            "[? a : b]",
            "\"q [[ {{ \"",
            "'s [[ '' {{'",
            "# c [[ {{",
            "|",
            ">-",
            "|2",
            "&a k: v",
            "&a",
            "*a",
            "*a : b",
            "!!map",
            "!!seq",
            "---",
            "--- a: b",
            "--- - x",
            "...",
            "x",
            "[",
            "]",
            "{",
            "}",
            ",",
            "[a,",
            "b]",
            "a: b: c",
            "- - - x",
            "? [a]",
            ": b",
            "? a",
            ": - c",
            "k: |",
            "  [[[ text",
            "[x]: y",
            "{x: y}: z",
            "\"k\": v",
            "'k': v",
            "-",
            "?",
            ":",
            "- a: b",
            "- ? a",
            "a: - b",
            "a:\t[b]",
            "\t- x",
            "k: v # [[",
            "[a, # ]\n b]",
            "{a: b,\n c: [d,\n e]}",
            "- [a, [b, [c]]]",
            "? - a\n  - b\n: c",
            "%YAML 1.2",
            "k: >\n  - - -\n  x",
        ];
        const INDENTS: &[&str] = &[
            "", " ", "  ", "   ", "    ", "      ", "\t", " \t", "        ",
        ];
        const PREFIXES: &[&str] = &["", "- ", "? ", ": ", "- - ", "-\t", "- ? ", "? - ", "- : "];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(64);
        for _ in 0..20_000 {
            let lines = rng.random_range(1..10);
            let text: String = (0..lines)
                .map(|_| {
                    let mut line = String::new();
                    line.push_str(INDENTS[rng.random_range(0..INDENTS.len())]);
                    for _ in 0..rng.random_range(0..3) {
                        line.push_str(PREFIXES[rng.random_range(0..PREFIXES.len())]);
                    }
                    line.push_str(PIECES[rng.random_range(0..PIECES.len())]);
                    line.push(if rng.random_range(0..8) == 0 {
                        '\r'
                    } else {
                        '\n'
                    });
                    line
                })
                .collect();
            texts.push(("g.yaml".into(), text));
        }
        // Deep by design: compact sequences, indented keys, flow brackets.
        for n in [10, 40, 70, 130, 254, 255, 300] {
            texts.push(("d.yaml".into(), format!("{}x\n", "- ".repeat(n))));
            texts.push((
                "d.yaml".into(),
                (0..n)
                    .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                    .collect(),
            ));
            texts.push((
                "d.yaml".into(),
                format!("k: {}1{}\n", "[".repeat(n), "]".repeat(n)),
            ));
            texts.push(("d.yaml".into(), format!("k: {}1\n", "[a: ".repeat(n))));
        }
        let mut bounded = 0;
        for (name, text) in &texts {
            let file = source(name, text);
            if let Some(bound) = depth_bound(text, usize::MAX) {
                bounded += 1;
                let depth = saphyr_depth(text);
                assert!(bound >= depth, "bound {bound} < depth {depth} for {text:?}");
            }
            for limit in [1, 2, 3, 4, 6, 8, 12, 64] {
                assert_eq!(
                    format!("{:?}", check_depth(&file, limit)),
                    format!("{:?}", check_depth_with(&file, limit, false)),
                    "limit {limit}: {text:?}"
                );
            }
        }
        assert!(bounded > texts.len() * 9 / 10);
    }

    /// The deepest nesting saphyr reaches before the end or the first error.
    fn saphyr_depth(text: &str) -> usize {
        yaml::nesting(text, usize::MAX).deepest
    }

    #[test]
    fn invalid_yaml_is_left_to_the_parser() {
        assert!(check_depth(&source("c.yaml", "a: [\n"), 64).is_none());
    }

    #[test]
    fn bounded_read_stops_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.yaml");
        std::fs::write(&p, vec![b'a'; 1001]).unwrap();
        let open = || std::fs::File::open(&p).unwrap();
        assert_eq!(read_bounded(open(), 1000).unwrap(), Err(1001));
        assert_eq!(read_bounded(open(), 1001).unwrap().unwrap().len(), 1001);
        assert_eq!(group_digits(52_428_800), "52,428,800");
    }
}
