//! Reading the site folder: which files are there (sorted by name, so that nothing downstream
//! depends on the file system's order) and each file's text, bounded and normalised before
//! any parser sees it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::limits::{self, Limits};
use super::SourceFile;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};

/// Reads a file as UTF-8 text. A BOM is dropped and CRLF becomes LF (both are what Windows
/// editors write, and neither changes meaning); invalid UTF-8 is an error at its position.
/// A file over the size limit is not read whole, and one nested too deep is refused here,
/// before any parser builds its structure.
pub(crate) fn read_source(
    root: &Path,
    rel: &Path,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<SourceFile> {
    let bytes = match limits::read_bounded(&root.join(rel), limits.max_file_bytes) {
        Ok(Ok(b)) => b,
        Ok(Err(len)) => {
            diags.push(limits::too_large(rel, len, limits.max_file_bytes));
            return None;
        }
        Err(e) => {
            let (message, hint) = if e.kind() == std::io::ErrorKind::NotFound {
                (
                    "ファイルがありません".to_string(),
                    "docs/content.md を参考に作成してください",
                )
            } else {
                (
                    format!("ファイルを読めません: {e}"),
                    "ファイルの権限を確認してください",
                )
            };
            diags.push(Diagnostic::error(Code::Io, rel, message).hint(hint));
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

/// Sub-folders of `dir`, sorted by name, as paths relative to the root.
pub(super) fn list_dirs(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<String> {
    list_entries(root, dir, diags, |e| e.file_type().is_dir())
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

/// Entries directly in `dir` that `keep` accepts, sorted by name so that the order of
/// everything downstream never depends on the file system; paths relative to the root.
fn list_entries(
    root: &Path,
    dir: &str,
    diags: &mut Diagnostics,
    keep: impl Fn(&walkdir::DirEntry) -> bool,
) -> Vec<PathBuf> {
    let full = root.join(dir);
    if !full.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&full)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if keep(&e) => found.push(Path::new(dir).join(e.file_name())),
            Ok(_) => {}
            Err(err) => diags.push(
                Diagnostic::error(Code::Io, dir, format!("フォルダを読めません: {err}"))
                    .hint("フォルダの権限を確認してください"),
            ),
        }
    }
    found
}

/// Files with one of `extensions` directly in `dir`, sorted by name.
pub(super) fn list_files(
    root: &Path,
    dir: &str,
    extensions: &[&str],
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    list_entries(root, dir, diags, |e| {
        let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("");
        e.file_type().is_file() && extensions.contains(&ext)
    })
}
