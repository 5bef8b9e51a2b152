//! `xiangyue user add|passwd|role|list 村`: the accounts (账号) with which clerks log in to
//! `xiangyue serve`, kept in the village's book (see `book::accounts`). Passwords are read from
//! standard input (one line; at a terminal twice and not shown; or the environment variable
//! `XIANGYUE_PASSWORD`, for scripts and tests), refused when weak, and stored only as Argon2id
//! hashes.

use std::io::BufRead;
use std::path::PathBuf;

use super::book::{now, open, refuse};
use super::record::person;
use super::{EXIT_OK, EXIT_USAGE, ErrorFormat};
use crate::book::BookError;
use crate::book::accounts::role_name;

/// The `user` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// 新建账号（密码从标准输入读一行，或取环境变量 XIANGYUE_PASSWORD）
    Add(UserArgs),
    /// 改密码（新密码从标准输入读一行，或取环境变量 XIANGYUE_PASSWORD）
    Passwd(NameArgs),
    /// 改角色：登记员、审核人、管理员、村民，或 停用
    Role(UserArgs),
    /// 列出账号和角色
    List(ListArgs),
}

/// An account with a role.
#[derive(Debug, clap::Args)]
pub struct UserArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 账号的名字（登录时用，也是账本里记下的经办人），例如 王会计
    #[arg(long, value_name = "姓名")]
    pub name: String,
    /// 角色：登记员（登记记录、异议、兑换）、审核人（审核、公示）、管理员（全部和账号）、村民（只看），或 停用
    #[arg(long, value_name = "角色")]
    pub role: String,
    /// 经办人（默认是账号本人）
    #[arg(long, value_name = "姓名")]
    pub by: Option<String>,
}

/// An account by name.
#[derive(Debug, clap::Args)]
pub struct NameArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 账号的名字
    #[arg(long, value_name = "姓名")]
    pub name: String,
    /// 经办人（默认是账号本人）
    #[arg(long, value_name = "姓名")]
    pub by: Option<String>,
}

/// The village whose accounts to list.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
}

pub fn run(command: &UserCommand) -> u8 {
    match run_inner(command) {
        Ok(code) | Err(code) => code,
    }
}

/// The password: `XIANGYUE_PASSWORD`, else a line of standard input — at a terminal asked for
/// twice, not shown as it is typed (`stty -echo`).
fn read_password() -> Result<String, u8> {
    use std::io::IsTerminal;
    if let Some(given) = std::env::var_os("XIANGYUE_PASSWORD") {
        return Ok(given.to_string_lossy().to_string());
    }
    let read_line = || -> Result<String, u8> {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            eprintln!("错误：无法从标准输入读密码：{e}");
            EXIT_USAGE
        })?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    if !std::io::stdin().is_terminal() {
        return read_line();
    }
    let stty = |arg: &str| {
        let _ = std::process::Command::new("stty")
            .arg(arg)
            .stdin(std::process::Stdio::inherit())
            .status();
    };
    stty("-echo");
    eprint!("密码（输入时不显示）：");
    let first = read_line();
    eprint!("\n再输入一次：");
    let second = read_line();
    eprintln!();
    stty("echo");
    let (first, second) = (first?, second?);
    if first != second {
        eprintln!("错误：两次输入的密码不一样，没有改动；再运行一次");
        return Err(EXIT_USAGE);
    }
    Ok(first)
}

fn role_arg(text: &str) -> Result<&'static str, u8> {
    role_name(text).ok_or_else(|| {
        eprintln!("错误：--role 的「{text}」不是角色；写 登记员、审核人、管理员、村民 或 停用");
        EXIT_USAGE
    })
}

fn run_inner(command: &UserCommand) -> Result<u8, u8> {
    let format = ErrorFormat::Human;
    let fail = |e: BookError| refuse(&e, format);
    let at = now()?;
    match command {
        UserCommand::Add(args) => {
            let name = person(&args.name)?;
            let role = role_arg(&args.role)?;
            let by = person(args.by.as_deref().unwrap_or(&name))?;
            let mut book = open(&args.village, format)?;
            let password = read_password()?;
            book.add_account(&name, role, &password, &by, &at)
                .map_err(fail)?;
            println!("已建立账号「{name}」（{role}，{by} 于 {at} 建立）。");
            println!(
                "登录：xiangyue serve {} 后在浏览器里打开这个村的「登录」",
                args.village.display()
            );
        }
        UserCommand::Passwd(args) => {
            let name = person(&args.name)?;
            let by = person(args.by.as_deref().unwrap_or(&name))?;
            let mut book = open(&args.village, format)?;
            let password = read_password()?;
            book.change_password(&name, &password, &by, &at)
                .map_err(fail)?;
            println!("已改账号「{name}」的密码（{by}，{at}）。");
        }
        UserCommand::Role(args) => {
            let name = person(&args.name)?;
            let role = role_arg(&args.role)?;
            let by = person(args.by.as_deref().unwrap_or(&name))?;
            let mut book = open(&args.village, format)?;
            book.change_role(&name, role, &by, &at).map_err(fail)?;
            println!("账号「{name}」的角色改为 {role}（{by}，{at}）。");
        }
        UserCommand::List(args) => {
            let book = open(&args.village, format)?;
            let accounts = book.accounts().map_err(fail)?;
            if accounts.is_empty() {
                println!(
                    "还没有账号。新建：xiangyue user add {} --name 姓名 --role 审核人",
                    args.village.display()
                );
            }
            for account in accounts {
                println!(
                    "{}\t{}\t（{} 于 {}）",
                    account.name, account.role, account.by, account.at
                );
            }
        }
    }
    Ok(EXIT_OK)
}
