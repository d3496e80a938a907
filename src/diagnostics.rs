//! Every problem keikaku finds in a site is a [`Diagnostic`]: a value with a stable code, a
//! location and a Japanese message. Stages only *collect* diagnostics; this module is the one
//! place that decides how they look on a terminal (through `miette`) or as JSON, so that the
//! wording and the format stay consistent whichever stage found the problem.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

/// Stable error codes. The code and its English key never change once released, so city staff
/// can search for them and tools can match on them; the Japanese text may be improved freely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A file could not be read (permissions, missing folder, …).
    Io,
    /// The file is not valid UTF-8.
    Encoding,
    /// A file is larger than `limits.max_file_bytes`.
    FileTooLarge,
    /// YAML syntax error (indentation, unclosed quote, tab, …).
    YamlSyntax,
    /// A field has the wrong type (text where a list is expected, …).
    WrongType,
    /// A required field is missing.
    MissingField,
    /// A field the format does not know (usually a typo).
    UnknownField,
    /// The same key appears twice in one mapping.
    DuplicateKey,
    /// Mappings and lists nested deeper than `limits.max_depth`.
    TooDeep,
    /// Two measures share one ID.
    DuplicateId,
    /// An ID that cannot become a URL segment.
    InvalidId,
    /// The measure file name does not match its `id`.
    FileNameMismatch,
    /// A measure refers to a policy number the plan does not have.
    UnknownPolicy,
    /// A fiscal year that cannot be read.
    InvalidFiscalYear,
    /// A fiscal year outside the plan period.
    YearOutsidePeriod,
    /// A KPI cell that the cell grammar rejects.
    InvalidCell,
    /// A year's target and actual are in different units, so it cannot be judged (a warning).
    UnitMismatch,
    /// A KPI cell that looks like figures but is read as text (a warning).
    NumberLikeText,
    /// Markdown front matter missing or malformed.
    FrontMatter,
    /// A value that is well-typed but not allowed (empty title, bad policy number, …).
    InvalidValue,
    /// An activity plan or a related-measure reference names a measure that does not exist.
    UnknownMeasure,
    /// A progress word (進捗) outside the vocabulary.
    UnknownStatus,
    /// A quarter other than 1–4.
    InvalidQuarter,
    /// More measure files than `limits.max_measures`.
    TooManyMeasures,
    /// Two things that must be unique are not (policy numbers, page slugs, glossary terms).
    Duplicate,
    /// A template of the theme failed to load or render.
    Template,
    /// The output could not be written.
    Output,
    /// A glossary reading that is missing (term with kanji) or not kana.
    GlossaryReading,
    /// Two glossary entries would get the same fragment id, or none can be derived.
    GlossaryAnchor,
    /// A reference (`[…](用語:…)`, `related:`) to a name that is not in the glossary.
    UnknownTerm,
    /// A glossary entry that no page uses (a warning).
    UnusedTerm,
}

