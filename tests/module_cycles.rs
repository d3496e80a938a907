//! The library's modules must form no import cycle: neither among the top-level modules
//! (`model`, `markdown`, `glossary`, …) nor among the files of one module (`cli::serve::http`,
//! `cli::serve::overlay`, …). A cycle means that neither side can be read, tested or changed
//! without the other. `print_the_top_level_graph` prints the graph this test keeps acyclic.
//!
//! The check reads the sources, not the compiler: it walks the `mod` declarations from
//! `src/lib.rs`, and takes every path in code that starts with `crate::`, `super::` or
//! `self::` (in `use` trees and inline), and every `use` or inline path that starts with the
//! name of one of the file's own submodules, as a dependency on the module it names.
//! Comments (doc links included), string literals and `#[cfg(test)]` modules are left out:
//! tests may use anything.
//!
//! The nodes of each graph are the submodules of one module (the crate's top-level modules,
//! the files of `glossary/`, …), each standing for everything below it. The parent's own file
//! is not a node: it declares and drives its submodules, and they may use the items it shares
//! (`super::Usage`) — the usual Rust layout, not a cycle between peers. A module whose file
//! only declares submodules (`kpi`, `cli`) is a folder, not a unit of code: its submodules
//! are nodes in its place (`kpi::cell` lies below `model`, `kpi::achievement` above it).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn the_library_has_no_module_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let cycles = cycles(&src);
    assert!(
        cycles.is_empty(),
        "module cycles in {}:\n\n{}",
        src.display(),
        cycles.join("\n\n")
    );
}

/// The top-level module graph, for docs/architecture.md:
/// `cargo test --test module_cycles -- --ignored --nocapture`.
#[test]
#[ignore = "prints the graph; run by hand"]
fn print_the_top_level_graph() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (module, uses) in top_level_graph(&src) {
        let uses: Vec<&str> = uses.iter().map(String::as_str).collect();
        println!("{module} → {}", uses.join(", "));
    }
}

/// The checker itself, on a small crate with one cycle of each kind.
#[test]
fn the_check_finds_cycles_of_both_kinds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path();
    let write = |path: &str, text: &str| {
        let path = src.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "pub mod a;\npub mod b;\npub mod c;\n#[doc(hidden)]\npub mod folder;\npub mod leaf;\n",
    );
    write(
        "a.rs",
        "//! Uses [`crate::c`] only in a doc link.\nuse crate::{leaf, b::{self, X}};\n",
    );
    write(
        "b/mod.rs",
        "mod one;\nmod two;\nconst S: &str = \"crate::c\";\npub fn f() { crate::a::g() }\n",
    );
    write("b/one.rs", "use super::two::Y;\n");
    write("b/two.rs", "pub fn y() { super::one::z() }\n");
    write(
        "c.rs",
        "pub fn c() {}\n#[cfg(test)]\nmod tests {\n    use crate::a;\n}\n",
    );
    write("leaf.rs", "pub fn leaf() -> crate::folder::low::L {}\n");
    // A folder's modules are nodes in its place: leaf sits between its two halves.
    write(
        "folder/mod.rs",
        "//! Two halves.\n\npub mod high;\npub(crate) mod low;\n",
    );
    write("folder/low.rs", "pub struct L;\n");
    write("folder/high.rs", "use crate::leaf::leaf;\n");
    let found = cycles(src);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("crate: a → b → a"), "{}", found[0]);
    assert!(found[0].contains("a.rs:2"), "{}", found[0]);
    assert!(
        found[1].starts_with("crate::b: one → two → one"),
        "{}",
        found[1]
    );
}

/// One file of the library: its module path and the dependencies found in it.
struct File {
    module: Vec<String>,
    path: PathBuf,
    /// Module paths this file refers to, each with the line of its first mention.
    uses: BTreeMap<Vec<String>, usize>,
}

/// The library as the check sees it.
#[derive(Default)]
struct Crate {
    files: Vec<File>,
    modules: BTreeSet<Vec<String>>,
    /// Modules whose own file only declares submodules (`kpi`, `cli`).
    folders: BTreeSet<Vec<String>>,
}

impl Crate {
    fn read(src: &Path) -> Crate {
        let mut krate = Crate::default();
        krate.walk(&src.join("lib.rs"), Vec::new());
        krate
    }

