//! `xiangyue serve`: the workbench's files, its data API and the clerks' pages over HTTP.
//!
//! A synchronous server (tiny_http) whose few threads each take one request at a time. It
//! holds no village data in memory: every request opens the village's book (SQLite) or reads
//! its files, and every change runs one of the command line's own functions (`cli::review`,
//! `cli::publish`, …, their printed lines captured by `cli::out`) inside the book's
//! transactions — so two clerks at once take turns exactly as two terminals do.
//!
//! Security (see docs/ARCHITECTURE.md): passwords are Argon2id hashes in the book
//! (`book::accounts`); a session is a 256-bit random token in an `HttpOnly; SameSite=Strict`
//! cookie (`Secure` with `--secure`), kept in memory with an expiry; every form carries the
//! session's CSRF token, checked on every POST; each step checks the account's role; on
//! loopback, requests naming another host are refused (DNS rebinding).
//!
//! Layout: `http` (replies, forms, cookies), `sessions`, `pages` (the HTML frame), `files`
//! (the workbench's static files), `api` (`/api/…` JSON and text), `clerk` (the clerks' pages),
//! `error` (E04xx).

#![allow(
    clippy::result_large_err,
    reason = "data and book errors name file, line, record and hint; errors are the rare path"
)]

pub mod api;
pub mod clerk;
pub mod error;
pub mod files;
pub mod http;
pub mod pages;
pub mod sessions;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use error::ServeError;
use http::Reply;
use pages::Viewer;
use sessions::Sessions;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The village folders, served as villages 0, 1, ….
    pub villages: Vec<PathBuf>,
    /// The workbench's files (web/dist), if found.
    pub web: Option<PathBuf>,
    /// Cookies only over https.
    pub secure: bool,
    /// How long a login lasts, in minutes.
    pub session_minutes: u64,
    /// Threads taking requests.
    pub threads: usize,
}

/// A village served.
#[derive(Debug, Clone)]
pub struct Site {
    /// Its id in URLs: its place in the command line, from 0.
    pub id: String,
    /// Its folder.
    pub folder: PathBuf,
    /// Its name (from the compact's title: up to its 村).
    pub name: String,
}

impl Site {
    /// Whether its folder has a book now.
    pub fn has_book(&self) -> bool {
        crate::cli::book::has_book(&self.folder)
    }
}

/// What the request handlers share.
#[derive(Debug)]
pub struct State {
    /// The villages.
    pub sites: Vec<Site>,
    /// The workbench's files.
    pub web: Option<PathBuf>,
    /// Cookies only over https.
    pub secure: bool,
    /// The sessions.
    pub sessions: Mutex<Sessions>,
    /// How long a session lasts.
    pub session_length: Duration,
    /// Whether the server listens on loopback only (then the Host header must name it).
    pub loopback: bool,
    /// Wrong passwords by (village, account): how many in a row, since when.
    pub failures: Mutex<std::collections::HashMap<(String, String), (u32, std::time::Instant)>>,
}

/// A started server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    state: Arc<State>,
    url: String,
    threads: usize,
}

/// The name of a village: the compact's title up to and including its first 村 (「油溪桥村」
/// of 「油溪桥村村级事务积分制管理细则」), else the title, else the folder's name.
fn village_name(folder: &Path) -> String {
    let (text, _) = crate::cli::out::captured(|| -> Option<(std::path::PathBuf, String)> {
        if crate::cli::book::has_book(folder) {
            let book = crate::book::Book::open(&crate::cli::book::book_path(folder)).ok()?;
            book.compacts()
                .ok()?
                .pop()
                .map(|v| (folder.join(&v.file), v.text))
        } else {
            let (path, _) = crate::cli::inputs::find_compact(folder).ok()?;
            std::fs::read_to_string(&path).ok().map(|t| (path, t))
        }
    });
    let title = text
        .and_then(|(path, t)| {
            crate::cli::diagnostics::compile_at(&path, &t)
                .compact
                .map(|c| c.title)
        })
        .unwrap_or_default();
    let folder_name = folder
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| folder.display().to_string());
    match title.find('村') {
        Some(at) => title
            .get(..at + '村'.len_utf8())
            .map_or(folder_name, str::to_string),
        None if !title.is_empty() => title,
        None => folder_name,
    }
}

impl Server {
    /// Binds `address` (host:port; port 0 picks a free one).
    pub fn start(address: &str, options: Options) -> Result<Server, String> {
        let http = tiny_http::Server::http(address).map_err(|e| e.to_string())?;
        let bound = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| "不是 IP 地址".to_string())?;
        let host = match bound.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let url = format!("http://{host}:{}/", bound.port());
        let sites = options
            .villages
            .iter()
            .enumerate()
            .map(|(i, folder)| Site {
                id: i.to_string(),
                folder: folder.clone(),
                name: village_name(folder),
            })
            .collect();
        let state = State {
            sites,
            web: options.web.clone(),
            secure: options.secure,
            sessions: Mutex::new(Sessions::default()),
            session_length: Duration::from_secs(options.session_minutes.saturating_mul(60)),
            loopback: bound.ip().is_loopback(),
            failures: Mutex::new(std::collections::HashMap::new()),
        };
        Ok(Server {
            http: Arc::new(http),
            state: Arc::new(state),
            url,
            threads: options.threads,
        })
    }

    /// The address to open, e.g. `http://127.0.0.1:8080/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The villages: id, name, whether it has a book.
    pub fn villages(&self) -> Vec<(String, String, bool)> {
        self.state
            .sites
            .iter()
            .map(|s| (s.id.clone(), s.name.clone(), s.has_book()))
            .collect()
    }

    /// The workbench's folder.
    pub fn web(&self) -> Option<&Path> {
        self.state.web.as_deref()
    }

    /// Answers requests until the process ends: `threads` threads, each one request at a time.
    pub fn run(self) {
        let mut workers = Vec::new();
        for _ in 1..self.threads {
            let http = Arc::clone(&self.http);
            let state = Arc::clone(&self.state);
            workers.push(std::thread::spawn(move || serve_loop(&http, &state)));
        }
        serve_loop(&self.http, &self.state);
        for worker in workers {
            let _ = worker.join();
        }
    }
}

