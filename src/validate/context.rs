//! A file being validated: errors located at a field by its path, and the readers of values
//! that every kind of file shares (fiscal years, dates, text that must not be empty, mappings
//! keyed by fiscal year).

use std::cell::OnceCell;
use std::collections::BTreeMap;

use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::fiscal::{ByYear, FiscalYear};
use crate::load::raw::{ScalarText, YearMap};
use crate::load::yaml::Locator;
use crate::load::SourceFile;
use crate::model::Period;

/// A file being validated, with its locator built only if an error needs a position.
pub(super) struct FileCtx<'a> {
    file: &'a SourceFile,
    locator: OnceCell<Locator>,
}

impl<'a> FileCtx<'a> {
    pub(super) fn new(file: &'a SourceFile) -> Self {
        FileCtx {
            file,
            locator: OnceCell::new(),
        }
    }

    pub(super) fn locator(&self) -> &Locator {
        self.locator.get_or_init(|| self.file.locator())
    }

    /// An error about the value at `path`.
    pub(super) fn error(
        &self,
        code: Code,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        self.located(code, path, self.locator().value(path), message, hint)
    }

    /// An error about the key at `path` (for problems with the key itself).
    pub(super) fn key_error(
        &self,
        code: Code,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        self.located(code, path, self.locator().key(path), message, hint)
    }

    fn located(
        &self,
        code: Code,
        path: &str,
        position: Option<Position>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        self.file
            .diagnostic(code, message)
            .at(position)
            .field(path)
            .hint(hint)
    }

    /// An error `offset` characters into the scalar at `path` (skipping an opening quote).
    pub(super) fn error_in_scalar(
        &self,
        code: Code,
        path: &str,
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let mut d = self.error(code, path, message, hint);
        if let Some(p) = d.position {
            let line = self.file.text.lines().nth(p.line - 1).unwrap_or("");
            let quoted = matches!(line.chars().nth(p.column - 1), Some('"' | '\''));
            d.position = Some(Position {
                line: p.line,
                column: p.column + offset + usize::from(quoted),
            });
        }
        d
    }

    /// An error at byte `offset` of the Markdown text at `path`: the line and column inside a
    /// block scalar (`|`) or a one-line scalar, as an editor shows them.
    pub(super) fn error_in_markdown(
        &self,
        code: Code,
        path: &str,
        markdown: &str,
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let mut d = self.error(code, path, message, hint);
        let before = &markdown[..offset.min(markdown.len())];
        let lines_before = before.matches('\n').count();
        let column_in_line = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
        if let Some(p) = d.position {
            let value_line = self.file.text.lines().nth(p.line - 1).unwrap_or("");
            let rest: String = value_line.chars().skip(p.column - 1).collect();
            d.position = Some(if rest.starts_with(['|', '>']) {
                // A block scalar: the text starts on the next line, after its indentation.
                let indent = self
                    .file
                    .text
                    .lines()
                    .skip(p.line)
                    .find(|l| !l.trim().is_empty())
                    .map_or(0, |l| l.chars().take_while(|c| *c == ' ').count());
                Position {
                    line: p.line + 1 + lines_before,
                    column: indent + column_in_line + 1,
                }
            } else if lines_before == 0 {
                let quoted = rest.starts_with(['"', '\'']);
                Position {
                    line: p.line,
                    column: p.column + column_in_line + usize::from(quoted),
                }
            } else {
                // A later line of the text: it starts after that line's indentation (the
                // locator may point at a block scalar's first line of text, not at its `|`).
                let line = p.line + lines_before;
                let indent = self
                    .file
                    .text
                    .lines()
                    .nth(line - 1)
                    .map_or(0, |l| l.chars().take_while(|c| *c == ' ').count());
                Position {
                    line,
                    column: indent + column_in_line + 1,
                }
            });
        }
        d
    }

    pub(super) fn year(
        &self,
        text: &ScalarText,
        path: &str,
        diags: &mut Diagnostics,
    ) -> Option<FiscalYear> {
        match FiscalYear::parse(&text.0) {
            Ok(y) => Some(y),
            Err(e) => {
                diags.push(self.error(
                    Code::InvalidFiscalYear,
                    path,
                    e.to_string(),
                    "R4、令和4年度、FY2022 のように書いてください",
                ));
                None
            }
        }
    }

    pub(super) fn year_in(
        &self,
        text: &ScalarText,
        path: &str,
        period: Period,
        diags: &mut Diagnostics,
    ) -> Option<FiscalYear> {
        let y = self.year(text, path, diags)?;
        if !period.contains(y) {
            diags.push(self.error(
                Code::YearOutsidePeriod,
                path,
                format!(
                    "{}は期間（{}〜{}）の外です",
                    y.label(),
                    period.start.label(),
                    period.end.label()
                ),
                "期間内の年度にするか、計画期間（content/plan.yaml の period）を確認してください",
            ));
            return None;
        }
        Some(y)
    }

    /// An optional `updated:` date.
    pub(super) fn date(
        &self,
        text: Option<&ScalarText>,
        path: &str,
        diags: &mut Diagnostics,
    ) -> Option<Date> {
        match Date::parse(&text?.0) {
            Ok(date) => Some(date),
            Err(e) => {
                diags.push(self.error(
                    Code::InvalidValue,
                    path,
                    e.to_string(),
                    "2024-08-01 のように 年-月-日 で書いてください",
                ));
                None
            }
        }
    }

    pub(super) fn not_empty(&self, value: &str, path: &str, diags: &mut Diagnostics) -> bool {
        if value.trim().is_empty() {
            diags.push(self.error(
                Code::InvalidValue,
                path,
                "空にできません",
                "値を書いてください",
            ));
            false
        } else {
            true
        }
    }
}

/// Resolves a year-keyed mapping: each key must be a fiscal year inside `period`, written once.
pub(super) fn year_map<T, U>(
    ctx: &FileCtx,
    map: &YearMap<T>,
    base: &str,
    period: Period,
    diags: &mut Diagnostics,
    mut value: impl FnMut(&T, &str, &mut Diagnostics) -> Option<U>,
) -> ByYear<U> {
    let mut out = ByYear::new();
    let mut written: BTreeMap<FiscalYear, &str> = BTreeMap::new();
    for (key, v) in &map.0 {
        let path = format!("{base}.{key}");
        let year = match FiscalYear::parse(key) {
            Ok(y) => y,
            Err(e) => {
                diags.push(ctx.key_error(
                    Code::InvalidFiscalYear,
                    &path,
                    e.to_string(),
                    "R4、令和4年度、FY2022 のように書いてください",
                ));
                continue;
            }
        };
        if !period.contains(year) {
            diags.push(ctx.key_error(
                Code::YearOutsidePeriod,
                &path,
                format!(
                    "{}は計画期間（{}〜{}）の外です",
                    year.label(),
                    period.start.label(),
                    period.end.label()
                ),
                "計画期間内の年度だけを書いてください",
            ));
            continue;
        }
        if let Some(first) = written.insert(year, key) {
            diags.push(ctx.key_error(
                Code::DuplicateKey,
                &path,
                format!("{}が2回書かれています（{first} と {key}）", year.label()),
                "どちらか一方を削除してください",
            ));
            continue;
        }
        if let Some(u) = value(v, &path, diags) {
            out.insert(year, u);
        }
    }
    out
}
