//! The `keikaku` command: parses the command line and hands over to the library
//! (`keikaku::cli::commands`). Exit codes: 0 success, 1 content errors, 2 usage or I/O problems.

use std::ffi::OsString;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use keikaku::build::Drafts;
use keikaku::cli::commands::{self, BuildOptions, Common, NewWhat};
use keikaku::cli::serve::ServeOptions;
use keikaku::cli::usage::{self, EnglishHelp};
use keikaku::diagnostics::Format;
use keikaku::i18n::Lang;
use keikaku::validate::Overrides;

/// `--now`: a date, checked as the command line is read (the error is clap's usage error).
fn parse_now(text: &str) -> Result<String, String> {
    Drafts::new(false, Some(text)).map(|_| text.to_string())
}

/// mimalloc instead of the system allocator: a build makes and frees millions of small strings
/// (template contexts, table cells, page bodies) from both cores, and glibc's malloc spent a
/// fifth of the build in allocation and kept freed memory in per-thread arenas. Measured in
/// docs/performance.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// The descriptions below are the Japanese help; `--lang en` shows ENGLISH_HELP instead.
/// 自治体の計画（施策・成果目標）を、誰でも読めるウェブサイトにします。
#[derive(Parser)]
#[command(name = "keikaku", version, disable_help_subcommand = true)]
struct Cli {
    /// 表示言語（省略時: LANG が en で始まれば en、それ以外は ja）
    #[arg(long, global = true, value_parser = ["ja", "en"])]
    lang: Option<String>,
    /// 進行状況と完了メッセージを表示しません（エラーは表示します）
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 新しいサイト（設定・計画・見本の施策・用語・ページ）を作ります
    Init {
        /// サイトを作るフォルダ（空のフォルダか、まだないフォルダ）
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// サイトを生成します
    Build {
        /// サイトのフォルダ（config.yaml と content/ があるところ）
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// 出力先フォルダ（省略時: <root>/public）
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// 公開URL（config.yaml の base_url を上書き）
        #[arg(long)]
        base_url: Option<String>,
        /// エラーの表示形式
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
        /// リンクに index.html を付けます（ファイルを直接開いて確認するとき）
        #[arg(long)]
        file_links: bool,
        /// keikaku が生成したのではない出力先フォルダも置き換えます（中身は消えます）
        #[arg(long)]
        force: bool,
        /// 下書き（draft: true）と公開予約（publish_date が先の日付）のページも生成します
        #[arg(long)]
        drafts: bool,
        /// 公開予約と比べる日付（YYYY-MM-DD。省略時: SOURCE_DATE_EPOCH、なければ今日）
        #[arg(long, value_parser = parse_now)]
        now: Option<String>,
    },
    /// 内容を検査します。何も書き込みません
    Check {
        /// サイトのフォルダ（config.yaml と content/ があるところ）
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// エラーの表示形式
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
        /// 警告があっても失敗（終了コード 1）とします（CI 向け）
        #[arg(long)]
        deny_warnings: bool,
    },
    /// プレビュー用サーバーを起動し、変更を自動で反映します
    Serve {
        /// サイトのフォルダ（config.yaml と content/ があるところ）
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// ポート番号（0 は空いている番号）
        #[arg(long, short, default_value_t = 8000)]
        port: u16,
        /// 待ち受けるアドレス（既定はこのパソコンの中だけ）
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// 公開URL（config.yaml の base_url を上書き。フィードやサイトマップの URL に使います）
        #[arg(long)]
        base_url: Option<String>,
        /// 起動したらブラウザで開きます
        #[arg(long)]
        open: bool,
        /// 下書きと公開予約のページを表示しません（公開するサイトと同じにします）
        #[arg(long)]
        no_drafts: bool,
        /// 公開予約と比べる日付（YYYY-MM-DD。省略時: SOURCE_DATE_EPOCH、なければ今日）
        #[arg(long, value_parser = parse_now)]
        now: Option<String>,
    },
    /// 新しい施策・ページのファイルを作ります
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// 表計算ファイル（.xlsx / .csv）から成果目標の目標・実績を取り込みます
    Import {
        /// 取り込むファイル（.xlsx .xlsm .xls .ods .csv）
        file: PathBuf,
        /// サイトのフォルダ（config.yaml と content/ があるところ）
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// 書き込まずに変更内容（差分）だけを表示します
        #[arg(long)]
        dry_run: bool,
        /// エラーの表示形式
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// シェルの入力補完のスクリプトを出力します（bash・zsh・fish など）
    Completions {
        /// シェルの種類
        shell: clap_complete::Shell,
    },
    /// コマンドの説明を表示します（例: keikaku help build）
    Help {
        /// 説明を見るコマンド
        command: Vec<String>,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// 施策ファイル content/measures/<ID>.yaml を作ります
    Measure {
        /// 施策ID（例: 01-07）
        id: String,
        /// 基本方針の番号（省略時は施策IDの先頭の数字）
        #[arg(long)]
        policy: Option<u32>,
        /// 計画のID（content/plans/<ID>/ の計画に作るとき。省略時は content/ の計画）
        #[arg(long)]
        plan: Option<String>,
        /// サイトのフォルダ（config.yaml と content/ があるところ）
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
    /// ページ content/pages/<slug>.md を作ります
    Page {
        /// ページ名（URLになります。例: about）
        slug: String,
        /// サイトのフォルダ（config.yaml と content/ があるところ）
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
    },
}

/// The English descriptions for `--lang en`, keyed by subcommand path and argument id. A
/// test (tests/cli.rs) checks that English help has no Japanese left, so an argument added
/// above without a line here is noticed.
const ENGLISH_HELP: &EnglishHelp = &[
    (
        "",
        "",
        "Builds an accessible website from a city's plan (policies, measures, KPIs)",
    ),
    (
        "",
        "lang",
        "Language of messages (default: en when LANG starts with en, else ja)",
    ),
    (
        "",
        "quiet",
        "Hide progress and summaries (errors are always shown)",
    ),
    (
        "init",
        "",
        "Create a new site (settings, plan, a sample measure, glossary, a page)",
    ),
    (
        "init",
        "dir",
        "Folder for the new site (empty or not yet existing)",
    ),
    ("build", "", "Build the site"),
    (
        "build",
        "root",
        "Site folder (where config.yaml and content/ are)",
    ),
    ("build", "output", "Output folder (default: <root>/public)"),
    (
        "build",
        "base_url",
        "Public URL (overrides base_url in config.yaml)",
    ),
    ("build", "format", "How errors are shown"),
    (
        "build",
        "file_links",
        "Links name index.html (for a copy opened from the file system)",
    ),
    (
        "build",
        "force",
        "Replace an output folder that keikaku did not write (its contents are lost)",
    ),
    ("check", "", "Validate the content without writing anything"),
    (
        "check",
        "root",
        "Site folder (where config.yaml and content/ are)",
    ),
    ("check", "format", "How errors are shown"),
    (
        "check",
        "deny_warnings",
        "Fail (exit code 1) on warnings too (for CI)",
    ),
    ("serve", "", "Preview server that rebuilds on every change"),
    (
        "serve",
        "root",
        "Site folder (where config.yaml and content/ are)",
    ),
    ("serve", "port", "Port (0: any free port)"),
    (
        "serve",
        "bind",
        "Address to listen on (default: this computer only)",
    ),
    (
        "serve",
        "base_url",
        "Public URL (overrides base_url in config.yaml; used in feeds and sitemaps)",
    ),
    ("serve", "open", "Open the preview in the default browser"),
    (
        "serve",
        "no_drafts",
        "Leave out drafts and pages scheduled for later, as the published site does",
    ),
    (
        "serve",
        "now",
        "The date publish_date is compared with (YYYY-MM-DD; default: SOURCE_DATE_EPOCH, else today)",
    ),
    (
        "build",
        "drafts",
        "Also build drafts (draft: true) and pages scheduled for later (publish_date ahead)",
    ),
    (
        "build",
        "now",
        "The date publish_date is compared with (YYYY-MM-DD; default: SOURCE_DATE_EPOCH, else today)",
    ),
    ("new", "", "Create a new measure or page file"),
    ("new measure", "", "Create content/measures/<ID>.yaml"),
    ("new measure", "id", "Measure ID (e.g. 01-07)"),
    (
        "new measure",
        "policy",
        "Policy number (default: the number before the first - of the ID)",
    ),
    (
        "new measure",
        "plan",
        "Plan ID, for a measure of the plan in content/plans/<ID>/ (default: the plan in content/)",
    ),
    (
        "new measure",
        "root",
        "Site folder (where config.yaml and content/ are)",
    ),
    ("new page", "", "Create content/pages/<slug>.md"),
    (
        "new page",
        "slug",
        "Page name, used in the URL (e.g. about)",
    ),
    (
        "new page",
        "root",
        "Site folder (where config.yaml and content/ are)",
    ),
    (
        "import",
        "",
        "Import KPI targets and actuals from a spreadsheet (.xlsx / .csv)",
    ),
    (
        "import",
        "file",
        "Spreadsheet to import (.xlsx .xlsm .xls .ods .csv)",
    ),
    (
        "import",
        "root",
        "Site folder (where config.yaml and content/ are)",
    ),
    (
        "import",
        "dry_run",
        "Show the changes (a diff) without writing",
    ),
    ("import", "format", "How errors are shown"),
    (
        "completions",
        "",
        "Print a shell completion script (bash, zsh, fish, ...)",
    ),
    ("completions", "shell", "Shell"),
    (
        "help",
        "",
        "Show the help of a command (e.g. keikaku help build)",
    ),
    ("help", "command", "Command to explain"),
];

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Human,
    Plain,
    Json,
}

impl From<ReportFormat> for Format {
    fn from(f: ReportFormat) -> Format {
        match f {
            ReportFormat::Human => Format::Human,
            ReportFormat::Plain => Format::Plain,
            ReportFormat::Json => Format::Json,
        }
    }
}

/// The command line's definition with help in `lang`.
fn command_in(lang: Lang) -> clap::Command {
    match lang {
        Lang::Ja => usage::japanese(Cli::command()),
        Lang::En => usage::english(Cli::command(), ENGLISH_HELP),
    }
}

/// Parses `args`; help, version and usage errors are printed in `lang` and end the process
/// (exit 0 for help and version, 2 for a usage error, as clap does).
fn parse(args: &[OsString], lang: Lang) -> Cli {
    let fail = |e: clap::Error| -> ! {
        match lang {
            Lang::Ja => e.apply::<usage::Japanese>().exit(),
            Lang::En => e.exit(),
        }
    };
    let matches = command_in(lang)
        .try_get_matches_from(args)
        .unwrap_or_else(|e| fail(e));
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| fail(e))
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = Lang::detect(usage::lang_flag(&args).as_deref());
    let cli = parse(&args, lang);
    let common = Common {
        lang,
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Init { dir } => commands::init(&dir, common),
        Command::Build {
            root,
            output,
            base_url,
            format,
            file_links,
            force,
            drafts,
            now,
        } => commands::build(
            BuildOptions {
                output: output.unwrap_or_else(|| root.join("public")),
                root,
                overrides: Overrides {
                    base_url,
                    file_links,
                },
                force,
                drafts: Drafts::new(drafts, now.as_deref()).unwrap_or_default(),
            },
            format.into(),
            common,
        ),
        Command::Check {
            root,
            format,
            deny_warnings,
        } => commands::check(&root, format.into(), deny_warnings, common),
        Command::Serve {
            root,
            port,
            bind,
            base_url,
            open,
            no_drafts,
            now,
        } => commands::serve(ServeOptions {
            root,
            bind,
            port,
            lang: common.lang,
            quiet: common.quiet,
            base_url,
            open,
            drafts: Drafts::new(!no_drafts, now.as_deref()).unwrap_or_else(|_| Drafts::shown()),
        }),
        Command::New { what } => match what {
            NewCommand::Measure {
                id,
                policy,
                plan,
                root,
            } => commands::new(&root, NewWhat::Measure { id, policy, plan }, common),
            NewCommand::Page { slug, root } => commands::new(&root, NewWhat::Page { slug }, common),
        },
        Command::Import {
            file,
            root,
            dry_run,
            format,
        } => commands::import(&root, &file, dry_run, format.into(), common),
        Command::Completions { shell } => {
            // The descriptions in the script (zsh and fish show them) are in the user's language.
            let mut cmd = command_in(lang);
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "keikaku", &mut script);
            // Written in one piece so that a closed pipe (`| head`) ends quietly.
            match std::io::Write::write_all(&mut std::io::stdout().lock(), &script) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(commands::EXIT_USAGE_IO),
            }
        }
        Command::Help { command } => {
            // `keikaku help new measure` is `keikaku new measure --help`; an unknown name gets
            // the usual usage error.
            let mut args: Vec<OsString> = vec!["keikaku".into()];
            args.extend(command.into_iter().map(OsString::from));
            args.push("--help".into());
            parse(&args, lang);
            ExitCode::SUCCESS
        }
    }
}
