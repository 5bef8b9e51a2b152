//! The workbench's static files (web/dist, built by web/build.sh): each with its content
//! type, revalidated on every load (`Cache-Control: no-cache`), never outside the folder (a
//! path with `..`, a backslash, a NUL or a hidden name is refused; the file found is checked to
//! be inside the folder after symbolic links are followed). Without the folder, `/` is a page
//! saying how to build it, and lists the villages.

use std::path::Path;

use super::State;
use super::error::ServeError;
use super::http::Reply;
use super::pages::{Viewer, escape, layout};

/// The content type of a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" | "md" | "xy" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether a decoded path may name a file of the folder.
fn safe(path: &str) -> bool {
    !path.contains(['\\', '\0'])
        && path
            .split('/')
            .filter(|s| !s.is_empty())
            .all(|s| s != ".." && s != "." && !s.starts_with('.') && !s.contains(':'))
}

/// The answer to GET `path` outside /api and /v.
pub fn answer(state: &State, path: &str) -> Reply {
    let not_found = || {
        let error = ServeError::not_found(
            format!("网页 {path}"),
            "从首页的链接打开；工作台的文件由 web/build.sh 生成在 web/dist",
        );
        Reply::html(
            error.status(),
            super::pages::error_page(&error, &Viewer::default()),
        )
    };
    if !safe(path) {
        let error = ServeError::bad(
            format!("网址 {path} 要读网站文件夹以外的文件"),
            "只能打开工作台文件夹里的文件",
        );
        return Reply::html(
            error.status(),
            super::pages::error_page(&error, &Viewer::default()),
        );
    }
    let built = state
        .web
        .as_ref()
        .filter(|w| w.join("index.html").is_file());
    let Some(web) = built else {
        return if path == "/" || path == "/index.html" {
            Reply::html(200, missing_page(state))
        } else {
            not_found()
        };
    };
    let relative = path.trim_start_matches('/');
    let mut file = web.join(relative);
    if relative.is_empty() || file.is_dir() {
        file = file.join("index.html");
    }
    let (Ok(root), Ok(found)) = (web.canonicalize(), file.canonicalize()) else {
        return not_found();
    };
    if !found.starts_with(&root) || !found.is_file() {
        return not_found();
    }
    match std::fs::read(&found) {
        Ok(bytes) => {
            let mut reply = Reply::text(content_type(&found), bytes);
            if reply.content_type.starts_with("text/html") {
                // The workbench runs its own script and WebAssembly from this server only.
                reply = reply.with(
                    "Content-Security-Policy",
                    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
                        .to_string(),
                );
            }
            reply
        }
        Err(_) => not_found(),
    }
}

/// `/` when the workbench has not been built: how to build it, and the villages' pages.
fn missing_page(state: &State) -> String {
    let mut body = String::from(
        r#"<div class="box error" role="alert"><div>工作台网页还没有生成（没有找到 web/dist/index.html）。</div>
<div class="hint">提示：在仓库里运行 <code>web/build.sh</code> 生成它，再重新运行 <code>xiangyue serve</code>；或用 <code>--web 目录</code> 指明网页所在的文件夹。</div></div>
<p>登记员的网页和数据接口不需要工作台，可以直接用：</p>"#,
    );
    body.push_str(&villages_list(state));
    layout("工作台", &Viewer::default(), &body)
}

/// The villages as a list of links.
pub fn villages_list(state: &State) -> String {
    if state.sites.is_empty() {
        return "<p>没有村（启动时写村的文件夹：<code>xiangyue serve 村文件夹</code>）。</p>"
            .to_string();
    }
    let mut html = String::from("<ul>");
    for site in &state.sites {
        html.push_str(&format!(
            r#"<li><a href="/v/{0}/">{1}</a>（{2}；数据：<a href="/api/villages/{0}/compact">乡约</a>、<a href="/api/villages/{0}/register">户籍</a>、<a href="/api/villages/{0}/events">事项记录</a>）</li>"#,
            site.id,
            escape(&site.name),
            if site.has_book() { "有积分账本" } else { "没有积分账本" }
        ));
    }
    html.push_str("</ul>");
    html
}
