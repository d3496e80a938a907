//! The `keikaku` command: parses the command line and hands over to the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use keikaku::build::{self, BuildOptions};
use keikaku::diagnostics::{self, Format};
use keikaku::validate::Overrides;

/// 自治体の計画（施策・成果目標）を、誰でも読めるウェブサイトにします。
/// Builds an accessible static site from a city's plan kept as YAML and Markdown.
#[derive(Parser)]
#[command(name = "keikaku", version)]
struct Cli {
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
        /// 出力形式（errors: human, plain, json）
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// 内容を検査します。何も書き込みません（validate without writing）
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
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

/// Exit codes: 0 success, 1 content errors, 2 usage or I/O problems (clap uses 2 for usage).
fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            format,
        } => {
            let options = BuildOptions {
                output: output.unwrap_or_else(|| root.join("public")),
                root,
                overrides: Overrides { base_url },
            };
            match build::build(&options) {
                Ok(report) => {
                    eprintln!(
                        "{}ページ・{}ファイル（{} KB）を {} に生成しました（{:.2} 秒）",
                        report.pages,
                        report.files,
                        report.bytes / 1024,
                        options.output.display(),
                        report.elapsed.as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    eprint!("{}", diagnostics::render(&diags, format.into(), color));
                    eprintln!("サイトは更新されていません（the previous site is unchanged）");
                    exit_code(&diags)
                }
            }
        }
        Command::Check { root, format } => {
            let diags = build::check(&root, &Overrides::default());
            let text = diagnostics::render(&diags, format.into(), color);
            if matches!(format, ReportFormat::Json) {
                print!("{text}");
            } else {
                eprint!("{text}");
            }
            if diags.has_errors() {
                exit_code(&diags)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

/// 2 when nothing could be read or written at all (I/O), 1 for content errors.
fn exit_code(diags: &diagnostics::Diagnostics) -> ExitCode {
    use keikaku::diagnostics::Code;
    let io_only = diags
        .iter()
        .filter(|d| d.is_error())
        .all(|d| matches!(d.code, Code::Io | Code::Output));
    if io_only {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}
