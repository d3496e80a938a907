//! Reading a spreadsheet into plain rows of cells, with each cell's real row and column (as the
//! spreadsheet program shows them), so that every problem can be reported as "sheet, row,
//! column". Excel workbooks (.xlsx, .xlsm, .xls, .ods) go through calamine; CSV through the csv
//! crate, in UTF-8 or — because that is what Excel on Japanese Windows saves — Shift_JIS.

use std::path::Path;

/// One cell's value as the spreadsheet holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// A cell keikaku refuses to read (an Excel error such as `#DIV/0!`, a date), with what it
    /// showed, for the report.
    Unreadable(String),
}

impl Value {
    /// The text of the cell, trimmed; numbers as written without a trailing `.0`.
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.trim().to_string(),
            Value::Number(n) => format_number(*n),
            Value::Unreadable(s) => s.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// `40529` for 40529.0, `12.5` for 12.5 — the shortest text that reads back as the number.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A sheet: its name and its rows. `rows[i][j]` is the cell at spreadsheet row `first_row + i`
/// and column `j + 1` (both 1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub first_row: usize,
    pub first_col: usize,
    pub rows: Vec<Vec<Value>>,
}

impl Sheet {
    /// Spreadsheet row number (1-based) of `rows[i]`.
    pub fn row_number(&self, i: usize) -> usize {
        self.first_row + i
    }

    /// Spreadsheet column number (1-based) of `rows[_][j]`.
    pub fn col_number(&self, j: usize) -> usize {
        self.first_col + j
    }
}

/// `1` → `A`, `27` → `AA`.
pub fn column_letter(mut col: usize) -> String {
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
pub enum ReadError {
    Io(std::io::Error),
    /// The workbook could not be opened (not a workbook, damaged, password-protected).
    Workbook(String),
    /// Not UTF-8 and not Shift_JIS.
    Encoding,
    Csv(String),
    UnknownFormat,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "ファイルを読めません: {e}"),
            ReadError::Workbook(e) => write!(f, "Excelファイルとして開けません: {e}"),
            ReadError::Encoding => {
                write!(f, "CSVの文字コードが UTF-8 でも Shift_JIS でもありません")
            }
            ReadError::Csv(e) => write!(f, "CSVとして読めません: {e}"),
            ReadError::UnknownFormat => write!(
                f,
                "対応していない形式です（.xlsx .xlsm .xls .ods .csv が使えます）"
            ),
        }
    }
}

/// Reads every sheet of a workbook, or the single table of a CSV file (named after the file).
pub fn read(path: &Path) -> Result<Vec<Sheet>, ReadError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(ReadError::Io)?;
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("csv")
                .to_string();
            Ok(vec![read_csv(&name, &bytes)?])
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path),
        _ => Err(ReadError::UnknownFormat),
    }
}

fn read_workbook(path: &Path) -> Result<Vec<Sheet>, ReadError> {
    use calamine::{Data, Reader};

    if !path.exists() {
        return Err(ReadError::Io(std::io::Error::from(
            std::io::ErrorKind::NotFound,
        )));
    }
    let mut book =
        calamine::open_workbook_auto(path).map_err(|e| ReadError::Workbook(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ReadError::Workbook(e.to_string()))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::Empty => Value::Empty,
                        Data::String(s) => Value::Text(s.clone()),
                        Data::Int(i) => Value::Number(*i as f64),
                        Data::Float(f) => Value::Number(*f),
                        Data::Bool(b) => Value::Unreadable(b.to_string()),
                        Data::Error(e) => Value::Unreadable(e.to_string()),
                        Data::DateTime(d) => Value::Unreadable(d.to_string()),
                        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Unreadable(s.clone()),
                    })
                    .collect()
            })
            .collect();
        sheets.push(Sheet {
            name,
            first_row: r0 as usize + 1,
            first_col: c0 as usize + 1,
            rows,
        });
    }
    Ok(sheets)
}

/// Parses CSV bytes. Every field is text (a CSV has no types).
pub fn read_csv(name: &str, bytes: &[u8]) -> Result<Sheet, ReadError> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Csv(e.to_string()))?;
        rows.push(
            record
                .iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Value::Empty
                    } else {
                        Value::Text(f.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Sheet {
        name: name.to_string(),
        first_row: 1,
        first_col: 1,
        rows,
    })
}

fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(ReadError::Encoding);
    }
    Ok(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_the_spreadsheet() {
        assert_eq!(column_letter(1), "A");
        assert_eq!(column_letter(26), "Z");
        assert_eq!(column_letter(27), "AA");
        assert_eq!(column_letter(53), "BA");
    }

    #[test]
    fn csv_in_utf8_with_bom_or_shift_jis_reads_the_same() {
        let utf8 = "施策ID,区分\n01-01,実績\n";
        let a = read_csv("a", format!("\u{feff}{utf8}").as_bytes()).unwrap();
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(utf8);
        let b = read_csv("a", &sjis).unwrap();
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.rows[1][1], Value::Text("実績".into()));
        assert!(matches!(
            read_csv("a", b"\xff\xfe\xfd"),
            Err(ReadError::Encoding)
        ));
    }

    #[test]
    fn numbers_lose_only_a_trailing_point_zero() {
        assert_eq!(format_number(40529.0), "40529");
        assert_eq!(format_number(12.5), "12.5");
    }
}
