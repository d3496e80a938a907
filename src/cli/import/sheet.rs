//! Reading a spreadsheet into plain rows of cells, with each cell's real row and column (as the
//! spreadsheet program shows them), so that every problem can be reported as "sheet, row,
//! column". Excel workbooks (.xlsx, .xlsm, .xls, .ods) go through calamine; CSV through the csv
//! crate, in UTF-8 or — because that is what Excel on Japanese Windows saves — Shift_JIS.
//!
//! Nothing is read past the [`SheetLimits`]: the unpacked size of the file is measured before
//! the workbook is opened (`scan.rs`), `.xlsx` sheets are read cell by cell and refused at the
//! first cell beyond the last allowed row or column, and a sheet is kept as its used range only
//! (from its first cell with a value to its last), never as the grid its `dimension` claims.

use std::path::Path;

use super::limits::SheetLimits;
use super::number_format::NumberFormat;
pub(crate) use super::read_error::{column_letter, ReadError};
use super::scan;

/// One cell's value as the spreadsheet holds it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Empty,
    Text(String),
    /// A number shown as it is (Excel's General format; a number in a `.xls`/`.ods` sheet).
    Number(f64),
    /// A number with a format that changes how it reads (`0.72` shown as `72%`).
    Formatted {
        number: f64,
        /// The value as its format shows it, at full precision.
        text: String,
        /// What Excel shows when it rounds the value differently.
        rounded: Option<String>,
        code: String,
    },
    /// A cell keikaku refuses to read (an Excel error such as `#DIV/0!`, a date), with what it
    /// showed, for the report.
    Unreadable(String),
}

impl Value {
    /// The text of the cell, trimmed; numbers as written without a trailing `.0`.
    pub(crate) fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.trim().to_string(),
            Value::Number(n) => format_number(*n),
            Value::Formatted { text, .. } => text.clone(),
            Value::Unreadable(s) => s.clone(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// `40529` for 40529.0, `12.5` for 12.5 — the shortest text that reads back as the number,
/// at the 15 significant digits Excel shows (a formula's `0.30000000000000004` is `0.3`).
pub(crate) fn format_number(n: f64) -> String {
    let n = format!("{n:.14e}").parse::<f64>().unwrap_or(n);
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A sheet: its name and its rows. `rows[i][j]` is the cell at spreadsheet row `first_row + i`
/// and column `j + 1` (both 1-based).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sheet {
    pub name: String,
    pub first_row: usize,
    pub first_col: usize,
    pub rows: Vec<Vec<Value>>,
}

impl Sheet {
    /// Spreadsheet row number (1-based) of `rows[i]`.
    pub(crate) fn row_number(&self, i: usize) -> usize {
        self.first_row + i
    }

    /// Spreadsheet column number (1-based) of `rows[_][j]`.
    pub(crate) fn col_number(&self, j: usize) -> usize {
        self.first_col + j
    }
}

/// Reads every sheet of a workbook, or the single table of a CSV file (named after the file),
/// refusing anything beyond `limits` before it is read.
pub(crate) fn read(path: &Path, limits: &SheetLimits) -> Result<Vec<Sheet>, ReadError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    // Excel's 「Unicode テキスト」 is UTF-16 with a byte-order mark, whatever it is named.
    let utf16 = sniff(path).is_some_and(|head| utf16_bom(&head).is_some());
    match ext.as_str() {
        _ if utf16 => read_text_file(path, limits),
        "csv" | "txt" | "tsv" => read_text_file(path, limits),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path, &ext, limits),
        _ => Err(ReadError::UnknownFormat),
    }
}

