//! `xiangyue serve` from the outside: the binary started on a free port against copies of the
//! sample village (one with a book, one a plain folder), spoken to over HTTP with a tiny
//! std::net client. The data API equals the files and the book; the workbench's files come with
//! their types and nothing outside their folder; a wrong password, a 登记员 approving, a form
//! without its CSRF token, an unknown village, a malformed or huge request are refused with
//! their codes and statuses (each refusal's page a reviewed snapshot); a 审核人 approves; a
//! publication made through the server has the seal and page `xiangyue publish` gives.
//! `tests/ui.rs` reads the `期望：E04xx` lines below as these codes' fixtures.

#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const TODAY: &str = "2022-07-01";
const REVIEWER_PASSWORD: &str = "审核人的密码-很长很长";
const REGISTRAR_PASSWORD: &str = "登记员的密码-也很长";
const ADMIN_PASSWORD: &str = "管理员的密码-最长最长";

/// Runs the binary in `dir` on [`TODAY`], insisting on success.
fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = common::run_on(dir, TODAY, args);
    assert_eq!(code, 0, "{args:?}: {out}{err}");
    out
}

/// Adds an account, the password from XIANGYUE_PASSWORD.
fn add_user(dir: &Path, name: &str, role: &str, password: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(["user", "add", ".", "--name", name, "--role", role])
        .current_dir(dir)
        .env("XIANGYUE_NOW", format!("{TODAY} 09:00:00"))
        .env("XIANGYUE_PASSWORD", password)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A copy of the sample village with a book: its first 40 records registered, the first 20
/// approved; accounts 王审核 (审核人) and 李登记 (登记员).
fn book_village() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::root().join("compacts/youxiqiao-demo");
    for file in ["youxiqiao.xy", "register.csv", "党员.csv", "分红.txt"] {
        std::fs::copy(sample.join(file), dir.path().join(file)).unwrap();
    }
    let log = std::fs::read_to_string(sample.join("events.csv")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    std::fs::write(dir.path().join("a.csv"), lines[..41].join("\n") + "\n").unwrap();
    let v = dir.path();
    ok(v, &["init", ".", "--by", "张会计"]);
    ok(v, &["record", ".", "--import", "a.csv", "--by", "李登记"]);
    ok(v, &["review", ".", "--approve", "1-20", "--by", "王审核"]);
    add_user(v, "王审核", "审核人", REVIEWER_PASSWORD);
    add_user(v, "李登记", "登记员", REGISTRAR_PASSWORD);
    add_user(v, "张主任", "管理员", ADMIN_PASSWORD);
    dir
}

/// A running `xiangyue serve`, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server on a free port over `villages`, with `web` as the workbench's folder.
fn serve(villages: &[&Path], web: &Path) -> Served {
    let mut args: Vec<String> = vec!["serve".into()];
    args.extend(villages.iter().map(|v| v.display().to_string()));
    args.extend(["--port", "0", "--web"].map(String::from));
    args.push(web.display().to_string());
    let mut child = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(&args)
        .env("XIANGYUE_TODAY", TODAY)
        .env("XIANGYUE_NOW", format!("{TODAY} 09:00:00"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut first).unwrap();
    // Keep reading what it says, as a terminal would.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let port = first
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    Served { child, port }
}

/// An HTTP answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The session cookie it sets (name=value).
    fn cookie(&self) -> Option<String> {
        self.header("Set-Cookie")
            .map(|c| c.split(';').next().unwrap_or("").to_string())
    }
    /// The CSRF token in its page.
    fn csrf(&self) -> String {
        let text = self.text();
        let at = text
            .find(r#"name="csrf" value=""#)
            .unwrap_or_else(|| panic!("no csrf in {text}"));
        text[at + 19..at + 19 + 64].to_string()
    }
}

/// Sends raw bytes as one HTTP/1.0 request and reads the whole answer.
fn raw(port: u16, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end: {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: bytes[split + 4..].to_vec(),
    }
}

fn get(port: u16, path: &str, cookie: Option<&str>) -> Answer {
    let cookie = cookie.map_or(String::new(), |c| format!("Cookie: {c}\r\n"));
    raw(
        port,
        format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n{cookie}\r\n").as_bytes(),
    )
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn post(port: u16, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Answer {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    post_raw(port, path, cookie, body.as_bytes())
}

fn post_raw(port: u16, path: &str, cookie: Option<&str>, body: &[u8]) -> Answer {
    let cookie = cookie.map_or(String::new(), |c| format!("Cookie: {c}\r\n"));
    let mut request = format!(
        "POST {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n{cookie}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    raw(port, &request)
}

/// Logs in; gives the session cookie, or the refusal.
fn login(port: u16, name: &str, password: &str) -> Result<String, Answer> {
    login_to(port, name, password)
}

fn login_to(port: u16, name: &str, password: &str) -> Result<String, Answer> {
    let form = get(port, "/v/0/login", None);
    let anonymous = form.cookie().unwrap();
    let answer = post(
        port,
        "/v/0/login",
        Some(&anonymous),
        &[
            ("csrf", &form.csrf()),
            ("name", name),
            ("password", password),
        ],
    );
    if answer.status == 303 {
        Ok(answer.cookie().unwrap())
    } else {
        Err(answer)
    }
}

/// A refusal page's message: its code line and hint, as the person reads them.
fn message(answer: &Answer) -> String {
    let text = answer.text();
    let start = text.find("<div class=\"box error\"").unwrap_or(0);
    let end = text[start..]
        .find("</div></div>")
        .map_or(text.len(), |e| start + e);
    let inner = &text[start..end];
    let mut out = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => {
                in_tag = true;
                if !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    format!("HTTP {}\n{}", answer.status, lines.join("\n"))
}

/// A refusal: its status, its code on the page, and the page's message as a snapshot.
fn refusal(name: &str, answer: &Answer, status: u16, code: &str) {
    let shown = message(answer);
    assert_eq!(answer.status, status, "{name}: {shown}");
    assert!(shown.contains(&format!("错误[{code}]")), "{name}: {shown}");
    insta::assert_snapshot!(name, shown);
}

fn book_rows(dir: &Path, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(dir.join("积分账本.db")).unwrap();
    let mut statement = conn.prepare(sql).unwrap();
    statement
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A workbench folder: an index, a script, a wasm file, a style in a subfolder; a secret
/// beside it that must never be served.
fn web_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let web = dir.path().join("dist");
    std::fs::create_dir_all(web.join("assets")).unwrap();
    std::fs::write(
        web.join("index.html"),
        "<!DOCTYPE html><title>乡约工作台</title>",
    )
    .unwrap();
    std::fs::write(web.join("assets/app.js"), "console.log('乡约');").unwrap();
    std::fs::write(web.join("assets/core_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(web.join("assets/style.css"), "body{}").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "不该给人看的").unwrap();
    (dir, web)
}

/// Two texts equal, or the first line where they differ.
fn same(got: &str, want: &str, what: &str) {
    if got != want {
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{what}: differs at line {} (got {} lines, want {}): {:?} vs {:?}",
            line + 1,
            got.lines().count(),
            want.lines().count(),
            got.lines().nth(line),
            want.lines().nth(line)
        );
    }
}

/// A village built on its township's template: `/api/villages/{id}/templates` gives the
/// template found above its folder (as `xiangyue eval` finds it), under the name its 依据「…」
/// writes, so that the page checks and computes it as the command line does; a village on no
/// template gets `{}`.
#[test]
fn a_village_on_a_template_is_served_with_its_template() {
    let township = tempfile::tempdir().unwrap();
    let zetou = common::root().join("compacts/zetou-demo");
    std::fs::copy(zetou.join("镇模板.xy"), township.path().join("镇模板.xy")).unwrap();
    let village = township.path().join("dongshan");
    std::fs::create_dir(&village).unwrap();
    for file in ["dongshan.xy", "register.csv", "events.csv"] {
        std::fs::copy(zetou.join("dongshan").join(file), village.join(file)).unwrap();
    }
    let plain = tempfile::tempdir().unwrap();
    let sample = common::root().join("compacts/youxiqiao-demo");
    for file in ["youxiqiao.xy", "register.csv", "events.csv", "党员.csv"] {
        std::fs::copy(sample.join(file), plain.path().join(file)).unwrap();
    }
    let (_web_dir, web) = web_folder();
    let served = serve(&[village.as_path(), plain.path()], &web);

    let answer = get(served.port, "/api/villages/0/templates", None);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    let template = std::fs::read_to_string(zetou.join("镇模板.xy")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "泽头镇农村居民信用积分模板": template })
    );
    let answer = get(served.port, "/api/villages/1/templates", None);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "{}");
    // The template moved away: nothing to give, and the page's checker says E0147 as `check`.
    std::fs::remove_file(township.path().join("镇模板.xy")).unwrap();
    let answer = get(served.port, "/api/villages/0/templates", None);
    assert_eq!(answer.text(), "{}");
}

#[test]
fn the_data_api_equals_the_files_and_the_book() {
    let book = book_village();
    let plain = tempfile::tempdir().unwrap();
    let sample = common::root().join("compacts/youxiqiao-demo");
    for file in ["youxiqiao.xy", "register.csv", "党员.csv", "分红.txt"] {
        std::fs::copy(sample.join(file), plain.path().join(file)).unwrap();
    }
    // The plain folder's log in GB18030, as Excel saves it: the API gives it as UTF-8.
    let events = std::fs::read_to_string(sample.join("events.csv")).unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(&events);
    std::fs::write(plain.path().join("events.csv"), &gbk).unwrap();
    let (_web_dir, web) = web_folder();
    let served = serve(&[book.path(), plain.path()], &web);
    let port = served.port;

    let villages = get(port, "/api/villages", None);
    assert_eq!(villages.status, 200);
    assert!(
        villages
            .header("Content-Type")
            .unwrap()
            .starts_with("application/json")
    );
    let json: serde_json::Value = serde_json::from_slice(&villages.body).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"id": "0", "name": "油溪桥村", "has_book": true},
            {"id": "1", "name": "油溪桥村", "has_book": false}
        ])
    );

    let compact = std::fs::read_to_string(sample.join("youxiqiao.xy")).unwrap();
    // The API writes CSV lines ending in \n (the sample's files end theirs in \r\n).
    let register = std::fs::read_to_string(sample.join("register.csv"))
        .unwrap()
        .replace("\r\n", "\n");
    for id in ["0", "1"] {
        for what in ["compact", "adopted"] {
            let answer = get(port, &format!("/api/villages/{id}/{what}"), None);
            assert_eq!(answer.status, 200, "{id}/{what}: {}", answer.text());
            assert_eq!(
                answer.header("Content-Type"),
                Some("text/plain; charset=utf-8")
            );
            same(&answer.text(), &compact, &format!("{id}/{what}"));
        }
        let answer = get(port, &format!("/api/villages/{id}/register"), None);
        assert_eq!(
            answer.header("Content-Type"),
            Some("text/csv; charset=utf-8")
        );
        same(&answer.text(), &register, &format!("{id}/register"));
    }
    // The rosters (党员) and the amount to share, so that the page computes what eval computes.
    let members = std::fs::read_to_string(sample.join("党员.csv"))
        .unwrap()
        .replace("\r\n", "\n");
    let pool = std::fs::read_to_string(sample.join("分红.txt")).unwrap();
    for id in ["0", "1"] {
        let answer = get(port, &format!("/api/villages/{id}/rosters"), None);
        assert_eq!(answer.status, 200, "{id}/rosters: {}", answer.text());
        let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        let object = json.as_object().unwrap();
        assert_eq!(object.keys().collect::<Vec<_>>(), ["党员"], "{id}/rosters");
        same(
            object["党员"].as_str().unwrap(),
            &members,
            &format!("{id}/rosters"),
        );
        let answer = get(port, &format!("/api/villages/{id}/pool"), None);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.text().trim(), pool.trim(), "{id}/pool");
    }
    // A new version adopted for 2025: /compact stays the one in force today, /adopted is it.
    let revision = common::root().join("compacts/youxiqiao-demo-2025/youxiqiao-2025.xy");
    ok(
        book.path(),
        &[
            "adopt",
            ".",
            &revision.display().to_string(),
            "--vote",
            "赞成",
            "41",
            "反对",
            "3",
            "弃权",
            "2",
            "--date",
            "2024-12-20",
            "--by",
            "张会计",
        ],
    );
    same(
        &get(port, "/api/villages/0/compact", None).text(),
        &compact,
        "0/compact after adopt",
    );
    same(
        &get(port, "/api/villages/0/adopted", None).text(),
        &std::fs::read_to_string(&revision).unwrap(),
        "0/adopted after adopt",
    );
    // The plain folder: its GB18030 log, converted, is the sample's log to the byte.
    let answer = get(port, "/api/villages/1/events", None);
    assert_eq!(answer.status, 200);
    same(&answer.text(), &events.replace("\r\n", "\n"), "1/events");
    // The book: the 20 approved records, 编号 their ids in the book, the rest of each line as
    // the sample's (the columns in the compact's order).
    let answer = get(port, "/api/villages/0/events", None);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let text = answer.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 21, "{text}");
    assert!(
        lines[0].starts_with("编号,日期,户号,人员,事项"),
        "{}",
        lines[0]
    );
    let sample_lines: Vec<&str> = events.lines().collect();
    for (i, line) in lines.iter().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let original: Vec<&str> = sample_lines[i].split(',').collect();
        assert_eq!(cells[0], i.to_string());
        assert_eq!(&cells[1..3], &original[1..3], "line {i}: {line}");
    }

    // 期望：E0401
    let answer = get(port, "/api/villages/9/events", None);
    assert_eq!(answer.status, 404);
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(json["error"]["code"], "E0401");
    refusal(
        "E0401_unknown_village",
        &get(port, "/v/9/", None),
        404,
        "E0401",
    );
    // 期望：E0408
    refusal(
        "E0408_no_book",
        &get(port, "/v/1/pending", None),
        404,
        "E0408",
    );
    // 期望：E0409
    let answer = raw(
        port,
        format!("DELETE /api/villages HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(answer.status, 405);
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(json["error"]["code"], "E0409");
    refusal(
        "E0409_post_to_a_page",
        &post(port, "/v/0/publications", None, &[]),
        405,
        "E0409",
    );
}

#[test]
fn the_workbench_files_come_typed_and_nothing_outside_them() {
    let book = book_village();
    let (web_dir, web) = web_folder();
    let served = serve(&[book.path()], &web);
    let port = served.port;
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/core_bg.wasm", "application/wasm"),
        ("/assets/style.css", "text/css; charset=utf-8"),
    ] {
        let answer = get(port, path, None);
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.header("Content-Type"), Some(kind), "{path}");
        assert_eq!(answer.header("Cache-Control"), Some("no-cache"), "{path}");
        assert_eq!(answer.header("X-Content-Type-Options"), Some("nosniff"));
    }
    assert_eq!(
        get(port, "/assets/core_bg.wasm", None).body,
        b"\0asm\x01\0\0\0"
    );
    // Every spelling of a way out of the folder is refused, and the secret never shows.
    for path in [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/assets/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/assets/..%5c..%5csecret.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/.hidden",
        "/assets/%00.js",
    ] {
        let answer = get(port, path, None);
        assert!(
            answer.status == 400 || answer.status == 404,
            "{path}: {}",
            answer.status
        );
        assert!(!answer.text().contains("不该给人看的"), "{path}");
    }
    // A symbolic link inside the folder that points out of it is not followed out.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(web_dir.path().join("secret.txt"), web.join("link.txt"))
            .unwrap();
        let answer = get(port, "/link.txt", None);
        assert_eq!(answer.status, 404);
        assert!(!answer.text().contains("不该给人看的"));
    }
    // 期望：E0402
    refusal(
        "E0402_traversal",
        &get(port, "/%2e%2e/secret.txt", None),
        400,
        "E0402",
    );
    assert_eq!(get(port, "/nothing.js", None).status, 404);
    // The workbench's link 「办事」 (/clerk/) lists the villages, each to its clerks' pages.
    let clerk = get(port, "/clerk/", None);
    assert_eq!(clerk.status, 200);
    assert!(
        clerk.text().contains(r#"<a href="/v/0/">"#),
        "{}",
        clerk.text()
    );

    // Without the workbench built, / says how to build it.
    let empty = tempfile::tempdir().unwrap();
    drop(served);
    let served = serve(&[book.path()], empty.path());
    let answer = get(served.port, "/", None);
    assert_eq!(answer.status, 200);
    assert!(answer.text().contains("web/build.sh"), "{}", answer.text());
    assert!(answer.text().contains("/v/0/"));
}

