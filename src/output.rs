//! Every generated file — page, stylesheet, chart, data file — is an [`Output`]: a path inside
//! the site and its bytes, handed to a `Sink` as soon as it is made. `Staging` is the one
//! writer of the output folder, and publishing through it is atomic: the new site is written
//! into a working folder beside the output and swapped in only when complete. A failed or
//! killed build leaves the previous site exactly as it was. `Collect` keeps the files in
//! memory instead (`check`, `serve`, tests).
//!
//! Before anything is written, `guard` makes sure the output folder is one keikaku may replace
//! (not the sources, not a file, not a folder of someone else's documents), and `lock` makes a
//! second build into the same folder wait for the first.

mod guard;
mod lock;

pub use guard::MARKER;

use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::diagnostics::Code;
use crate::i18n;

/// One file of the generated site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Relative path with `/` separators, e.g. `measures/01-01/index.html`.
    pub path: String,
    /// The file's contents, exactly as written.
    pub bytes: Vec<u8>,
}

impl Output {
    /// A file at `path` (relative, `/`-separated) holding `bytes`.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Output {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Why a file of the site could not be written. The texts are in [`crate::i18n`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// A path without a last name keikaku can use (not UTF-8, or the file system's root).
    #[error("{}", i18n::output_unusable(.0))]
    UnsafeOutput(PathBuf),
    #[error(
        "{}",
        i18n::output_overlaps_sources(.output, .resolved, .protected, .relation.ja())
    )]
    OverlapsSources {
        /// As the user gave it.
        output: PathBuf,
        /// Where it really is (after links and `..`).
        resolved: PathBuf,
        /// The source it would destroy, resolved.
        protected: PathBuf,
        relation: guard::Overlap,
    },
    #[error("{}", i18n::output_not_folder(.output, .root))]
    NotAFolder { output: PathBuf, root: PathBuf },
    #[error("{}", i18n::output_not_generated(.output, .root, .example, *.count))]
    NotGenerated {
        output: PathBuf,
        root: PathBuf,
        /// The first entry by name, to show the user what would be lost.
        example: String,
        count: usize,
    },
    #[error("{}", i18n::output_bad_path(.0))]
    BadPath(String),
    #[error("{}", i18n::output_duplicate(.0))]
    Duplicate(String),
    #[error("{}", i18n::output_cannot_write(.path, .source))]
    Io { path: PathBuf, source: io::Error },
}

impl WriteError {
    /// The diagnostic code the error is reported under.
    pub(crate) fn code(&self) -> Code {
        match self {
            WriteError::OverlapsSources { .. } => Code::OutputOverlapsSources,
            WriteError::NotAFolder { .. } => Code::OutputNotFolder,
            WriteError::NotGenerated { .. } => Code::OutputNotGenerated,
            WriteError::UnsafeOutput(_)
            | WriteError::BadPath(_)
            | WriteError::Duplicate(_)
            | WriteError::Io { .. } => Code::Output,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Prefix of the working folders kept beside the output folder.
const WORK_PREFIX: &str = ".keikaku-";

/// Where rendered files go. Rendering hands every file to a sink as soon as it exists, so a
/// build never holds the whole site in memory: [`Staging`] writes it into the new site's
/// folder, [`Collect`] keeps it (for `serve` and tests). Sinks are shared between the threads
/// that render pages.
pub(crate) trait Sink: Sync {
    fn put(&self, output: Output) -> Result<(), WriteError>;

    /// Opens a file to be written piece by piece, for the files too large to hold whole (the
    /// open-data tables of a large site). The file counts as written only once
    /// [`StreamWriter::finish`] returns. By default the pieces are gathered in memory and
    /// handed to [`Sink::put`]; a sink that writes to disk writes them straight to the file.
    fn stream<'s>(&'s self, path: &str) -> Result<Box<dyn StreamWriter + 's>, WriteError> {
        check_path(path)?;
        Ok(Box::new(Buffered {
            sink: self,
            path: path.to_string(),
            bytes: Vec::new(),
        }))
    }
}

/// One file being written through [`Sink::stream`].
pub(crate) trait StreamWriter {
    fn write(&mut self, bytes: &[u8]) -> Result<(), WriteError>;

