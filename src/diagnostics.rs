//! Every problem keikaku finds in a site is a [`Diagnostic`]: a value with a stable code, a
//! location and a Japanese message. Stages only *collect* diagnostics; this module is the one
//! place that decides how they look on a terminal (through `miette`) or as JSON, so that the
//! wording and the format stay consistent whichever stage found the problem.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

/// Writes [`Code`] from one row per code: the variant with its doc comment, the stable id and
/// English key, and what the code means in a few words in Japanese and English (the gist,
/// which `i18n::code_gist` shows).
macro_rules! codes {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident($id:literal, $key:literal) { ja: $ja:literal, en: $en:literal, }
    )*) => {
        /// Stable error codes. The code and its English key never change once released, so
        /// city staff can search for them and tools can match on them; the Japanese text may be
        /// improved freely.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable short code shown to users, e.g. `E0301`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Code::$variant => $id,)*
                }
            }

            /// The English key, shown beside the Japanese text.
            pub fn key(self) -> &'static str {
                match self {
                    $(Code::$variant => $key,)*
                }
            }

            /// What the code means, in a few Japanese words.
            pub fn gist_ja(self) -> &'static str {
                match self {
                    $(Code::$variant => $ja,)*
                }
            }

            /// What the code means, in a few English words.
            pub fn gist_en(self) -> &'static str {
                match self {
                    $(Code::$variant => $en,)*
                }
            }
        }
    };
}

