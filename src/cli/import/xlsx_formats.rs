//! The number format of every numeric cell of an `.xlsx`/`.xlsm` workbook. The spreadsheet
//! library reads a cell's value and tells dates apart, but keeps neither the style of a cell
//! nor the format codes; so they are read here from the workbook's own parts: the styles
//! (`xl/styles.xml`: format codes, and the format of each cell style), the sheets' names and
//! parts (`xl/workbook.xml` and its relationships), and each sheet's `<c r="C7" s="3">`.
//! Called after `scan::zip_unpacked_size`, which bounds every part read here.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};

use super::number_format::{self, NumberFormat};
use super::read_error::ReadError;

/// For each sheet name, the format of each numeric cell (0-based row and column) whose format
/// changes how its number reads.
pub(super) type Formats = HashMap<String, HashMap<(u32, u32), Arc<NumberFormat>>>;

type Zip = zip::ZipArchive<io::BufReader<std::fs::File>>;

/// Reads the formats of the workbook at `path`, keeping at most `max_cells` cells per sheet
/// (the reader refuses a sheet with more cells than that anyway).
pub(super) fn read(path: &Path, max_cells: usize) -> Result<Formats, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut zip = zip::ZipArchive::new(io::BufReader::new(file))
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let styles = match part(&mut zip, "xl/styles.xml")? {
        Some(xml) => cell_styles(&xml)?,
        None => return Ok(Formats::new()),
    };
    if styles.iter().all(Option::is_none) {
        return Ok(Formats::new());
    }
    let mut formats = Formats::new();
    for (name, target) in sheet_parts(&mut zip)? {
        let Some(xml) = part(&mut zip, &target)? else {
            continue;
        };
        let cells = sheet_cells(&xml, &styles, max_cells, &target)?;
        if !cells.is_empty() {
            formats.insert(name, cells);
        }
    }
    Ok(formats)
}

fn part(zip: &mut Zip, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
    let Ok(mut f) = zip.by_name(name) else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)
        .map_err(|e| ReadError::Workbook(format!("{name}: {e}")))?;
    Ok(Some(bytes))
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().map(|a| {
        let raw = String::from_utf8_lossy(&a.value);
        quick_xml::escape::unescape(&raw)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| raw.into_owned())
    })
}

fn bad(part: &str) -> impl Fn(quick_xml::Error) -> ReadError + '_ {
    move |e| ReadError::Workbook(format!("{part}: {e}"))
}

/// The format of each cell style (`cellXfs`), in order; `None` where the number reads as it is.
fn cell_styles(xml: &[u8]) -> Result<Vec<Option<Arc<NumberFormat>>>, ReadError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut custom: HashMap<u32, String> = HashMap::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    let mut buf = Vec::new();
    let mut parsed: HashMap<u32, Option<Arc<NumberFormat>>> = HashMap::new();
    loop {
        buf.clear();
        let e = match reader
            .read_event_into(&mut buf)
            .map_err(bad("xl/styles.xml"))?
        {
            Event::Start(e) | Event::Empty(e) => e,
            Event::End(e) => {
                if e.local_name().as_ref() == b"cellXfs" {
                    in_cell_xfs = false;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            b"numFmt" => {
                if let (Some(id), Some(code)) = (attr(&e, "numFmtId"), attr(&e, "formatCode")) {
                    if let Ok(id) = id.parse() {
                        custom.insert(id, code);
                    }
                }
            }
            b"cellXfs" => in_cell_xfs = true,
            b"xf" if in_cell_xfs => {
                let id: u32 = attr(&e, "numFmtId")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let format = parsed
                    .entry(id)
                    .or_insert_with(|| {
                        let code = custom
                            .get(&id)
                            .map(String::as_str)
                            .or_else(|| number_format::builtin(id))?;
                        NumberFormat::parse(code).map(Arc::new)
                    })
                    .clone();
                styles.push(format);
            }
            _ => {}
        }
    }
    Ok(styles)
}

/// Each sheet's name and the zip part that holds it, in workbook order.
fn sheet_parts(zip: &mut Zip) -> Result<Vec<(String, String)>, ReadError> {
    let mut targets: HashMap<String, String> = HashMap::new();
    if let Some(xml) = part(zip, "xl/_rels/workbook.xml.rels")? {
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader
                .read_event_into(&mut buf)
                .map_err(bad("xl/_rels/workbook.xml.rels"))?
            {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                    if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                        let target = match target.strip_prefix('/') {
                            Some(abs) => abs.to_string(),
                            None => format!("xl/{target}"),
                        };
                        targets.insert(id, target);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
    let mut sheets = Vec::new();
    if let Some(xml) = part(zip, "xl/workbook.xml")? {
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader
                .read_event_into(&mut buf)
                .map_err(bad("xl/workbook.xml"))?
            {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"sheet" => {
                    let id = e.attributes().flatten().find_map(|a| {
                        (a.key.local_name().as_ref() == b"id")
                            .then(|| String::from_utf8_lossy(&a.value).into_owned())
                    });
                    if let (Some(name), Some(target)) =
                        (attr(&e, "name"), id.and_then(|id| targets.get(&id)))
                    {
                        sheets.push((name, target.clone()));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
    Ok(sheets)
}

/// The numeric cells of one sheet whose style has a format that matters.
fn sheet_cells(
    xml: &[u8],
    styles: &[Option<Arc<NumberFormat>>],
    max_cells: usize,
    part: &str,
) -> Result<HashMap<(u32, u32), Arc<NumberFormat>>, ReadError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut cells = HashMap::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).map_err(bad(part))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"c" => {
                // Text, booleans and errors have a type; a number has none (or `n`).
                if attr(&e, "t").is_some_and(|t| t != "n") {
                    continue;
                }
                let Some(style) = attr(&e, "s").and_then(|s| s.parse::<usize>().ok()) else {
                    continue;
                };
                let (Some(Some(format)), Some(at)) =
                    (styles.get(style), attr(&e, "r").and_then(|r| position(&r)))
                else {
                    continue;
                };
                if cells.len() >= max_cells {
                    break;
                }
                cells.insert(at, format.clone());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(cells)
}

/// `C7` → (6, 2), 0-based.
fn position(reference: &str) -> Option<(u32, u32)> {
    let letters = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let (col, row) = reference.split_at(letters);
    let mut c = 0u32;
    for b in col.bytes() {
        c = c
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let r: u32 = row.parse().ok()?;
    (c > 0 && r > 0).then(|| (r - 1, c - 1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn cell_references_read_as_row_and_column() {
        assert_eq!(super::position("C7"), Some((6, 2)));
        assert_eq!(super::position("AA1"), Some((0, 26)));
        assert_eq!(super::position("7"), None);
    }
}
