//! The command line's own words in Chinese. clap has no locale: its help headings, usage line,
//! help and version flags and error messages are English. Here the command built from the
//! derive is given Chinese headings (命令、参数、选项), our own `-h/--help` (显示帮助) and
//! `-V/--version` (显示版本), the possible and default values written into each option's help,
//! and clap's errors are rewritten in Chinese from their kind and context — keeping the
//! invalid value, the "did you mean" suggestion (是不是 …？) and the usage line (用法：…).

use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use super::{EXIT_OK, EXIT_USAGE};

/// The help page: about, usage, then the headed lists of commands, arguments and options.
const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Headings of the help page (clap writes them with an ASCII colon; see [`help_text`]).
const HEADINGS: [&str; 3] = ["命令", "参数", "选项"];

/// `command` with Chinese headings, help and version flags and value lists, and the same for
/// each of its subcommands.
pub fn localize(command: Command) -> Command {
    localize_command(command, true)
}

fn localize_command(command: Command, root: bool) -> Command {
    let name = command.get_name().to_string();
    // Arguments keep the order they are declared in: with headings of their own, clap would
    // otherwise sort them by name (<新版> before <旧版>).
    let mut order = 0;
    let mut command = command
        .help_template(HELP_TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .mut_args(|arg| {
            order += 1;
            localize_arg(arg, &name).display_order(order)
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if root {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, |sub| localize_command(sub, false));
    }
    command
}

/// An argument under 参数 or 选项, its possible and default values in its help, in Chinese.
fn localize_arg(arg: Arg, command: &str) -> Arg {
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let takes_values = arg.get_action().takes_values();
    if takes_values {
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| match v.get_help() {
                Some(words) => format!("  {}：{words}", v.get_name()),
                None => format!("  {}", v.get_name()),
            })
            .collect();
        if !values.is_empty() {
            let _ = write!(help, "\n可以用：\n{}", values.join("\n"));
        }
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            let _ = write!(help, "\n默认：{}", defaults.join("、"));
        }
    }
    let mut arg = arg.help_heading(heading).help(help);
    // <VILLAGE>, <FORMAT> … in the usage line and the help: a Chinese name for the value,
    // unless the argument already names its value (--roster <名册=文件>).
    if takes_values
        && arg
            .get_value_names()
            .is_none_or(|names| names.iter().all(|n| n.is_ascii()))
        && let Some(name) = value_name(command, arg.get_id().as_str())
    {
        arg = arg.value_name(name);
    }
    if takes_values {
        arg.hide_possible_values(true).hide_default_value(true)
    } else {
        arg
    }
}

/// The Chinese name of an argument's value, by the argument's id.
fn value_name(command: &str, id: &str) -> Option<&'static str> {
    Some(match id {
        "events" if command == "synth" => "条数",
        "village" | "data" => "村文件夹",
        "compact" => "乡约",
        "files" => "乡约文件",
        "old" => "旧版",
        "new" => "新版",
        "register" => "户籍文件",
        "events" => "事项文件",
        "encoding" => "编码",
        "sheet" => "工作表",
        "period" => "年度",
        "pool" => "金额",
        "format" | "error_format" => "格式",
        "output" | "reject_file" => "文件",
        "out" => "文件夹",
        "household" => "户号",
        "person" => "编号",
        "households" => "户数",
        "seed" => "种子",
        "years" => "年数",
        "last_year" => "年",
        _ => return None,
    })
}

/// What to print for a clap "error" and where, and the exit code: help and version on stdout
/// with 0, usage errors on stderr with 2.
pub struct Printed {
    /// The text.
    pub text: String,
    /// Whether it goes to stderr.
    pub to_stderr: bool,
    /// The exit code.
    pub code: u8,
}

/// clap's error (or help, or version) in Chinese.
pub fn explain(error: &clap::Error) -> Printed {
    match error.kind() {
        ErrorKind::DisplayHelp => Printed {
            text: help_text(&error.render().to_string()),
            to_stderr: false,
            code: EXIT_OK,
        },
        ErrorKind::DisplayVersion => Printed {
            text: error.render().to_string(),
            to_stderr: false,
            code: EXIT_OK,
        },
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Printed {
            text: help_text(&error.render().to_string()),
            to_stderr: true,
            code: EXIT_USAGE,
        },
        _ => Printed {
            text: error_text(error),
            to_stderr: true,
            code: EXIT_USAGE,
        },
    }
}

