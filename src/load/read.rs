//! Reading the site folder: which files are there (sorted by name, so that nothing downstream
//! depends on the file system's order) and each file's text, bounded and normalised before
//! any parser sees it.
//!
//! Only regular files are ever opened, and only inside the site folder: a symbolic link is
//! followed when its target stays inside the root and refused otherwise (its target is never
//! read, so nothing of it can appear in a message); a named pipe, socket or device is refused
//! from its file type, without opening it (opening a pipe would wait for a writer forever).
//! Listing a folder reports what is there and not read ([`Code::UnreadFile`]), so that a file
//! is never left out silently.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::limits::{self, Limits};
use super::SourceFile;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};

/// The site folder as given (paths in messages are relative to it) and as resolved, to judge
/// where a symbolic link leads.
#[derive(Clone, Debug)]
pub(super) struct SiteRoot {
    path: PathBuf,
    /// `None` when the folder cannot be resolved (it does not exist): then nothing in it can
    /// be read either, and reading says so.
    real: Option<PathBuf>,
}

impl SiteRoot {
    pub(super) fn new(path: &Path) -> SiteRoot {
        SiteRoot {
            path: path.to_path_buf(),
            real: std::fs::canonicalize(path).ok(),
        }
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Where `rel` really is, through every symbolic link on the way, if that is inside the
    /// root. Only the link is named in the error, with the target as the link spells it.
    fn resolve_inside(&self, rel: &Path) -> Result<PathBuf, Box<Diagnostic>> {
        let full = self.path.join(rel);
        let written = std::fs::read_link(&full)
            .map(|t| format!("（→ {}）", t.display()))
            .unwrap_or_default();
        let real = match std::fs::canonicalize(&full) {
            Ok(real) => real,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let message = format!(
                    "シンボリックリンクの先がありません{written}（dangling symbolic link）"
                );
                return Err(Box::new(
                    Diagnostic::error(Code::Io, rel, message)
                        .hint("リンクを消すか、リンク先のファイルを置いてください"),
                ));
            }
            Err(e) => return Err(Box::new(io_error(rel, &e))),
        };
        match &self.real {
            Some(root) if real.starts_with(root) => Ok(real),
            _ => Err(Box::new(
                Diagnostic::error(
                    Code::LinkOutsideRoot,
                    rel,
                    format!(
                        "シンボリックリンクの先がサイトのフォルダの外です{written}（symbolic link outside the site folder）"
                    ),
                )
                .hint("リンクをやめて、ファイルをサイトのフォルダの中に置いてください（フォルダの外は読みません）"),
            )),
        }
    }

    /// Whether the folder `rel` is there and may be listed: it must be a folder (through
    /// links only inside the root). A folder that is not there is no error (most are
    /// optional); anything else in its place is, reported here.
    pub(super) fn check_dir(&self, rel: &Path, diags: &mut Diagnostics) -> Dir {
        let full = self.path.join(rel);
        if std::fs::symlink_metadata(&full).is_err() {
            return Dir::Absent;
        }
        let refused = |d: Diagnostic, diags: &mut Diagnostics| {
            diags.push(d);
            Dir::Refused
        };
        let real = match self.resolve_inside(rel) {
            Ok(real) => real,
            Err(d) => return refused(*d, diags),
        };
        match std::fs::metadata(&real) {
            Ok(m) if m.is_dir() => Dir::Present,
            Ok(m) => refused(not_regular(rel, &m.file_type(), "フォルダ"), diags),
            Err(e) => refused(io_error(rel, &e), diags),
        }
    }
}

/// What [`SiteRoot::check_dir`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dir {
    Absent,
    Present,
    /// Not a folder inside the root; the error is reported.
    Refused,
}

