//! Every generated file — page, stylesheet, chart, data file — is an [`Output`]: a path inside
//! the site and its bytes. They all go through [`write_site`], the one place that touches the
//! output folder, so that publishing is atomic: the new site is written into a temporary folder
//! beside the output and swapped in only when complete. A failed or killed build leaves the
//! previous site exactly as it was.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// One file of the generated site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Relative path with `/` separators, e.g. `measures/01-01/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Output {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("出力先「{0}」はサイトのフォルダそのもの、またはその親フォルダです（output folder would replace the site's own files）")]
    UnsafeOutput(PathBuf),
    #[error("出力ファイルのパス「{0}」が不正です（invalid output path）")]
    BadPath(String),
    #[error("出力ファイル「{0}」が2回生成されました（duplicate output path）")]
    Duplicate(String),
    #[error("「{path}」に書き込めません: {source}（cannot write）")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Prefix of the working folders kept beside the output folder.
const WORK_PREFIX: &str = ".keikaku-";

/// Writes `outputs` as the complete new content of `out_dir`, atomically.
///
/// `site_root` is only used to refuse an output folder that would swallow the site's sources.
pub fn write_site(outputs: &[Output], out_dir: &Path, site_root: &Path) -> Result<(), WriteError> {
    check_paths(outputs)?;
    let out_abs = absolute(out_dir).map_err(io_err(out_dir))?;
    let root_abs = absolute(site_root).map_err(io_err(site_root))?;
    if root_abs.starts_with(&out_abs) {
        return Err(WriteError::UnsafeOutput(out_dir.to_path_buf()));
    }
    let parent = out_abs
        .parent()
        .ok_or_else(|| WriteError::UnsafeOutput(out_dir.to_path_buf()))?
        .to_path_buf();
    let name = out_abs
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| WriteError::UnsafeOutput(out_dir.to_path_buf()))?
        .to_string();
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    clean_stale_work_dirs(&parent, &name, &out_abs);

    let pid = std::process::id();
    let staging = parent.join(format!("{WORK_PREFIX}{name}.new-{pid}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    }
    let result = write_tree(outputs, &staging)
        .and_then(|()| swap_in(&staging, &out_abs, &parent, &name, pid));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn check_paths(outputs: &[Output]) -> Result<(), WriteError> {
    let mut seen = BTreeSet::new();
    for o in outputs {
        let bad = o.path.is_empty()
            || o.path.starts_with('/')
            || o.path.contains('\\')
            || o.path
                .split('/')
                .any(|seg| seg.is_empty() || seg == "." || seg == "..");
        if bad {
            return Err(WriteError::BadPath(o.path.clone()));
        }
        if !seen.insert(o.path.as_str()) {
            return Err(WriteError::Duplicate(o.path.clone()));
        }
    }
    Ok(())
}

fn write_tree(outputs: &[Output], staging: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(staging).map_err(io_err(staging))?;
    let dirs: BTreeSet<&str> = outputs
        .iter()
        .filter_map(|o| o.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for d in dirs {
        let p = staging.join(d);
        std::fs::create_dir_all(&p).map_err(io_err(&p))?;
    }
    for o in outputs {
        let p = staging.join(&o.path);
        std::fs::write(&p, &o.bytes).map_err(io_err(&p))?;
    }
    Ok(())
}

/// Puts `staging` at `out`. Where the kernel can exchange two folders in one step
/// (Linux `renameat2(RENAME_EXCHANGE)`), there is no instant at which `out` is missing or
/// partial; elsewhere the old site is moved aside first and restored on the next run if the
/// process dies between the two renames.
fn swap_in(
    staging: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
    pid: u32,
) -> Result<(), WriteError> {
    if !out.exists() {
        return std::fs::rename(staging, out).map_err(io_err(out));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site.
            let _ = std::fs::remove_dir_all(staging);
            return Ok(());
        }
    }
    let old = parent.join(format!("{WORK_PREFIX}{name}.old-{pid}"));
    std::fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(io_err(out)(e));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Removes working folders left by a build that was killed, after restoring the previous site
/// if a kill happened between the two renames of the fallback swap.
fn clean_stale_work_dirs(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix_new = format!("{WORK_PREFIX}{name}.new-");
    let prefix_old = format!("{WORK_PREFIX}{name}.old-");
    let mut stale: Vec<PathBuf> = Vec::new();
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        if n.starts_with(&prefix_new) || n.starts_with(&prefix_old) {
            stale.push(e.path());
        }
    }
    stale.sort();
    for p in stale {
        let is_old = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&prefix_old));
        if is_old && !out.exists() {
            let _ = std::fs::rename(&p, out);
        } else {
            let _ = std::fs::remove_dir_all(&p);
        }
    }
}

fn absolute(p: &Path) -> io::Result<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    // Resolve `..` lexically; the folder may not exist yet, so canonicalize the parent only.
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    if let (Some(parent), Some(name)) = (out.parent(), out.file_name()) {
        if let Ok(real) = parent.canonicalize() {
            return Ok(real.join(name));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_whole_site_and_leaves_no_work_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        write_site(
            &[
                Output::new("a/index.html", "1"),
                Output::new("old.txt", "x"),
            ],
            &out,
            &root,
        )
        .unwrap();
        write_site(&[Output::new("a/index.html", "2")], &out, &root).unwrap();
        assert_eq!(
            read_tree(&out),
            vec![("a/index.html".to_string(), b"2".to_vec())]
        );
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_failed_write_keeps_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(
            &[Output::new("index.html", "old")],
            &out,
            tmp.path().join("s").as_path(),
        )
        .unwrap();
        let err = write_site(
            &[
                Output::new("index.html", "new"),
                Output::new("../escape", "x"),
            ],
            &out,
            tmp.path().join("s").as_path(),
        );
        assert!(matches!(err, Err(WriteError::BadPath(_))));
        assert_eq!(
            read_tree(&out),
            vec![("index.html".to_string(), b"old".to_vec())]
        );
    }

    #[test]
    fn stale_work_folders_are_cleaned_and_a_moved_site_is_restored() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let stale_new = tmp.path().join(".keikaku-public.new-999999");
        let stale_old = tmp.path().join(".keikaku-public.old-999999");
        std::fs::create_dir_all(&stale_new).unwrap();
        std::fs::create_dir_all(&stale_old).unwrap();
        std::fs::write(stale_old.join("index.html"), "previous").unwrap();
        clean_stale_work_dirs(tmp.path(), "public", &out);
        assert!(!stale_new.exists());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
    }

    #[test]
    fn refuses_to_replace_the_site_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let err = write_site(&[Output::new("index.html", "x")], tmp.path(), tmp.path());
        assert!(matches!(err, Err(WriteError::UnsafeOutput(_))));
        let err = write_site(
            &[Output::new("a", "x"), Output::new("a", "y")],
            &tmp.path().join("o"),
            tmp.path(),
        );
        assert!(matches!(err, Err(WriteError::Duplicate(_))));
    }
}
