//! How much of a spreadsheet `keikaku import` agrees to read. A workbook is a zip of XML, so a
//! file of a few kilobytes can claim a cell at XFD1048576 (a sheet of 17 billion cells if read
//! as a grid) or unpack to gigabytes; each is refused, before it is read, against these limits.
//! Like the loader's limits they live under `limits:` in config.yaml, for a site that really
//! needs more.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::load::raw::RawLimits;
use crate::load::{self, CONFIG_FILE};

/// The limits in force for one import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SheetLimits {
    /// Bytes of the file once unpacked: every part of a workbook together, or a CSV file.
    pub max_bytes: u64,
    /// The last row a sheet may use (1-based, as the spreadsheet shows it).
    pub max_rows: usize,
    /// The last column a sheet may use (1 = A).
    pub max_columns: usize,
    /// Cells in a sheet's used range (rows × columns, from its first used cell to its last).
    pub max_cells: usize,
}

impl Default for SheetLimits {
    /// A KPI sheet has tens of rows and columns; a whole plan's workbook, a few megabytes. The
    /// defaults leave room for far more and keep the largest sheet read to a few tens of MB.
    fn default() -> Self {
        SheetLimits {
            max_bytes: 64 * 1024 * 1024,
            max_rows: 100_000,
            max_columns: 1_000,
            max_cells: 1_000_000,
        }
    }
}

impl SheetLimits {
    pub(crate) fn from_raw(raw: &RawLimits) -> SheetLimits {
        let d = SheetLimits::default();
        SheetLimits {
            max_bytes: raw.max_sheet_bytes.unwrap_or(d.max_bytes),
            max_rows: raw.max_sheet_rows.unwrap_or(d.max_rows),
            max_columns: raw.max_sheet_columns.unwrap_or(d.max_columns),
            max_cells: raw.max_sheet_cells.unwrap_or(d.max_cells),
        }
    }

    /// The limits of the site at `root`: its config.yaml's `limits:`, or the defaults when
    /// the file cannot be read (its errors are reported when the edited site is validated).
    pub(crate) fn for_site(root: &Path) -> SheetLimits {
        #[derive(serde::Deserialize)]
        struct LimitsOnly {
            #[serde(default)]
            limits: RawLimits,
        }
        let mut ignored = Diagnostics::default();
        load::read_source(
            root,
            Path::new(CONFIG_FILE),
            &load::limits::Limits::default(),
            &mut ignored,
        )
        .and_then(|f| load::parse_yaml::<LimitsOnly>(f, &mut ignored))
        .map_or_else(SheetLimits::default, |p| {
            SheetLimits::from_raw(&p.value.limits)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_yaml_raises_the_limits_and_a_broken_one_leaves_the_defaults() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(SheetLimits::for_site(tmp.path()), SheetLimits::default());
        std::fs::write(
            tmp.path().join(CONFIG_FILE),
            "title: x\nlimits:\n  max_sheet_rows: 2000000\n  max_sheet_bytes: 1024\n",
        )
        .unwrap();
        let l = SheetLimits::for_site(tmp.path());
        assert_eq!((l.max_rows, l.max_bytes), (2_000_000, 1024));
        assert_eq!(l.max_columns, SheetLimits::default().max_columns);
        std::fs::write(tmp.path().join(CONFIG_FILE), "limits: [").unwrap();
        assert_eq!(SheetLimits::for_site(tmp.path()), SheetLimits::default());
    }
}