    /// Reads the file of `module` and, through its `mod` declarations, every file below it.
    fn walk(&mut self, path: &Path, module: Vec<String>) {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let tokens = without_test_modules(&tokenize(&text));
        // Submodules live beside `lib.rs`/`mod.rs`, or in the folder named after `name.rs`.
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let dir = if file_name == "lib.rs" || file_name == "mod.rs" {
            path.parent().unwrap().to_path_buf()
        } else {
            path.with_extension("")
        };
        let children = declared_modules(&tokens);
        if only_declares_modules(&tokens) {
            self.folders.insert(module.clone());
        }
        self.modules.insert(module.clone());
        let mut file = File {
            module: module.clone(),
            path: path.to_path_buf(),
            uses: BTreeMap::new(),
        };
        for (segments, line) in paths(&tokens, &children) {
            if let Some(target) = resolve(&module, &segments) {
                file.uses.entry(target).or_insert(line);
            }
        }
        self.files.push(file);
        for child in children {
            let flat = dir.join(format!("{child}.rs"));
            let child_path = if flat.exists() {
                flat
            } else {
                dir.join(&child).join("mod.rs")
            };
            let mut child_module = module.clone();
            child_module.push(child);
            self.walk(&child_path, child_module);
        }
    }

    /// The nodes of `parent`'s graph that `target` (a module path, maybe ending in an item)
    /// belongs to: the submodule of `parent` it is in, or, when that submodule is a folder, the
    /// submodule of the folder, and so on. A path that ends at a folder stands for all of it.
    /// None for a path outside `parent` or to `parent`'s own items.
    fn nodes(&self, parent: &[String], target: &[String]) -> Vec<String> {
        let Some(rest) = target.strip_prefix(parent) else {
            return Vec::new();
        };
        let mut unit = parent.to_vec();
        for segment in rest {
            unit.push(segment.clone());
            if !self.modules.contains(&unit) {
                unit.pop();
                break;
            }
            if !self.folders.contains(&unit) {
                return vec![unit[parent.len()..].join("::")];
            }
        }
        if unit.len() == parent.len() {
            return Vec::new();
        }
        // A whole folder: every unit in it.
        self.modules
            .iter()
            .filter(|m| m.len() > unit.len() && m.starts_with(&unit))
            .filter(|m| !self.folders.contains(*m))
            .filter(|m| (unit.len()..m.len()).all(|n| self.folders.contains(&m[..n])))
            .map(|m| m[parent.len()..].join("::"))
            .collect()
    }

    /// The graph among the units of `parent`: each edge with the first place that makes it.
    fn graph(&self, src: &Path, parent: &[String]) -> BTreeMap<(String, String), String> {
        let mut edges = BTreeMap::new();
        for file in &self.files {
            for from in self.nodes(parent, &file.module) {
                for (target, line) in &file.uses {
                    for to in self.nodes(parent, target) {
                        if to != from {
                            let at = format!(
                                "{}:{line}",
                                file.path.strip_prefix(src).unwrap_or(&file.path).display()
                            );
                            edges.entry((from.clone(), to)).or_insert(at);
                        }
                    }
                }
            }
        }
        edges
    }
}

/// Each top-level module (a folder's modules in its place) with the ones it uses.
fn top_level_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let krate = Crate::read(src);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for root in krate.modules.iter().filter(|m| m.len() == 1) {
        for node in krate.nodes(&[], root) {
            graph.entry(node).or_default();
        }
    }
    for ((from, to), _) in krate.graph(src, &[]) {
        graph.entry(from).or_default().insert(to);
    }
    graph
}

