//! Every message the `keikaku` command prints (apart from diagnostics' own Japanese text) is
//! written here, in Japanese and English, so that wording stays consistent and a translation
//! never goes missing in one corner of the CLI. Japanese is the default because the people who
//! keep the content are Japanese city staff; `--lang en` or an English `LANG` switches.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diagnostics::{self, render, Code, Diagnostics, Format};

/// The language of the command line's messages and reports (the site itself is Japanese).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// 日本語, the default.
    Ja,
    /// English, for `--lang en` or an English `LANG`.
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
pub(crate) enum Msg<'a> {
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
    /// A build failed and the output folder held no site before it: nothing is published.
    NothingPublished {
        out: &'a Path,
    },
    /// `check --deny-warnings` failed on warnings alone.
    WarningsDenied,
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
    /// `keikaku init` wrote a new site: the folder and the files, relative to it.
    InitCreated {
        dir: &'a Path,
        files: &'a [PathBuf],
    },
    InitNextSteps {
        dir: &'a Path,
    },
    /// `keikaku init` refused a folder that holds files; `entries` are some of their names.
    InitNotEmpty {
        dir: &'a Path,
        entries: &'a [String],
        total: usize,
    },
    InitNotADirectory {
        path: &'a Path,
    },
    InitIo {
        path: &'a Path,
        error: &'a std::io::Error,
    },
    /// `serve --open` could not start a browser: a warning, the server keeps running.
    OpenBrowserFailed {
        url: &'a str,
        reason: &'a str,
    },
    /// The last line of a diagnostics report.
    Summary {
        errors: usize,
        warnings: usize,
    },
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
    /// `keikaku new`: the file is there already (never overwritten).
    ScaffoldExists {
        path: &'a Path,
    },
    /// `keikaku new measure`: an ID that cannot be a file name and URL.
    ScaffoldInvalidId {
        id: &'a str,
    },
    /// `keikaku new page`: a slug that cannot be a URL, or one keikaku uses itself.
    ScaffoldInvalidSlug {
        slug: &'a str,
        reserved: &'a str,
    },
    /// `keikaku new measure --policy N` with no policy N in plan.yaml.
    ScaffoldUnknownPolicy {
        number: u32,
        known: &'a str,
        /// The plan file the policies come from.
        plan: &'a Path,
    },
    /// `keikaku new measure <id>` without `--policy`, and the policy the ID names is not in
    /// the plan.
    ScaffoldPolicyFromId {
        id: &'a str,
        number: u32,
        known: &'a str,
        /// The plan file the policies come from.
        plan: &'a Path,
    },
    /// `keikaku new measure --plan`: no such folder in content/plans/.
    ScaffoldUnknownPlan {
        slug: &'a str,
        known: &'a str,
    },
    /// `keikaku new measure` needs the plan, and plan.yaml has errors.
    ScaffoldPlanUnreadable,
    /// `keikaku new`: the new file could not be written.
    ScaffoldIo {
        path: &'a Path,
        error: &'a std::io::Error,
    },
}