    /// Completes the file and returns its size in bytes.
    fn finish(self: Box<Self>) -> Result<usize, WriteError>;
}

/// A streamed file gathered in memory, for sinks that keep everything anyway.
struct Buffered<'s, S: Sink + ?Sized> {
    sink: &'s S,
    path: String,
    bytes: Vec<u8>,
}

impl<S: Sink + ?Sized> StreamWriter for Buffered<'_, S> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<usize, WriteError> {
        let len = self.bytes.len();
        self.sink.put(Output::new(self.path, self.bytes))?;
        Ok(len)
    }
}

/// Counts of what went into a sink, for the build summary.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pages: AtomicUsize,
    charts: AtomicUsize,
    data_files: AtomicUsize,
    files: AtomicUsize,
    bytes: AtomicUsize,
}

/// A snapshot of a [`Tally`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub pages: usize,
    pub charts: usize,
    pub(crate) data_files: usize,
    pub files: usize,
    pub bytes: usize,
}

impl Tally {
    pub(crate) fn record(&self, path: &str, len: usize) {
        let ext = path.rsplit('.').next().unwrap_or("");
        let counter = match ext {
            "html" => Some(&self.pages),
            "svg" => Some(&self.charts),
            "csv" | "json" if path.starts_with("data/") => Some(&self.data_files),
            _ => None,
        };
        if let Some(c) = counter {
            c.fetch_add(1, Ordering::Relaxed);
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
    }

    pub(crate) fn counts(&self) -> Counts {
        Counts {
            pages: self.pages.load(Ordering::Relaxed),
            charts: self.charts.load(Ordering::Relaxed),
            data_files: self.data_files.load(Ordering::Relaxed),
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn of(outputs: &[Output]) -> Counts {
        let tally = Tally::default();
        for o in outputs {
            tally.record(&o.path, o.bytes.len());
        }
        tally.counts()
    }
}

/// Keeps every output in memory (in the order they arrive; sort before comparing).
#[derive(Debug, Default)]
pub(crate) struct Collect {
    outputs: Mutex<Vec<Output>>,
    paths: Mutex<BTreeSet<String>>,
}

impl Collect {
    /// The outputs sorted by path, so that the result is the same whatever order the
    /// rendering threads finished in.
    pub(crate) fn into_sorted(self) -> Vec<Output> {
        let mut v = self.outputs.into_inner().unwrap_or_else(|e| e.into_inner());
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
}

impl Sink for Collect {
    fn put(&self, output: Output) -> Result<(), WriteError> {
        check_path(&output.path)?;
        if !lock(&self.paths).insert(output.path.clone()) {
            return Err(WriteError::Duplicate(output.path));
        }
        lock(&self.outputs).push(output);
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The new site being written, in a working folder beside the output folder. Nothing the
/// readers of the site see changes until [`Staging::commit`]; dropping a `Staging` without
/// committing removes the working folder, and a killed process leaves a folder that the next
/// build removes. A `Staging` holds the output folder's lock from [`Staging::begin`] until it
/// is dropped.
pub(crate) struct Staging {
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    pid: u32,
    paths: Mutex<BTreeSet<String>>,
    /// Folders of the working folder already made: most files share theirs with others, and
    /// making a folder that exists still costs a system call per level.
    folders: Mutex<HashSet<PathBuf>>,
    tally: Tally,
    committed: bool,
    /// Dropped after the working folder is gone (fields drop after `Drop::drop`).
    _lock: lock::OutputLock,
}

impl Staging {
    /// Prepares a working folder for a new `out_dir`, after making sure that replacing
    /// `out_dir` destroys nothing but a previous site: not the sources of the site at
    /// `site_root`, not a file, and — unless `force` — no folder keikaku did not write. Waits
    /// while another build writes into the same folder.
    pub(crate) fn begin(
        out_dir: &Path,
        site_root: &Path,
        force: bool,
    ) -> Result<Staging, WriteError> {
        let target = guard::locate(out_dir, site_root)?;
        let (parent, name) = (&target.parent, &target.name);
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        let lock_path = parent.join(format!("{WORK_PREFIX}{name}.lock"));
        let lock = lock::OutputLock::acquire(&lock_path, || {
            eprintln!(
                "別の keikaku build が「{}」に書き込んでいます。終わるまで待ちます（waiting for another build writing into this folder）",
                out_dir.display()
            )
        })
        .map_err(io_err(&lock_path))?;
        // With the lock held, every working folder here belongs to a build that is gone.
        clean_stale_work_dirs(parent, name, &target.location);
        guard::check_replaceable(&target, out_dir, site_root, force)?;

        let pid = std::process::id();
        let dir = parent.join(format!("{WORK_PREFIX}{name}.new-{pid}"));
        if dir.exists() {
            remove_tree(&dir).map_err(io_err(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let marker = dir.join(MARKER);
        std::fs::write(&marker, guard::MARKER_TEXT).map_err(io_err(&marker))?;
        let guard::Target {
            location,
            parent,
            name,
        } = target;
        Ok(Staging {
            dir,
            out: location,
            parent,
            name,
            pid,
            // The marker is not part of the rendered site, but no rendered file may take its place.
            paths: Mutex::new(BTreeSet::from([MARKER.to_string()])),
            folders: Mutex::new(HashSet::new()),
            tally: Tally::default(),
            committed: false,
            _lock: lock,
        })
    }

    /// Publishes the new site in place of the old one.
    pub(crate) fn commit(mut self) -> Result<Counts, WriteError> {
        swap_in(&self.dir, &self.out, &self.parent, &self.name, self.pid)?;
        self.committed = true;
        Ok(self.tally.counts())
    }
}

impl Staging {
    /// Claims `rel` (a path may be written once) and makes its folder; returns where the file
    /// goes in the working folder.
    fn claim(&self, rel: &str) -> Result<PathBuf, WriteError> {
        check_path(rel)?;
        if !lock(&self.paths).insert(rel.to_string()) {
            return Err(WriteError::Duplicate(rel.to_string()));
        }
        let path = self.dir.join(rel);
        if let Some(folder) = path.parent() {
            if !lock(&self.folders).contains(folder) {
                std::fs::create_dir_all(folder).map_err(io_err(folder))?;
                lock(&self.folders).insert(folder.to_path_buf());
            }
        }
        Ok(path)
    }
}

impl Sink for Staging {
    fn put(&self, output: Output) -> Result<(), WriteError> {
        let path = self.claim(&output.path)?;
        std::fs::write(&path, &output.bytes).map_err(io_err(&path))?;
        self.tally.record(&output.path, output.bytes.len());
        Ok(())
    }

    fn stream<'s>(&'s self, rel: &str) -> Result<Box<dyn StreamWriter + 's>, WriteError> {
        let path = self.claim(rel)?;
        let file = std::fs::File::create(&path).map_err(io_err(&path))?;
        Ok(Box::new(StagedFile {
            file: io::BufWriter::with_capacity(256 * 1024, file),
            rel: rel.to_string(),
            path,
            len: 0,
            tally: &self.tally,
        }))
    }
}

/// A file of the working folder written piece by piece. An unfinished one is left partial,
/// which is harmless: a build that fails to finish a file never commits the working folder.
struct StagedFile<'s> {
    file: io::BufWriter<std::fs::File>,
    rel: String,
    path: PathBuf,
    len: usize,
    tally: &'s Tally,
}

impl StreamWriter for StagedFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        use io::Write;
        self.file.write_all(bytes).map_err(io_err(&self.path))?;
        self.len += bytes.len();
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<usize, WriteError> {
        use io::Write;
        self.file.flush().map_err(io_err(&self.path))?;
        self.tally.record(&self.rel, self.len);
        Ok(self.len)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Output paths are relative, `/`-separated, and never climb out of the site.
fn check_path(path: &str) -> Result<(), WriteError> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..");
    if bad {
        return Err(WriteError::BadPath(path.to_string()));
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
            let _ = remove_tree(staging);
            return Ok(());
        }
    }
    let old = parent.join(format!("{WORK_PREFIX}{name}.old-{pid}"));
    std::fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(io_err(out)(e));
    }
    let _ = remove_tree(&old);
    Ok(())
}

/// Removes a folder and everything in it, its subfolders in parallel: the previous site of a
/// large plan is tens of thousands of files, and removing them one by one after the new
/// site is in place took most of a second. Symbolic links are removed, never followed — at
/// the top too: after the swap, a `public` that was a link to the web server's folder is
/// what gets removed here, and its target must be left alone.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    if !std::fs::symlink_metadata(dir)?.is_dir() {
        return std::fs::remove_file(dir);
    }
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
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
            let _ = remove_tree(&p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole build's writing: every output through [`Staging`], then the swap.
    fn write_site(outputs: &[Output], out_dir: &Path, site_root: &Path) -> Result<(), WriteError> {
        let staging = Staging::begin(out_dir, site_root, false)?;
        for o in outputs {
            staging.put(o.clone())?;
        }
        staging.commit().map(|_| ())
    }

    /// The files of the site in `dir`, without the marker every published site carries.
    fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file() && e.path() != dir.join(MARKER))
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
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).unwrap(),
            guard::MARKER_TEXT
        );
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    /// A site published through a symbolic link (`public` → the web server's folder): the
    /// link is replaced like a folder, and what it pointed to is never emptied.
    #[cfg(unix)]
    #[test]
    fn a_linked_output_folder_is_replaced_without_emptying_its_target() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("www");
        std::fs::create_dir_all(target.join("sub")).unwrap();
        std::fs::write(target.join("keep.txt"), "k").unwrap();
        std::fs::write(target.join("sub/keep.txt"), "k").unwrap();
        let out = tmp.path().join("public");
        std::os::unix::fs::symlink(&target, &out).unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        write_site(&[Output::new("index.html", "1")], &out, &root).unwrap();
        assert_eq!(
            read_tree(&out),
            vec![("index.html".to_string(), b"1".to_vec())]
        );
        assert_eq!(
            read_tree(&target).len(),
            2,
            "the link's target is untouched"
        );
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
        assert!(matches!(
            err,
            Err(WriteError::OverlapsSources {
                relation: guard::Overlap::Same,
                ..
            })
        ));
        let err = write_site(
            &[Output::new("a", "x"), Output::new("a", "y")],
            &tmp.path().join("o"),
            tmp.path(),
        );
        assert!(matches!(err, Err(WriteError::Duplicate(_))));
    }

    #[test]
    fn only_nothing_an_empty_folder_or_a_site_keikaku_wrote_is_replaced_without_force() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let site = [Output::new("index.html", "1")];

        let empty = tmp.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        write_site(&site, &empty, &root).unwrap();
        // Its marker makes it keikaku's to replace from now on.
        write_site(&site, &empty, &root).unwrap();

        let documents = tmp.path().join("documents");
        std::fs::create_dir_all(&documents).unwrap();
        std::fs::write(documents.join("report.docx"), "keep").unwrap();
        match write_site(&site, &documents, &root) {
            Err(WriteError::NotGenerated { example, count, .. }) => {
                assert_eq!((example.as_str(), count), ("report.docx", 1))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(documents.join("report.docx")).unwrap(),
            "keep"
        );
        let forced = Staging::begin(&documents, &root, true).unwrap();
        forced.put(site[0].clone()).unwrap();
        forced.commit().unwrap();
        assert_eq!(
            read_tree(&documents),
            vec![("index.html".to_string(), b"1".to_vec())]
        );

        let file = tmp.path().join("notes.txt");
        std::fs::write(&file, "keep").unwrap();
        assert!(matches!(
            Staging::begin(&file, &root, true).map(|_| ()),
            Err(WriteError::NotAFolder { .. })
        ));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    }

    #[test]
    fn the_marker_is_not_counted_and_no_rendered_file_may_replace_it() {
        let tmp = tempfile::tempdir().unwrap();
        let staging =
            Staging::begin(&tmp.path().join("public"), &tmp.path().join("s"), false).unwrap();
        assert!(matches!(
            staging.put(Output::new(MARKER, "x")),
            Err(WriteError::Duplicate(_))
        ));
        staging.put(Output::new("index.html", "x")).unwrap();
        assert_eq!(staging.commit().unwrap().files, 1);
    }

    /// A second build into the same folder waits for the first, and does not tidy away the
    /// first one's working folder meanwhile.
    #[test]
    fn a_second_staging_waits_for_the_first_to_finish() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;

        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let root = tmp.path().join("s");
        let first = Staging::begin(&out, &root, false).unwrap();
        first.put(Output::new("a.html", "first")).unwrap();
        let first_done = Arc::new(AtomicBool::new(false));
        let second = {
            let (out, root, first_done) = (out.clone(), root.clone(), first_done.clone());
            std::thread::spawn(move || {
                let second = Staging::begin(&out, &root, false).unwrap();
                assert!(
                    first_done.load(Ordering::SeqCst),
                    "began while the first was writing"
                );
                second.put(Output::new("b.html", "second")).unwrap();
                second.commit().unwrap();
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(300));
        first.put(Output::new("c.html", "first")).unwrap();
        first_done.store(true, Ordering::SeqCst);
        first.commit().unwrap();
        second.join().unwrap();
        assert_eq!(
            read_tree(&out),
            vec![("b.html".to_string(), b"second".to_vec())]
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("public")]);
    }

    fn stream_into(sink: &dyn Sink, path: &str, pieces: &[&str]) -> Result<usize, WriteError> {
        let mut w = sink.stream(path)?;
        for p in pieces {
            w.write(p.as_bytes())?;
        }
        w.finish()
    }

    #[test]
    fn streamed_files_are_written_counted_and_claimed_like_put_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out, &tmp.path().join("s"), false).unwrap();
        assert_eq!(
            stream_into(&staging, "data/t.csv", &["a,b\r\n", "1,2\r\n"]).unwrap(),
            10
        );
        staging.put(Output::new("index.html", "x")).unwrap();
        assert!(matches!(
            stream_into(&staging, "index.html", &["y"]),
            Err(WriteError::Duplicate(_))
        ));
        assert!(matches!(
            staging.put(Output::new("data/t.csv", "z")),
            Err(WriteError::Duplicate(_))
        ));
        assert!(matches!(
            stream_into(&staging, "../t.csv", &[]),
            Err(WriteError::BadPath(_))
        ));
        let counts = staging.commit().unwrap();
        assert_eq!((counts.files, counts.data_files, counts.bytes), (2, 1, 11));
        assert_eq!(
            read_tree(&out),
            vec![
                ("data/t.csv".to_string(), b"a,b\r\n1,2\r\n".to_vec()),
                ("index.html".to_string(), b"x".to_vec()),
            ]
        );

        let collect = Collect::default();
        stream_into(&collect, "data/t.json", &["[", "]"]).unwrap();
        assert!(matches!(
            collect.put(Output::new("data/t.json", "")),
            Err(WriteError::Duplicate(_))
        ));
        assert_eq!(
            collect.into_sorted(),
            vec![Output::new("data/t.json", "[]")]
        );
    }
}