#[test]
fn a_registrar_cannot_approve_and_a_reviewer_can() {
    let book = book_village();
    let v = book.path();
    let (_web_dir, web) = web_folder();
    let served = serve(&[v], &web);
    let port = served.port;

    // 期望：E0406
    let refused = login(port, "王审核", "不是这个密码-很长很长").unwrap_err();
    refusal("E0406_wrong_password", &refused, 401, "E0406");
    let refused = login(port, "没有这个人", REVIEWER_PASSWORD).unwrap_err();
    assert_eq!(refused.status, 401);
    // 期望：E0410
    for _ in 0..5 {
        assert_eq!(
            login(port, "张主任", "猜的密码-猜的密码")
                .unwrap_err()
                .status,
            401
        );
    }
    let paused = login(port, "张主任", ADMIN_PASSWORD).unwrap_err();
    refusal("E0410_too_many_logins", &paused, 429, "E0410");

    // 期望：E0407
    refusal(
        "E0407_not_logged_in",
        &get(port, "/v/0/pending", None),
        401,
        "E0407",
    );

    let registrar = login(port, "李登记", REGISTRAR_PASSWORD).unwrap();
    // The 登记员 registers one record, checked as `xiangyue record` checks it.
    let form = get(port, "/v/0/record", Some(&registrar));
    assert!(form.text().contains(r#"<option value="义务投工">"#));
    let mut fields = vec![
        ("csrf", form.csrf()),
        ("date", "2022-06-15".to_string()),
        ("household", "A001".to_string()),
        ("item", "义务投工".to_string()),
        ("fields", "天数=2".to_string()),
    ];
    let as_pairs =
        |f: &[(&'static str, String)]| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let send = |f: &[(&'static str, String)]| {
        let pairs = as_pairs(f);
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post(port, "/v/0/record", Some(&registrar), &refs)
    };
    let answer = send(&fields);
    assert_eq!(answer.status, 200, "{}", message(&answer));
    assert!(
        answer.text().contains("已登记记录 41，待审"),
        "{}",
        answer.text()
    );
    assert_eq!(
        book_rows(
            v,
            "SELECT by || ' ' || household || ' ' || item FROM records WHERE id = 41"
        ),
        vec!["李登记 A001 义务投工"]
    );
    // A 事项 the compact does not have: refused with the data's code, nothing written.
    fields[3].1 = "义务投公".to_string();
    let answer = send(&fields);
    assert_eq!(answer.status, 422);
    assert!(
        message(&answer).contains("错误[E02"),
        "{}",
        message(&answer)
    );
    assert!(
        answer.text().contains(r#"value="义务投公""#),
        "the form keeps what was typed"
    );
    assert!(book_rows(v, "SELECT id FROM records WHERE id = 42").is_empty());

    let page = get(port, "/v/0/pending", Some(&registrar));
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("待审的记录 21 条"), "{}", page.text());
    let csrf = page.csrf();
    // 期望：E0403
    let answer = post(
        port,
        "/v/0/review",
        Some(&registrar),
        &[("csrf", &csrf), ("records", "21"), ("decision", "通过")],
    );
    refusal("E0403_registrar_approves", &answer, 403, "E0403");
    assert!(message(&answer).contains("审核人"));
    assert!(
        book_rows(v, "SELECT by FROM reviews WHERE record = 21").is_empty(),
        "record 21 is still 待审"
    );

    let reviewer = login(port, "王审核", REVIEWER_PASSWORD).unwrap();
    let page = get(port, "/v/0/pending", Some(&reviewer));
    let csrf = page.csrf();
    // 期望：E0404
    let answer = post(
        port,
        "/v/0/review",
        Some(&reviewer),
        &[("records", "21"), ("decision", "通过")],
    );
    refusal("E0404_no_csrf_token", &answer, 403, "E0404");
    let answer = post(
        port,
        "/v/0/review",
        Some(&reviewer),
        &[
            ("csrf", &"0".repeat(64)),
            ("records", "21"),
            ("decision", "通过"),
        ],
    );
    assert_eq!(answer.status, 403);
    // Another session's token is not this one's.
    let other = get(port, "/v/0/pending", Some(&registrar)).csrf();
    let answer = post(
        port,
        "/v/0/review",
        Some(&reviewer),
        &[("csrf", &other), ("records", "21"), ("decision", "通过")],
    );
    assert_eq!(answer.status, 403);
    assert!(book_rows(v, "SELECT by FROM reviews WHERE record = 21").is_empty());

    let answer = post(
        port,
        "/v/0/review",
        Some(&reviewer),
        &[("csrf", &csrf), ("records", "21"), ("decision", "通过")],
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(
        answer
            .text()
            .contains("已审核：通过 1 条，驳回 0 条（审核人 王审核")
    );
    assert_eq!(
        book_rows(
            v,
            "SELECT by || ' ' || decision FROM reviews WHERE record = 21"
        ),
        vec!["王审核 通过"]
    );
    // A rejection needs its reason, and keeps it.
    let answer = post(
        port,
        "/v/0/review",
        Some(&reviewer),
        &[("csrf", &csrf), ("records", "22"), ("decision", "驳回")],
    );
    assert_eq!(answer.status, 400);
    let answer = post(
        port,
        "/v/0/review",
        Some(&reviewer),
        &[
            ("csrf", &csrf),
            ("records", "22"),
            ("decision", "驳回"),
            ("reason", "没有签字"),
        ],
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        book_rows(v, "SELECT reason FROM reviews WHERE record = 22"),
        vec!["没有签字"]
    );
    // The book's own refusal keeps its code: a record reviewed twice.
    let answer = post(
        port,
        "/v/0/review",
        Some(&reviewer),
        &[("csrf", &csrf), ("records", "21"), ("decision", "通过")],
    );
    assert_eq!(answer.status, 422);
    assert!(
        message(&answer).contains("错误[E0308]"),
        "{}",
        message(&answer)
    );

    // Logging out ends the session: its cookie no longer opens the clerks' pages.
    let answer = post(port, "/v/0/logout", Some(&reviewer), &[("csrf", &csrf)]);
    assert_eq!(answer.status, 303);
    assert_eq!(get(port, "/v/0/pending", Some(&reviewer)).status, 401);
    // The session cookie is HttpOnly, SameSite=Strict, Path=/.
    let form = get(port, "/v/0/login", None);
    let set = form.header("Set-Cookie").unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"));
}

#[test]
fn bad_requests_are_refused_in_words() {
    let book = book_village();
    let (_web_dir, web) = web_folder();
    let served = serve(&[book.path()], &web);
    let port = served.port;
    let registrar = login(port, "李登记", REGISTRAR_PASSWORD).unwrap();
    let csrf = get(port, "/v/0/pending", Some(&registrar)).csrf();
    // A form that is not UTF-8.
    let answer = post_raw(
        port,
        "/v/0/redeem",
        Some(&registrar),
        format!("csrf={csrf}&household=%FF%FE&points=1&item=x").as_bytes(),
    );
    assert_eq!(answer.status, 400);
    assert!(message(&answer).contains("E0402"));
    let answer = post_raw(port, "/v/0/redeem", Some(&registrar), b"csrf=\xff\xfe");
    assert_eq!(answer.status, 400);
    // A huge body, announced.
    // 期望：E0405
    let answer = raw(
        port,
        format!(
            "POST /v/0/redeem HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nCookie: {registrar}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\ncsrf=1"
        )
        .as_bytes(),
    );
    refusal("E0405_huge_body", &answer, 413, "E0405");
    // Not a form.
    let answer = raw(
        port,
        format!(
            "POST /v/0/redeem HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nCookie: {registrar}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}"
        )
        .as_bytes(),
    );
    assert_eq!(answer.status, 400);
    // A field missing.
    let answer = post(
        port,
        "/v/0/redeem",
        Some(&registrar),
        &[("csrf", &csrf), ("household", "A001")],
    );
    assert_eq!(answer.status, 400);
    assert!(message(&answer).contains("兑换的物品"));
    // Another host's name (DNS rebinding) is refused on loopback.
    let answer = raw(
        port,
        b"GET /api/villages HTTP/1.0\r\nHost: evil.example:80\r\n\r\n",
    );
    assert_eq!(answer.status, 400);
    // An overdraft: the book's refusal with the balance.
    let answer = post(
        port,
        "/v/0/redeem",
        Some(&registrar),
        &[
            ("csrf", &csrf),
            ("household", "A089"),
            ("points", "500"),
            ("item", "电饭锅"),
        ],
    );
    assert_eq!(answer.status, 422, "{}", answer.text());
    let shown = message(&answer);
    assert!(
        shown.contains("错误[E0309]") && shown.contains("余额"),
        "{shown}"
    );
    // Garbage on the wire: no answer or a 400 from tiny_http, never a dead server.
    for junk in [
        &b"\x00\x01\x02\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.0\r\n\r\n",
        b"POST /v/0/review HTTP/1.0\r\nContent-Length: -5\r\n\r\n",
    ] {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let _ = stream.write_all(junk);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    }
    let answer = get(port, "/%FF%FE", None);
    assert_eq!(answer.status, 400);
    // The server is still there.
    assert_eq!(get(port, "/api/villages", None).status, 200);
}

#[test]
fn two_reviewers_at_once_take_turns_in_the_book() {
    let book = book_village();
    let v = book.path();
    let (_web_dir, web) = web_folder();
    let served = serve(&[v], &web);
    let port = served.port;
    let workers: Vec<_> = [("21-30", "王审核"), ("31-40", "张主任")]
        .into_iter()
        .map(|(records, name)| {
            std::thread::spawn(move || {
                let password = if name == "王审核" {
                    REVIEWER_PASSWORD
                } else {
                    ADMIN_PASSWORD
                };
                let cookie = login(port, name, password).unwrap();
                let csrf = get(port, "/v/0/pending", Some(&cookie)).csrf();
                post(
                    port,
                    "/v/0/review",
                    Some(&cookie),
                    &[("csrf", &csrf), ("records", records), ("decision", "通过")],
                )
                .status
            })
        })
        .collect();
    for worker in workers {
        assert_eq!(worker.join().unwrap(), 200);
    }
    assert_eq!(
        book_rows(
            v,
            "SELECT by FROM reviews WHERE record > 20 ORDER BY record"
        )
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>(),
        [vec!["王审核"; 10], vec!["张主任"; 10]].concat()
    );
    ok(v, &["verify", "."]);
}

#[test]
fn a_publication_through_the_server_is_the_one_the_command_makes() {
    let by_command = book_village();
    let by_server = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(by_command.path()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), by_server.path().join(entry.file_name())).unwrap();
    }
    // The accounts' rows differ in their salts: the server's copy gets its own reviewer.
    let out = ok(
        by_command.path(),
        &["publish", ".", "--through", "2022-06-30", "--by", "王审核"],
    );
    let seal = out
        .lines()
        .find_map(|l| l.strip_prefix("封存（SHA-256）："))
        .unwrap()
        .to_string();
    let (_web_dir, web) = web_folder();
    let served = serve(&[by_server.path()], &web);
    let port = served.port;
    let reviewer = login(port, "王审核", REVIEWER_PASSWORD).unwrap();
    let page = get(port, "/v/0/publish", Some(&reviewer));
    assert_eq!(page.status, 200);
    let answer = post(
        port,
        "/v/0/publish",
        Some(&reviewer),
        &[
            ("csrf", &page.csrf()),
            ("through", "2022-06-30"),
            ("days", "7"),
        ],
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.text().contains(&seal), "{}", answer.text());
    let seals = book_rows(by_server.path(), "SELECT seal FROM publications");
    assert_eq!(seals, vec![seal.clone()]);
    let path_of = |dir: &Path| dir.join("积分账本.db").display().to_string();
    let by_cli = std::fs::read_to_string(by_command.path().join("公示-第1期.html"))
        .unwrap()
        .replace("./积分账本.db", "账本");
    let on_server = std::fs::read_to_string(by_server.path().join("公示-第1期.html"))
        .unwrap()
        .replace(&path_of(by_server.path()), "账本");
    same(&on_server, &by_cli, "公示表");
    // Anyone may read it, without logging in.
    let shown = get(port, "/v/0/publications/1", None);
    assert_eq!(shown.status, 200);
    same(
        &shown.text().replace(&path_of(by_server.path()), "账本"),
        &by_cli,
        "公示表 shown",
    );
    let list = get(port, "/v/0/publications", None);
    assert!(list.text().contains(&seal));
    // Without its file in the folder, the page is the standing sealed in the book.
    let kept = by_server.path().join("公示-第1期.html");
    let file = std::fs::read(&kept).unwrap();
    std::fs::remove_file(&kept).unwrap();
    let shown = get(port, "/v/0/publications/1", None);
    assert_eq!(shown.status, 200);
    assert!(shown.text().contains(&seal) && shown.text().contains("A089"));
    std::fs::write(&kept, file).unwrap();
    assert_eq!(get(port, "/v/0/publications/2", None).status, 404);
    // A 登记员 may not publish.
    let registrar = login(port, "李登记", REGISTRAR_PASSWORD).unwrap();
    let page = get(port, "/v/0/publish", Some(&registrar));
    let answer = post(
        port,
        "/v/0/publish",
        Some(&registrar),
        &[
            ("csrf", &page.csrf()),
            ("through", "2022-06-30"),
            ("days", "7"),
        ],
    );
    assert_eq!(answer.status, 403);
    assert_eq!(
        book_rows(by_server.path(), "SELECT seal FROM publications").len(),
        1
    );
    // An objection to a published record, registered by the 登记员 for a villager.
    let page = get(port, "/v/0/object", Some(&registrar));
    let answer = post(
        port,
        "/v/0/object",
        Some(&registrar),
        &[
            ("csrf", &page.csrf()),
            ("record", "5"),
            ("by", "郭秀福"),
            ("reason", "那天没有去"),
        ],
    );
    assert_eq!(answer.status, 200, "{}", message(&answer));
    assert!(answer.text().contains("已登记异议 1"), "{}", answer.text());
    assert_eq!(
        book_rows(
            by_server.path(),
            "SELECT by || '：' || reason FROM objections"
        ),
        vec!["郭秀福：那天没有去（李登记 经网页登记）"]
    );
    // Not a published record: the book's refusal, the form kept.
    let answer = post(
        port,
        "/v/0/object",
        Some(&registrar),
        &[
            ("csrf", &page.csrf()),
            ("record", "35"),
            ("by", "郭秀福"),
            ("reason", "记错了"),
        ],
    );
    assert_eq!(answer.status, 422);
    assert!(message(&answer).contains("E0310"), "{}", message(&answer));
    assert!(answer.text().contains(r#"value="35""#));
    // The objection waits on the 待审 page; a 登记员 may not resolve it, a 审核人 may.
    let page = get(port, "/v/0/pending", Some(&reviewer));
    assert!(page.text().contains("待处理的异议 1 件"), "{}", page.text());
    let fields = |csrf: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("objection".to_string(), "1".to_string()),
            ("decision".to_string(), "keep".to_string()),
            ("reason".to_string(), "经核实那天去了".to_string()),
        ]
    };
    let send = |cookie: &str, csrf: &str| {
        let owned = fields(csrf);
        let refs: Vec<(&str, &str)> = owned
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        post(port, "/v/0/resolve", Some(cookie), &refs)
    };
    let registrar_csrf = get(port, "/v/0/pending", Some(&registrar)).csrf();
    assert_eq!(send(&registrar, &registrar_csrf).status, 403);
    let answer = send(&reviewer, &page.csrf());
    assert_eq!(answer.status, 200, "{}", message(&answer));
    assert!(answer.text().contains("异议 1 不成立"), "{}", answer.text());
    assert_eq!(
        book_rows(
            by_server.path(),
            "SELECT decision || ' ' || by || ' ' || reason FROM resolutions"
        ),
        vec!["维持 王审核 经核实那天去了"]
    );
}

#[test]
fn an_administrator_manages_accounts_in_the_book() {
    let book = book_village();
    let v = book.path();
    let (_web_dir, web) = web_folder();
    let served = serve(&[v], &web);
    let port = served.port;
    let reviewer = login(port, "王审核", REVIEWER_PASSWORD).unwrap();
    assert_eq!(get(port, "/v/0/accounts", Some(&reviewer)).status, 403);
    let admin = login(port, "张主任", ADMIN_PASSWORD).unwrap();
    let page = get(port, "/v/0/accounts", Some(&admin));
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("李登记") && page.text().contains("王审核"));
    let csrf = page.csrf();
    let add = |password: &str| {
        post(
            port,
            "/v/0/accounts",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("op", "add"),
                ("name", "赵登记"),
                ("role", "登记员"),
                ("password", password),
            ],
        )
    };
    let weak = add("12345678");
    assert_eq!(weak.status, 422);
    assert!(message(&weak).contains("E0315"), "{}", message(&weak));
    let added = add("柿子树下-晒谷场-七月");
    assert_eq!(added.status, 200, "{}", message(&added));
    assert!(login(port, "赵登记", "柿子树下-晒谷场-七月").is_ok());
    assert_eq!(
        book_rows(
            v,
            "SELECT by || ' ' || role FROM accounts WHERE name = '赵登记'"
        ),
        vec!["张主任 登记员"]
    );
    // 停用: the account can no longer log in; the book keeps both rows.
    let answer = post(
        port,
        "/v/0/accounts",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("op", "role"),
            ("name", "赵登记"),
            ("role", "停用"),
        ],
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        login(port, "赵登记", "柿子树下-晒谷场-七月")
            .unwrap_err()
            .status,
        401
    );
    assert_eq!(
        book_rows(
            v,
            "SELECT role FROM accounts WHERE name = '赵登记' ORDER BY id"
        ),
        vec!["登记员", "停用"]
    );
    // The book's seals still hold (`verify`).
    ok(v, &["verify", "."]);
}

