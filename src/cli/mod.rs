//! The `xiangyue` command line: one module per subcommand. The only part of the crate that
//! reads files, prints, or decides exit codes.

#![allow(
    clippy::result_large_err,
    reason = "data and book errors name file, line, record and hint; errors are the rare path"
)]

// The commands print through `out` (the terminal, or a page of `xiangyue serve`): these shadow
// std's macros in every module below.
macro_rules! println {
    () => { $crate::cli::out::write(false, format_args!(""), true) };
    ($($arg:tt)*) => { $crate::cli::out::write(false, format_args!($($arg)*), true) };
}
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::out::write(false, format_args!($($arg)*), false) };
}
macro_rules! eprintln {
    () => { $crate::cli::out::write(true, format_args!(""), true) };
    ($($arg:tt)*) => { $crate::cli::out::write(true, format_args!($($arg)*), true) };
}
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::cli::out::write(true, format_args!($($arg)*), false) };
}

pub(crate) mod book;
mod check;
mod county;
mod data_problems;
pub(crate) mod diagnostics;
mod diff;
mod eval;
mod explain;
mod format;
pub(crate) mod inputs;
mod lsp;
pub(crate) mod objection;
pub(crate) mod out;
pub(crate) mod publish;
pub(crate) mod record;
pub(crate) mod redeem;
mod render;
pub(crate) mod review;
mod serve;
mod sources;
mod synth;
mod test;
mod user;
mod zh;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the input has errors (diagnostics printed).
pub const EXIT_ERRORS: u8 = 1;
/// Exit code: usage or IO error.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: `fmt --check` found a file that is not canonical; `diff` found differences.
pub const EXIT_DIFFERENT: u8 = 3;

/// 乡约 — 村规民约与积分制的检查、计分、比较与排版工具
#[derive(Debug, Parser)]
#[command(name = "xiangyue", version, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    /// 带源码片段的图示（终端默认）
    Human,
    /// 每条一行：文件:行:列
    Plain,
    /// JSON，供编辑器和其他程序使用
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 检查乡约草稿：报告错误与警告（有错误时退出码为 1）
    Check {
        /// 乡约文件（.xy），或村的文件夹（用其中唯一的 .xy 文件）
        compact: PathBuf,
        /// 诊断信息的格式
        #[arg(long, value_enum, default_value = "human")]
        error_format: ErrorFormat,
    },
    /// 按规范格式排版乡约文件（不改变含义）
    Fmt {
        /// 乡约文件（.xy），可以多个
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 只检查是否已是规范格式；不是则退出码为 3
        #[arg(long, conflicts_with = "write")]
        check: bool,
        /// 直接改写文件
        #[arg(long)]
        write: bool,
        /// 诊断信息的格式
        #[arg(long, value_enum, default_value = "human")]
        error_format: ErrorFormat,
    },
    /// 计算各户积分、星级、一票否决与分红
    Eval(eval::EvalArgs),
    /// 比较两个版本的乡约：条文的变化，以及（有数据时）对各户的影响；有变化时退出码为 3
    Diff(diff::DiffArgs),
    /// 说明一户（或一人）的每一分：依据哪一条、哪一条记录
    Explain(explain::ExplainArgs),
    /// 运行乡约中的示例（示例「…」），核对应得的结果
    Test {
        /// 乡约文件（.xy），或村的文件夹（用其中唯一的 .xy 文件）
        compact: PathBuf,
        /// 诊断信息的格式
        #[arg(long, value_enum, default_value = "human")]
        error_format: ErrorFormat,
    },
    /// 按乡约生成模拟的户籍、名册和事项记录（试用草稿、测速用）
    Synth(synth::SynthArgs),
    /// 生成供村民阅读、表决的乡约文本（HTML 或 Markdown）
    Render {
        /// 乡约文件（.xy），或村的文件夹（用其中唯一的 .xy 文件）
        compact: PathBuf,
        /// 输出格式
        #[arg(long, value_enum, default_value = "html")]
        format: render::RenderFormat,
        /// 输出文件（默认输出到屏幕）
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 诊断信息的格式
        #[arg(long, value_enum, default_value = "human")]
        error_format: ErrorFormat,
    },
    /// 建立村的积分账本（积分账本.db），存入文件夹里的乡约和户籍
    Init(record::InitArgs),
    /// 登记：把事项记录导入积分账本（或登记一条），记录待审
    Record(record::RecordArgs),
    /// 审核：通过或驳回待审的记录
    Review(review::ReviewArgs),
    /// 列出待审的记录、待处理的异议和正在公示的公示
    Pending(review::PendingArgs),
    /// 更正或撤销一条审核过的记录（登记一条新记录取代它，注明原因）
    Correct(review::CorrectArgs),
    /// 公示：算出截至某日各户的积分，封存并生成公示表
    Publish(publish::PublishArgs),
    /// 对公示中的一条记录提出异议（在公示期内）
    Object(objection::ObjectArgs),
    /// 处理异议：维持，或更正、撤销记录，并列出对各户积分和分红的影响
    Resolve(objection::ResolveArgs),
    /// 核验账本：每个封存是否完好，每次公示能否按记录重算出来
    Verify(publish::VerifyArgs),
    /// 积分超市：用积分兑换物品（按乡约核对余额，不够时拒绝）
    Redeem(redeem::RedeemArgs),
    /// 存入表决通过的新版乡约，从它的生效日期起计算
    Adopt(redeem::AdoptArgs),
    /// 工作台与登记员的网页：在本机开一个网站（默认 http://127.0.0.1:8080/）
    Serve(serve::ServeArgs),
    /// 账号：登录 serve 网页的登记员、审核人、管理员（存在积分账本里）
    #[command(subcommand)]
    User(user::UserCommand),
    /// 语言服务器：供编辑器（VS Code 等）使用，经标准输入输出通信（LSP）
    Lsp,
    /// 显示某个命令的帮助
    Help {
        /// 命令，例如 eval
        command: Option<String>,
    },
}