/// The first bytes of the file, to tell a text file by its byte-order mark.
fn sniff(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(4)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

fn utf16_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

fn read_text_file(path: &Path, limits: &SheetLimits) -> Result<Vec<Sheet>, ReadError> {
    let opened = std::fs::File::open(path);
    let bytes = match opened.and_then(|f| crate::load::limits::read_bounded(f, limits.max_bytes)) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(bytes)) => {
            return Err(ReadError::TooLarge {
                bytes,
                max: limits.max_bytes,
            })
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("csv")
        .to_string();
    Ok(vec![read_csv(&name, &bytes, limits)?])
}

fn read_workbook(path: &Path, ext: &str, limits: &SheetLimits) -> Result<Vec<Sheet>, ReadError> {
    use calamine::{Reader, Sheets};

    let size = std::fs::metadata(path).map_err(ReadError::Io)?.len();
    // Packed or not, a workbook is never smaller than its file.
    if size > limits.max_bytes {
        return Err(ReadError::TooLarge {
            bytes: size,
            max: limits.max_bytes,
        });
    }
    match ext {
        "xls" => scan::xls_extents(path, limits)?,
        "ods" => {
            scan::zip_unpacked_size(path, limits)?;
            scan::ods_extents(path, limits)?;
        }
        _ => {
            scan::zip_unpacked_size(path, limits)?;
        }
    }
    let workbook = |e: &dyn std::fmt::Display| ReadError::Workbook(e.to_string());
    let formats = match ext {
        "xlsx" | "xlsm" => super::xlsx_formats::read(path, limits.max_cells)?,
        _ => Default::default(),
    };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| workbook(&e))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let mut grid = Grid::new(&name, limits);
        grid.formats = formats.get(&name);
        match &mut book {
            // Read cell by cell: the grid of the whole `dimension` is never made.
            Sheets::Xlsx(x) => {
                let mut cells = match x.worksheet_cells_reader(&name) {
                    Ok(c) => c,
                    // A chart sheet: no cells, as calamine reads it.
                    Err(calamine::XlsxError::NotAWorksheet(_)) => {
                        sheets.push(grid.finish()?);
                        continue;
                    }
                    Err(e) => return Err(workbook(&e)),
                };
                grid.check_dimension(cells.dimensions())?;
                while let Some(cell) = cells.next_cell().map_err(|e| workbook(&e))? {
                    grid.push(cell.get_position(), cell.get_value().clone().into())?;
                }
            }
            Sheets::Xlsb(x) => {
                let mut cells = x.worksheet_cells_reader(&name).map_err(|e| workbook(&e))?;
                grid.check_dimension(cells.dimensions())?;
                while let Some(cell) = cells.next_cell().map_err(|e| workbook(&e))? {
                    grid.push(cell.get_position(), cell.get_value().clone().into())?;
                }
            }
            // Read whole by calamine, within the extent `scan` has checked.
            other => {
                let range = other.worksheet_range(&name).map_err(|e| workbook(&e))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (row, col, value) in range.used_cells() {
                    grid.push((r0 + row as u32, c0 + col as u32), value.clone())?;
                }
            }
        }
        sheets.push(grid.finish()?);
    }
    Ok(sheets)
}

/// A sheet being read: its cells with values, checked against the limits as they arrive.
struct Grid<'a> {
    name: String,
    limits: &'a SheetLimits,
    cells: Vec<(u32, u32, Value)>,
    /// The number formats of the sheet's cells, where the workbook says.
    formats: Option<&'a std::collections::HashMap<(u32, u32), std::sync::Arc<NumberFormat>>>,
}

impl<'a> Grid<'a> {
    fn new(name: &str, limits: &'a SheetLimits) -> Grid<'a> {
        Grid {
            name: name.to_string(),
            limits,
            cells: Vec::new(),
            formats: None,
        }
    }

    /// Refuses a sheet whose declared range passes the limits, before any cell is read.
    fn check_dimension(&self, d: calamine::Dimensions) -> Result<(), ReadError> {
        if d == calamine::Dimensions::default() {
            return Ok(());
        }
        let (first, last) = (d.start, d.end);
        let at = format!(
            "範囲 {}{}:{}{}",
            column_letter(first.1 as usize + 1),
            first.0 + 1,
            column_letter(last.1 as usize + 1),
            last.0 + 1
        );
        self.check_position(last.0, last.1, at)?;
        let rows = u64::from(last.0.saturating_sub(first.0)) + 1;
        let columns = u64::from(last.1.saturating_sub(first.1)) + 1;
        if rows.saturating_mul(columns) > self.limits.max_cells as u64 {
            return Err(self.too_many_cells(rows, columns));
        }
        Ok(())
    }

    fn check_position(&self, row: u32, col: u32, at: String) -> Result<(), ReadError> {
        let (rows, columns) = (u64::from(row) + 1, u64::from(col) + 1);
        if rows > self.limits.max_rows as u64 {
            return Err(ReadError::TooManyRows {
                sheet: self.name.clone(),
                rows,
                max: self.limits.max_rows,
                at,
            });
        }
        if columns > self.limits.max_columns as u64 {
            return Err(ReadError::TooManyColumns {
                sheet: self.name.clone(),
                columns,
                max: self.limits.max_columns,
                at,
            });
        }
        Ok(())
    }

    fn too_many_cells(&self, rows: u64, columns: u64) -> ReadError {
        ReadError::TooManyCells {
            sheet: self.name.clone(),
            rows,
            columns,
            max: self.limits.max_cells,
        }
    }

    /// Adds the cell at 0-based `(row, col)`; empty cells are dropped.
    fn push(&mut self, (row, col): (u32, u32), data: calamine::Data) -> Result<(), ReadError> {
        let mut value = value_of(data);
        if let (Value::Number(n), Some(format)) =
            (&value, self.formats.and_then(|f| f.get(&(row, col))))
        {
            value = formatted(*n, format);
        }
        if matches!(value, Value::Empty) {
            return Ok(());
        }
        self.check_position(
            row,
            col,
            format!("セル {}{}", column_letter(col as usize + 1), row + 1),
        )?;
        if self.cells.len() >= self.limits.max_cells {
            let (r0, c0, r1, c1) = bounds(&self.cells).unwrap_or((row, col, row, col));
            let rows = u64::from(r1.max(row) - r0.min(row)) + 1;
            let columns = u64::from(c1.max(col) - c0.min(col)) + 1;
            return Err(self.too_many_cells(rows, columns));
        }
        self.cells.push((row, col, value));
        Ok(())
    }

    /// The sheet as its used range: rows from the first row with a value to the last, each as
    /// long as its last value, all starting at the first column with a value.
    fn finish(self) -> Result<Sheet, ReadError> {
        let Some(bounds) = bounds(&self.cells) else {
            return Ok(Sheet {
                name: self.name,
                first_row: 1,
                first_col: 1,
                rows: Vec::new(),
            });
        };
        let (r0, c0, r1, c1) = bounds;
        let (rows, columns) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
        if rows.saturating_mul(columns) > self.limits.max_cells as u64 {
            return Err(self.too_many_cells(rows, columns));
        }
        let mut grid: Vec<Vec<Value>> = vec![Vec::new(); rows as usize];
        for (r, c, v) in self.cells {
            let row = &mut grid[(r - r0) as usize];
            let j = (c - c0) as usize;
            if row.len() <= j {
                row.resize(j + 1, Value::Empty);
            }
            row[j] = v;
        }
        Ok(Sheet {
            name: self.name,
            first_row: r0 as usize + 1,
            first_col: c0 as usize + 1,
            rows: grid,
        })
    }
}

/// First row, first column, last row, last column of `cells` (0-based).
fn bounds(cells: &[(u32, u32, Value)]) -> Option<(u32, u32, u32, u32)> {
    cells.iter().fold(None, |b, &(r, c, _)| {
        Some(match b {
            None => (r, c, r, c),
            Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(c), r1.max(r), c1.max(c)),
        })
    })
}

