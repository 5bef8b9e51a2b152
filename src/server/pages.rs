//! The clerks' pages as HTML written on the server: Chinese, printable, readable at a phone's
//! width, usable with the keyboard alone (plain links, labels and buttons, a visible focus
//! ring), no script and nothing loaded from anywhere but this server (the style is inline).

use super::error::ServeError;
use crate::book::accounts::Role;

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;line-height:1.6;color:#1a1a1a;background:#fafaf7}
header{background:#8b1a1a;color:#fff;padding:.6rem 1rem}
header a{color:#fff}
header .who{float:right;font-size:.95rem}
header .who form{display:inline}
header .who button{background:transparent;color:#fff;border:1px solid #fff;padding:.1rem .6rem}
header h1{margin:0;font-size:1.25rem}
nav{background:#f0e6d8;padding:.4rem 1rem;border-bottom:1px solid #d8c8b0}
nav a{margin-right:1.2rem;display:inline-block;padding:.2rem 0}
main{max-width:80rem;margin:0 auto;padding:1rem}
a{color:#0b4f9c}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible{outline:3px solid #f0a000;outline-offset:2px}
label{display:block;margin:.6rem 0 .2rem;font-weight:bold}
input,textarea,select{font:inherit;padding:.35rem .5rem;border:1px solid #888;border-radius:4px;max-width:100%}
input[type=text],input[type=password],input[type=date],input[type=number],textarea{width:22rem}
button{font:inherit;padding:.35rem 1rem;border-radius:4px;border:1px solid #5a1010;background:#8b1a1a;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#5a1010}
.box{border-left:5px solid #0b7a3b;background:#eef8f0;padding:.6rem 1rem;margin:1rem 0;white-space:pre-wrap}
.box.error{border-color:#b00020;background:#fdeeee}
.box .code{font-weight:bold}
.hint{color:#444}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #c8c0b0;padding:.3rem .5rem;text-align:left;vertical-align:top;white-space:nowrap}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th{background:#f0e6d8}
td form{display:flex;gap:.3rem;align-items:center}
td form input[type=text]{width:9rem}
.seal{font-family:monospace;word-break:break-all}
.skip{position:absolute;left:-100rem;top:0;background:#fff;color:#0b4f9c;padding:.4rem 1rem}
.skip:focus{left:1rem}
footer{color:#666;font-size:.85rem;padding:1rem;text-align:center}
@media (max-width:40rem){
 header .who{float:none;display:block}
 input[type=text],input[type=password],input[type=date],input[type=number],textarea{width:100%}
 th,td{padding:.25rem}
}
@media print{
 header,nav,footer,form,button{display:none !important}
 body{background:#fff}
 main{max-width:none;padding:0}
}
"#;

/// Who is looking at a page, for its header.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// The village's id (links go under /v/{id}/).
    pub village: String,
    /// The village's name.
    pub village_name: String,
    /// Whether the village has a book (clerk links only then).
    pub has_book: bool,
    /// Logged in: name and role.
    pub account: Option<(String, Role)>,
    /// This session's CSRF token (for the logout form).
    pub csrf: Option<String>,
}

/// A whole page: header with the village and who is logged in, the links, then `body`.
pub fn layout(title: &str, viewer: &Viewer, body: &str) -> String {
    let base = format!("/v/{}", viewer.village);
    let who = match (&viewer.account, &viewer.csrf) {
        (Some((name, role)), Some(csrf)) => format!(
            r#"<span class="who">{}（{}） <form method="post" action="{base}/logout"><input type="hidden" name="csrf" value="{}"><button type="submit">退出登录</button></form></span>"#,
            escape(name),
            role.name(),
            escape(csrf)
        ),
        _ if viewer.has_book => {
            format!(r#"<span class="who"><a href="{base}/login">登录</a></span>"#)
        }
        _ => String::new(),
    };
    let nav = if viewer.village.is_empty() {
        r#"<a href="/">工作台</a>"#.to_string()
    } else if viewer.has_book {
        let accounts = if viewer
            .account
            .as_ref()
            .is_some_and(|(_, role)| role.may(crate::book::accounts::Action::ManageAccounts))
        {
            format!(r#"<a href="{base}/accounts">账号</a>"#)
        } else {
            String::new()
        };
        format!(
            r#"<a href="{base}/">本村首页</a><a href="{base}/publications">公示</a><a href="{base}/record">登记</a><a href="{base}/pending">待审</a><a href="{base}/publish">公示本期</a><a href="{base}/object">登记异议</a><a href="{base}/redeem">积分超市</a>{accounts}<a href="/">工作台</a>"#
        )
    } else {
        format!(r#"<a href="{base}/">本村首页</a><a href="/">工作台</a>"#)
    };
    let place = if viewer.village_name.is_empty() {
        "乡约".to_string()
    } else {
        escape(&viewer.village_name)
    };
    format!(
        r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_text} · {place}</title>
<style>{STYLE}</style>
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header>{who}<h1>{place}</h1></header>
<nav aria-label="栏目">{nav}</nav>
<main id="main">
<h2>{title_text}</h2>
{body}
</main>
<footer>乡约 xiangyue · 本页只从本机的服务取内容，不连外网</footer>
</body>
</html>
"##,
        title_text = escape(title),
    )
}

/// A message box: what a command printed (success) or its refusal.
pub fn message_box(text: &str, error: bool) -> String {
    let mut html = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("提示：") {
            html.push_str(&format!("<div class=\"hint\">提示：{}</div>", escape(rest)));
        } else if let Some(rest) = line.strip_prefix("错误[")
            && let Some((code, message)) = rest.split_once(']')
        {
            html.push_str(&format!(
                "<div><span class=\"code\">错误[{0}]</span> {1}</div>",
                escape(code),
                escape(message)
            ));
        } else {
            html.push_str(&format!("<div>{}</div>", escape(line)));
        }
    }
    format!(
        "<div class=\"box{}\" role=\"{}\">{html}</div>",
        if error { " error" } else { "" },
        if error { "alert" } else { "status" }
    )
}

/// The page of a refusal.
pub fn error_page(error: &ServeError, viewer: &Viewer) -> String {
    let text = format!("错误[{}] {error}\n提示：{}", error.code(), error.hint());
    let mut body = message_box(&text, true);
    match error {
        ServeError::NotLoggedIn { .. } | ServeError::LoginFailed | ServeError::StaleForm { .. }
            if !viewer.village.is_empty() =>
        {
            body.push_str(&format!(
                r#"<p><a href="/v/{}/login">登录</a></p>"#,
                viewer.village
            ));
        }
        _ => {}
    }
    if viewer.village.is_empty() {
        body.push_str(r#"<p><a href="/">回到首页</a></p>"#);
    } else {
        body.push_str(&format!(
            r#"<p><a href="/v/{0}/pending">回到待审</a> · <a href="/v/{0}/">回到本村首页</a></p>"#,
            viewer.village
        ));
    }
    layout("没有办理", viewer, &body)
}

/// A hidden CSRF field.
pub fn csrf_field(csrf: &str) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        escape(csrf)
    )
}