/// Runs the command line and returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = match parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code),
    };
    let code = match cli.command {
        Command::Help { command } => {
            let mut args = vec!["xiangyue".to_string()];
            args.extend(command);
            args.push("--help".to_string());
            match parse(args) {
                Ok(_) => EXIT_OK,
                Err(code) => code,
            }
        }
        Command::Check {
            compact,
            error_format,
        } => match inputs::find_compact(&compact) {
            Ok((path, _)) => check::run(&path, error_format),
            Err(code) => code,
        },
        Command::Fmt {
            files,
            check,
            write,
            error_format,
        } => format::run(&files, check, write, error_format),
        Command::Eval(args) => eval::run(&args),
        Command::Lsp => lsp::run(),
        Command::Serve(args) => serve::run(&args),
        Command::User(command) => user::run(&command),
        Command::Diff(args) => diff::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Synth(args) => synth::run(&args),
        Command::Init(args) => record::init(&args),
        Command::Record(args) => record::record(&args),
        Command::Review(args) => review::review(&args),
        Command::Pending(args) => review::pending(&args),
        Command::Correct(args) => review::correct(&args),
        Command::Publish(args) => publish::publish(&args),
        Command::Object(args) => objection::object(&args),
        Command::Resolve(args) => objection::resolve(&args),
        Command::Verify(args) => publish::verify(&args),
        Command::Redeem(args) => redeem::redeem(&args),
        Command::Adopt(args) => redeem::adopt(&args),
        Command::Test {
            compact,
            error_format,
        } => match inputs::find_compact(&compact) {
            Ok((path, _)) => test::run(&path, error_format),
            Err(code) => code,
        },
        Command::Render {
            compact,
            format,
            output,
            error_format,
        } => match inputs::find_compact(&compact) {
            Ok((path, _)) => render::run(&path, format, output.as_deref(), error_format),
            Err(code) => code,
        },
    };
    ExitCode::from(code)
}