fn serve_loop(http: &tiny_http::Server, state: &State) {
    while let Ok(request) = http.recv() {
        handle(state, request);
    }
}

/// Answers one request; a bug that panics answers 500 instead of taking the thread down.
fn handle(state: &State, mut request: tiny_http::Request) {
    let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        route(state, &mut request)
    }))
    .unwrap_or_else(|_| {
        Reply::html(
            500,
            pages::layout(
                "服务出错",
                &Viewer::default(),
                &pages::message_box(
                    "这一请求没有办完（程序出错）；账本的每一次改动都是整体的，没有办完的不会留下一半\n提示：再试一次；如果一再出现，请把出错的步骤告诉维护的人",
                    true,
                ),
            ),
        )
    });
    let _ = request.respond(response(reply));
}

/// The tiny_http response of a reply, with the headers every answer carries.
fn response(reply: Reply) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let mut add = |name: &str, value: &str| {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    };
    add("Content-Type", reply.content_type);
    add("X-Content-Type-Options", "nosniff");
    add("Referrer-Policy", "no-referrer");
    add("X-Frame-Options", "DENY");
    if !reply.headers.iter().any(|(n, _)| *n == "Cache-Control") {
        add("Cache-Control", "no-cache");
    }
    if reply.content_type.starts_with("text/html")
        && !reply
            .headers
            .iter()
            .any(|(n, _)| *n == "Content-Security-Policy")
    {
        add(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        );
    }
    for (name, value) in &reply.headers {
        add(name, value);
    }
    response
}

/// Whether the Host header names this server (on loopback: localhost, 127.0.0.1 or [::1]).
fn host_allowed(state: &State, request: &tiny_http::Request) -> bool {
    if !state.loopback {
        return true;
    }
    let Some(host) = http::header(request, "Host") else {
        return true;
    };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    ) || name.starts_with("127.")
}

/// The answer to a request.
fn route(state: &State, request: &mut tiny_http::Request) -> Reply {
    let raw = request.url().to_string();
    let (path, query) = raw.split_once('?').unwrap_or((raw.as_str(), ""));
    let api = path.starts_with("/api/");
    let fail = |error: ServeError, viewer: &Viewer| {
        if api {
            api::error_reply(&error)
        } else {
            Reply::html(error.status(), pages::error_page(&error, viewer))
        }
    };
    if !host_allowed(state, request) {
        return fail(
            ServeError::bad(
                "请求写的网站名不是本机",
                "在本机用 http://127.0.0.1:端口/ 打开；要给其他电脑用，启动时写 --host 0.0.0.0",
            ),
            &Viewer::default(),
        );
    }
    let Some(path) = http::percent_decode(path, false) else {
        return fail(
            ServeError::bad(
                "网址里有不是 UTF-8 的文字，或写坏了的 % 转义",
                "检查网址；从本站的链接打开",
            ),
            &Viewer::default(),
        );
    };
    let query = match http::Form::parse(query) {
        Ok(query) => query,
        Err(error) => return fail(error, &Viewer::default()),
    };
    let method = request.method().as_str().to_ascii_uppercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["api", rest @ ..] => {
            if method != "GET" && method != "HEAD" {
                return fail(
                    ServeError::Method {
                        path: path.clone(),
                        method,
                    },
                    &Viewer::default(),
                );
            }
            api::answer(state, rest)
        }
        // The workbench's link 「办事」: the villages, each to its clerks' pages.
        ["clerk"] if method == "GET" || method == "HEAD" => Reply::html(
            200,
            pages::layout(
                "办事",
                &Viewer::default(),
                &format!(
                    "<p>选村，登记、审核、公示、异议、积分超市：</p>{}",
                    files::villages_list(state)
                ),
            ),
        ),
        ["v", id, rest @ ..] => {
            let Some(site) = state.sites.iter().find(|s| s.id == *id) else {
                return fail(
                    ServeError::not_found(
                        format!("村 {id}"),
                        format!(
                            "本服务有 {} 个村（编号 0 起）；村的列表见首页或 /api/villages",
                            state.sites.len()
                        ),
                    ),
                    &Viewer::default(),
                );
            };
            clerk::answer(state, site, &method, rest, &query, request)
        }
        _ => {
            if method != "GET" && method != "HEAD" {
                return fail(
                    ServeError::Method {
                        path: path.clone(),
                        method,
                    },
                    &Viewer::default(),
                );
            }
            files::answer(state, &path)
        }
    }
}
