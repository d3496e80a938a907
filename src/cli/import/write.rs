//! Writing an import's files all or nothing. An import usually changes several measure files;
//! if one of them cannot be replaced (read-only, locked by an editor, a full disk), the others
//! must not already have been rewritten. So every new file is written first, beside the file
//! it replaces, and a copy of every original kept; only then are the new files swapped in, one
//! rename each; a failed swap puts back the originals already replaced. Whatever happens, the
//! error names the file that failed and says which files, if any, are left changed.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::Plan;

/// One step of writing a file, named in errors (and where a test injects a failure).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Keeping a copy of the original beside it.
    Backup,
    /// Writing the new text beside the original.
    WriteNew,
    /// Putting the new file in place of the original.
    Replace,
    /// Putting an original back after a later file failed.
    Restore,
}

impl Step {
    /// `「content/measures/01-02.yaml」を書き換えられません`
    fn failed(self, file: &Path) -> String {
        let file = file.display();
        match self {
            Step::Backup => format!("「{file}」の元の内容を控えられません"),
            Step::WriteNew => format!("「{file}」の新しい内容を書き込めません"),
            Step::Replace => format!("「{file}」を書き換えられません"),
            Step::Restore => format!("「{file}」を元に戻せません"),
        }
    }
}

/// Why an import's files were not (all) written.
#[derive(Debug)]
pub(crate) struct WriteError {
    /// The file that failed, relative to the site root.
    pub file: PathBuf,
    pub step: Step,
    pub source: io::Error,
    /// Files left with the new content because putting the original back failed too, each
    /// with the copy of its original (relative to the site root). Empty: nothing changed.
    pub left_changed: Vec<(PathBuf, PathBuf)>,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}（cannot write）。",
            self.step.failed(&self.file),
            crate::i18n::io_error_ja(&self.source)
        )?;
        if self.left_changed.is_empty() {
            return write!(f, "どのファイルも書き換えていません（no file was changed）");
        }
        write!(
            f,
            "次のファイルは書き換えたまま元に戻せませんでした（not restored）:"
        )?;
        for (file, backup) in &self.left_changed {
            write!(
                f,
                "「{}」（元の内容は「{}」にあります）",
                file.display(),
                backup.display()
            )?;
        }
        write!(f, "。ほかのファイルは書き換えていません")
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Writes the planned files, all or nothing.
pub(crate) fn write(root: &Path, plan: &Plan) -> Result<(), WriteError> {
    write_with(root, plan, &|_, _| Ok(()))
}

/// A file on its way in.
struct Pending {
    rel: PathBuf,
    path: PathBuf,
    new: PathBuf,
    /// The copy of the original; `None` when the file is new.
    backup: Option<PathBuf>,
}

/// [`write`], calling `before(step, file)` before each step so that tests can make one fail.
pub(super) fn write_with(
    root: &Path,
    plan: &Plan,
    before: &dyn Fn(Step, &Path) -> io::Result<()>,
) -> Result<(), WriteError> {
    let pid = std::process::id();
    let mut pending: Vec<Pending> = Vec::new();
    let fail = |file: &Path, step: Step, source: io::Error| WriteError {
        file: file.to_path_buf(),
        step,
        source,
        left_changed: Vec::new(),
    };

    // 1. Everything new beside what it replaces; nothing the site reads has changed yet.
    for f in &plan.files {
        let path = root.join(&f.path);
        let dir = path.parent().unwrap_or(root).to_path_buf();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("file")
            .to_string();
        let mut item = Pending {
            rel: f.path.clone(),
            new: dir.join(format!(".{name}.keikaku-import-{pid}")),
            backup: None,
            path,
        };
        let prepared = (|| {
            std::fs::create_dir_all(&dir).map_err(|e| (Step::WriteNew, e))?;
            if std::fs::symlink_metadata(&item.path).is_ok() {
                let backup = dir.join(format!(".{name}.keikaku-import-{pid}.orig"));
                before(Step::Backup, &item.rel).map_err(|e| (Step::Backup, e))?;
                // A second name for the original costs nothing; a copy where links are
                // not possible.
                if std::fs::hard_link(&item.path, &backup).is_err() {
                    std::fs::copy(&item.path, &backup).map_err(|e| (Step::Backup, e))?;
                }
                item.backup = Some(backup);
            }
            before(Step::WriteNew, &item.rel).map_err(|e| (Step::WriteNew, e))?;
            let text = if f.crlf {
                f.new.replace('\n', "\r\n")
            } else {
                f.new.clone()
            };
            std::fs::write(&item.new, text.as_bytes()).map_err(|e| (Step::WriteNew, e))
        })();
        let rel = item.rel.clone();
        pending.push(item);
        if let Err((step, e)) = prepared {
            discard(&pending);
            return Err(fail(&rel, step, e));
        }
    }

    // 2. The swap, one rename per file; a failure puts back what was already replaced.
    for (i, item) in pending.iter().enumerate() {
        let swapped =
            before(Step::Replace, &item.rel).and_then(|()| std::fs::rename(&item.new, &item.path));
        if let Err(e) = swapped {
            let mut err = fail(&item.rel, Step::Replace, e);
            err.left_changed = undo(&pending[..i], root, before);
            discard(&pending[i..]);
            return Err(err);
        }
    }
    for item in &pending {
        if let Some(b) = &item.backup {
            let _ = std::fs::remove_file(b);
        }
    }
    Ok(())
}

