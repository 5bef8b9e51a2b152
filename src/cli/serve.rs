//! `xiangyue serve [村文件夹…] [--port 8080] [--host 127.0.0.1] [--web 目录]`: the workbench's
//! files and data, and the clerks' pages, over HTTP (see `crate::server`).

use std::path::PathBuf;

use super::{EXIT_OK, EXIT_USAGE};
use crate::server::{Options, Server};

/// The `serve` options.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// 村的文件夹（可以几个）；有积分账本的村另有登记员的网页
    #[arg(value_name = "村文件夹")]
    pub villages: Vec<PathBuf>,
    /// 端口（0：由系统选一个空闲的端口，启动时打印出来）
    #[arg(long, value_name = "端口", default_value_t = 8080)]
    pub port: u16,
    /// 监听的地址；默认只有本机能打开。给村里其他电脑用时写 0.0.0.0（请配合 https 代理和 --secure）
    #[arg(long, value_name = "地址", default_value = "127.0.0.1")]
    pub host: String,
    /// 工作台网页的文件夹（web/build.sh 生成的 web/dist；默认在仓库里找）
    #[arg(long, value_name = "目录")]
    pub web: Option<PathBuf>,
    /// 经 https（反向代理）提供时加上：登录的 Cookie 带 Secure，只经 https 发送
    #[arg(long)]
    pub secure: bool,
    /// 登录多少分钟后失效
    #[arg(long, value_name = "分钟", default_value_t = 480)]
    pub session_minutes: u64,
    /// 同时处理请求的线程数
    #[arg(long, value_name = "线程数", default_value_t = 4)]
    pub threads: usize,
}

/// The workbench's folder: `--web`, else `web/dist` beside the binary's repository (the
/// binary is in target/debug or target/release), the crate it was built from, or the working
/// folder.
fn web_dir(given: Option<&PathBuf>) -> Option<PathBuf> {
    if let Some(given) = given {
        return Some(given.clone());
    }
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        candidates.extend(exe.ancestors().skip(1).take(4).map(|d| d.join("web/dist")));
    }
    candidates.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web/dist"));
    candidates.push(PathBuf::from("web/dist"));
    candidates
        .into_iter()
        .find(|d| d.join("index.html").is_file())
}

pub fn run(args: &ServeArgs) -> u8 {
    for village in &args.villages {
        if !village.is_dir() {
            eprintln!(
                "错误：{} 不是文件夹；写村的文件夹（其中有乡约、户籍，或积分账本.db）",
                village.display()
            );
            return EXIT_USAGE;
        }
    }
    if let Some(web) = &args.web
        && !web.is_dir()
    {
        eprintln!(
            "错误：--web 的 {} 不是文件夹；先运行 web/build.sh 生成 web/dist",
            web.display()
        );
        return EXIT_USAGE;
    }
    let options = Options {
        villages: args.villages.clone(),
        web: web_dir(args.web.as_ref()),
        secure: args.secure,
        session_minutes: args.session_minutes.clamp(1, 60 * 24 * 30),
        threads: args.threads.clamp(1, 64),
    };
    let address = format!("{}:{}", args.host, args.port);
    let server = match Server::start(&address, options) {
        Ok(server) => server,
        Err(reason) => {
            eprintln!("错误：无法在 {address} 上启动：{reason}");
            return EXIT_USAGE;
        }
    };
    // Written and flushed directly, errors ignored: whoever started the server may stop
    // reading its output (a closed pipe must not stop the server).
    let mut said = format!("乡约工作台：{}\n", server.url());
    for (id, name, book) in server.villages() {
        said.push_str(&format!(
            "  村 {id}：{name}{}\n",
            if book {
                format!("（积分账本：{}v/{id}/）", server.url())
            } else {
                String::new()
            }
        ));
    }
    if server.web().is_none() {
        said.push_str(
            "说明：没有找到工作台网页（web/dist）；先运行 web/build.sh，或用 --web 指明\n",
        );
    }
    said.push_str("按 Ctrl+C 停止。\n");
    let mut stdout = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut stdout, said.as_bytes());
    let _ = std::io::Write::flush(&mut stdout);
    drop(stdout);
    server.run();
    EXIT_OK
}
