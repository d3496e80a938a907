//! Looks at a workbook before the spreadsheet library reads it, since the library reads in
//! ways that trust the file: shared strings and whole `.ods`/`.xls` sheets are unpacked into
//! memory when the workbook is opened, and a sheet becomes one grid from its first cell to its
//! last. Each check here streams the file with a fixed amount of memory and stops at the first
//! limit passed.
//!
//! - every workbook in a zip (`.xlsx`, `.xlsm`, `.xlsb`, `.ods`): the bytes of all its parts
//!   once unpacked, counted by unpacking them (the sizes the zip declares may lie);
//! - `.ods`: the last row and column holding a value, with repeated rows and columns counted
//!   as the library will expand them;
//! - `.xls`: the DIMENSIONS record and the position of every cell record.
//!
//! `.xlsx`, `.xlsm` and `.xlsb` sheets are then read cell by cell (see `sheet.rs`), so the
//! limits on rows, columns and cells are checked there as the cells arrive.

use std::io::{self, Read};
use std::path::Path;

use super::limits::SheetLimits;
use super::read_error::{column_letter, ReadError};

/// Unpacks every part of the zip at `path`, counting bytes, and refuses the file once the
/// count passes `limits.max_bytes`. Parts the import never reads (images) are counted too: a
/// workbook's relationships can make any part a sheet.
pub(super) fn zip_unpacked_size(path: &Path, limits: &SheetLimits) -> Result<u64, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut zip = zip::ZipArchive::new(io::BufReader::new(file))
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let max = limits.max_bytes;
    let too_large = |bytes: u64| ReadError::TooLarge { bytes, max };
    let declared = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, u64::saturating_add);
    if declared > max {
        return Err(too_large(declared));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = match zip.by_index(i) {
            Ok(p) => p,
            // Encrypted or in a compression the library does not read either: it reports that.
            Err(_) => continue,
        };
        let room = max - total;
        let read = io::copy(&mut (&mut part).take(room + 1), &mut io::sink())
            .map_err(|e| ReadError::Workbook(format!("{}: {e}", part.name())))?;
        total += read;
        if total > max {
            return Err(too_large(total));
        }
    }
    Ok(total)
}

/// Where a sheet's values end, as the library will lay them out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Extent {
    /// The last row with a value (1-based); 0 for an empty sheet.
    pub rows: u64,
    /// The last column with a value (1-based).
    pub columns: u64,
    /// The first row and column with a value (1-based), for the size of the used range.
    pub first_row: u64,
    pub first_column: u64,
}

impl Extent {
    fn add(&mut self, row: u64, first_col: u64, last_col: u64) {
        if self.rows == 0 {
            (self.first_row, self.first_column) = (row, first_col);
        }
        self.first_row = self.first_row.min(row);
        self.first_column = self.first_column.min(first_col);
        self.rows = self.rows.max(row);
        self.columns = self.columns.max(last_col);
    }

    /// Refuses an extent beyond `limits`, for the sheet `name`.
    pub(super) fn check(&self, name: &str, limits: &SheetLimits) -> Result<(), ReadError> {
        if self.rows == 0 {
            return Ok(());
        }
        let at = format!("{}{}", column_letter(self.columns as usize), self.rows);
        if self.rows > limits.max_rows as u64 {
            return Err(ReadError::TooManyRows {
                sheet: name.to_string(),
                rows: self.rows,
                max: limits.max_rows,
                at,
            });
        }
        if self.columns > limits.max_columns as u64 {
            return Err(ReadError::TooManyColumns {
                sheet: name.to_string(),
                columns: self.columns,
                max: limits.max_columns,
                at,
            });
        }
        let rows = self.rows + 1 - self.first_row.min(self.rows);
        let columns = self.columns + 1 - self.first_column.min(self.columns);
        if rows.saturating_mul(columns) > limits.max_cells as u64 {
            return Err(ReadError::TooManyCells {
                sheet: name.to_string(),
                rows,
                columns,
                max: limits.max_cells,
            });
        }
        Ok(())
    }
}