pub(crate) fn text(lang: Lang, msg: Msg) -> String {
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
                "Built {}, {}, {} ({}, {} KB) into {} in {:.2} s",
                count_en(pages, "page", "pages"),
                count_en(charts, "chart", "charts"),
                count_en(data_files, "data file", "data files"),
                count_en(files, "file", "files"),
                bytes / 1024,
                out.display(),
                elapsed.as_secs_f64()
            ),
        ),
        Msg::SiteUnchanged => lang.pick(
            "サイトは更新されていません（前回のサイトのままです）",
            "The site was not updated (the previous site is unchanged)",
        ),
        Msg::NothingPublished { out } => lang.pick(
            format!(
                "サイトは作られませんでした（{} には何も公開されていません）",
                out.display()
            ),
            format!(
                "No site was built (nothing is published in {})",
                out.display()
            ),
        ),
        Msg::WarningsDenied => lang.pick(
            "--deny-warnings のため、警告があるので失敗とします",
            "Failing because of warnings (--deny-warnings)",
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
                "Rebuilt: re-read {}, {} changed ({:.3} s)",
                count_en(files, "file", "files"),
                count_en(pages, "page", "pages"),
                elapsed.as_secs_f64()
            ),
        ),
        Msg::RestRebuilt { pages, elapsed } => lang.pick(
            format!(
                "一覧・データ・検索も更新しました: {pages}ページが変わりました（変更から {:.3} 秒）",
                elapsed.as_secs_f64()
            ),
            format!(
                "Lists, data and search updated too: {} changed ({:.3} s after the change)",
                count_en(pages, "page", "pages"),
                elapsed.as_secs_f64()
            ),
        ),
        Msg::RebuildFailed { errors } => lang.pick(
            format!("エラーが{errors}件あります。直すまで前回のサイトを表示します"),
            format!(
                "{}; the last good site stays served until they are fixed",
                count_en(errors, "error", "errors")
            ),
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
            format!(
                "Updated {} in {}",
                count_en(cells, "cell", "cells"),
                count_en(files, "file", "files")
            ),
        ),
        Msg::ImportNoChange => lang.pick(
            "表の値はすべてファイルと同じでした。変更はありません",
            "Every value already matched the files; nothing changed",
        ),
        Msg::InitCreated { dir, files } => {
            let list: String = files
                .iter()
                .map(|f| format!("\n  {}", f.display()))
                .collect();
            lang.pick(
                format!("{} に新しいサイトを作りました:{list}", dir.display()),
                format!("Created a new site in {}:{list}", dir.display()),
            )
        }
        Msg::InitNextSteps { dir } => lang.pick(
            format!(
                "次に、各ファイルの「〜を書いてください」を書き換えてください。\n\
                 表示を確かめるには: keikaku serve --root {dir}（保存すると自動で更新します）\n\
                 施策を増やすには: keikaku new measure 01-02 --root {dir}",
                dir = dir.display()
            ),
            format!(
                "Next, replace the 「〜を書いてください」 placeholders in each file.\n\
                 Preview: keikaku serve --root {dir} (updates on every save)\n\
                 Add a measure: keikaku new measure 01-02 --root {dir}",
                dir = dir.display()
            ),
        ),
        Msg::InitNotEmpty {
            dir,
            entries,
            total,
        } => {
            let names = entries.join("、");
            let more = total.saturating_sub(entries.len());
            lang.pick(
                format!(
                    "{} は空のフォルダではありません（{names}{}）。既にあるファイルと混ざらないよう、\
                     keikaku init は空のフォルダか新しいフォルダにだけサイトを作ります。何も書き込んでいません",
                    dir.display(),
                    if more > 0 { format!(" ほか{more}件") } else { String::new() }
                ),
                format!(
                    "{} is not empty ({}{}). keikaku init only creates a site in an empty or new \
                     folder, so that it never mixes with existing files. Nothing was written",
                    dir.display(),
                    entries.join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() }
                ),
            )
        }
        Msg::InitNotADirectory { path } => lang.pick(
            format!(
                "{} はファイルです。サイトを作るフォルダを指定してください。何も書き込んでいません",
                path.display()
            ),
            format!(
                "{} is a file; name a folder for the new site. Nothing was written",
                path.display()
            ),
        ),
        Msg::InitIo { path, error } => lang.pick(
            format!("{} を作れません: {}", path.display(), io_error_ja(error)),
            format!("cannot create {}: {error}", path.display()),
        ),
        Msg::OpenBrowserFailed { url, reason } => lang.pick(
            format!("警告: ブラウザを開けませんでした（{reason}）。{url} を手で開いてください"),
            format!("warning: could not open a browser ({reason}); open {url} yourself"),
        ),
        Msg::Summary { errors, warnings } => lang.pick(
            format!(
                "エラー {errors}件、警告 {warnings}件（{}, {}）",
                count_en(errors, "error", "errors"),
                count_en(warnings, "warning", "warnings")
            ),
            format!(
                "{}, {}",
                count_en(errors, "error", "errors"),
                count_en(warnings, "warning", "warnings")
            ),
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
        Msg::ScaffoldExists { path } => lang.pick(
            format!(
                "{} は既にあります。上書きはしません（already exists; not overwritten）",
                path.display()
            ),
            format!("{} already exists; not overwritten", path.display()),
        ),
        Msg::ScaffoldInvalidId { id } => lang.pick(
            format!("施策ID「{id}」は使えません。半角英数字とハイフン（例: 01-07）にしてください（invalid measure ID）"),
            format!("measure ID \"{id}\" cannot be used: use ASCII letters, digits and hyphens (e.g. 01-07)"),
        ),
        Msg::ScaffoldInvalidSlug { slug, reserved } => lang.pick(
            format!("ページ名「{slug}」は使えません。半角小文字英数字とハイフンにし、{reserved} 以外にしてください（invalid page slug）"),
            format!("page name \"{slug}\" cannot be used: use lower-case ASCII letters, digits and hyphens, other than {reserved}"),
        ),
        Msg::ScaffoldUnknownPolicy {
            number,
            known,
            plan,
        } => {
            let plan = plan.display();
            lang.pick(
                format!("基本方針 {number} は {plan} にありません。使える番号: {known}（unknown policy）"),
                format!("policy {number} is not in {plan}; known: {known}"),
            )
        }
        Msg::ScaffoldPolicyFromId {
            id,
            number,
            known,
            plan,
        } => {
            let plan = plan.display();
            lang.pick(
                format!("施策ID「{id}」は基本方針 {number} の施策ですが、{plan} に基本方針 {number} がありません（使える番号: {known}）。施策は作っていません。{plan} に基本方針 {number} を書き足すか、--policy で番号を指定してください（unknown policy）"),
                format!("measure ID {id} names policy {number}, which is not in {plan} (known: {known}); nothing was written. Add policy {number} to {plan} or give --policy"),
            )
        }
        Msg::ScaffoldUnknownPlan { slug, known } => lang.pick(
            format!("計画「{slug}」がありません: content/plans/{slug}/plan.yaml を作るか、ある計画を指定してください（ある計画: {known}）。施策は作っていません（unknown plan）"),
            format!("there is no plan {slug}: create content/plans/{slug}/plan.yaml or name one that exists (known: {known}); nothing was written"),
        ),
        Msg::ScaffoldPlanUnreadable => lang.pick(
            "content/plan.yaml を読めないため施策を作れません。先に plan.yaml を直してください（plan.yaml has errors）",
            "content/plan.yaml cannot be read, so no measure can be made; fix plan.yaml first",
        ),
        Msg::ScaffoldIo { path, error } => lang.pick(
            format!(
                "{} に書き込めません: {}（cannot write）",
                path.display(),
                io_error_ja(error)
            ),
            format!("cannot write {}: {error}", path.display()),
        ),
    }
}

