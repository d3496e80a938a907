//! Translation files (docs/languages.md): beside an original, `<stem>.<suffix>.<ext>` with the
//! suffix of a language tree's folder (`01-01.en.yaml`, `about.easy.md`, `plan.en.yaml`),
//! holding only the texts that are translated.
//!
//! They are read here as what they are, never as originals (a measure `01-01.en`). Their
//! structs accept any key: which keys a translation may have depends on the original (a
//! section key the plan declares, a department it lists), so [`crate::validate`] walks the
//! keys as written and tells a field that may not be translated from one the original does
//! not have, each at its line. A wrong *type* is still serde's located error.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::page::{split_front_matter, FrontMatter, FrontMatterError};
use super::raw::{RawSections, ScalarText};
use super::{yaml_diagnostic, Parsed, SourceFile};
use crate::diagnostics::{Code, Diagnostics, Position};
use crate::language::Language;

/// The language whose tree folder is `suffix` (`en`, `easy`); never Japanese, whose files
/// are the originals.
pub(crate) fn language_of_suffix(suffix: &str) -> Option<Language> {
    Language::ALL
        .into_iter()
        .filter(|l| *l != Language::Japanese)
        .find(|l| l.url_prefix().trim_end_matches('/') == suffix)
}

/// The suffix translation files of `language` carry (`en`, `easy`).
pub(crate) fn suffix_of(language: Language) -> &'static str {
    language.url_prefix().trim_end_matches('/')
}

/// Whether `rel` is named as a translation file (`<stem>.<suffix>.<ext>`), and if so its
/// language and stem (`01-01`, `about`, `plan`).
pub(crate) fn translation_name(rel: &Path) -> Option<(Language, String)> {
    let stem = rel.file_stem()?.to_str()?;
    let (original, suffix) = stem.rsplit_once('.')?;
    let language = language_of_suffix(suffix)?;
    (!original.is_empty()).then(|| (language, original.to_string()))
}

/// One translation file: its language, the stem of its original, and what it says.
#[derive(Clone, Debug)]
pub(crate) struct Translation<T> {
    pub language: Language,
    pub stem: String,
    pub parsed: Parsed<T>,
}

/// The translation files of one plan's content folder (and, for the main plan, config.yaml's).
#[derive(Clone, Debug, Default)]
pub(crate) struct TranslationFiles {
    pub config: Vec<Translation<RawConfigText>>,
    pub plan: Vec<Translation<RawPlanText>>,
    pub glossary: Vec<Translation<RawGlossaryText>>,
    /// Sorted by path.
    pub measures: Vec<Translation<RawMeasureText>>,
    /// Sorted by path.
    pub pages: Vec<Translation<RawPageText>>,
}

/// `config.<s>.yaml`.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawConfigText {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub contact: Option<RawNameText>,
    #[serde(default)]
    pub data_license: Option<RawNameText>,
}

/// `contact:` and `data_license:` of `config.<s>.yaml`: their names only.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawNameText {
    #[serde(default)]
    pub name: Option<String>,
}

/// `plan.<s>.yaml`.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawPlanText {
    #[serde(default)]
    pub updated: Option<ScalarText>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub revision: Option<String>,
    #[serde(default)]
    pub philosophy: Option<String>,
    #[serde(default)]
    pub policies: Vec<RawPolicyText>,
    #[serde(default)]
    pub sections: Vec<RawSectionText>,
    /// The Japanese name → the name in the language.
    #[serde(default)]
    pub departments: BTreeMap<String, Option<String>>,
}

/// A policy of `plan.<s>.yaml`, matched by its number.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawPolicyText {
    #[serde(default)]
    pub number: Option<u32>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
}

/// A section heading of `plan.<s>.yaml`, matched by its key.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawSectionText {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub heading: Option<String>,
}

/// `measures/<id>.<s>.yaml`.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawMeasureText {
    #[serde(default)]
    pub updated: Option<ScalarText>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sections: RawSections,
    /// The original's rows, in order.
    #[serde(default)]
    pub schedule: Vec<RawTaskText>,
    /// The original's KPIs, in order.
    #[serde(default)]
    pub kpis: Vec<RawKpiText>,
}

/// A schedule row of a measure translation.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawTaskText {
    #[serde(default)]
    pub task: Option<String>,
}

/// A KPI of a measure translation.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawKpiText {
    #[serde(default)]
    pub indicator: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// `glossary.<s>.yaml`.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawGlossaryText {
    #[serde(default)]
    pub updated: Option<ScalarText>,
    #[serde(default)]
    pub terms: Vec<RawTermText>,
}

/// An entry of `glossary.<s>.yaml`, matched by its Japanese term.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawTermText {
    #[serde(default)]
    pub term: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub explanation: Option<String>,
}

/// `pages/<slug>.<s>.md`: front matter and body.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawPageText {
    pub front: RawPageFrontText,
    pub body: String,
    /// Line of the file on which the body starts.
    pub body_line: usize,
}

/// The front matter of a page translation.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct RawPageFrontText {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub updated: Option<ScalarText>,
}

/// Parses a page translation: as a page, its front matter's problems located in the file.
pub(super) fn parse_page_text(
    file: SourceFile,
    diags: &mut Diagnostics,
) -> Option<Parsed<RawPageText>> {
    let text = file.text.clone();
    let split = match split_front_matter(&text) {
        Ok(split) => split,
        Err(e) => {
            let message = match e {
                FrontMatterError::Missing => {
                    "先頭にフロントマター（--- で囲んだ YAML）がありません"
                }
                FrontMatterError::Unclosed => "フロントマターが --- で閉じられていません",
            };
            diags.push(
                file.diagnostic(Code::FrontMatter, message)
                    .at(Some(Position { line: 1, column: 1 }))
                    .hint("1行目を --- にし、訳した title: などを書いて --- で閉じてください"),
            );
            return None;
        }
    };
    // An empty front matter (`---\n---`) is allowed: the page may translate its body only.
    let yaml = if split.yaml.trim().is_empty() {
        "{}\n"
    } else {
        split.yaml
    };
    let (front, errors) = super::yaml::from_str_all::<RawPageFrontText>(yaml);
    let failed = !errors.is_empty();
    for mut e in errors {
        e.position = e.position.map(FrontMatter::file_position);
        diags.push(yaml_diagnostic(&file, e));
    }
    let front = front.filter(|_| !failed)?;
    Some(Parsed {
        value: RawPageText {
            front,
            body: split.body.to_string(),
            body_line: split.body_line,
        },
        file,
    })
}
