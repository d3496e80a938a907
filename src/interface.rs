//! The interface text of one language: every label, heading, status word and sentence form the
//! templates and the page code show, read from the theme's translation table
//! (`themes/default/i18n/<code>.yaml`, compiled in; a site's `themes/<name>/i18n/<code>.yaml`
//! replaces the keys it lists). One table per language, looked up by the same dotted keys
//! (`achievement.achieved`), so that no page can say 達成 in the English tree: the words are
//! not written anywhere else. Why YAML and not Fluent: `docs/languages.md`.
//!
//! A value may hold ruby (`{漢字|かんじ}`, as the やさしい日本語 table does on every kanji) and
//! `{name}` placeholders that the page code fills. Each value is therefore offered three ways:
//! as written ([`Ui::text`]), as plain text with each ruby reduced to its word, for attributes,
//! `<title>` and other text-only places ([`Ui::plain`], [`Ui::fill`]), and as HTML with the
//! ruby as `<ruby>` ([`Ui::html`], [`Ui::fill_html`]). Templates get the table twice, as `t`
//! (HTML, to print with `| safe`) and `t_plain` (plain, for attributes).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::language::Language;

/// (language, table) of the default theme.
const DEFAULT_TABLES: &[(Language, &str)] = &[
    (
        Language::Japanese,
        include_str!("../themes/default/i18n/ja.yaml"),
    ),
    (
        Language::EasyJapanese,
        include_str!("../themes/default/i18n/ja-easy.yaml"),
    ),
    (
        Language::English,
        include_str!("../themes/default/i18n/en.yaml"),
    ),
];

/// The interface text of one language.
#[derive(Clone, Debug)]
pub struct Ui {
    language: Language,
    /// Dotted key → value as written (ruby and placeholders included).
    entries: BTreeMap<String, String>,
    /// The same table nested as the YAML is, with HTML values: the templates' `t`.
    html: serde_json::Value,
    /// The same table nested, with plain values: the templates' `t_plain`.
    plain: serde_json::Value,
}

impl Ui {
    /// The default theme's table of `language`, then the site theme's keys over it.
    /// A site table that cannot be read is reported; the default's keys stay in force.
    pub fn load(root: &Path, theme: &str, language: Language, diags: &mut Diagnostics) -> Ui {
        let default = DEFAULT_TABLES
            .iter()
            .find(|(l, _)| *l == language)
            .map_or("", |(_, text)| text);
        let mut entries = BTreeMap::new();
        // The compiled-in tables are checked by tests/interface_text.rs; they always parse.
        if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(default) {
            flatten("", &value, &mut entries);
        }
        let shown = Path::new("themes")
            .join(theme)
            .join("i18n")
            .join(format!("{}.yaml", language.code()));
        let path = root.join(&shown);
        if theme != "default" && path.is_file() {
            match std::fs::read_to_string(&path) {
                Ok(text) => match serde_yaml::from_str::<serde_yaml::Value>(&text) {
                    Ok(value) => {
                        let mut site = BTreeMap::new();
                        flatten("", &value, &mut site);
                        for (key, text) in site {
                            match entries.get_mut(&key) {
                                Some(value) => *value = text,
                                None => diags.push(
                                    Diagnostic::warning(
                                        Code::Template,
                                        shown.clone(),
                                        format!(
                                            "画面の文言の表に「{key}」というキーはありません（使われません）"
                                        ),
                                    )
                                    .field(key.clone())
                                    .hint("themes/default/i18n/ の表にあるキーだけを書いてください"),
                                ),
                            }
                        }
                    }
                    Err(e) => diags.push(Diagnostic::error(
                        Code::Template,
                        shown.clone(),
                        format!("画面の文言の表を YAML として読めません: {e}"),
                    )),
                },
                Err(e) => diags.push(Diagnostic::error(
                    Code::Io,
                    shown.clone(),
                    format!("ファイルを読めません: {}", crate::i18n::io_error_ja(&e)),
                )),
            }
        }
        Ui::from_entries(language, entries)
    }

    /// The default theme's table of `language` alone.
    pub fn default_for(language: Language) -> Ui {
        Ui::load(
            Path::new(""),
            "default",
            language,
            &mut Diagnostics::default(),
        )
    }

