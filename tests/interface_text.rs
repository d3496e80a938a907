//! The interface translation tables (`themes/default/i18n/<language>.yaml`): one per language
//! keikaku knows, each with exactly the keys of the Japanese table, the same placeholders,
//! English free of Japanese letters, やさしい日本語 with furigana on every kanji, and each
//! language named in the table as the switcher names it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use keikaku::language::Language;
use keikaku::ruby::{self, Piece};

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n")
}

/// The table of `language`, its nested keys joined with `.`.
fn table(language: Language) -> BTreeMap<String, String> {
    let path = folder().join(format!("{}.yaml", language.code()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let value: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let mut out = BTreeMap::new();
    flatten("", &value, &mut out, language);
    out
}

fn flatten(
    prefix: &str,
    value: &serde_yaml::Value,
    out: &mut BTreeMap<String, String>,
    language: Language,
) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (k, v) in map {
                let k = k.as_str().expect("keys are text");
                let key = if prefix.is_empty() {
                    k.to_string()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out, language);
            }
        }
        serde_yaml::Value::String(s) => {
            assert!(!s.trim().is_empty(), "{language}: {prefix} is empty");
            out.insert(prefix.to_string(), s.clone());
        }
        other => panic!("{language}: {prefix} is not text: {other:?}"),
    }
}

/// The `{name}` placeholders of a text (ruby, which has a `|`, is not one).
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if !after[..close].contains('|') => {
                out.insert(after[..close].to_string());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Forms that each language writes from the values it needs: the fiscal year is 令和6年度 in
/// Japanese, FY2024 in English and れいわ6ねんど（2024ねんど） in やさしい日本語.
const FORMS: &[(&str, &[&str])] = &[
    ("format.fiscal_year", &["era", "era_year", "western"]),
    (
        "format.fiscal_year_with_western",
        &["era", "era_year", "western"],
    ),
    ("format.fiscal_year_western", &["western"]),
    (
        "format.fiscal_year_as_written",
        &["era", "era_year", "western", "written_era", "written_year"],
    ),
    (
        "format.fiscal_year_long_as_written",
        &["era", "era_year", "western", "written_era", "written_year"],
    ),
];

fn is_kanji(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || matches!(c, '々' | '〆')
}

fn is_japanese(c: char) -> bool {
    is_kanji(c) || matches!(u32::from(c), 0x3000..=0x30FF | 0xFF00..=0xFFEF)
}

#[test]
fn there_is_one_table_per_language() {
    let mut files: Vec<String> = std::fs::read_dir(folder())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = Language::ALL
        .iter()
        .map(|l| format!("{}.yaml", l.code()))
        .collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn every_language_has_exactly_the_japanese_keys_and_placeholders() {
    let ja = table(Language::Japanese);
    assert!(ja.len() > 150, "{} keys", ja.len());
    for language in Language::ALL {
        let other = table(language);
        let missing: Vec<_> = ja.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !ja.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{language} misses {missing:?}");
        assert!(
            extra.is_empty(),
            "{language} has keys Japanese does not: {extra:?}"
        );
        for (key, text) in &other {
            let found = placeholders(text);
            match FORMS.iter().find(|(k, _)| k == key) {
                Some((_, allowed)) => {
                    let allowed: BTreeSet<String> = allowed.iter().map(|s| s.to_string()).collect();
                    assert!(found.is_subset(&allowed), "{language} {key}: {found:?}");
                }
                None => assert_eq!(
                    found,
                    placeholders(&ja[key]),
                    "{language} {key}: {text:?} vs {:?}",
                    ja[key]
                ),
            }
            assert!(
                ruby::problems(text).is_empty(),
                "{language} {key}: {text:?}"
            );
        }
        assert_eq!(other["language.name"], language.own_name());
    }
}

#[test]
fn english_has_no_japanese_letters() {
    for (key, text) in table(Language::English) {
        assert!(
            !text.chars().any(is_japanese),
            "en {key} has Japanese letters: {text:?}"
        );
    }
}

#[test]
fn easy_japanese_gives_every_kanji_its_reading() {
    for (key, text) in table(Language::EasyJapanese) {
        let (pieces, _) = ruby::parse(&text, &|_| false);
        for piece in pieces {
            match piece {
                Piece::Text(t) => assert!(
                    !t.chars().any(is_kanji),
                    "ja-easy {key}: kanji without furigana in {t:?}"
                ),
                Piece::Ruby(r) => assert!(
                    r.readings.iter().all(|r| !r.chars().any(is_kanji)),
                    "ja-easy {key}: {text:?}"
                ),
            }
        }
    }
}