/// Reads a file as UTF-8 text. A BOM is dropped and CRLF becomes LF (both are what Windows
/// editors write, and neither changes meaning); invalid UTF-8 is an error at its position.
/// A file over the size limit is not read whole, and one nested too deep is refused here,
/// before any parser builds its structure. The file must be a regular file inside `root`,
/// its folder too.
pub(crate) fn read_source(
    root: &Path,
    rel: &Path,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<SourceFile> {
    let site = SiteRoot::new(root);
    if let Some(dir) = rel.parent().filter(|d| !d.as_os_str().is_empty()) {
        if site.check_dir(dir, diags) == Dir::Refused {
            return None;
        }
    }
    read_in(&site, rel, limits, diags)
}

/// [`read_source`] for a file whose folder the caller has checked ([`SiteRoot::check_dir`]).
pub(super) fn read_in(
    site: &SiteRoot,
    rel: &Path,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<SourceFile> {
    let file = match open_regular(site, rel) {
        Ok(file) => file,
        Err(d) => {
            diags.push(*d);
            return None;
        }
    };
    let bytes = match limits::read_bounded(file, limits.max_file_bytes) {
        Ok(Ok(b)) => b,
        Ok(Err(len)) => {
            diags.push(limits::too_large(rel, len, limits.max_file_bytes));
            return None;
        }
        Err(e) => {
            diags.push(io_error(rel, &e));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = String::from_utf8_lossy(valid);
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            diags.push(
                Diagnostic::error(
                    Code::Encoding,
                    rel,
                    "UTF-8 ではない文字があります（invalid UTF-8）",
                )
                .at(Some(Position { line, column }))
                .hint("ファイルを UTF-8 で保存し直してください（Shift_JIS は使えません）"),
            );
            return None;
        }
    };
    let file = SourceFile {
        path: rel.to_path_buf(),
        text: normalise(&text),
    };
    if let Some(d) = limits::check_depth(&file, limits.max_depth) {
        diags.push(d);
        return None;
    }
    Some(file)
}

/// A file given as text (BOM and CR handled as for files read from disk).
pub(super) fn source_from_text(rel: &Path, text: &str) -> SourceFile {
    SourceFile {
        path: rel.to_path_buf(),
        text: normalise(text),
    }
}

/// Drops a byte order mark and turns CRLF and CR into LF, so that positions match what
/// editors show.
fn normalise(text: &str) -> Arc<str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        Arc::from(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Arc::from(text)
    }
}

/// What a listed entry is, once symbolic links are followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    File,
    Dir,
}

/// One entry of a folder, as a path relative to the root.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub rel: PathBuf,
    pub kind: Kind,
}

impl Entry {
    /// The extension as written (`YAML` stays `YAML`).
    fn extension(&self) -> &str {
        self.rel.extension().and_then(|x| x.to_str()).unwrap_or("")
    }

    /// Dot files (`.DS_Store`, `.gitkeep`, an editor's swap file) are the system's or the
    /// tools', not content: not reading them is no news.
    pub(super) fn hidden(&self) -> bool {
        self.rel
            .file_name()
            .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."))
    }
}

/// The files and folders directly in `dir` (checked with [`SiteRoot::check_dir`]), sorted by
/// name so that the order of everything downstream never depends on the file system. A
/// symbolic link is followed when it stays inside the root; a link out of it, a dangling link
/// and anything that is neither a regular file nor a folder are reported and left out.
pub(super) fn list_dir(site: &SiteRoot, dir: &Path, diags: &mut Diagnostics) -> Vec<Entry> {
    let read = match std::fs::read_dir(site.path.join(dir)) {
        Ok(read) => read,
        Err(err) => {
            diags.push(folder_error(dir, &err));
            return Vec::new();
        }
    };
    let mut found = Vec::new();
    for entry in read {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diags.push(folder_error(dir, &err));
                continue;
            }
        };
        let rel = dir.join(entry.file_name());
        let file_type = match entry.file_type() {
            Ok(t) if t.is_symlink() => {
                match site.resolve_inside(&rel).and_then(|real| {
                    std::fs::metadata(real).map_err(|e| Box::new(io_error(&rel, &e)))
                }) {
                    Ok(m) => m.file_type(),
                    Err(d) => {
                        diags.push(*d);
                        continue;
                    }
                }
            }
            Ok(t) => t,
            Err(err) => {
                diags.push(io_error(&rel, &err));
                continue;
            }
        };
        let kind = if file_type.is_file() {
            Kind::File
        } else if file_type.is_dir() {
            Kind::Dir
        } else {
            diags.push(not_regular(&rel, &file_type, "ファイル"));
            continue;
        };
        found.push(Entry { rel, kind });
    }
    found.sort_by(|a, b| a.rel.file_name().cmp(&b.rel.file_name()));
    found
}

/// The files of `entries` with one of `extensions` (as written: lower case); every other
/// entry gets a warning that it is not read, with what to do if it was meant to be.
pub(super) fn select_files(
    entries: Vec<Entry>,
    extensions: &[&str],
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let mut files = Vec::with_capacity(entries.len());
    for entry in entries {
        if entry.kind == Kind::File && extensions.contains(&entry.extension()) {
            files.push(entry.rel);
        } else if !entry.hidden() {
            diags.push(unread(&entry, extensions));
        }
    }
    files
}