    fn from_entries(language: Language, entries: BTreeMap<String, String>) -> Ui {
        let mut html = serde_json::Map::new();
        let mut plain = serde_json::Map::new();
        for (key, text) in &entries {
            nest(&mut html, key, crate::ruby::to_html(text));
            nest(&mut plain, key, crate::ruby::base_text(text).into_owned());
        }
        Ui {
            language,
            entries,
            html: serde_json::Value::Object(html),
            plain: serde_json::Value::Object(plain),
        }
    }

    /// The language of the table.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The value of `key` as written. A key the table lacks is a mistake in keikaku's own
    /// code (tests keep every key in every table); it shows as the key itself, never as
    /// another language's word.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.entries.get(key).map_or(key, String::as_str)
    }

    /// The value of `key` as plain text (ruby reduced to its word).
    pub fn plain(&self, key: &str) -> String {
        crate::ruby::base_text(self.text(key)).into_owned()
    }

    /// The value of `key` as HTML (escaped, ruby as `<ruby>`).
    pub fn html(&self, key: &str) -> String {
        crate::ruby::to_html(self.text(key))
    }

    /// The value of `key` as plain text, each `{name}` replaced by its value in `args`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill_with(self.text(key), args, &|t| {
            crate::ruby::base_text(t).into_owned()
        })
    }

    /// The value of `key` as HTML, each `{name}` replaced by its value in `args`, which are
    /// plain text (escaped here).
    pub fn fill_html(&self, key: &str, args: &[(&str, &str)]) -> String {
        let owned: Vec<(&str, String)> = args
            .iter()
            .map(|(n, v)| (*n, crate::text::escape_html(v)))
            .collect();
        let pairs: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.fill_html_raw(key, &pairs)
    }

    /// The value of `key` as HTML, each `{name}` replaced by its value in `args`, which are
    /// HTML already (a link, a `<ruby>`, a `<span lang="ja">`).
    pub fn fill_html_raw(&self, key: &str, args: &[(&str, &str)]) -> String {
        // The table's own text becomes HTML run by run, so that the values put in are
        // neither escaped twice nor read as ruby.
        fill_with(self.text(key), args, &crate::ruby::to_html)
    }

    /// The table for templates: `t` (HTML values) and `t_plain` (plain values).
    pub fn for_templates(&self) -> UiTables<'_> {
        UiTables {
            t: &self.html,
            t_plain: &self.plain,
        }
    }
}

/// What templates receive of the interface table, flattened into every page's context.
#[derive(Serialize)]
pub struct UiTables<'a> {
    /// HTML values (ruby as `<ruby>`, text escaped): print with `{{ t.key | safe }}`.
    pub t: &'a serde_json::Value,
    /// Plain values (ruby as its word): for attributes and `<title>`.
    pub t_plain: &'a serde_json::Value,
}

/// Every interface table the site's languages need, loaded once per build.
#[derive(Clone, Debug)]
pub struct Tables {
    tables: Vec<Ui>,
}

impl Tables {
    /// The tables of `languages` (Japanese is always loaded).
    pub fn load(
        root: &Path,
        theme: &str,
        languages: &[Language],
        diags: &mut Diagnostics,
    ) -> Tables {
        let mut wanted: Vec<Language> = vec![Language::Japanese];
        wanted.extend(
            languages
                .iter()
                .copied()
                .filter(|l| *l != Language::Japanese),
        );
        Tables {
            tables: wanted
                .into_iter()
                .map(|l| Ui::load(root, theme, l, diags))
                .collect(),
        }
    }

    /// The languages loaded, Japanese first.
    pub fn languages(&self) -> impl Iterator<Item = Language> + '_ {
        self.tables.iter().map(|u| u.language)
    }

    /// The table of `language`; Japanese when it was not loaded.
    pub fn get(&self, language: Language) -> &Ui {
        self.tables
            .iter()
            .find(|u| u.language == language)
            .or_else(|| self.tables.first())
            .expect("the Japanese table is always loaded")
    }
}