/// clap's placeholder for "some options" in a usage line, in Chinese.
fn usage_words(usage: &str) -> String {
    usage.replace("[OPTIONS]", "[选项]")
}

/// The help page with full-width colons after its headings.
fn help_text(rendered: &str) -> String {
    let rendered = usage_words(rendered);
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.split_inclusive('\n') {
        let bare = line.trim_end();
        match bare.strip_suffix(':') {
            Some(heading) if HEADINGS.contains(&heading) => {
                out.push_str(heading);
                out.push('：');
                out.push_str(line.get(bare.len()..).unwrap_or_default());
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn string(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(list)) => Some(list.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(error: &clap::Error, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::Strings(list)) => list.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The reason a value could not be read, in Chinese (our own value parsers already speak it;
/// the standard library's number errors do not).
fn source_words(error: &clap::Error) -> Option<String> {
    let source = std::error::Error::source(error)?;
    if let Some(number) = source.downcast_ref::<std::num::ParseIntError>() {
        use std::num::IntErrorKind;
        return Some(
            match number.kind() {
                IntErrorKind::Empty => "不能空着",
                IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "数太大了",
                _ => "要写成阿拉伯数字的整数，例如 2024",
            }
            .to_string(),
        );
    }
    let words = source.to_string();
    // An English reason from some other parser is left out rather than shown half-translated.
    (!words.is_ascii()).then_some(words)
}

/// A usage error: 错误：… , the suggestion, 用法：… and where to read more.
fn error_text(error: &clap::Error) -> String {
    let arg = string(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(error, ContextKind::InvalidValue).unwrap_or_default();
    let mut text = String::from("错误：");
    match error.kind() {
        ErrorKind::UnknownArgument => {
            if arg.starts_with('-') {
                let _ = write!(text, "没有选项「{arg}」");
            } else {
                let _ = write!(text, "多出了参数「{arg}」");
            }
        }
        ErrorKind::InvalidSubcommand => {
            let command = string(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            let _ = write!(text, "没有「{command}」这个命令");
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            let _ = write!(text, "{arg} 后面要写一个值");
        }
        ErrorKind::InvalidValue => {
            let _ = write!(text, "「{value}」不是 {arg} 能用的值");
            let valid = strings(error, ContextKind::ValidValue);
            if !valid.is_empty() {
                let _ = write!(text, "；可以用：{}", valid.join("、"));
            }
        }
        ErrorKind::ValueValidation => {
            let _ = write!(text, "「{value}」不是 {arg} 能用的值");
            if let Some(words) = source_words(error) {
                let _ = write!(text, "：{words}");
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let _ = write!(
                text,
                "缺少参数：{}",
                strings(error, ContextKind::InvalidArg).join("、")
            );
        }
        ErrorKind::MissingSubcommand => {
            text.push_str("缺少命令");
            let valid = strings(error, ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                let _ = write!(text, "；可以用：{}", valid.join("、"));
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = string(error, ContextKind::PriorArg);
            match prior {
                Some(prior) if prior == arg => {
                    let _ = write!(text, "{arg} 只能写一次");
                }
                Some(prior) => {
                    let _ = write!(text, "{arg} 不能和 {prior} 一起用");
                }
                None => {
                    let _ = write!(text, "{arg} 不能和别的选项一起用");
                }
            }
        }
        ErrorKind::TooManyValues => {
            let _ = write!(text, "{arg} 多出了值「{value}」");
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let _ = write!(text, "{arg} 的值的个数不对");
        }
        ErrorKind::NoEquals => {
            let _ = write!(text, "{arg} 的值要用等号写在后面，例如 {arg}=值");
        }
        ErrorKind::InvalidUtf8 => text.push_str("命令行里有不是 UTF-8 的文字"),
        _ => text.push_str("命令行的写法不对"),
    }
    let suggestion = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|kind| string(error, kind));
    if let Some(suggestion) = suggestion {
        let _ = write!(text, "\n  是不是「{suggestion}」？");
    }
    text.push('\n');
    if let Some(usage) = string(error, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        let _ = write!(text, "\n用法：{}\n", usage_words(usage));
    }
    text.push_str("\n看说明：加上 --help\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_a_full_width_colon_and_other_lines_are_kept() {
        let text = help_text("关于\n\n选项:\n  -h, --help  显示帮助\n命令:\n  eval\nx:\n");
        assert_eq!(
            text,
            "关于\n\n选项：\n  -h, --help  显示帮助\n命令：\n  eval\nx:\n"
        );
    }
}
