//! Writes docs/import-template.xlsx from docs/import-template.csv, so that the two templates
//! never disagree: `cargo run --example import_template`.
//!
//! Every cell is written as text: Excel would otherwise turn `40,529千円` into nothing useful
//! and `12.5%` into 0.125. The value columns are also formatted as text (`@`) so that what
//! staff type later stays text.

use rust_xlsxwriter::{Format, Workbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs");
    let csv_text = std::fs::read_to_string(format!("{dir}/import-template.csv"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes());
    let mut book = Workbook::new();
    let text = Format::new().set_num_format("@");
    let bold = Format::new().set_bold().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("成果目標")?;
    for (r, record) in reader.records().enumerate() {
        let record = record?;
        for (c, field) in record.iter().enumerate() {
            let format = if r == 0 { &bold } else { &text };
            sheet.write_string_with_format(r as u32, c as u16, field, format)?;
        }
    }
    for (c, width) in [10, 10, 30, 8, 14, 14, 14, 14, 30].iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.set_column_format(c as u16, &text)?;
    }
    sheet.set_freeze_panes(1, 4)?;
    book.save(format!("{dir}/import-template.xlsx"))?;
    println!("wrote {dir}/import-template.xlsx");
    Ok(())
}