// The ids are grouped by area (E00 files, E01 YAML, E02 content, E03 years, E04 KPI cells, E05
// pages, E06 themes, E07 output, E08 glossary); the rows keep the order in which diagnostics
// at the same position are sorted, so a new code may go anywhere in the table but an old one
// never moves.
codes! {
    /// A file could not be read (permissions, missing folder, …).
    Io("E0001", "io") {
        ja: "ファイルを読み書きできない",
        en: "cannot read or write a file",
    }
    /// The file is not valid UTF-8.
    Encoding("E0002", "encoding") {
        ja: "ファイルが UTF-8 ではない",
        en: "the file is not UTF-8",
    }
    /// A file is larger than `limits.max_file_bytes`.
    FileTooLarge("E0003", "file_too_large") {
        ja: "ファイルが limits.max_file_bytes より大きい",
        en: "the file is larger than limits.max_file_bytes",
    }
    /// A symbolic link in the site folder leads outside it (or nowhere).
    LinkOutsideRoot("E0004", "link_outside_root") {
        ja: "シンボリックリンクがサイトのフォルダの外を指している",
        en: "a symbolic link leads outside the site folder",
    }
    /// A path the loader reads is not a regular file (a named pipe, a socket, a device, or a
    /// folder where a file belongs).
    NotRegularFile("E0005", "not_regular_file") {
        ja: "通常のファイルではない（パイプ・ソケット・デバイス・フォルダ）",
        en: "not a regular file (pipe, socket, device or folder)",
    }
    /// A file or folder in `content/` that keikaku does not read (a warning).
    UnreadFile("E0006", "unread_file") {
        ja: "content/ にある、keikaku が読まないファイル",
        en: "a file in content/ that keikaku does not read",
    }
    /// YAML syntax error (indentation, unclosed quote, tab, …).
    YamlSyntax("E0101", "yaml_syntax") {
        ja: "YAML の書き方の誤り",
        en: "YAML syntax error",
    }
    /// A field has the wrong type (text where a list is expected, …).
    WrongType("E0102", "wrong_type") {
        ja: "値の型が違う",
        en: "a value has the wrong type",
    }
    /// A required field is missing.
    MissingField("E0103", "missing_field") {
        ja: "必須フィールドがない",
        en: "a required field is missing",
    }
    /// A field the format does not know (usually a typo).
    UnknownField("E0104", "unknown_field") {
        ja: "未知のフィールド（書き間違い？）",
        en: "unknown field (typo?)",
    }
    /// The same key appears twice in one mapping.
    DuplicateKey("E0105", "duplicate_key") {
        ja: "同じキーが2回書かれている",
        en: "the same key is written twice",
    }
    /// Mappings and lists nested deeper than `limits.max_depth`.
    TooDeep("E0106", "too_deep") {
        ja: "入れ子が limits.max_depth より深い",
        en: "nested deeper than limits.max_depth",
    }
    /// Two measures share one ID.
    DuplicateId("E0201", "duplicate_id") {
        ja: "2つの施策が同じ施策ID",
        en: "two measures share one ID",
    }
    /// An ID that cannot become a URL segment.
    InvalidId("E0202", "invalid_id") {
        ja: "ID またはファイル名が URL に使えない",
        en: "the ID or file name cannot be used in a URL",
    }
    /// The measure file name does not match its `id`.
    FileNameMismatch("E0203", "file_name_mismatch") {
        ja: "ファイル名が id と合わない",
        en: "the file name does not match the id",
    }
    /// A measure refers to a policy number the plan does not have.
    UnknownPolicy("E0204", "unknown_policy") {
        ja: "plan.yaml にない方針番号",
        en: "no such policy number in plan.yaml",
    }
    /// A fiscal year that cannot be read.
    InvalidFiscalYear("E0301", "invalid_fiscal_year") {
        ja: "年度として読めない",
        en: "not a fiscal year",
    }
    /// A fiscal year outside the plan period.
    YearOutsidePeriod("E0302", "year_outside_period") {
        ja: "計画期間外の年度",
        en: "fiscal year outside the plan period",
    }
    /// A KPI cell that the cell grammar rejects.
    InvalidCell("E0401", "invalid_cell") {
        ja: "読めない成果目標のセル",
        en: "a KPI cell that cannot be read",
    }
    /// A year's target and actual are in different units, so it cannot be judged (a warning).
    UnitMismatch("E0402", "unit_mismatch") {
        ja: "目標と実績の単位が違う",
        en: "target and actual are in different units",
    }
    /// A KPI cell that looks like figures but is read as text (a warning).
    NumberLikeText("E0403", "number_like_text") {
        ja: "数値のようなセルが文章として読まれた",
        en: "a KPI cell that looks like a number is read as text",
    }
    /// Markdown front matter missing or malformed.
    FrontMatter("E0501", "front_matter") {
        ja: "ページのフロントマターがないか誤っている",
        en: "page front matter missing or malformed",
    }
    /// A value that is well-typed but not allowed (empty title, bad policy number, …).
    InvalidValue("E0206", "invalid_value") {
        ja: "使えない値",
        en: "a value that is not allowed",
    }
    /// An activity plan or a related-measure reference names a measure that does not exist.
    UnknownMeasure("E0207", "unknown_measure") {
        ja: "この ID の施策がない",
        en: "no measure with this ID",
    }
    /// A progress word (進捗) outside the vocabulary.
    UnknownStatus("E0208", "unknown_status") {
        ja: "進捗の語が語彙にない",
        en: "a progress word outside the vocabulary",
    }
    /// A quarter other than 1–4.
    InvalidQuarter("E0209", "invalid_quarter") {
        ja: "1〜4 以外の四半期",
        en: "a quarter other than 1–4",
    }
    /// More measure files than `limits.max_measures`.
    TooManyMeasures("E0210", "too_many_measures") {
        ja: "施策ファイルが limits.max_measures より多い",
        en: "more measure files than limits.max_measures",
    }
    /// A text longer than `limits.max_title_chars` or `limits.max_text_chars`.
    TextTooLong("E0211", "text_too_long") {
        ja: "文章が limits.max_title_chars または max_text_chars より長い",
        en: "a text longer than limits.max_title_chars or max_text_chars",
    }
    /// More KPIs in one measure than `limits.max_kpis_per_measure`.
    TooManyKpis("E0212", "too_many_kpis") {
        ja: "1つの施策の成果目標が limits.max_kpis_per_measure より多い",
        en: "more KPIs in one measure than limits.max_kpis_per_measure",
    }
    /// A URL in `config.yaml` (or `--base-url`) that is not allowed there.
    InvalidUrl("E0213", "invalid_url") {
        ja: "使えない URL（スキーム・認証情報・空白）",
        en: "a URL that is not allowed (scheme, credentials, spaces)",
    }
    /// Two things that must be unique are not (policy numbers, page slugs, glossary terms).
    Duplicate("E0205", "duplicate") {
        ja: "重複してはならない値の重複",
        en: "a value that must be unique is repeated",
    }
    /// A template of the theme failed to load or render.
    Template("E0601", "template") {
        ja: "テーマのテンプレートの誤り",
        en: "theme template error",
    }
    /// The output could not be written.
    Output("E0701", "output") {
        ja: "出力を書き込めない",
        en: "cannot write the output",
    }
    /// The output folder is, contains or lies inside the site's sources.
    OutputOverlapsSources("E0702", "output_overlaps_sources") {
        ja: "出力先がサイトの元のファイルと重なる",
        en: "the output folder overlaps the site's sources",
    }
    /// A non-empty output folder that keikaku did not write (without `--force`).
    OutputNotGenerated("E0703", "output_not_generated") {
        ja: "出力先が keikaku の作ったフォルダではない（--force で置き換え）",
        en: "the output folder was not written by keikaku (--force replaces it)",
    }
    /// The output path names a file, not a folder.
    OutputNotFolder("E0704", "output_not_folder") {
        ja: "出力先がフォルダではなくファイル",
        en: "the output path is a file, not a folder",
    }
    /// A glossary reading that is missing (term with kanji) or not kana.
    GlossaryReading("E0801", "glossary_reading") {
        ja: "用語の読みがないか、かなではない",
        en: "glossary reading missing or not kana",
    }
    /// Two glossary entries would get the same fragment id, or none can be derived.
    GlossaryAnchor("E0802", "glossary_anchor") {
        ja: "2つの用語が同じアンカーになる",
        en: "two glossary entries get the same anchor",
    }
    /// A reference (`[…](用語:…)`, `related:`) to a name that is not in the glossary.
    UnknownTerm("E0803", "unknown_term") {
        ja: "用語集にない用語への参照",
        en: "reference to a term not in the glossary",
    }
    /// A glossary entry that no page uses (a warning).
    UnusedTerm("E0804", "unused_term") {
        ja: "どのページも使っていない用語",
        en: "glossary entry used by no page",
    }
    /// A spreadsheet that unpacks to more than `limits.max_sheet_bytes`.
    SheetTooLarge("E0901", "sheet_too_large") {
        ja: "表計算ファイルを展開すると limits.max_sheet_bytes を超える",
        en: "the spreadsheet unpacks to more than limits.max_sheet_bytes",
    }
    /// A sheet using a row past `limits.max_sheet_rows`.
    SheetTooManyRows("E0902", "sheet_too_many_rows") {
        ja: "シートが limits.max_sheet_rows を超える行を使っている",
        en: "a sheet uses rows past limits.max_sheet_rows",
    }
    /// A sheet using a column past `limits.max_sheet_columns`.
    SheetTooManyColumns("E0903", "sheet_too_many_columns") {
        ja: "シートが limits.max_sheet_columns を超える列を使っている",
        en: "a sheet uses columns past limits.max_sheet_columns",
    }
    /// A sheet whose used range has more cells than `limits.max_sheet_cells`.
    SheetTooManyCells("E0904", "sheet_too_many_cells") {
        ja: "シートの使用範囲のセルが limits.max_sheet_cells より多い",
        en: "a sheet's used range has more cells than limits.max_sheet_cells",
    }
    /// Text that starts like ruby (`{木更津|…`) but is not (a warning; crate::ruby).
    RubyMalformed("E1300", "ruby_malformed") {
        ja: "ふりがな（{語|よみ}）の書き方が正しくない",
        en: "malformed ruby (furigana) markup",
    }
    /// A word of `readings:` in config.yaml that is empty, or whose reading is not kana.
    ReadingNotKana("E1301", "reading_not_kana") {
        ja: "readings: の語が空か、読みがかなではない",
        en: "a readings: entry is empty or its reading is not kana",
    }
    /// A code in `languages:` that keikaku does not know (crate::language).
    UnknownLanguage("E1302", "unknown_language") {
        ja: "languages: に keikaku の知らない言語がある",
        en: "unknown language code in languages:",
    }
    /// `languages:` without `ja`, or naming a language twice.
    LanguageList("E1303", "language_list") {
        ja: "languages: に ja がないか、同じ言語が2回ある",
        en: "languages: lacks ja or names a language twice",
    }
    /// A Markdown link or image to a page or file the site does not have.
    BrokenLink("E1000", "broken_link") {
        ja: "サイトにないページ・ファイルへのリンク",
        en: "a link to a page or file the site does not have",
    }
    /// A text still as `keikaku new` or `keikaku init` wrote it (a warning).
    Placeholder("E1001", "placeholder") {
        ja: "keikaku new・init が書いた「〜を書いてください」のまま",
        en: "a text still as keikaku new or init wrote it",
    }
    /// An imported cell whose format rounds its value: Excel shows another figure than the
    /// one written.
    ImportRoundedCell("E0905", "import_rounded_cell") {
        ja: "表の表示形式が値を丸めていて、表示と値が違う",
        en: "a cell's number format rounds its value: Excel shows another figure",
    }
    /// An imported number without a unit whose KPI has no single unit to carry.
    ImportNoUnit("E0906", "import_no_unit") {
        ja: "表の数値に単位がなく、成果目標の単位もわからない",
        en: "an imported number has no unit and its KPI has no single unit",
    }
    /// An imported plain number that is probably a fraction shown as a percent elsewhere.
    ImportFractionForPercent("E0907", "import_fraction_for_percent") {
        ja: "％の成果目標に 1 以下の数値が入っていて、割合（0.72 = 72%）かもしれない",
        en: "a number up to 1 for a KPI in %: possibly a fraction (0.72 = 72%)",
    }
    /// A published page links to a draft or to a page not yet published.
    LinkToDraft("E0908", "link_to_draft") {
        ja: "公開するページから下書き（または公開前）のページにリンクしている",
        en: "a published page links to a draft or not yet published page",
    }
    /// An imported value whose unit is not the one its KPI uses (`33,474,000円` for 千円).
    ImportUnitDiffers("E0909", "import_unit_differs") {
        ja: "表の値の単位が成果目標の単位と違う",
        en: "an imported value's unit differs from its KPI's",
    }
    /// A measure with no section text, no KPI and no schedule (a warning).
    BlankMeasure("E0220", "blank_measure") {
        ja: "本文も成果目標もない施策",
        en: "a measure with no text and no KPIs",
    }
    /// A `*` right after a glossary name, which Markdown may read as emphasis (a warning).
    GlossaryMarkAsterisk("E0221", "glossary_mark_asterisk") {
        ja: "用語の後の * が Markdown の強調として読まれる",
        en: "a * after a glossary term that Markdown reads as emphasis",
    }
    /// A `continues:` entry that names no measure of another plan of the site.
    UnknownLineage("E0222", "unknown_lineage") {
        ja: "continues: がサイトにないほかの計画の施策を指している",
        en: "continues: names no measure of another plan of the site",
    }
    /// A plan slug that is missing, differs from its folder, or is not a plan of the site.
    PlanId("E0223", "plan_id") {
        ja: "計画の id がない、フォルダ名と違う、またはサイトにない",
        en: "a plan id that is missing, differs from its folder or names no plan",
    }
    /// A translation file names a field that is never translated (an ID, a year, a target,
    /// an assignment): figures and judgements come from the Japanese file only.
    TranslationFixedField("E1304", "translation_fixed_field") {
        ja: "翻訳ファイルに、訳さない項目（番号・年度・目標値・担当など）がある",
        en: "a translation names a field that is never translated",
    }
    /// A translation file names a field or an item its original does not have (a policy
    /// number, a KPI past the original's, a term not in the glossary, a page with no original).
    TranslationUnknown("E1305", "translation_unknown") {
        ja: "翻訳ファイルに、もとの日本語のファイルにない項目がある",
        en: "a translation names a field or item its original does not have",
    }
    /// The original's `updated:` is later than its translation's, or the translation has
    /// none (a warning).
    TranslationStale("E1306", "translation_stale") {
        ja: "もとの日本語のファイルが、翻訳より後に更新されている",
        en: "the original was updated after its translation",
    }
    /// A translated text that is empty (a warning): the Japanese text is shown.
    TranslationBlank("E1307", "translation_blank") {
        ja: "翻訳ファイルの訳が空",
        en: "a translated text is blank",
    }
    /// A translation file of a language the site does not publish (`languages:`; a warning).
    TranslationUnused("E1308", "translation_unused") {
        ja: "languages: にない言語の翻訳ファイルで、使われない",
        en: "a translation file of a language the site does not publish",
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

/// Whether a problem stops the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site is not built (exit code 1); `check` fails.
    Error,
    /// Reported, but the site is built all the same.
    Warning,
}

/// A 1-based line and column (in characters, as editors count them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One problem found in the content, with where it is and how to fix it.
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// What kind of problem; its stable ID (`E0201`) is what docs and tests refer to.
    pub code: Code,
    /// Whether it stops the build.
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// Where in the file, when the reader knew (YAML node, front-matter line).
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
    /// A problem that stops the build, found in `file`.
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

    /// A problem worth telling, that does not stop the build.
    pub fn warning(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Points the diagnostic at a line and column of its file.
    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    /// Names the field it is about (`kpis[1].actual.R5`).
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Adds the one-line fix shown under the message.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn with_source(mut self, source: Arc<str>) -> Self {
        self.source = Some(source);
        self
    }

    /// Whether this one stops the build.
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
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds every diagnostic of `other`, in its order.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any of them stops the build.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many stop the build (the summary line counts them).
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether nothing at all was reported, not even a warning.
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

    /// Every diagnostic, in the order they were found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Every diagnostic, in the order they were found; [`Diagnostics::sorted`] for the report order.
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

/// The most diagnostics a report for people shows. A spreadsheet with a mistake in every row
/// can give millions; beyond the first few hundred a reader learns nothing more, and printing
/// them all took minutes and hundreds of megabytes. The JSON report, for tools, holds all.
pub const SHOWN_AT_MOST: usize = 200;

/// Renders the report for the terminal. Grouped by file because staff fix one file at a time.
pub fn render(diagnostics: &Diagnostics, format: Format, color: bool) -> String {
    let sorted = diagnostics.sorted();
    let hidden = sorted.len().saturating_sub(SHOWN_AT_MOST);
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&sorted).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Plain => {
            let mut out = String::new();
            for d in sorted.into_iter().take(SHOWN_AT_MOST) {
                out.push_str(&d.to_string());
                out.push('\n');
            }
            out.push_str(&more(hidden));
            out.push_str(&summary(diagnostics));
            out
        }
        Format::Human => {
            let mut out = String::new();
            let mut current: Option<&Path> = None;
            for d in sorted.into_iter().take(SHOWN_AT_MOST) {
                if current != Some(d.file.as_path()) {
                    current = Some(d.file.as_path());
                    out.push_str(&format!("\n── {} ──\n", d.file.display()));
                }
                out.push_str(&render_one(d, color));
            }
            out.push('\n');
            out.push_str(&more(hidden));
            out.push_str(&summary(diagnostics));
            out
        }
    }
}