/// Runs `xiangyue user …` in `dir`, the password (if any) in XIANGYUE_PASSWORD.
fn user(dir: &Path, args: &[&str], password: Option<&str>) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xiangyue"));
    command
        .arg("user")
        .args(args)
        .current_dir(dir)
        .env("XIANGYUE_NOW", format!("{TODAY} 09:00:00"))
        .env_remove("XIANGYUE_PASSWORD")
        .stdin(Stdio::null());
    if let Some(password) = password {
        command.env("XIANGYUE_PASSWORD", password);
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn the_user_command_changes_what_the_server_accepts() {
    let book = book_village();
    let v = book.path();
    let (_web_dir, web) = web_folder();
    let served = serve(&[v], &web);
    let port = served.port;
    let (code, out, _) = user(v, &["list", "."], None);
    assert_eq!(code, 0);
    assert!(
        out.contains("王审核\t审核人") && out.contains("李登记\t登记员"),
        "{out}"
    );
    // An empty password (standard input closed) is refused, and nothing is written.
    let (code, _, err) = user(v, &["passwd", ".", "--name", "王审核"], None);
    assert_eq!(code, 1);
    assert!(
        err.contains("错误[E0315]") && err.contains("是空的"),
        "{err}"
    );
    // A new password: the old one no longer logs in.
    let (code, _, err) = user(
        v,
        &["passwd", ".", "--name", "王审核", "--by", "张主任"],
        Some("换了一个新的-很长的密码"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        login(port, "王审核", REVIEWER_PASSWORD).unwrap_err().status,
        401
    );
    let reviewer = login(port, "王审核", "换了一个新的-很长的密码").unwrap();
    assert_eq!(get(port, "/v/0/pending", Some(&reviewer)).status, 200);
    // A role that is not one, and an account that is not there.
    let (code, _, err) = user(
        v,
        &["role", ".", "--name", "王审核", "--role", "村长"],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("不是角色"), "{err}");
    let (code, _, err) = user(
        v,
        &["role", ".", "--name", "没有这人", "--role", "停用"],
        None,
    );
    assert_eq!(code, 1);
    assert!(err.contains("错误[E0316]"), "{err}");
    // 停用: no more logins; the role a 村民 gets reads the 公示 only.
    assert_eq!(
        user(
            v,
            &["role", ".", "--name", "王审核", "--role", "停用"],
            None
        )
        .0,
        0
    );
    assert_eq!(
        login(port, "王审核", "换了一个新的-很长的密码")
            .unwrap_err()
            .status,
        401
    );
    assert_eq!(
        user(
            v,
            &["role", ".", "--name", "李登记", "--role", "村民"],
            None
        )
        .0,
        0
    );
    let villager = login(port, "李登记", REGISTRAR_PASSWORD).unwrap();
    assert_eq!(get(port, "/v/0/pending", Some(&villager)).status, 403);
    assert_eq!(get(port, "/v/0/publications", Some(&villager)).status, 200);
    assert_eq!(
        book_rows(
            v,
            "SELECT name || ' ' || role || ' ' || by FROM accounts ORDER BY id"
        ),
        vec![
            "王审核 审核人 王审核",
            "李登记 登记员 李登记",
            "张主任 管理员 张主任",
            "王审核 审核人 张主任",
            "王审核 停用 王审核",
            "李登记 村民 李登记",
        ]
    );
}
