//! Every message the `keikaku` command prints (apart from diagnostics' own Japanese text) is
//! written here, in Japanese and English, so that wording stays consistent and a translation
//! never goes missing in one corner of the CLI. Japanese is the default because the people who
//! keep the content are Japanese city staff; `--lang en` or an English `LANG` switches.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use crate::diagnostics::{Code, Diagnostics};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// `--lang` wins; otherwise the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set (the
    /// POSIX order): English when it starts with `en`, Japanese otherwise.
    pub fn detect(flag: Option<&str>) -> Lang {
        if let Some(f) = flag {
            return Lang::from_tag(f);
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return Lang::from_tag(&v);
                }
            }
        }
        Lang::Ja
    }

    fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Ja
        }
    }

    /// The page language, for `<html lang>`.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    fn pick(self, ja: impl Into<String>, en: impl Into<String>) -> String {
        match self {
            Lang::Ja => ja.into(),
            Lang::En => en.into(),
        }
    }
}

/// Messages of the CLI. Each variant carries what the sentence needs.
pub enum Msg<'a> {
    /// The stages of a build, as the progress display names them.
    StageLoad,
    StageValidate,
    StageRender,
    StageWrite,
    Built {
        pages: usize,
        charts: usize,
        data_files: usize,
        files: usize,
        bytes: usize,
        elapsed: Duration,
        out: &'a Path,
    },
    SiteUnchanged,
    CheckOk,
    Serving {
        url: &'a str,
    },
    Watching {
        root: &'a Path,
    },
    Rebuilt {
        files: usize,
        pages: usize,
        elapsed: Duration,
    },
    /// After a fast update of measure pages, the pages that list them.
    RestRebuilt {
        pages: usize,
        elapsed: Duration,
    },
    RebuildFailed {
        errors: usize,
    },
    NoGoodSiteYet,
    ServeStopHint,
    /// `serve` could not start; `detail` is the [`serve_cannot_bind`] or
    /// [`serve_cannot_watch`] text.
    CannotServe {
        detail: &'a str,
    },
    /// The label before a diagnostic's hint in `serve`'s error overlay.
    Hint,
    Created {
        path: &'a Path,
    },
    NextStep {
        path: &'a Path,
    },
    ImportNothingWritten,
    ImportDryRun,
    ImportWrote {
        files: usize,
        cells: usize,
    },
    ImportNoChange,
    /// `serve` was bound to an address other machines can reach (`--bind 0.0.0.0`).
    ServeBeyondLoopback {
        addr: &'a str,
    },
    /// `serve` refused a request whose `Host` is not one of its own names (DNS rebinding).
    HostRefused {
        host: &'a str,
        url: &'a str,
    },
    /// `serve`: a request head that cannot be read (or has no single `Host`).
    HttpBadRequest,
    /// `serve`: a request head that did not arrive in time.
    HttpHeadTimeout,
    /// `serve`: a request head over the size limit.
    HttpHeadTooLarge,
    /// `serve`: every event stream is taken.
    TooManyEventStreams,
}