fn value_of(cell: calamine::Data) -> Value {
    use calamine::Data;
    match cell {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s),
        Data::Int(i) => Value::Number(i as f64),
        Data::Float(f) => Value::Number(f),
        Data::Bool(b) => Value::Unreadable(b.to_string()),
        Data::Error(e) => Value::Unreadable(e.to_string()),
        Data::DateTime(d) => Value::Unreadable(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Unreadable(s),
    }
}

/// A number with its cell's format: what staff see, or — for a date — unreadable.
fn formatted(n: f64, format: &NumberFormat) -> Value {
    if format.date {
        return Value::Unreadable(format!(
            "{}（日付の書式 {}）",
            format_number(n),
            format.code
        ));
    }
    let shown = format.show(n);
    Value::Formatted {
        number: n,
        text: shown.text,
        rounded: shown.rounded,
        code: format.code.clone(),
    }
}

/// Parses CSV bytes. Every field is text (a CSV has no types). Stops at the first row or
/// field past `limits`.
pub(crate) fn read_csv(name: &str, bytes: &[u8], limits: &SheetLimits) -> Result<Sheet, ReadError> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    let mut widest = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Csv(e.to_string()))?;
        let row = rows.len() + 1;
        let at = |col: usize| format!("セル {}{row}", column_letter(col));
        if row > limits.max_rows {
            return Err(ReadError::TooManyRows {
                sheet: name.to_string(),
                rows: row as u64,
                max: limits.max_rows,
                at: at(1),
            });
        }
        if record.len() > limits.max_columns {
            return Err(ReadError::TooManyColumns {
                sheet: name.to_string(),
                columns: record.len() as u64,
                max: limits.max_columns,
                at: at(record.len()),
            });
        }
        cells += record.len();
        widest = widest.max(record.len());
        if cells > limits.max_cells {
            return Err(ReadError::TooManyCells {
                sheet: name.to_string(),
                rows: row as u64,
                columns: widest as u64,
                max: limits.max_cells,
            });
        }
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

/// A tab when the first line has tabs and no commas (Excel's 「テキスト（タブ区切り）」 and
/// 「Unicode テキスト」), else a comma.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    }
}

fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if let Some(encoding) = utf16_bom(bytes) {
        let (text, _, had_errors) = encoding.decode(bytes);
        if had_errors {
            return Err(ReadError::Encoding);
        }
        return Ok(text.into_owned());
    }
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
        let a = read_csv(
            "a",
            format!("\u{feff}{utf8}").as_bytes(),
            &SheetLimits::default(),
        )
        .unwrap();
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(utf8);
        let b = read_csv("a", &sjis, &SheetLimits::default()).unwrap();
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.rows[1][1], Value::Text("実績".into()));
        assert!(matches!(
            read_csv("a", b"\xff\xfe\xfd", &SheetLimits::default()),
            Err(ReadError::Encoding)
        ));
    }

    #[test]
    fn numbers_lose_only_a_trailing_point_zero() {
        assert_eq!(format_number(40529.0), "40529");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(1.0 / 3.0), "0.333333333333333");
    }
}