/// Every cycle under `src`, described for a failure message; empty when there is none.
fn cycles(src: &Path) -> Vec<String> {
    let krate = Crate::read(src);
    let mut out = Vec::new();
    // One graph for the crate and one for each other module that has submodules, except
    // folders: their submodules are nodes of the graph above them.
    for parent in &krate.modules {
        let has_children = krate
            .modules
            .iter()
            .any(|m| m.len() > parent.len() && m.starts_with(parent));
        if !has_children || (!parent.is_empty() && krate.folders.contains(parent)) {
            continue;
        }
        let edges = krate.graph(src, parent);
        let name = std::iter::once("crate")
            .chain(parent.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("::");
        for (component, cycle) in find_cycles(&edges) {
            let path: Vec<&str> = cycle
                .iter()
                .chain(cycle.first())
                .map(String::as_str)
                .collect();
            let evidence: Vec<String> = edges
                .iter()
                .filter(|((a, b), _)| component.contains(a) && component.contains(b))
                .map(|((a, b), at)| format!("  {a} → {b}: {at}"))
                .collect();
            out.push(format!(
                "{name}: {} ({} modules in the cycle)\n{}",
                path.join(" → "),
                component.len(),
                evidence.join("\n")
            ));
        }
    }
    out
}

/// `segments` (a path written in the file of `module`) made absolute. It may end in an item
/// name: the graphs only look at the segment that names a submodule, so the rest does not
/// matter.
fn resolve(module: &[String], segments: &[String]) -> Option<Vec<String>> {
    let (mut base, mut rest) = match segments.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &segments[1..]),
        Some("self") => (module.to_vec(), &segments[1..]),
        // `super::…`, or a submodule of this one.
        Some(_) => (module.to_vec(), segments),
        None => return None,
    };
    while rest.first().map(String::as_str) == Some("super") {
        base.pop()?;
        rest = &rest[1..];
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

/// Identifiers and punctuation with their line numbers; comments, string and character
/// literals dropped.
fn tokenize(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let count_lines = |from: usize, to: usize, line: &mut usize| {
        *line += chars[from..to].iter().filter(|&&c| c == '\n').count();
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let start = i;
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            count_lines(start, i.min(chars.len()), &mut line);
        } else if let Some(end) = raw_string_end(&chars, i) {
            count_lines(i, end, &mut line);
            i = end;
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            let start = i;
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            count_lines(start, i.min(chars.len()), &mut line);
        } else if c == '\'' {
            // A character literal (`'x'`, `'\n'`, `'\u{3000}'`) or a lifetime (`'a`).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c == ':' && next == Some(':') {
            out.push((Token::Path, line));
            i += 2;
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// Where a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at `i` ends, if one does.
fn raw_string_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    // Not the end of an identifier such as `for`.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(chars.len())
}

/// The tokens without `#[cfg(test)] mod … { … }` blocks and `#[cfg(test)] mod …;` lines.
fn without_test_modules(tokens: &[(Token, usize)]) -> Vec<(Token, usize)> {
    let ident = |t: &Token, s: &str| matches!(t, Token::Ident(i) if i == s);
    let punct = |t: &Token, c: char| matches!(t, Token::Punct(p) if *p == c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_cfg_test = punct(&tokens[i].0, '#')
            && tokens.len() > i + 6
            && punct(&tokens[i + 1].0, '[')
            && ident(&tokens[i + 2].0, "cfg")
            && punct(&tokens[i + 3].0, '(')
            && ident(&tokens[i + 4].0, "test")
            && punct(&tokens[i + 5].0, ')')
            && punct(&tokens[i + 6].0, ']');
        let module_follows =
            is_cfg_test && tokens[i + 7..].iter().take(3).any(|(t, _)| ident(t, "mod"));
        if !module_follows {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        // Skip to the end of the item: its `;`, or its balanced `{ … }`.
        let mut j = i + 7;
        let mut depth = 0;
        while j < tokens.len() {
            let t = &tokens[j].0;
            if punct(t, ';') && depth == 0 {
                break;
            }
            if punct(t, '{') {
                depth += 1;
            }
            if punct(t, '}') {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            j += 1;
        }
        i = j + 1;
    }
    out
}

/// Whether the file holds nothing but `mod name;` declarations (with attributes and `pub`).
fn only_declares_modules(tokens: &[(Token, usize)]) -> bool {
    let at = |i: usize| tokens.get(i).map(|t| &t.0);
    let mut i = 0;
    while i < tokens.len() {
        match at(i) {
            Some(Token::Punct('#')) => {
                i += 1;
                if at(i) == Some(&Token::Punct('!')) {
                    i += 1;
                }
                i = skip_group(tokens, i, '[', ']');
            }
            Some(Token::Ident(p)) if p == "pub" => {
                i = skip_group(tokens, i + 1, '(', ')');
            }
            Some(Token::Ident(m)) if m == "mod" => match (at(i + 1), at(i + 2)) {
                (Some(Token::Ident(_)), Some(Token::Punct(';'))) => i += 3,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// The index after the balanced `open … close` group at `i`, or `i` when none starts there.
fn skip_group(tokens: &[(Token, usize)], mut i: usize, open: char, close: char) -> usize {
    if tokens.get(i).map(|t| &t.0) != Some(&Token::Punct(open)) {
        return i;
    }
    let mut depth = 0;
    while let Some((t, _)) = tokens.get(i) {
        if *t == Token::Punct(open) {
            depth += 1;
        } else if *t == Token::Punct(close) {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    i
}

/// The names of `mod name;` declarations (files of submodules).
fn declared_modules(tokens: &[(Token, usize)]) -> Vec<String> {
    let mut out = Vec::new();
    for w in tokens.windows(3) {
        if let (Token::Ident(m), Token::Ident(name), Token::Punct(';')) =
            (&w[0].0, &w[1].0, &w[2].0)
        {
            if m == "mod" {
                out.push(name.clone());
            }
        }
    }
    out
}

/// Every path in the code that may name a module of the crate, as segments, with its line:
/// `use` trees expanded (`use crate::{a, b::{self, C}}` gives `crate::a`, `crate::b`,
/// `crate::b::C`), inline paths up to their last `::`-joined identifier.
fn paths(tokens: &[(Token, usize)], children: &[String]) -> Vec<(Vec<String>, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (token, line) = &tokens[i];
        let after_path = i > 0 && tokens[i - 1].0 == Token::Path;
        match token {
            Token::Ident(name) if name == "use" => {
                i += 1;
                let mut trees = Vec::new();
                i = use_tree(tokens, i, Vec::new(), &mut trees);
                out.extend(
                    trees
                        .into_iter()
                        .filter(|p| starts_in_crate(p, children))
                        .map(|p| (p, *line)),
                );
            }
            Token::Ident(name)
                if !after_path
                    && (matches!(name.as_str(), "crate" | "self" | "super")
                        || children.contains(name))
                    && tokens.get(i + 1).map(|t| &t.0) == Some(&Token::Path) =>
            {
                let mut segments = vec![name.clone()];
                let mut j = i + 1;
                while tokens.get(j).map(|t| &t.0) == Some(&Token::Path) {
                    match tokens.get(j + 1).map(|t| &t.0) {
                        Some(Token::Ident(s)) => segments.push(s.clone()),
                        _ => break,
                    }
                    j += 2;
                }
                out.push((segments, *line));
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

fn starts_in_crate(path: &[String], children: &[String]) -> bool {
    path.first()
        .is_some_and(|s| matches!(s.as_str(), "crate" | "self" | "super") || children.contains(s))
}

/// Expands the use tree starting at `i` with `prefix`; returns the index after it (after the
/// closing `;`, `,` or `}` is left to the caller).
fn use_tree(
    tokens: &[(Token, usize)],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    // Leading `::` (an extern crate path) is not the crate's own.
    loop {
        match tokens.get(i).map(|t| &t.0) {
            Some(Token::Ident(s)) if s == "as" => {
                i += 2;
            }
            Some(Token::Ident(s)) => {
                if s != "self" || prefix.is_empty() {
                    prefix.push(s.clone());
                }
                i += 1;
            }
            Some(Token::Path) => i += 1,
            Some(Token::Punct('{')) => {
                i += 1;
                loop {
                    match tokens.get(i).map(|t| &t.0) {
                        Some(Token::Punct('}')) => {
                            i += 1;
                            break;
                        }
                        Some(Token::Punct(',')) => i += 1,
                        None => return i,
                        _ => i = use_tree(tokens, i, prefix.clone(), out),
                    }
                }
                if tokens.get(i).map(|t| &t.0) == Some(&Token::Punct(';')) {
                    i += 1;
                }
                return i;
            }
            Some(Token::Punct('*')) => i += 1,
            Some(Token::Punct(';')) => {
                out.push(prefix);
                return i + 1;
            }
            _ => {
                out.push(prefix);
                return i;
            }
        }
    }
}

/// The cycles of a directed graph: each strongly connected component of more than one node,
/// with one cycle through it (the shortest from its first node), in node order.
fn find_cycles(edges: &BTreeMap<(String, String), String>) -> Vec<(BTreeSet<String>, Vec<String>)> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        next.entry(a).or_default().push(b);
        next.entry(b).or_default();
    }
    let reaches = |from: &str| -> BTreeSet<&str> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for &m in &next[n] {
                if seen.insert(m) {
                    stack.push(m);
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&str, BTreeSet<&str>> = next.keys().map(|&n| (n, reaches(n))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for &n in next.keys() {
        if done.contains(n) || !reach[n].contains(n) {
            continue;
        }
        let component: BTreeSet<&str> = reach[n]
            .iter()
            .copied()
            .filter(|m| reach[m].contains(n))
            .collect();
        done.extend(component.iter().copied());
        // Breadth-first from n back to n, inside the component.
        let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([n]);
        'search: while let Some(a) = queue.pop_front() {
            for &b in &next[a] {
                if !component.contains(b) {
                    continue;
                }
                if b == n {
                    parent.insert(n, a);
                    break 'search;
                }
                if !parent.contains_key(b) {
                    parent.insert(b, a);
                    queue.push_back(b);
                }
            }
        }
        let mut cycle = vec![n.to_string()];
        let mut at = parent[n];
        while at != n {
            cycle.push(at.to_string());
            at = parent[at];
        }
        cycle[1..].reverse();
        out.push((component.iter().map(|s| s.to_string()).collect(), cycle));
    }
    out
}