/// The warning for an entry the loader does not read. An extension in capitals or a
/// `.markdown` page is named as such: the file was surely meant to be read, but keikaku reads
/// one spelling only, the one `serve`, `new` and `import` also use, so that a site is the same
/// on every file system and to every command.
pub(super) fn unread(entry: &Entry, extensions: &[&str]) -> Diagnostic {
    let ext = entry.extension();
    let listed: Vec<String> = extensions.iter().map(|e| format!(".{e}")).collect();
    let listed = listed.join("・");
    let near = entry.kind == Kind::File
        && (extensions.iter().any(|e| e.eq_ignore_ascii_case(ext))
            || (ext.eq_ignore_ascii_case("markdown") && extensions.contains(&"md")));
    let (message, hint) = if near {
        (
            format!("拡張子 .{ext} のファイルは読み込まれません（unread file）"),
            format!(
                "拡張子を .{} にしてください（大文字の拡張子や .markdown は読みません）",
                extensions[0]
            ),
        )
    } else if entry.kind == Kind::Dir {
        (
            "このフォルダは読み込まれません（unread folder）".to_string(),
            format!(
                "ここで読むのは {listed} のファイルだけです。不要なら移動するか削除してください"
            ),
        )
    } else {
        (
            "このファイルは読み込まれません（unread file）".to_string(),
            format!(
                "ここで読むのは {listed} のファイルだけです。不要なら移動するか削除してください"
            ),
        )
    };
    Diagnostic::warning(Code::UnreadFile, &entry.rel, message).hint(hint)
}

/// Opens `rel` for reading if it is a regular file inside the root; never opens anything
/// else. On Linux the file is opened without following a final symbolic link and without
/// blocking (`O_NOFOLLOW | O_NONBLOCK`), then judged by its descriptor, so that a file
/// swapped for a pipe after any check still cannot block; a link is resolved and checked
/// first, then its target opened the same way. Elsewhere the type is checked before opening.
fn open_regular(site: &SiteRoot, rel: &Path) -> Result<std::fs::File, Box<Diagnostic>> {
    let full = site.path.join(rel);
    #[cfg(target_os = "linux")]
    let file = {
        use rustix::fs::{Mode, OFlags};
        let open = |path: &Path| {
            rustix::fs::open(
                path,
                OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
                Mode::empty(),
            )
        };
        let fd = match open(&full) {
            Err(rustix::io::Errno::LOOP) => open(&site.resolve_inside(rel)?),
            other => other,
        };
        std::fs::File::from(fd.map_err(|e| Box::new(io_error(rel, &e.into())))?)
    };
    #[cfg(not(target_os = "linux"))]
    let file = {
        let meta = std::fs::symlink_metadata(&full).map_err(|e| Box::new(io_error(rel, &e)))?;
        let path = if meta.file_type().is_symlink() {
            site.resolve_inside(rel)?
        } else {
            full
        };
        let meta = std::fs::metadata(&path).map_err(|e| Box::new(io_error(rel, &e)))?;
        if !meta.is_file() {
            return Err(Box::new(not_regular(rel, &meta.file_type(), "ファイル")));
        }
        std::fs::File::open(&path).map_err(|e| Box::new(io_error(rel, &e)))?
    };
    let meta = file.metadata().map_err(|e| Box::new(io_error(rel, &e)))?;
    if !meta.is_file() {
        return Err(Box::new(not_regular(rel, &meta.file_type(), "ファイル")));
    }
    Ok(file)
}

/// `rel` is something other than the `expected` (ファイル or フォルダ).
fn not_regular(rel: &Path, file_type: &std::fs::FileType, expected: &str) -> Diagnostic {
    let what = describe(file_type);
    Diagnostic::error(
        Code::NotRegularFile,
        rel,
        format!(
            "通常の{expected}ではありません（{what}）（not a regular {}）",
            if expected == "フォルダ" {
                "folder"
            } else {
                "file"
            }
        ),
    )
    .hint(format!(
        "ここには通常の{expected}を置いてください（名前付きパイプやデバイスは開きません）"
    ))
}

fn describe(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "名前付きパイプ";
        }
        if file_type.is_socket() {
            return "ソケット";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "デバイス";
        }
    }
    if file_type.is_dir() {
        "フォルダ"
    } else if file_type.is_file() {
        "ファイル"
    } else {
        "特殊なファイル"
    }
}

fn io_error(rel: &Path, e: &std::io::Error) -> Diagnostic {
    let (message, hint) = if e.kind() == std::io::ErrorKind::NotFound {
        (
            "ファイルがありません".to_string(),
            "docs/content.md を参考に作成してください",
        )
    } else {
        (
            format!("ファイルを読めません: {}", crate::i18n::io_error_ja(e)),
            "ファイルの権限を確認してください",
        )
    };
    Diagnostic::error(Code::Io, rel, message).hint(hint)
}

fn folder_error(dir: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        dir,
        format!("フォルダを読めません: {}", crate::i18n::io_error_ja(err)),
    )
    .hint("フォルダの権限を確認してください")
}
