//! `keikaku import`: KPI targets and actuals from the spreadsheet staff already keep, written
//! into the measure files. It is all or nothing: the sheet is read and every cell checked, the
//! edits are made in memory, and the whole site is loaded and validated with the edited files
//! in place of the originals; only if nothing at all is wrong are the files written, and then
//! all of them or none ([`write`]).

pub(crate) mod apply;
pub(crate) mod limits;
pub(crate) mod number_format;
mod read_error;
mod scan;
pub(crate) mod sheet;
pub(crate) mod table;
pub(crate) mod write;
mod xlsx_formats;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::fiscal::FiscalYear;
use crate::load::{self, Loader, Overlay, MEASURES_DIR, PLAN_FILE};
use crate::model::Period;
use crate::validate::{self, Overrides};

pub(crate) use apply::CellEdit;
pub(crate) use write::write;

/// One measure file the import changes or creates.
#[derive(Clone, Debug)]
pub(crate) struct FileChange {
    /// Relative to the site root.
    pub path: PathBuf,
    /// `None` for a new file.
    pub old: Option<String>,
    pub new: String,
    pub cells: Vec<CellEdit>,
    /// The file on disk uses CRLF line ends (kept when writing; texts here use LF).
    pub crlf: bool,
}

/// What an import would do. Nothing has been written yet.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub files: Vec<FileChange>,
    /// Not fatal (e.g. columns that are ignored).
    pub warnings: Diagnostics,
}

impl Plan {
    pub(crate) fn cell_count(&self) -> usize {
        self.files.iter().map(|f| f.cells.len()).sum()
    }
}

/// Reads `sheet_path` and works out the new measure files. `Err` holds every problem found.
pub(crate) fn plan(root: &Path, sheet_path: &Path) -> Result<Plan, Diagnostics> {
    let mut diags = Diagnostics::default();
    let limits = limits::SheetLimits::for_site(root);
    let sheets = match sheet::read(sheet_path, &limits) {
        Ok(s) => s,
        Err(e) => {
            diags.push(e.diagnostic(sheet_path));
            return Err(diags);
        }
    };
    let period = plan_period(root);
    let table = table::interpret(&sheets, sheet_path, period, &mut diags);

    let mut by_measure: BTreeMap<&str, Vec<&table::CellChange>> = BTreeMap::new();
    for c in &table.changes {
        by_measure.entry(c.measure.as_str()).or_default().push(c);
    }
    let mut files = Vec::new();
    for (id, changes) in by_measure {
        let rel = Path::new(MEASURES_DIR).join(format!("{id}.yaml"));
        let mut crlf = false;
        let original = match std::fs::read(root.join(&rel)) {
            Ok(bytes) => {
                crlf = bytes.windows(2).any(|w| w == b"\r\n");
                load::read_source(root, &rel, &load::limits::Limits::default(), &mut diags)
                    .map(|f| f.text.to_string())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::Io,
                    &rel,
                    format!("ファイルを読めません: {}", crate::i18n::io_error_ja(&e)),
                ));
                continue;
            }
        };
        let facts = table.measures.get(id).cloned().unwrap_or_default();
        if let Some(edited) = apply::apply(
            id,
            &rel,
            original.as_deref(),
            &facts,
            &changes,
            sheet_path,
            &mut diags,
        ) {
            if original.as_deref() != Some(edited.text.as_str()) {
                files.push(FileChange {
                    path: rel,
                    old: original,
                    new: edited.text,
                    cells: edited.cells,
                    crlf,
                });
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    verify(root, &files, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Plan {
        files,
        warnings: diags,
    })
}

/// Loads and validates the site with the edited files in place. Errors in the edited files,
/// or in config/plan (without which measures cannot be checked), stop the import; errors in
/// other files are the site's own business and only reported as warnings.
fn verify(root: &Path, files: &[FileChange], diags: &mut Diagnostics) {
    if files.is_empty() {
        return;
    }
    let overlay: Overlay = files
        .iter()
        .map(|f| (f.path.clone(), f.new.clone()))
        .collect();
    let mut found = Diagnostics::default();
    let loaded = Loader::new(root).with_overlay(&overlay).load(&mut found);
    validate::validate(loaded, &Overrides::default(), &mut found);
    for mut d in found.into_vec() {
        let blocking = overlay.contains_key(&d.file)
            || d.file == Path::new(load::CONFIG_FILE)
            || d.file == Path::new(PLAN_FILE);
        if d.is_error() && !blocking {
            d.severity = crate::diagnostics::Severity::Warning;
        }
        diags.push(d);
    }
}

fn plan_period(root: &Path) -> Option<Period> {
    let mut diags = Diagnostics::default();
    let plan = load::read_plan(root, &mut diags)?;
    Some(Period {
        start: FiscalYear::parse(&plan.value.period.start.0).ok()?,
        end: FiscalYear::parse(&plan.value.period.end.0).ok()?,
    })
}

/// A unified diff of one file change, as `--dry-run` prints it.
pub(crate) fn diff(change: &FileChange) -> String {
    let old = change.old.as_deref().unwrap_or("");
    let name = change.path.display().to_string();
    let old_name = if change.old.is_some() {
        format!("a/{name}")
    } else {
        "/dev/null".to_string()
    };
    similar::TextDiff::from_lines(old, &change.new)
        .unified_diff()
        .context_radius(2)
        .header(&old_name, &format!("b/{name}"))
        .to_string()
}