/// Parses the command line with the Chinese help and errors of [`zh`]; prints them and
/// returns the exit code when there is nothing to run.
fn parse<I, T>(args: I) -> Result<Cli, u8>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let parsed = zh::localize(Cli::command())
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    parsed.map_err(|error| {
        let printed = zh::explain(&error);
        if printed.to_stderr {
            eprint!("{}", printed.text);
        } else {
            print!("{}", printed.text);
        }
        printed.code
    })
}

/// Reads a text file, reporting a failure in Chinese. Strips a UTF-8 byte order mark.
pub(crate) fn read_text(path: &Path) -> Result<String, u8> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text)),
            Err(_) => {
                eprintln!(
                    "错误：{} 不是 UTF-8 编码的文本；请用 UTF-8 保存乡约文件",
                    path.display()
                );
                Err(EXIT_USAGE)
            }
        },
        Err(error) => {
            eprintln!("错误：无法读取 {}：{}", path.display(), io_reason(&error));
            Err(EXIT_USAGE)
        }
    }
}

/// Writes a file, reporting a failure in Chinese.
pub(crate) fn write_text(path: &Path, text: &[u8]) -> Result<(), u8> {
    std::fs::write(path, text).map_err(|error| {
        eprintln!("错误：无法写入 {}：{}", path.display(), io_reason(&error));
        EXIT_USAGE
    })
}

/// Today's date, for refusing records dated after it: the environment variable
/// `XIANGYUE_TODAY` (a date such as 2026-12-04, so that tests and re-runs of an old
/// evaluation are repeatable), else the day of [`now`] (`XIANGYUE_NOW`, else the local calendar
/// date). Only the command line reads the clock; the library is told the day.
pub(crate) fn today() -> Result<crate::data::value::Day, u8> {
    use crate::data::value::{days_from_civil, parse_date};
    if let Some(text) = std::env::var_os("XIANGYUE_TODAY") {
        let text = text.to_string_lossy();
        return parse_date(&text).ok_or_else(|| {
            eprintln!("错误：环境变量 XIANGYUE_TODAY 的「{text}」不是日期；写成 2026-12-04");
            EXIT_USAGE
        });
    }
    let date = now()?.0.date();
    Ok(days_from_civil(
        i32::from(date.year()),
        u32::try_from(date.month()).unwrap_or(1),
        u32::try_from(date.day()).unwrap_or(1),
    ))
}

/// The time of evaluation that outputs state, as a local date and time and its offset from
/// UTC: the environment variable `XIANGYUE_NOW` (such as 2024-04-01T09:30, or with its offset
/// 2024-04-01T09:30+08:00 — so that a re-run gives the same bytes; without an offset, that of
/// the machine's time zone at that time), else the clock, to the second.
pub(crate) fn now() -> Result<(jiff::civil::DateTime, jiff::tz::Offset), u8> {
    if let Some(text) = std::env::var_os("XIANGYUE_NOW") {
        let text = text.to_string_lossy();
        let parsed = jiff::fmt::temporal::Pieces::parse(text.trim())
            .ok()
            .and_then(|pieces| {
                let local = pieces.date().to_datetime(pieces.time()?);
                let offset = match pieces.to_numeric_offset() {
                    Some(offset) => offset,
                    None => jiff::tz::TimeZone::system()
                        .to_ambiguous_zoned_datetime(local)
                        .compatible()
                        .ok()?
                        .offset(),
                };
                Some((local, offset))
            });
        return parsed.ok_or_else(|| {
            eprintln!(
                "错误：环境变量 XIANGYUE_NOW 的「{text}」不是日期和时间；写成 2024-04-01T09:30（或带时区 2024-04-01T09:30+08:00）"
            );
            EXIT_USAGE
        });
    }
    let now = jiff::ZonedDateTime::now();
    let local = now.datetime();
    let local = local.with().subsec_nanosecond(0).build().unwrap_or(local);
    Ok((local, now.offset()))
}

/// A short Chinese reason for an IO error.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有权限".to_string(),
        std::io::ErrorKind::IsADirectory => "这是一个文件夹".to_string(),
        _ => error.to_string(),
    }
}