impl Code {
    /// The stable short code shown to users, e.g. `E0301`.
    pub fn id(self) -> &'static str {
        match self {
            Code::Io => "E0001",
            Code::Encoding => "E0002",
            Code::FileTooLarge => "E0003",
            Code::YamlSyntax => "E0101",
            Code::WrongType => "E0102",
            Code::MissingField => "E0103",
            Code::UnknownField => "E0104",
            Code::DuplicateKey => "E0105",
            Code::TooDeep => "E0106",
            Code::DuplicateId => "E0201",
            Code::InvalidId => "E0202",
            Code::FileNameMismatch => "E0203",
            Code::UnknownPolicy => "E0204",
            Code::Duplicate => "E0205",
            Code::InvalidValue => "E0206",
            Code::UnknownMeasure => "E0207",
            Code::UnknownStatus => "E0208",
            Code::InvalidQuarter => "E0209",
            Code::TooManyMeasures => "E0210",
            Code::InvalidFiscalYear => "E0301",
            Code::YearOutsidePeriod => "E0302",
            Code::InvalidCell => "E0401",
            Code::UnitMismatch => "E0402",
            Code::NumberLikeText => "E0403",
            Code::FrontMatter => "E0501",
            Code::Template => "E0601",
            Code::Output => "E0701",
            Code::GlossaryReading => "E0801",
            Code::GlossaryAnchor => "E0802",
            Code::UnknownTerm => "E0803",
            Code::UnusedTerm => "E0804",
        }
    }

    /// The English key, shown beside the Japanese text.
    pub fn key(self) -> &'static str {
        match self {
            Code::Io => "io",
            Code::Encoding => "encoding",
            Code::FileTooLarge => "file_too_large",
            Code::YamlSyntax => "yaml_syntax",
            Code::WrongType => "wrong_type",
            Code::MissingField => "missing_field",
            Code::UnknownField => "unknown_field",
            Code::DuplicateKey => "duplicate_key",
            Code::TooDeep => "too_deep",
            Code::DuplicateId => "duplicate_id",
            Code::InvalidId => "invalid_id",
            Code::FileNameMismatch => "file_name_mismatch",
            Code::UnknownPolicy => "unknown_policy",
            Code::Duplicate => "duplicate",
            Code::InvalidValue => "invalid_value",
            Code::UnknownMeasure => "unknown_measure",
            Code::UnknownStatus => "unknown_status",
            Code::InvalidQuarter => "invalid_quarter",
            Code::TooManyMeasures => "too_many_measures",
            Code::InvalidFiscalYear => "invalid_fiscal_year",
            Code::YearOutsidePeriod => "year_outside_period",
            Code::InvalidCell => "invalid_cell",
            Code::UnitMismatch => "unit_mismatch",
            Code::NumberLikeText => "number_like_text",
            Code::FrontMatter => "front_matter",
            Code::Template => "template",
            Code::Output => "output",
            Code::GlossaryReading => "glossary_reading",
            Code::GlossaryAnchor => "glossary_anchor",
            Code::UnknownTerm => "unknown_term",
            Code::UnusedTerm => "unused_term",
        }
    }
}

/// Serialised as `{"id": "E0104", "key": "unknown_field"}` so that tools can match either.
impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Code", 2)?;
        st.serialize_field("id", self.id())?;
        st.serialize_field("key", self.key())?;
        st.end()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (in characters, as editors count them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    pub position: Option<Position>,
    /// Where in the file's structure, e.g. `kpis[1].actual.R5`.
    pub field: Option<String>,
    /// What is wrong, in Japanese.
    pub message: String,
    /// One line on how to fix it, in Japanese.
    pub hint: Option<String>,
    /// The file's text, kept so that the report can show the offending line.
    #[serde(skip)]
    pub source: Option<Arc<str>>,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            file: file.into(),
            position: None,
            field: None,
            message: message.into(),
            hint: None,
            source: None,
        }
    }

    pub fn warning(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_source(mut self, source: Arc<str>) -> Self {
        self.source = Some(source);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `content/measures/01-01.yaml:12:7` — the form editors and terminals make clickable.
    pub fn location(&self) -> String {
        match self.position {
            Some(p) => format!("{}:{}:{}", self.file.display(), p.line, p.column),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// One plain line, for logs and tests: `file:line:col: エラー[E0104 unknown_field] kpis[0]: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
        };
        write!(
            f,
            "{}: {}[{} {}]",
            self.location(),
            level,
            self.code.id(),
            self.code.key()
        )?;
        if let Some(field) = &self.field {
            write!(f, " {field}:")?;
        }
        write!(f, " {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "（ヒント: {hint}）")?;
        }
        Ok(())
    }
}

/// The diagnostics of one run, in a stable order (file, then position), so that the same input
/// always gives the same report.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file and position; diagnostics without a position come first in their file.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.file, a.position, a.code, &a.message)
                .cmp(&(&b.file, b.position, b.code, &b.message))
        });
        items
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Output format for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Source snippets with the offending line underlined (miette), for people.
    Human,
    /// One line per diagnostic, as [`Diagnostic`]'s `Display`.
    Plain,
    /// A JSON array, for editors and CI tooling.
    Json,
}

/// Renders the report for the terminal. Grouped by file because staff fix one file at a time.
pub fn render(diagnostics: &Diagnostics, format: Format, color: bool) -> String {
    let sorted = diagnostics.sorted();
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&sorted).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Plain => {
            let mut out = String::new();
            for d in sorted {
                out.push_str(&d.to_string());
                out.push('\n');
            }
            out.push_str(&summary(diagnostics));
            out
        }
        Format::Human => {
            let mut out = String::new();
            let mut current: Option<&Path> = None;
            for d in sorted {
                if current != Some(d.file.as_path()) {
                    current = Some(d.file.as_path());
                    out.push_str(&format!("\n── {} ──\n", d.file.display()));
                }
                out.push_str(&render_one(d, color));
            }
            out.push('\n');
            out.push_str(&summary(diagnostics));
            out
        }
    }
}