/// Checks every table of an OpenDocument spreadsheet (`content.xml`) against `limits`.
/// Call after [`zip_unpacked_size`], which bounds the part this reads.
pub(super) fn ods_extents(path: &Path, limits: &SheetLimits) -> Result<(), ReadError> {
    use quick_xml::events::{BytesStart, Event};

    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut zip = zip::ZipArchive::new(io::BufReader::new(file))
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let Ok(content) = zip.by_name("content.xml") else {
        // Not a spreadsheet the library can read either; it says so.
        return Ok(());
    };
    let bad = |e: quick_xml::Error| ReadError::Workbook(format!("content.xml: {e}"));
    let mut xml = quick_xml::Reader::from_reader(io::BufReader::new(content));
    let repeat = |e: &BytesStart, attr: &str| -> u64 {
        e.try_get_attribute(attr)
            .ok()
            .flatten()
            .and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse().ok())
            .unwrap_or(1)
    };

    let mut buf = Vec::new();
    // The table being scanned: its name, its extent and the next row's index (0-based).
    let mut table: Option<(String, Extent, u64)> = None;
    // Tables nested inside a cell of the table being scanned (the library does not read them).
    let mut nested = 0usize;
    // The row being scanned: how often it repeats, the next column (0-based), and its first
    // and last column with a value (1-based; 0 when none yet).
    let mut row = (1u64, 0u64, 0u64, 0u64);
    loop {
        buf.clear();
        let (e, has_children) = match xml.read_event_into(&mut buf).map_err(bad)? {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => {
                match e.name().as_ref() {
                    b"table:table" if nested > 0 => nested -= 1,
                    b"table:table" => {
                        if let Some((name, extent, _)) = table.take() {
                            extent.check(&name, limits)?;
                        }
                    }
                    b"table:table-row" if nested == 0 => {
                        end_row(&mut table, row, limits)?;
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.name().as_ref() {
            b"table:table" if table.is_some() => nested += usize::from(has_children),
            b"table:table" => {
                let name = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                    .unwrap_or_default();
                table = has_children.then(|| (name, Extent::default(), 0));
            }
            _ if nested > 0 => {}
            b"table:table-row" => {
                row = (repeat(&e, "table:number-rows-repeated"), 0, 0, 0);
                if !has_children {
                    end_row(&mut table, row, limits)?;
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let columns = repeat(&e, "table:number-columns-repeated");
                let has_value = has_children
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                let first = row.1 + 1;
                row.1 = row.1.saturating_add(columns);
                if has_value {
                    if row.2 == 0 {
                        row.2 = first;
                    }
                    row.3 = row.1;
                }
                // A repeated cell with a value can alone make the row too wide.
                if row.3 > limits.max_columns as u64 {
                    end_row(&mut table, row, limits)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Ends a row of [`ods_extents`]'s table: adds its cells to the extent (as many times as the
/// row repeats) and checks the extent so far.
fn end_row(
    table: &mut Option<(String, Extent, u64)>,
    (repeats, _, first_col, last_col): (u64, u64, u64, u64),
    limits: &SheetLimits,
) -> Result<(), ReadError> {
    let Some((name, extent, next)) = table.as_mut() else {
        return Ok(());
    };
    let first_row = *next + 1;
    *next = next.saturating_add(repeats);
    if last_col > 0 {
        extent.add(first_row, first_col, last_col);
        extent.add(*next, first_col, last_col);
        extent.check(name, limits)?;
    }
    Ok(())
}

/// Checks every sheet of a legacy Excel workbook (BIFF records in a compound file) against
/// `limits`, reading the records as the library will: each sheet from where the workbook's
/// BOUNDSHEET record says it starts to its first EOF record, sized by its DIMENSIONS record
/// and by the row and column of every cell.
pub(super) fn xls_extents(path: &Path, limits: &SheetLimits) -> Result<(), ReadError> {
    let bad = |e: io::Error| ReadError::Workbook(e.to_string());
    let mut cfb = cfb::open(path).map_err(bad)?;
    let Some(stream) = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|s| cfb.is_stream(s))
    else {
        // The library reports the missing stream.
        return Ok(());
    };
    let len = cfb.entry(stream).map_err(bad)?.len();
    if len > limits.max_bytes {
        return Err(ReadError::TooLarge {
            bytes: len,
            max: limits.max_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    cfb.open_stream(stream)
        .map_err(bad)?
        .take(limits.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(bad)?;

    let mut sheets = Vec::new();
    for (typ, data) in records(&bytes, 0) {
        match typ {
            // BOUNDSHEET: where a sheet's records start.
            0x0085 => sheets.extend(u32_at(data, 0)),
            0x000A => break,
            _ => {}
        }
    }
    for (n, start) in sheets.into_iter().enumerate() {
        let name = format!("{}枚目のシート", n + 1);
        let start = start as usize;
        if start > bytes.len() {
            return Err(ReadError::Workbook(format!(
                "{name}の位置がファイルの外です"
            )));
        }
        let mut extent = Extent::default();
        for (typ, data) in records(&bytes, start) {
            match typ {
                0x000A => break,
                // DIMENSIONS: first row, last row + 1, first column, last column + 1.
                0x0200 => dimensions(data).check(&name, limits)?,
                // NUMBER, LABEL, BOOLERR, FORMULA, RK, LABELSST: row and column first.
                0x0203 | 0x0204 | 0x0205 | 0x0006 | 0x027E | 0x00FD => {
                    if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                        let c = u64::from(c) + 1;
                        extent.add(u64::from(r) + 1, c, c);
                    }
                }
                // MULRK: row, first column, the values, last column.
                0x00BD => {
                    let last = data.len().checked_sub(2).and_then(|i| u16_at(data, i));
                    if let (Some(r), Some(c), Some(last)) = (u16_at(data, 0), u16_at(data, 2), last)
                    {
                        let (c, last) = (u64::from(c) + 1, u64::from(last) + 1);
                        extent.add(u64::from(r) + 1, c, last.max(c));
                    }
                }
                _ => {}
            }
        }
        extent.check(&name, limits)?;
    }
    Ok(())
}

/// The BIFF records of `stream` from `start`: type and data. Stops at a record cut short.
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = start;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, pos)?;
        let size = u16_at(stream, pos + 2)? as usize;
        let data = stream.get(pos + 4..pos + 4 + size)?;
        pos += 4 + size;
        Some((typ, data))
    })
}

/// The grid a DIMENSIONS record makes the library reserve, as an extent. The library
/// subtracts the first row from the last in 32 bits, so a first row past the last stands for
/// a grid of about four billion rows; a first column past the last (or past IV) it reads as A.
fn dimensions(data: &[u8]) -> Extent {
    let fields = match data.len() {
        14 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u16_at(data, 8),
            u16_at(data, 10),
        ),
        _ => (
            u16_at(data, 0).map(u32::from),
            u16_at(data, 2).map(u32::from),
            u16_at(data, 4),
            u16_at(data, 6),
        ),
    };
    let mut extent = Extent::default();
    let (Some(first_row), Some(end_row), Some(first_col), Some(end_col)) = fields else {
        return extent;
    };
    if end_row == 0 || end_col == 0 || first_row == end_row {
        return extent;
    }
    let first_col = if first_col > 0xFF || end_col < first_col {
        0
    } else {
        first_col
    };
    let (fc, ec) = (u64::from(first_col) + 1, u64::from(end_col));
    if first_row > end_row {
        extent.add(1, fc, ec);
        extent.add(u64::from(u32::MAX), fc, ec);
    } else {
        extent.add(u64::from(first_row) + 1, fc, ec);
        extent.add(u64::from(end_row), fc, ec);
    }
    extent
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    d.get(i..i.checked_add(2)?)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i.checked_add(4)?)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> SheetLimits {
        SheetLimits {
            max_bytes: 1 << 20,
            max_rows: 100,
            max_columns: 20,
            max_cells: 500,
        }
    }

    fn ods(path: &Path, table_xml: &str) {
        use std::io::Write;
        let file = std::fs::File::create(path).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(b"<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>")
            .unwrap();
        zip.start_file("content.xml", stored).unwrap();
        write!(
            zip,
            "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"o\" xmlns:table=\"t\" xmlns:text=\"x\"><office:body><office:spreadsheet>{table_xml}</office:spreadsheet></office:body></office:document-content>"
        )
        .unwrap();
        zip.finish().unwrap();
    }

    #[test]
    fn ods_rows_and_columns_are_counted_as_they_repeat() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.ods");
        let value =
            "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";
        // Trailing empty rows and cells repeated to the end of the sheet are what
        // LibreOffice writes for every file; they do not count.
        ods(
            &path,
            &format!(
                "<table:table table:name=\"KPI\"><table:table-row>{value}<table:table-cell table:number-columns-repeated=\"16383\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row></table:table>"
            ),
        );
        ods_extents(&path, &limits()).unwrap();
        let mut book = calamine::open_workbook_auto(&path).unwrap();
        let range = calamine::Reader::worksheet_range(&mut book, "KPI").unwrap();
        assert_eq!(range.get_size(), (1, 1), "as the library reads it");

        // A value after a million empty rows is a sheet of a million rows.
        ods(
            &path,
            &format!(
                "<table:table table:name=\"KPI\"><table:table-row table:number-rows-repeated=\"1048574\"><table:table-cell/></table:table-row><table:table-row>{value}</table:table-row></table:table>"
            ),
        );
        assert!(matches!(
            ods_extents(&path, &limits()),
            Err(ReadError::TooManyRows {
                rows: 1_048_575,
                ..
            })
        ));

        // One value repeated across 30 columns.
        ods(
            &path,
            "<table:table table:name=\"KPI\"><table:table-row><table:table-cell table:number-columns-repeated=\"30\" office:value-type=\"float\"/></table:table-row></table:table>",
        );
        assert!(matches!(
            ods_extents(&path, &limits()),
            Err(ReadError::TooManyColumns { columns: 30, .. })
        ));

        // 50 rows × 20 columns = 1,000 cells, each dimension within its limit.
        ods(
            &path,
            "<table:table table:name=\"KPI\"><table:table-row table:number-rows-repeated=\"50\"><table:table-cell table:number-columns-repeated=\"20\" office:value-type=\"float\"/></table:table-row></table:table>",
        );
        assert!(matches!(
            ods_extents(&path, &limits()),
            Err(ReadError::TooManyCells {
                rows: 50,
                columns: 20,
                ..
            })
        ));
    }

    #[test]
    fn a_zip_is_measured_by_what_it_unpacks_to() {
        use std::io::Write;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.xlsx");
        let file = std::fs::File::create(&path).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        zip.start_file(
            "xl/sharedStrings.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&vec![b'a'; 2 << 20]).unwrap();
        zip.finish().unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() < 20_000);
        assert!(matches!(
            zip_unpacked_size(&path, &limits()),
            Err(ReadError::TooLarge { .. })
        ));
        let mut roomy = limits();
        roomy.max_bytes = 3 << 20;
        assert_eq!(zip_unpacked_size(&path, &roomy).unwrap(), 2 << 20);
    }

    /// A legacy workbook of one sheet "KPI": a BIFF8 stream in a compound file.
    fn xls(path: &Path, dimensions: (u32, u32, u16, u16), cells: &[(u16, u16, f64)]) {
        use std::io::Write;
        fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
            out.extend_from_slice(&typ.to_le_bytes());
            out.extend_from_slice(&(data.len() as u16).to_le_bytes());
            out.extend_from_slice(data);
        }
        let bof = |dt: u16| {
            let mut d = vec![0x00, 0x06];
            d.extend_from_slice(&dt.to_le_bytes());
            d.extend_from_slice(&[0; 12]);
            d
        };
        let boundsheet = |pos: u32| {
            let mut d = pos.to_le_bytes().to_vec();
            d.extend_from_slice(&[0, 0, 3, 0]);
            d.extend_from_slice(b"KPI");
            d
        };
        let mut globals = Vec::new();
        record(&mut globals, 0x0809, &bof(0x0005));
        record(&mut globals, 0x0085, &boundsheet(0));
        record(&mut globals, 0x000A, &[]);
        let start = globals.len() as u32;
        globals.clear();
        record(&mut globals, 0x0809, &bof(0x0005));
        record(&mut globals, 0x0085, &boundsheet(start));
        record(&mut globals, 0x000A, &[]);
        let mut stream = globals;
        record(&mut stream, 0x0809, &bof(0x0010));
        let (fr, er, fc, ec) = dimensions;
        let mut d = fr.to_le_bytes().to_vec();
        d.extend_from_slice(&er.to_le_bytes());
        d.extend_from_slice(&fc.to_le_bytes());
        d.extend_from_slice(&ec.to_le_bytes());
        d.extend_from_slice(&[0, 0]);
        record(&mut stream, 0x0200, &d);
        for (r, c, v) in cells {
            let mut d = r.to_le_bytes().to_vec();
            d.extend_from_slice(&c.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            d.extend_from_slice(&v.to_le_bytes());
            record(&mut stream, 0x0203, &d);
        }
        record(&mut stream, 0x000A, &[]);
        let mut cfb = cfb::create(path).unwrap();
        cfb.create_stream("/Workbook")
            .unwrap()
            .write_all(&stream)
            .unwrap();
        cfb.flush().unwrap();
    }

    #[test]
    fn xls_sheets_are_measured_by_their_dimensions_and_their_cells() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.xls");
        xls(&path, (0, 2, 0, 2), &[(0, 0, 1.0), (1, 1, 2.0)]);
        xls_extents(&path, &limits()).unwrap();
        // What the library reads from the same file.
        let mut book = calamine::open_workbook_auto(&path).unwrap();
        let range = calamine::Reader::worksheet_range(&mut book, "KPI").unwrap();
        assert_eq!(range.get_size(), (2, 2));

        // A cell far away, whatever the DIMENSIONS record says.
        xls(&path, (0, 2, 0, 2), &[(0, 0, 1.0), (65_535, 0, 2.0)]);
        assert!(matches!(
            xls_extents(&path, &limits()),
            Err(ReadError::TooManyRows { rows: 65_536, .. })
        ));
        // DIMENSIONS claiming a huge grid, and one whose first row is past its last.
        xls(&path, (0, 1_000_000, 0, 10), &[(0, 0, 1.0)]);
        assert!(matches!(
            xls_extents(&path, &limits()),
            Err(ReadError::TooManyRows { .. })
        ));
        xls(&path, (5, 2, 0, 2), &[(0, 0, 1.0)]);
        assert!(matches!(
            xls_extents(&path, &limits()),
            Err(ReadError::TooManyRows { .. })
        ));
    }
}