pub fn text(lang: Lang, msg: Msg) -> String {
    match msg {
        Msg::StageLoad => lang.pick("ファイルを読み込み中", "reading files"),
        Msg::StageValidate => lang.pick("内容を検査中", "checking content"),
        Msg::StageRender => lang.pick("ページを生成中", "rendering pages"),
        Msg::StageWrite => lang.pick("書き込み中", "writing the site"),
        Msg::Built {
            pages,
            charts,
            data_files,
            files,
            bytes,
            elapsed,
            out,
        } => lang.pick(
            format!(
                "{}ページ・グラフ{}件・データ{}件（全{}ファイル、{} KB）を {} に生成しました（{:.2} 秒）",
                pages,
                charts,
                data_files,
                files,
                bytes / 1024,
                out.display(),
                elapsed.as_secs_f64()
            ),
            format!(
                "Built {} pages, {} charts, {} data files ({} files, {} KB) into {} in {:.2} s",
                pages,
                charts,
                data_files,
                files,
                bytes / 1024,
                out.display(),
                elapsed.as_secs_f64()
            ),
        ),
        Msg::SiteUnchanged => lang.pick(
            "サイトは更新されていません（前回のサイトのままです）",
            "The site was not updated (the previous site is unchanged)",
        ),
        Msg::CheckOk => lang.pick("問題は見つかりませんでした", "No problems found"),
        Msg::Serving { url } => lang.pick(
            format!("プレビュー: {url} をブラウザで開いてください"),
            format!("Preview: open {url} in a browser"),
        ),
        Msg::Watching { root } => lang.pick(
            format!(
                "{} の content/・themes/・config.yaml の変更を監視しています",
                root.display()
            ),
            format!(
                "Watching content/, themes/ and config.yaml in {}",
                root.display()
            ),
        ),
        Msg::Rebuilt {
            files,
            pages,
            elapsed,
        } => lang.pick(
            format!(
                "更新しました: {files}ファイルを読み直し、{pages}ページが変わりました（{:.3} 秒）",
                elapsed.as_secs_f64()
            ),
            format!(
                "Rebuilt: re-read {files} files, {pages} pages changed ({:.3} s)",
                elapsed.as_secs_f64()
            ),
        ),
        Msg::RestRebuilt { pages, elapsed } => lang.pick(
            format!(
                "一覧・データ・検索も更新しました: {pages}ページが変わりました（変更から {:.3} 秒）",
                elapsed.as_secs_f64()
            ),
            format!(
                "Lists, data and search updated too: {pages} pages changed ({:.3} s after the change)",
                elapsed.as_secs_f64()
            ),
        ),
        Msg::RebuildFailed { errors } => lang.pick(
            format!("エラーが{errors}件あります。直すまで前回のサイトを表示します"),
            format!("{errors} errors; the last good site stays served until they are fixed"),
        ),
        Msg::NoGoodSiteYet => lang.pick(
            "まだサイトを生成できていません。エラーを直してください",
            "No site could be built yet; fix the errors",
        ),
        Msg::ServeStopHint => lang.pick("終了するには Ctrl+C", "Press Ctrl+C to stop"),
        Msg::CannotServe { detail } => lang.pick(detail, format!("cannot serve: {detail}")),
        Msg::Hint => lang.pick("ヒント", "Hint"),
        Msg::Created { path } => lang.pick(
            format!("{} を作成しました", path.display()),
            format!("Created {}", path.display()),
        ),
        Msg::NextStep { path } => lang.pick(
            format!(
                "{} の「〜を書いてください」を書き換え、keikaku check で確かめてください",
                path.display()
            ),
            format!(
                "Replace the placeholders in {} and run keikaku check",
                path.display()
            ),
        ),
        Msg::ImportNothingWritten => lang.pick(
            "エラーがあるため、どのファイルも書き換えていません",
            "Nothing was written because of the errors above",
        ),
        Msg::ImportDryRun => lang.pick(
            "--dry-run: 変更内容だけを表示しました（ファイルは書き換えていません）",
            "--dry-run: changes shown above; no file was written",
        ),
        Msg::ImportWrote { files, cells } => lang.pick(
            format!("{files}ファイルの{cells}セルを更新しました"),
            format!("Updated {cells} cells in {files} files"),
        ),
        Msg::ImportNoChange => lang.pick(
            "表の値はすべてファイルと同じでした。変更はありません",
            "Every value already matched the files; nothing changed",
        ),
        Msg::ServeBeyondLoopback { addr } => lang.pick(
            format!(
                "注意: {addr} で待ち受けています。同じネットワークの他のパソコンからも、公開前の内容を見られます。このパソコンの中だけで確かめるときは --bind を付けずに起動してください"
            ),
            format!(
                "Warning: listening on {addr}, so other machines on the network can see the unpublished preview. Start without --bind to keep it on this computer"
            ),
        ),
        Msg::HostRefused { host, url } => lang.pick(
            format!(
                "このプレビューは「{host}」という名前では開けません（他のサイトからの読み取りを防ぐため）。{url} を開いてください"
            ),
            format!(
                "This preview does not answer to the name \"{host}\" (so that other sites cannot read it). Open {url}"
            ),
        ),
        Msg::HttpBadRequest => lang.pick(
            "リクエストを読み取れません",
            "The request could not be read",
        ),
        Msg::HttpHeadTimeout => lang.pick(
            "リクエストが時間内に届きませんでした",
            "The request did not arrive in time",
        ),
        Msg::HttpHeadTooLarge => lang.pick(
            "リクエストのヘッダーが大きすぎます",
            "The request headers are too large",
        ),
        Msg::TooManyEventStreams => lang.pick(
            "開いているプレビューが多すぎるため、このページは自動では更新されません。使わないタブを閉じてください",
            "Too many previews are open, so this page will not reload by itself; close the tabs you do not need",
        ),
    }
}

