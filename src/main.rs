//! The `keikaku` command: parses the command line and hands over to the library
//! (`keikaku::cli::commands`). Exit codes: 0 success, 1 content errors, 2 usage or I/O problems.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use keikaku::build::BuildOptions;
use keikaku::cli::commands::{self, Common, NewWhat};
use keikaku::cli::serve::ServeOptions;
use keikaku::diagnostics::Format;
use keikaku::i18n::Lang;
use keikaku::validate::Overrides;

/// mimalloc instead of the system allocator: a build makes and frees millions of small strings
/// (template contexts, table cells, page bodies) from both cores, and glibc's malloc spent a
/// fifth of the build in allocation and kept freed memory in per-thread arenas. Measured in
/// docs/performance.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 自治体の計画（施策・成果目標）を、誰でも読めるウェブサイトにします。
/// Builds an accessible static site from a city's plan kept as YAML and Markdown.
#[derive(Parser)]
#[command(name = "keikaku", version)]
struct Cli {
    /// 表示言語 ja / en（既定: LANG が en で始まれば en、それ以外は ja）
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
    /// サイトを生成します（build the site）
    Build {
        /// サイトのフォルダ（config.yaml と content/ があるところ）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 出力先フォルダ（default: <root>/public）
        #[arg(long)]
        output: Option<PathBuf>,
        /// 公開URL（config.yaml の base_url を上書き）
        #[arg(long)]
        base_url: Option<String>,
        /// エラーの表示形式（human, plain, json）
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
        /// リンクに index.html を付けます（ファイルを直接開いて確認するとき。file:// review copy）
        #[arg(long)]
        file_links: bool,
        /// keikaku が生成したのではない出力先フォルダも置き換えます（中身は消えます。replace a folder keikaku did not write）
        #[arg(long)]
        force: bool,
    },
    /// 内容を検査します。何も書き込みません（validate without writing）
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// エラーの表示形式（human, plain, json）
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// プレビュー用サーバーを起動し、変更を自動で反映します（preview with live reload）
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// ポート番号（0 は空いている番号）
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// 待ち受けるアドレス（既定はこのパソコンの中だけ: 127.0.0.1）
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
    },
    /// 新しい施策・ページのファイルを作ります（scaffold a new file）
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// 表計算ファイル（.xlsx / .csv）から成果目標の目標・実績を取り込みます
    /// (import KPI targets and actuals from a spreadsheet)
    Import {
        /// 取り込むファイル（.xlsx .xlsm .xls .ods .csv）
        file: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 書き込まずに変更内容（差分）だけを表示します
        #[arg(long)]
        dry_run: bool,
        /// エラーの表示形式（human, plain, json）
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
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
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// ページ content/pages/<slug>.md を作ります
    Page {
        /// ページ名（URLになります。例: about）
        slug: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let common = Common {
        lang: Lang::detect(cli.lang.as_deref()),
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            format,
            file_links,
            force,
        } => commands::build(
            BuildOptions {
                output: output.unwrap_or_else(|| root.join("public")),
                root,
                overrides: Overrides {
                    base_url,
                    file_links,
                },
                force,
            },
            format.into(),
            common,
        ),
        Command::Check { root, format } => commands::check(&root, format.into(), common),
        Command::Serve { root, port, bind } => commands::serve(ServeOptions {
            root,
            bind,
            port,
            lang: common.lang,
            quiet: common.quiet,
        }),
        Command::New { what } => match what {
            NewCommand::Measure { id, policy, root } => {
                commands::new(&root, NewWhat::Measure { id, policy }, common)
            }
            NewCommand::Page { slug, root } => commands::new(&root, NewWhat::Page { slug }, common),
        },
        Command::Import {
            file,
            root,
            dry_run,
            format,
        } => commands::import(&root, &file, dry_run, format.into(), common),
    }
}