/// `エラー 3件、警告 1件（3 errors, 1 warning）`
pub fn summary(diagnostics: &Diagnostics) -> String {
    format!(
        "エラー {}件、警告 {}件（{} errors, {} warnings）\n",
        diagnostics.error_count(),
        diagnostics.warning_count(),
        diagnostics.error_count(),
        diagnostics.warning_count()
    )
}

fn render_one(d: &Diagnostic, color: bool) -> String {
    use miette::{
        GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    };

    let level = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let mut headline = d.message.clone();
    if let Some(field) = &d.field {
        headline = format!("{field}: {headline}");
    }
    let mut diag = MietteDiagnostic::new(headline)
        .with_code(format!("{} {}", d.code.id(), d.code.key()))
        .with_severity(level);
    if let Some(hint) = &d.hint {
        diag = diag.with_help(hint.clone());
    }
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = format!("{}\n", d.location());
    let report: miette::Report = match (&d.source, d.position) {
        (Some(src), Some(pos)) => {
            let offset = byte_offset(src, pos);
            let len = src[offset..]
                .chars()
                .take_while(|c| *c != '\n')
                .map(char::len_utf8)
                .sum::<usize>()
                .max(1)
                .min(src.len().saturating_sub(offset).max(1));
            let label = d.field.clone().unwrap_or_else(|| "ここ".to_string());
            let diag = diag.with_label(LabeledSpan::at(offset..offset + len.min(60), label));
            miette::Report::new(diag).with_source_code(NamedSource::new(
                d.file.display().to_string(),
                src.to_string(),
            ))
        }
        _ => miette::Report::new(diag),
    };
    let _ = handler.render_report(&mut out, report.as_ref());
    out
}

/// Byte offset of a 1-based line/column (column counted in characters).
pub fn byte_offset(text: &str, pos: Position) -> usize {
    let mut line = 1;
    let mut offset = 0;
    if pos.line > 1 {
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line += 1;
                if line == pos.line {
                    offset = i + 1;
                    break;
                }
            }
        }
        if line != pos.line {
            return text.len();
        }
    }
    let rest = &text[offset..];
    let col_bytes: usize = rest
        .chars()
        .take(pos.column.saturating_sub(1))
        .take_while(|c| *c != '\n')
        .map(char::len_utf8)
        .sum();
    offset + col_bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offset_counts_characters_not_bytes() {
        let text = "a: 1\nタイトル: x\n";
        assert_eq!(byte_offset(text, Position { line: 2, column: 1 }), 5);
        // "タイトル" is 4 chars of 3 bytes each; column 5 is the colon.
        assert_eq!(
            &text[byte_offset(text, Position { line: 2, column: 5 })..][..1],
            ":"
        );
        assert_eq!(
            byte_offset(text, Position { line: 9, column: 1 }),
            text.len()
        );
    }

    #[test]
    fn plain_line_names_file_position_code_and_field() {
        let d = Diagnostic::error(
            Code::UnknownField,
            "content/measures/01-01.yaml",
            "未知のフィールドです",
        )
        .at(Some(Position { line: 3, column: 1 }))
        .field("titel");
        assert_eq!(
            d.to_string(),
            "content/measures/01-01.yaml:3:1: エラー[E0104 unknown_field] titel: 未知のフィールドです"
        );
    }

    #[test]
    fn report_is_sorted_and_summarised() {
        let mut ds = Diagnostics::default();
        ds.push(
            Diagnostic::error(Code::InvalidCell, "b.yaml", "x")
                .at(Some(Position { line: 2, column: 1 })),
        );
        ds.push(Diagnostic::warning(Code::InvalidValue, "a.yaml", "y"));
        let plain = render(&ds, Format::Plain, false);
        assert!(plain.find("a.yaml").unwrap() < plain.find("b.yaml").unwrap());
        assert!(plain.contains("エラー 1件、警告 1件"));
        let json = render(&ds, Format::Json, false);
        assert!(
            json.contains("\"E0401\"") && json.contains("\"invalid_cell\""),
            "{json}"
        );
    }
}