/// A short English gist of each diagnostic code, for `--lang en`.
pub fn code_gist(code: Code) -> &'static str {
    match code {
        Code::Io => "cannot read or write a file",
        Code::Encoding => "the file is not UTF-8",
        Code::FileTooLarge => "the file is larger than limits.max_file_bytes",
        Code::YamlSyntax => "YAML syntax error",
        Code::WrongType => "a value has the wrong type",
        Code::MissingField => "a required field is missing",
        Code::UnknownField => "unknown field (typo?)",
        Code::DuplicateKey => "the same key is written twice",
        Code::TooDeep => "nested deeper than limits.max_depth",
        Code::DuplicateId => "two measures share one ID",
        Code::InvalidId => "the ID or file name cannot be used in a URL",
        Code::FileNameMismatch => "the file name does not match the id",
        Code::UnknownPolicy => "no such policy number in plan.yaml",
        Code::Duplicate => "a value that must be unique is repeated",
        Code::InvalidValue => "a value that is not allowed",
        Code::UnknownMeasure => "no measure with this ID",
        Code::UnknownStatus => "a progress word outside the vocabulary",
        Code::InvalidQuarter => "a quarter other than 1–4",
        Code::TooManyMeasures => "more measure files than limits.max_measures",
        Code::InvalidFiscalYear => "not a fiscal year",
        Code::YearOutsidePeriod => "fiscal year outside the plan period",
        Code::InvalidCell => "a KPI cell that cannot be read",
        Code::FrontMatter => "page front matter missing or malformed",
        Code::Template => "theme template error",
        Code::Output => "cannot write the output",
        Code::GlossaryReading => "glossary reading missing or not kana",
        Code::GlossaryAnchor => "two glossary entries get the same anchor",
        Code::UnknownTerm => "reference to a term not in the glossary",
        Code::UnusedTerm => "glossary entry used by no page",
    }
}

/// What goes before a diagnostic's Japanese message in `lang`: in English, the gist of its
/// code and a dash; in Japanese, nothing.
pub fn gist_prefix(lang: Lang, code: Code) -> String {
    match lang {
        Lang::Ja => String::new(),
        Lang::En => format!("{} — ", code_gist(code)),
    }
}

/// Diagnostics for display in `lang`: in English, each message starts with the English gist
/// of its code, followed by the Japanese detail (which names the values involved).
pub fn localize(diags: &Diagnostics, lang: Lang) -> Diagnostics {
    let mut out = Diagnostics::default();
    for d in diags.iter() {
        let mut d = d.clone();
        d.message = format!("{}{}", gist_prefix(lang, d.code), d.message);
        out.push(d);
    }
    out
}

// Texts of errors that are made before anyone knows the reader's language: they end up in
// diagnostics (whose messages are Japanese, see `localize`) or are printed as they are. Each
// is Japanese, most with a short English gloss in brackets.

/// `output::WriteError::UnsafeOutput`.
pub fn output_replaces_site(out: &Path) -> String {
    format!(
        "出力先「{}」はサイトのフォルダそのもの、またはその親フォルダです（output folder would replace the site's own files）",
        out.display()
    )
}

/// `output::WriteError::BadPath`.
pub fn output_bad_path(path: &str) -> String {
    format!("出力ファイルのパス「{path}」が不正です（invalid output path）")
}

/// `output::WriteError::Duplicate`.
pub fn output_duplicate(path: &str) -> String {
    format!("出力ファイル「{path}」が2回生成されました（duplicate output path）")
}

/// `output::WriteError::Io`.
pub fn output_cannot_write(path: &Path, error: &std::io::Error) -> String {
    format!(
        "「{}」に書き込めません: {error}（cannot write）",
        path.display()
    )
}

/// `serve` could not listen on `addr`.
pub fn serve_cannot_bind(addr: &SocketAddr, error: &str) -> String {
    format!("{addr} で待ち受けできません: {error}（--port で別の番号を指定してください）")
}

/// `serve` could not watch the site's folders.
pub fn serve_cannot_watch(error: &str) -> String {
    format!("フォルダを監視できません: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_and_english_is_recognised() {
        assert_eq!(Lang::detect(Some("en")), Lang::En);
        assert_eq!(Lang::detect(Some("ja")), Lang::Ja);
        assert_eq!(Lang::from_tag("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_tag("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::from_tag("C.UTF-8"), Lang::Ja);
    }

    #[test]
    fn every_code_has_an_english_gist() {
        let d = crate::diagnostics::Diagnostic::error(Code::InvalidCell, "a.yaml", "読めません");
        let mut ds = Diagnostics::default();
        ds.push(d);
        let en = localize(&ds, Lang::En);
        assert_eq!(
            en.iter().next().unwrap().message,
            "a KPI cell that cannot be read — 読めません"
        );
        let ja = localize(&ds, Lang::Ja);
        assert_eq!(ja.iter().next().unwrap().message, "読めません");
    }
}