enum Part<'a> {
    Text(&'a str),
    Name(&'a str),
}

/// `text` as literal runs and `{name}` placeholders. A brace pair holding `|` is ruby, and
/// `\{` is a literal brace: both stay text.
fn split_placeholders(text: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' && (i == 0 || bytes[i - 1] != b'\\') {
            if let Some(close) = text[i + 1..].find('}') {
                let name = &text[i + 1..i + 1 + close];
                let is_name =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if is_name {
                    if start < i {
                        parts.push(Part::Text(&text[start..i]));
                    }
                    parts.push(Part::Name(name));
                    i += close + 2;
                    start = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    if start < text.len() {
        parts.push(Part::Text(&text[start..]));
    }
    parts
}

/// `text` with each literal run converted by `convert` and each `{name}` that `args` names
/// replaced by its value as given; an unknown name stays as written.
fn fill_with(text: &str, args: &[(&str, &str)], convert: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut literal = String::new();
    for part in split_placeholders(text) {
        match part {
            Part::Text(t) => literal.push_str(t),
            Part::Name(name) => match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => {
                    out.push_str(&convert(&literal));
                    literal.clear();
                    out.push_str(value);
                }
                None => {
                    literal.push('{');
                    literal.push_str(name);
                    literal.push('}');
                }
            },
        }
    }
    out.push_str(&convert(&literal));
    out
}

fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (k, v) in map {
                let Some(k) = k.as_str() else { continue };
                let key = if prefix.is_empty() {
                    k.to_string()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        serde_yaml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        serde_yaml::Value::Number(n) => {
            out.insert(prefix.to_string(), n.to_string());
        }
        _ => {}
    }
}

fn nest(map: &mut serde_json::Map<String, serde_json::Value>, key: &str, value: String) {
    match key.split_once('.') {
        None => {
            map.insert(key.to_string(), serde_json::Value::String(value));
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_string())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if let serde_json::Value::Object(inner) = entry {
                nest(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_words() {
        let ja = Ui::default_for(Language::Japanese);
        let en = Ui::default_for(Language::English);
        assert_eq!(ja.text("achievement.achieved"), "達成");
        assert_eq!(en.text("achievement.achieved"), "Met");
        assert_eq!(en.language(), Language::English);
    }

    #[test]
    fn placeholders_are_filled_and_ruby_kept_apart() {
        let easy = Ui::default_for(Language::EasyJapanese);
        let plain = easy.plain("nav.home");
        assert!(!plain.contains('{'), "{plain}");
        let filled = Ui::default_for(Language::Japanese).fill("policy.label", &[("number", "3")]);
        assert_eq!(filled, "方針3");
        let html =
            Ui::default_for(Language::Japanese).fill_html("chrome.phone", &[("phone", "0438<1>")]);
        assert_eq!(html, "電話: 0438&lt;1&gt;");
    }

    #[test]
    fn ruby_in_a_table_becomes_html_and_values_are_not_read_as_ruby() {
        let mut entries = BTreeMap::new();
        entries.insert("a.b".to_string(), "{市|し}の{name}".to_string());
        let ui = Ui::from_entries(Language::EasyJapanese, entries);
        assert_eq!(ui.fill("a.b", &[("name", "{x|y}")]), "市の{x|y}");
        let html = ui.fill_html("a.b", &[("name", "<b>")]);
        assert!(html.starts_with("<ruby>市"), "{html}");
        assert!(html.ends_with("の&lt;b&gt;"), "{html}");
        let raw = ui.fill_html_raw("a.b", &[("name", "<b>x</b>")]);
        assert!(raw.ends_with("の<b>x</b>"), "{raw}");
        assert_eq!(ui.text("missing.key"), "missing.key");
    }

    #[test]
    fn the_templates_get_both_forms() {
        let easy = Ui::default_for(Language::EasyJapanese);
        let tables = serde_json::to_value(easy.for_templates()).unwrap();
        let t = tables["t"]["nav"]["home"].as_str().unwrap();
        let plain = tables["t_plain"]["nav"]["home"].as_str().unwrap();
        assert_eq!(plain, easy.plain("nav.home"));
        assert!(!plain.contains('<'));
        assert!(t.contains("<ruby>") || t == plain, "{t}");
    }
}
