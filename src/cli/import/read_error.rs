//! Why a spreadsheet could not be read, and the cell names the messages use. Both the reader
//! (`sheet.rs`) and the checks made before it (`scan.rs`) report through [`ReadError`], so it
//! lives beside them rather than in either.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};

/// `1` → `A`, `27` → `AA`.
pub(crate) fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    while col > 0 {
        let rem = (col - 1) % 26;
        s.push(b'A' + rem as u8);
        col = (col - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    /// The workbook could not be opened (not a workbook, damaged, password-protected).
    Workbook(String),
    /// Not UTF-8 and not Shift_JIS.
    Encoding,
    Csv(String),
    UnknownFormat,
    /// The file unpacks to more than `max_sheet_bytes` (`bytes`: at least that many).
    TooLarge {
        bytes: u64,
        max: u64,
    },
    /// A sheet uses a row past `max_sheet_rows`; `at` is the cell or range that does.
    TooManyRows {
        sheet: String,
        rows: u64,
        max: usize,
        at: String,
    },
    /// A sheet uses a column past `max_sheet_columns`.
    TooManyColumns {
        sheet: String,
        columns: u64,
        max: usize,
        at: String,
    },
    /// A sheet's used range holds more than `max_sheet_cells` cells.
    TooManyCells {
        sheet: String,
        rows: u64,
        columns: u64,
        max: usize,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = crate::diagnostics::group_digits;
        match self {
            ReadError::Io(e) => {
                write!(f, "ファイルを読めません: {}", crate::i18n::io_error_ja(e))
            }
            ReadError::Workbook(e) => write!(f, "Excelファイルとして開けません: {e}"),
            ReadError::Encoding => {
                write!(f, "CSVの文字コードが UTF-8、Shift_JIS、UTF-16（Unicode テキスト）のどれでもありません")
            }
            ReadError::Csv(e) => write!(f, "CSVとして読めません: {e}"),
            ReadError::UnknownFormat => write!(
                f,
                "対応していない形式です（.xlsx .xlsm .xls .ods .csv .txt が使えます）"
            ),
            ReadError::TooLarge { bytes, max } => write!(
                f,
                "表計算ファイルが大きすぎます（展開すると {} バイト以上、上限 {} バイト）（spreadsheet too large）",
                n(*bytes),
                n(*max)
            ),
            ReadError::TooManyRows {
                sheet,
                rows,
                max,
                at,
            } => write!(
                f,
                "シート「{sheet}」が {} 行目まで使われています（{at}、上限 {} 行）（too many rows）",
                n(*rows),
                n(*max as u64)
            ),
            ReadError::TooManyColumns {
                sheet,
                columns,
                max,
                at,
            } => write!(
                f,
                "シート「{sheet}」が {} 列目（{}列）まで使われています（{at}、上限 {} 列）（too many columns）",
                n(*columns),
                column_letter(*columns as usize),
                n(*max as u64)
            ),
            ReadError::TooManyCells {
                sheet,
                rows,
                columns,
                max,
            } => write!(
                f,
                "シート「{sheet}」の使われている範囲が {} 行 × {} 列で、{} セルあります（上限 {} セル）（too many cells）",
                n(*rows),
                n(*columns),
                n(rows.saturating_mul(*columns)),
                n(*max as u64)
            ),
        }
    }
}

impl ReadError {
    /// The error as a diagnostic about `file`, with its code and how to fix it.
    pub(crate) fn diagnostic(&self, file: &Path) -> Diagnostic {
        let (code, hint) = match self {
            ReadError::TooLarge { .. } => (
                Code::SheetTooLarge,
                "取り込む表だけのファイルにするか、本当に必要なら config.yaml の limits: max_sheet_bytes: を増やしてください",
            ),
            ReadError::TooManyRows { .. } => (
                Code::SheetTooManyRows,
                "表の外の不要なセル（書式だけのセルも）を削除するか、本当に必要なら config.yaml の limits: max_sheet_rows: を増やしてください",
            ),
            ReadError::TooManyColumns { .. } => (
                Code::SheetTooManyColumns,
                "表の外の不要なセル（書式だけのセルも）を削除するか、本当に必要なら config.yaml の limits: max_sheet_columns: を増やしてください",
            ),
            ReadError::TooManyCells { .. } => (
                Code::SheetTooManyCells,
                "表の外の不要なセルを削除するか、シートを分けるか、本当に必要なら config.yaml の limits: max_sheet_cells: を増やしてください",
            ),
            _ => (
                Code::Io,
                "Excel（.xlsx）か CSV（UTF-8 または Shift_JIS）、Excel の「Unicode テキスト」のファイルを指定してください",
            ),
        };
        Diagnostic::error(code, file, self.to_string()).hint(hint)
    }
}
