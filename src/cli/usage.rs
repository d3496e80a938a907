//! The command line's own words — `--help`, usage lines and usage errors — in the user's
//! language. clap writes them in English; city staff read Japanese, so by default the help is
//! given Japanese headings and the errors a Japanese formatter ([`Japanese`]). `--lang en` (or an
//! English `LANG`) keeps clap's English and replaces the Japanese descriptions of the commands
//! and options with English ones ([`english`]).
//!
//! What cannot be changed through clap's builder is left alone rather than patched in its
//! output: the Japanese help is built from templates and headings, and only the usage line is
//! re-rendered (its `[OPTIONS]` placeholder is clap's own wording).

use std::error::Error as _;
use std::fmt::Write as _;

use clap::builder::{StyledStr, Styles};
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// Help layout with Japanese labels; `{all-args}` carries the headings set by [`japanese`].
const TEMPLATE_JA: &str = "\
{before-help}{about-with-newline}
使い方: {usage}

{all-args}{after-help}";

const HEADING_COMMANDS: &str = "コマンド";
const HEADING_ARGS: &str = "引数";
const HEADING_OPTIONS: &str = "オプション";

/// The command tree with Japanese help: headings, the help and version flags' descriptions,
/// default and allowed values written into the descriptions (clap would add them in English),
/// and usage lines with Japanese placeholders. Call it on the finished command, before parsing.
pub fn japanese(cmd: Command) -> Command {
    let mut cmd = japanese_tree(cmd, true);
    cmd.build();
    japanese_usage(&mut cmd);
    cmd
}

fn japanese_tree(cmd: Command, root: bool) -> Command {
    let mut cmd = cmd
        .help_template(TEMPLATE_JA)
        .subcommand_help_heading(HEADING_COMMANDS)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("この説明を表示します"),
        );
    if root && cmd.get_version().is_some() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("バージョンを表示します"),
        );
    }
    cmd.mut_args(japanese_arg)
        .mut_subcommands(|sub| japanese_tree(sub, false))
}

fn japanese_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        HEADING_ARGS
    } else {
        HEADING_OPTIONS
    };
    let mut notes: Vec<String> = Vec::new();
    if arg.get_action().takes_values() && !arg.is_hide_possible_values_set() {
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if !values.is_empty() {
            notes.push(format!("値: {}", values.join(" / ")));
        }
    }
    if arg.get_action().takes_values() && !arg.is_hide_default_value_set() {
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            notes.push(format!("既定: {}", defaults.join(" ")));
        }
    }
    let arg = arg.help_heading(heading);
    if notes.is_empty() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = format!("{help}［{}］", notes.join("、"));
    arg.help(help)
        .hide_possible_values(true)
        .hide_default_value(true)
}

/// Usage lines of every command, rendered by clap and given Japanese placeholders.
fn japanese_usage(cmd: &mut Command) {
    let rendered = cmd.render_usage().to_string();
    let usage = rendered
        .strip_prefix("Usage: ")
        .unwrap_or(&rendered)
        .replace("[OPTIONS]", "[オプション]")
        .replace("<COMMAND>", "<コマンド>");
    *cmd = std::mem::take(cmd).override_usage(usage);
    for sub in cmd.get_subcommands_mut() {
        japanese_usage(sub);
    }
}

/// English descriptions, `(command path, argument id or "" for the command itself, text)`.
pub type EnglishHelp = [(&'static str, &'static str, &'static str)];

/// The command tree with English descriptions from `table` (the path is the subcommand names
/// separated by spaces, "" for the root). Entries that name nothing are ignored; anything the
/// table does not name keeps its Japanese description, which the tests look for.
pub fn english(cmd: Command, table: &EnglishHelp) -> Command {
    english_at(cmd, "", table)
}

fn english_at(cmd: Command, path: &str, table: &EnglishHelp) -> Command {
    let mut cmd = cmd;
    for (p, id, text) in table {
        if *p != path {
            continue;
        }
        if id.is_empty() {
            cmd = cmd.about(*text).long_about(None);
        } else if cmd.get_arguments().any(|a| a.get_id() == *id) {
            cmd = cmd.mut_arg(*id, |a| a.help(*text).long_help(None));
        }
    }
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let sub_path = if path.is_empty() {
            name
        } else {
            format!("{path} {name}")
        };
        english_at(sub, &sub_path, table)
    })
}

/// clap's usage errors in Japanese. The facts come from the error's context (the argument, the
/// value, the suggestions); clap's English tips are left out rather than shown untranslated.
pub struct Japanese;