/// `ほか2,999,800件（2,999,800 more; --format json lists them all）`, or nothing.
fn more(hidden: usize) -> String {
    if hidden == 0 {
        return String::new();
    }
    let n = group_digits(hidden as u64);
    format!("ほか{n}件（{n} more; --format json lists them all）\n")
}

/// `2999990` → `2,999,990`, as counts and limits are shown in messages.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    fn every_code_has_its_own_id_and_key_and_both_gists() {
        let mut ids = std::collections::HashSet::new();
        let mut keys = std::collections::HashSet::new();
        for &code in Code::ALL {
            let id = code.id();
            assert!(
                id.len() == 5 && id.starts_with('E') && id[1..].bytes().all(|b| b.is_ascii_digit()),
                "{code:?}: {id}"
            );
            assert!(
                code.key()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code:?}: {}",
                code.key()
            );
            assert!(ids.insert(id), "{id} twice");
            assert!(keys.insert(code.key()), "{} twice", code.key());
            assert!(
                !code.gist_ja().is_empty() && !code.gist_en().is_empty(),
                "{code:?}"
            );
        }
    }

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
    fn a_long_report_shows_the_first_ones_and_counts_the_rest_but_json_holds_all() {
        let mut ds = Diagnostics::default();
        for row in 1..=3000 {
            ds.push(
                Diagnostic::error(Code::InvalidCell, "kpi.xlsx", format!("行{row}")).at(Some(
                    Position {
                        line: row,
                        column: 1,
                    },
                )),
            );
        }
        for format in [Format::Plain, Format::Human] {
            let text = render(&ds, format, false);
            assert!(text.contains("行200"), "{format:?}");
            assert!(!text.contains("行201"), "{format:?}");
            assert!(text.contains("ほか2,800件（2,800 more"), "{format:?}");
            assert!(text.contains("エラー 3000件"), "{format:?}");
        }
        let json: serde_json::Value =
            serde_json::from_str(&render(&ds, Format::Json, false)).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 3000);
        assert_eq!(group_digits(2_999_990), "2,999,990");
        assert_eq!(group_digits(999), "999");
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