/// Puts back the originals of `done` (already replaced), newest first; returns the files that
/// could not be put back, each with where its original is.
fn undo(
    done: &[Pending],
    root: &Path,
    before: &dyn Fn(Step, &Path) -> io::Result<()>,
) -> Vec<(PathBuf, PathBuf)> {
    let mut left = Vec::new();
    for item in done.iter().rev() {
        let restored = before(Step::Restore, &item.rel).and_then(|()| match &item.backup {
            Some(b) => std::fs::rename(b, &item.path),
            None => std::fs::remove_file(&item.path),
        });
        if restored.is_err() {
            let shown = item
                .backup
                .as_deref()
                .map(|b| b.strip_prefix(root).unwrap_or(b).to_path_buf())
                .unwrap_or_default();
            left.push((item.rel.clone(), shown));
        }
    }
    left.reverse();
    left
}

/// Removes the new files and the copies of originals of files not swapped in.
fn discard(items: &[Pending]) {
    for item in items {
        let _ = std::fs::remove_file(&item.new);
        if let Some(b) = &item.backup {
            let _ = std::fs::remove_file(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::import::FileChange;

    fn plan_of(files: &[(&str, &str)]) -> Plan {
        Plan {
            files: files
                .iter()
                .map(|(path, new)| FileChange {
                    path: PathBuf::from(path),
                    old: None,
                    new: new.to_string(),
                    cells: Vec::new(),
                    crlf: false,
                })
                .collect(),
            warnings: Default::default(),
        }
    }

    fn files(root: &Path) -> Vec<(String, String)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }

    fn site() -> (tempfile::TempDir, Plan) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("content/measures");
        std::fs::create_dir_all(&dir).unwrap();
        for id in ["01-01", "01-02", "01-03"] {
            std::fs::write(dir.join(format!("{id}.yaml")), format!("old {id}\n")).unwrap();
        }
        let plan = plan_of(&[
            ("content/measures/01-01.yaml", "new 01-01\n"),
            ("content/measures/01-02.yaml", "new 01-02\n"),
            ("content/measures/01-03.yaml", "new 01-03\n"),
            ("content/measures/01-04.yaml", "new 01-04\n"),
        ]);
        (tmp, plan)
    }

    fn injected(step: Step, file: &'static str) -> impl Fn(Step, &Path) -> io::Result<()> {
        move |s, f| {
            if s == step && f.ends_with(file) {
                Err(io::Error::from_raw_os_error(1))
            } else {
                Ok(())
            }
        }
    }

    #[test]
    fn a_failure_at_any_step_of_any_file_changes_nothing() {
        for (step, file) in [
            (Step::Backup, "01-02.yaml"),
            (Step::WriteNew, "01-04.yaml"),
            (Step::Replace, "01-01.yaml"),
            (Step::Replace, "01-03.yaml"),
            (Step::Replace, "01-04.yaml"),
        ] {
            let (tmp, plan) = site();
            let before = files(tmp.path());
            let err = write_with(tmp.path(), &plan, &injected(step, file)).unwrap_err();
            assert_eq!(files(tmp.path()), before, "{step:?} {file}");
            assert!(err.left_changed.is_empty());
            let text = err.to_string();
            assert!(
                text.contains(&format!("content/measures/{file}"))
                    && text.contains("どのファイルも書き換えていません"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_file_that_cannot_be_put_back_is_named_with_where_its_original_is() {
        let (tmp, plan) = site();
        let hook = |s: Step, f: &Path| {
            if (s == Step::Replace && f.ends_with("01-03.yaml"))
                || (s == Step::Restore && f.ends_with("01-01.yaml"))
            {
                Err(io::Error::from_raw_os_error(1))
            } else {
                Ok(())
            }
        };
        let err = write_with(tmp.path(), &plan, &hook).unwrap_err();
        let backup = tmp.path().join(&err.left_changed[0].1);
        assert_eq!(
            err.left_changed[0].0,
            Path::new("content/measures/01-01.yaml")
        );
        assert_eq!(std::fs::read_to_string(backup).unwrap(), "old 01-01\n");
        let m = tmp.path().join("content/measures");
        assert_eq!(
            std::fs::read_to_string(m.join("01-02.yaml")).unwrap(),
            "old 01-02\n"
        );
        assert!(!m.join("01-04.yaml").exists());
        let text = err.to_string();
        assert!(
            text.contains("01-03.yaml") && text.contains("元に戻せませんでした"),
            "{text}"
        );
    }

    #[test]
    fn a_complete_write_leaves_no_copies_behind() {
        let (tmp, plan) = site();
        write(tmp.path(), &plan).unwrap();
        let names: Vec<String> = files(tmp.path()).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            names,
            [
                "content/measures/01-01.yaml",
                "content/measures/01-02.yaml",
                "content/measures/01-03.yaml",
                "content/measures/01-04.yaml"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("content/measures/01-02.yaml")).unwrap(),
            "new 01-02\n"
        );
    }
}