impl ErrorFormatter for Japanese {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let styles = Styles::styled();
        let (bad, good, literal) = (
            styles.get_invalid(),
            styles.get_valid(),
            styles.get_literal(),
        );
        let err_style = styles.get_error();
        let mut out = StyledStr::new();
        let _ = write!(out, "{err_style}エラー:{err_style:#} ");
        let string = |kind| match error.get(kind) {
            Some(ContextValue::String(s)) => Some(s.clone()),
            _ => None,
        };
        let strings = |kind| match error.get(kind) {
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        let arg = string(ContextKind::InvalidArg);
        let value = string(ContextKind::InvalidValue);
        let message = match error.kind() {
            ErrorKind::UnknownArgument => {
                arg.map(|a| format!("「{bad}{a}{bad:#}」というオプションはありません"))
            }
            ErrorKind::InvalidSubcommand => string(ContextKind::InvalidSubcommand)
                .map(|s| format!("「{bad}{s}{bad:#}」というコマンドはありません")),
            ErrorKind::InvalidValue => arg.map(|a| match value.as_deref() {
                Some("") | None => format!("{literal}{a}{literal:#} の値を指定してください"),
                Some(v) => {
                    format!("{literal}{a}{literal:#} に「{bad}{v}{bad:#}」は指定できません")
                }
            }),
            ErrorKind::ValueValidation => arg.map(|a| {
                let v = value.clone().unwrap_or_default();
                let why = error
                    .source()
                    .map(|s| format!("（{}）", reason_ja(&s.to_string())))
                    .unwrap_or_default();
                format!("{literal}{a}{literal:#} の値「{bad}{v}{bad:#}」を読めません{why}")
            }),
            ErrorKind::MissingRequiredArgument => {
                let missing = strings(ContextKind::InvalidArg);
                (!missing.is_empty()).then(|| {
                    let list: Vec<String> = missing
                        .iter()
                        .map(|m| format!("{good}{m}{good:#}"))
                        .collect();
                    format!("次の引数を指定してください: {}", list.join(" "))
                })
            }
            ErrorKind::MissingSubcommand => string(ContextKind::InvalidSubcommand)
                .map(|s| format!("「{s}」の後にコマンドを指定してください")),
            ErrorKind::ArgumentConflict => arg.map(|a| {
                let prior = strings(ContextKind::PriorArg);
                if prior.is_empty() || prior == [a.clone()] {
                    format!("{bad}{a}{bad:#} は1回だけ指定できます")
                } else {
                    format!(
                        "{bad}{a}{bad:#} は {} と一緒には使えません",
                        prior.join("・")
                    )
                }
            }),
            ErrorKind::TooManyValues => value.map(|v| match arg.as_deref() {
                Some(a) => format!("「{bad}{v}{bad:#}」は余分です（{a} の値は指定済みです）"),
                None => format!("「{bad}{v}{bad:#}」は余分です"),
            }),
            ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
                arg.map(|a| format!("{literal}{a}{literal:#} の値の数が違います"))
            }
            ErrorKind::NoEquals => {
                arg.map(|a| format!("{literal}{a}{literal:#} の値は「=」で続けて書いてください"))
            }
            ErrorKind::InvalidUtf8 => Some("引数に UTF-8 として読めない文字があります".to_string()),
            _ => None,
        };
        out.push_str(&message.unwrap_or_else(|| fallback_ja(error.kind()).to_string()));
        out.push_str("\n");

        let possible = strings(ContextKind::ValidValue);
        if !possible.is_empty() && error.kind() == ErrorKind::InvalidValue {
            let _ = writeln!(out, "  使える値: {good}{}{good:#}", possible.join(", "));
        }
        let subcommands = strings(ContextKind::ValidSubcommand);
        if !subcommands.is_empty() {
            let _ = writeln!(
                out,
                "  使えるコマンド: {good}{}{good:#}",
                subcommands.join(", ")
            );
        }
        for kind in [
            ContextKind::SuggestedArg,
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedValue,
        ] {
            for s in strings(kind) {
                let _ = writeln!(out, "  ヒント: 「{good}{s}{good:#}」ではありませんか？");
            }
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let usage = usage.to_string();
            let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
            let _ = write!(out, "\n使い方: {usage}\n");
        }
        let _ = write!(
            out,
            "\n詳しくは {literal}--help{literal:#} を付けて実行すると表示されます。\n"
        );
        out
    }
}

/// The standard library's number and address parse errors, which clap passes on as reasons.
fn reason_ja(reason: &str) -> String {
    match reason {
        "invalid digit found in string" => "数字ではありません".into(),
        "number too large to fit in target type" => "大きすぎます".into(),
        "number too small to fit in target type" => "小さすぎます".into(),
        "cannot parse integer from empty string" => "空です".into(),
        "invalid IP address syntax" => "IPアドレスとして読めません（例: 127.0.0.1）".into(),
        other => other.to_string(),
    }
}

fn fallback_ja(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::UnknownArgument => "知らないオプションがあります",
        ErrorKind::InvalidSubcommand => "知らないコマンドです",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "値が正しくありません",
        ErrorKind::MissingRequiredArgument => "必要な引数がありません",
        ErrorKind::MissingSubcommand => "コマンドを指定してください",
        ErrorKind::ArgumentConflict => "一緒には使えないオプションがあります",
        ErrorKind::Io | ErrorKind::Format => "出力できませんでした",
        _ => "コマンドラインを読めません",
    }
}

/// `--lang` as written on the command line, read before clap parses it: the help and the
/// usage errors are in that language, and they are produced while parsing.
pub fn lang_flag<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Option<String> {
    let mut it = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
        if a == "--lang" {
            return it.next();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lang_flag_is_found_in_both_spellings() {
        assert_eq!(
            lang_flag(&["k", "check", "--lang", "en"]),
            Some("en".into())
        );
        assert_eq!(lang_flag(&["k", "--lang=ja", "build"]), Some("ja".into()));
        assert_eq!(lang_flag(&["k", "build"]), None);
        assert_eq!(lang_flag(&["k", "--", "--lang", "en"]), None);
    }

    #[test]
    fn an_unknown_option_is_reported_in_japanese_with_a_suggestion() {
        let cmd = japanese(Command::new("keikaku").subcommand(
            Command::new("check").arg(Arg::new("format").long("format").value_name("FMT")),
        ));
        let err = cmd
            .try_get_matches_from(["keikaku", "check", "--formt", "json"])
            .unwrap_err()
            .apply::<Japanese>();
        let text = err.render().to_string();
        assert!(
            text.contains("「--formt」というオプションはありません"),
            "{text}"
        );
        assert!(text.contains("「--format」ではありませんか？"), "{text}");
        assert!(
            text.contains("使い方: keikaku check [オプション]"),
            "{text}"
        );
        assert!(!text.contains("error:"), "{text}");
    }
}