/// What a diagnostic code means, in a few words of `lang` (from the table in
/// [`crate::diagnostics`]). English output puts it before the Japanese message.
pub fn code_gist(lang: Lang, code: Code) -> &'static str {
    match lang {
        Lang::Ja => code.gist_ja(),
        Lang::En => code.gist_en(),
    }
}

/// What goes before a diagnostic's Japanese message in `lang`: in English, the gist of its
/// code and a dash; in Japanese, nothing.
pub fn gist_prefix(lang: Lang, code: Code) -> String {
    match lang {
        Lang::Ja => String::new(),
        Lang::En => format!("{} — ", code_gist(lang, code)),
    }
}

/// `1 error`, `2 errors`, `0 errors`.
pub fn count_en(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A diagnostics report as the person at the terminal reads it: localized, rendered, and
/// ending with the summary line in `lang` (the renderer's own summary line is bilingual and
/// counts in plain plurals, `1 errors`). JSON is left as it is: it has no summary.
pub fn report(diags: &Diagnostics, format: Format, lang: Lang, color: bool) -> String {
    let text = render(&localize(diags, lang), format, color);
    let summary = diagnostics::summary(diags);
    match text.strip_suffix(&summary) {
        Some(body) if format != Format::Json => {
            let line = text_summary(lang, diags);
            format!("{body}{line}\n")
        }
        _ => text,
    }
}

/// The one-line count of errors and warnings in `lang`, which `--format json` prints to
/// stderr beside the JSON on stdout.
pub(crate) fn text_summary(lang: Lang, diags: &Diagnostics) -> String {
    text(
        lang,
        Msg::Summary {
            errors: diags.error_count(),
            warnings: diags.warning_count(),
        },
    )
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
pub fn output_unusable(out: &Path) -> String {
    format!(
        "出力先「{}」には書き出せません。UTF-8 の名前のフォルダを指定してください（unusable output path）",
        out.display()
    )
}

/// `output::WriteError::OverlapsSources`: `relation` says how the output meets the source
/// (「そのもの」「の中」…).
pub fn output_overlaps_sources(
    output: &Path,
    resolved: &Path,
    protected: &Path,
    relation: &str,
) -> String {
    format!(
        "出力先「{}」{}は、サイトの元のファイル「{}」{}です。書き込むと元のファイルが消えるため、何も書き込みません。content/・themes/・config.yaml の外の出力先を指定してください（output overlaps the site's sources）",
        output.display(),
        shown_if_different(output, resolved),
        protected.display(),
        relation
    )
}

/// `output::WriteError::NotAFolder`.
pub fn output_not_folder(output: &Path, root: &Path) -> String {
    format!(
        "出力先「{}」はフォルダではなくファイルです。サイト「{}」を書き出すとこのファイルが消えるため、何も書き込みません。別の出力先を指定してください（output is a file, not a folder）",
        output.display(),
        root.display()
    )
}

/// `output::WriteError::NotGenerated`: `example` is the first entry of the folder by name.
pub fn output_not_generated(output: &Path, root: &Path, example: &str, count: usize) -> String {
    let listing = if count == 1 {
        format!("「{example}」があります")
    } else {
        format!("「{example}」など{count}項目があります")
    };
    format!(
        "出力先「{}」は keikaku が生成したフォルダではありません（{listing}）。サイト「{}」で置き換えると中身が消えるため、何も書き込みません。このフォルダを置き換えてよいときだけ --force を付けてください（前の版の keikaku が作ったサイトも一度は --force が必要です）（folder not written by keikaku; --force replaces it）",
        output.display(),
        root.display()
    )
}

/// `（実際の場所: …）` when links or `..` made the output path mean another place.
fn shown_if_different(given: &Path, resolved: &Path) -> String {
    if given == resolved {
        String::new()
    } else {
        format!("（実際の場所: {}）", resolved.display())
    }
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
        "「{}」に書き込めません: {}（cannot write）",
        path.display(),
        io_error_ja(error)
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

/// An operating-system error in Japanese, with the system's own (English) text kept after it
/// as the detail: `ファイルまたはフォルダがありません（No such file or directory (os error 2)）`.
/// Every message that shows an [`std::io::Error`] goes through here (or [`io_error`]), so
/// that staff never meet a bare `entity not found` inside a Japanese sentence.
pub fn io_error_ja(error: &std::io::Error) -> String {
    match io_error_japanese(error.kind()) {
        Some(ja) => format!("{ja}（{error}）"),
        None => error.to_string(),
    }
}

/// [`io_error_ja`] in `lang`; English keeps the system's text as it is.
pub fn io_error(lang: Lang, error: &std::io::Error) -> String {
    match lang {
        Lang::Ja => io_error_ja(error),
        Lang::En => error.to_string(),
    }
}

/// What each common kind of OS error means, in the words of someone at a Windows desk.
fn io_error_japanese(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind as K;
    Some(match kind {
        K::NotFound => "ファイルまたはフォルダがありません",
        K::PermissionDenied => {
            "アクセスが許可されていません（読み取り専用か、権限がないか、ほかのプログラムが開いています）"
        }
        K::AlreadyExists => "同じ名前のファイルまたはフォルダが既にあります",
        K::IsADirectory => "ファイルではなくフォルダです",
        K::NotADirectory => "フォルダではなくファイルです",
        K::DirectoryNotEmpty => "フォルダが空ではありません",
        K::ReadOnlyFilesystem => "書き込めない場所（読み取り専用のドライブ）です",
        K::StorageFull | K::QuotaExceeded => "ディスクの空きが足りません",
        K::FileTooLarge => "ファイルが大きすぎます",
        K::ResourceBusy | K::ExecutableFileBusy => "ほかのプログラムが使用中です",
        K::InvalidFilename => "ファイル名が長すぎるか、使えない文字を含んでいます",
        K::InvalidData => "ファイルの内容を読めません（文字コードが UTF-8 でないなど）",
        K::UnexpectedEof => "ファイルが途中で終わっています",
        K::CrossesDevices => "別のドライブへは移動できません",
        K::TooManyLinks => "リンクが多すぎます",
        K::TimedOut => "時間内に応答がありませんでした",
        K::Interrupted => "処理が中断されました",
        K::AddrInUse => "このポート番号は既にほかのプログラムが使っています",
        K::AddrNotAvailable => "このアドレスはこのパソコンでは使えません",
        K::ConnectionRefused => "接続を拒否されました",
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => "接続が切れました",
        K::OutOfMemory => "メモリが足りません",
        K::Unsupported => "この操作はこの環境では使えません",
        _ => return None,
    })
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
    fn english_counts_are_singular_for_one() {
        assert_eq!(count_en(1, "error", "errors"), "1 error");
        assert_eq!(count_en(0, "error", "errors"), "0 errors");
        assert_eq!(count_en(2, "error", "errors"), "2 errors");
        let summary = text(
            Lang::En,
            Msg::Summary {
                errors: 1,
                warnings: 2,
            },
        );
        assert_eq!(summary, "1 error, 2 warnings");
        let failed = text(Lang::En, Msg::RebuildFailed { errors: 1 });
        assert!(failed.starts_with("1 error;"), "{failed}");
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

    #[test]
    fn os_errors_read_in_japanese_and_keep_the_systems_words() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        let ja = super::io_error_ja(&e);
        assert!(
            ja.starts_with("ファイルまたはフォルダがありません（"),
            "{ja}"
        );
        assert!(ja.ends_with(&format!("（{e}）")), "{ja}");
        let denied = std::io::Error::from_raw_os_error(13);
        assert!(super::io_error_ja(&denied).starts_with("アクセスが許可されていません"));
        assert_eq!(
            super::io_error(super::Lang::En, &denied),
            denied.to_string()
        );
        // Kinds without a translation keep the system's text alone.
        let other = std::io::Error::other("odd");
        assert_eq!(super::io_error_ja(&other), "odd");
    }
}
