//! The clerks' pages of a village with a book, under `/v/{id}/`:
//!
//! | page | who |
//! |---|---|
//! | `/v/{id}/` 本村首页, `publications` 公示 (list, each 公示表) | everyone, no login |
//! | `login`, `logout` | — |
//! | `pending` 待审 | 登记员, 审核人, 管理员 |
//! | `review` (POST: 通过 / 驳回 with reason), `publish` 公示本期, `resolve` (POST: 处理异议) | 审核人, 管理员 |
//! | `record` 登记 (one record), `object` 登记异议, `redeem` 积分超市 | 登记员, 管理员 |
//! | `accounts` 账号 | 管理员 |
//!
//! Each step runs the command line's own function (`cli::record::record`, `cli::review::review`,
//! `cli::publish::publish`, `cli::objection::object`, `cli::redeem::redeem`) with the
//! logged-in account as `--by`, its printed lines captured and shown: the page says exactly
//! what the terminal would, refusals with their E03xx codes included.

use std::path::PathBuf;

use super::error::ServeError;
use super::http::{Form, Reply, cookie, read_form, same_token};
use super::pages::{Viewer, csrf_field, error_page, escape, layout, message_box};
use super::sessions::Session;
use super::{Site, State};
use crate::book::Book;
use crate::book::accounts::{Action, NO_ACCOUNT, Role, password_matches};
use crate::cli::ErrorFormat;
use crate::cli::out::{Printed, captured};

/// A request's village, session and viewer.
struct Context<'a> {
    state: &'a State,
    site: &'a Site,
    token: Option<String>,
    session: Option<Session>,
    secure: bool,
}

impl Context<'_> {
    fn cookie_name(&self) -> String {
        format!("xiangyue{}", self.site.id)
    }

    fn viewer(&self) -> Viewer {
        Viewer {
            village: self.site.id.clone(),
            village_name: self.site.name.clone(),
            has_book: self.site.has_book(),
            account: self.session.as_ref().and_then(|s| s.account.clone()),
            csrf: self.session.as_ref().map(|s| s.csrf.clone()),
        }
    }

    fn refuse(&self, error: &ServeError) -> Reply {
        Reply::html(error.status(), error_page(error, &self.viewer()))
    }

    fn page(&self, status: u16, title: &str, body: &str) -> Reply {
        Reply::html(status, layout(title, &self.viewer(), body))
    }

    /// The account logged in, refused when none (E0407) or when its role may not (E0403).
    fn require(&self, action: Action) -> Result<(String, Role), ServeError> {
        let Some((name, role)) = self.session.as_ref().and_then(|s| s.account.clone()) else {
            return Err(ServeError::NotLoggedIn {
                step: action.words().to_string(),
                village: self.site.name.clone(),
            });
        };
        if !role.may(action) {
            return Err(ServeError::Forbidden {
                step: action.words().to_string(),
                needs: action
                    .roles()
                    .iter()
                    .map(|r| r.name())
                    .collect::<Vec<_>>()
                    .join("或"),
                name,
                role: role.name().to_string(),
            });
        }
        Ok((name, role))
    }

    /// The CSRF token of the session, refused when the form does not carry it (E0404).
    fn check_form(&self, form: &Form, what: &str) -> Result<(), ServeError> {
        let stale = || ServeError::StaleForm {
            form: what.to_string(),
        };
        let session = self.session.as_ref().ok_or_else(stale)?;
        match form.get("csrf") {
            Some(given) if same_token(given, &session.csrf) => Ok(()),
            _ => Err(stale()),
        }
    }

    fn set_cookie(&self, token: &str, seconds: u64) -> String {
        format!(
            "{}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={seconds}{}",
            self.cookie_name(),
            if self.secure { "; Secure" } else { "" }
        )
    }

    fn csrf(&self) -> String {
        self.session
            .as_ref()
            .map(|s| s.csrf.clone())
            .unwrap_or_default()
    }

    fn base(&self) -> String {
        format!("/v/{}", self.site.id)
    }

    fn folder(&self) -> PathBuf {
        self.site.folder.clone()
    }

    fn book(&self) -> Result<Book, Reply> {
        let (book, printed) =
            captured(|| crate::cli::book::open(&self.site.folder, ErrorFormat::Plain));
        book.map_err(|code| self.printed_refusal(code, &printed, "打开积分账本"))
    }

    /// A command's refusal as a page with its status: 422 for a refusal of the book (exit 1),
    /// 400 for a request it could not read (exit 2), 500 when the book could not be read or
    /// written (E0303).
    fn printed_refusal(&self, code: u8, printed: &Printed, title: &str) -> Reply {
        let text = format!("{}{}", printed.out, printed.err);
        self.page(
            status_of(code, &text),
            title,
            &format!(
                "{}<p><a href=\"{}/\">回到本村首页</a></p>",
                message_box(&text, true),
                self.base()
            ),
        )
    }
}

/// A field of a refused form, escaped, to fill the form again.
fn kept(form: &Form, name: &str) -> String {
    escape(form.get(name).unwrap_or(""))
}

/// The status of a command's exit code and printed text.
fn status_of(code: u8, text: &str) -> u16 {
    match code {
        0 => 200,
        _ if text.contains("E0303") => 500,
        crate::cli::EXIT_ERRORS => 422,
        _ => 400,
    }
}

/// The answer to `/v/{id}/…` (`rest` is what follows the id).
pub fn answer(
    state: &State,
    site: &Site,
    method: &str,
    rest: &[&str],
    query: &Form,
    request: &mut tiny_http::Request,
) -> Reply {
    let token = cookie(request, &format!("xiangyue{}", site.id));
    let session = token.as_deref().and_then(|t| {
        state
            .sessions
            .lock()
            .ok()
            .and_then(|mut s| s.get(t, &site.id))
    });
    let ctx = Context {
        state,
        site,
        token,
        session,
        secure: state.secure || request.secure(),
    };
    if !rest.is_empty() && !site.has_book() {
        return ctx.refuse(&ServeError::NoBook {
            village: site.name.clone(),
        });
    }
    let post = method == "POST";
    if method != "GET" && method != "HEAD" && !post {
        return ctx.refuse(&ServeError::Method {
            path: format!("/v/{}/{}", site.id, rest.join("/")),
            method: method.to_string(),
        });
    }
    let form = if post {
        match read_form(request) {
            Ok(form) => form,
            Err(error) => return ctx.refuse(&error),
        }
    } else {
        query.clone()
    };
    let result = match (rest, post) {
        ([], false) => Ok(home(&ctx)),
        (["login"], false) => Ok(login_page(&ctx, None)),
        (["login"], true) => login(&ctx, &form),
        (["logout"], true) => logout(&ctx, &form),
        (["pending"], false) => pending(&ctx, None),
        (["review"], true) => review(&ctx, &form),
        (["resolve"], true) => resolve(&ctx, &form),
        (["publish"], false) => publish_page(&ctx, None),
        (["publish"], true) => publish(&ctx, &form),
        (["publications"], false) => Ok(publications(&ctx)),
        (["publications", n], false) => Ok(publication(&ctx, n)),
        (["record"], false) => record_page(&ctx, None, &Form::default()),
        (["record"], true) => record(&ctx, &form),
        (["object"], false) => object_page(&ctx, None, &Form::default()),
        (["object"], true) => object(&ctx, &form),
        (["redeem"], false) => redeem_page(&ctx, None, &Form::default()),
        (["redeem"], true) => redeem(&ctx, &form),
        (["accounts"], false) => accounts_page(&ctx, None),
        (["accounts"], true) => accounts(&ctx, &form),
        (
            [
                "login" | "logout" | "pending" | "publications" | "review" | "publish" | "object"
                | "redeem",
                ..,
            ],
            _,
        ) => Err(ServeError::Method {
            path: format!("/v/{}/{}", site.id, rest.join("/")),
            method: method.to_string(),
        }),
        _ => Err(ServeError::not_found(
            format!("网页 /v/{}/{}", site.id, rest.join("/")),
            "从本村首页的链接打开",
        )),
    };
    result.unwrap_or_else(|error| ctx.refuse(&error))
}

/// 本村首页: what there is, and who is logged in.
fn home(ctx: &Context<'_>) -> Reply {
    let base = ctx.base();
    let mut body = String::new();
    if !ctx.site.has_book() {
        body.push_str(&format!(
            "<p>这个村（{}）还没有积分账本：工作台可以读它的乡约、户籍和事项记录，没有登记员的网页。</p><p>建立账本：<code>xiangyue init 村文件夹 --by 姓名</code>。</p>",
            escape(&ctx.site.folder.display().to_string())
        ));
        return ctx.page(200, "本村首页", &body);
    }
    if let Ok(book) = ctx.book() {
        let publications = book.publications().unwrap_or_default();
        match publications.last() {
            Some(last) => body.push_str(&format!(
                "<p>最近一次公示：<a href=\"{base}/publications/{0}\">第 {0} 期（截至 {1}）</a>，异议截止 {2}。</p>",
                last.id,
                escape(&last.through),
                escape(&last.deadline)
            )),
            None => body.push_str("<p>还没有公示。</p>"),
        }
        if ctx.session.as_ref().is_some_and(|s| s.account.is_some()) {
            let waiting = book.pending().map(|p| p.len()).unwrap_or(0);
            body.push_str(&format!(
                "<p><a href=\"{base}/pending\">待审的记录 {waiting} 条</a>。</p>"
            ));
        }
    }
    body.push_str(&format!(
        r#"<ul>
<li><a href="{base}/publications">公示</a>：各户积分、本期每一件事，谁都可以看，不用登录</li>
<li><a href="{base}/pending">待审</a>：登记员、审核人登录后看；审核人通过或驳回</li>
<li><a href="{base}/publish">公示本期</a>：审核人</li>
<li><a href="{base}/object">登记异议</a>、<a href="{base}/redeem">积分超市</a>：登记员</li>
</ul>"#
    ));
    if ctx.session.as_ref().is_none_or(|s| s.account.is_none()) {
        body.push_str(&format!(
            "<p><a href=\"{base}/login\">登记员、审核人登录</a></p>"
        ));
    }
    ctx.page(200, "本村首页", &body)
}

/// The login form; starts an anonymous session (for the form's CSRF token) when there is none.
fn login_page(ctx: &Context<'_>, problem: Option<&ServeError>) -> Reply {
    let base = ctx.base();
    if let Some((name, role)) = ctx.session.as_ref().and_then(|s| s.account.clone()) {
        return ctx.page(
            200,
            "登录",
            &format!(
                "<p>已经以「{}」（{}）登录。<a href=\"{base}/pending\">待审的记录</a></p>",
                escape(&name),
                role.name()
            ),
        );
    }
    let mut set_cookie = None;
    let session = match &ctx.session {
        Some(s) => Some(s.clone()),
        None => ctx
            .state
            .sessions
            .lock()
            .ok()
            .and_then(|mut s| s.start(&ctx.site.id, None, std::time::Duration::from_secs(3600)))
            .map(|(token, session)| {
                set_cookie = Some(ctx.set_cookie(&token, 3600));
                session
            }),
    };
    let csrf = session.map(|s| s.csrf).unwrap_or_default();
    let (status, message) = match problem {
        Some(error) => (
            error.status(),
            message_box(
                &format!("错误[{}] {error}\n提示：{}", error.code(), error.hint()),
                true,
            ),
        ),
        None => (200, String::new()),
    };
    let body = format!(
        r#"{message}<form method="post" action="{base}/login">
{csrf}
<label for="name">账号</label>
<input type="text" id="name" name="name" autocomplete="username" required autofocus>
<label for="password">密码</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<p><button type="submit">登录</button></p>
</form>
<p class="hint">账号由管理员用 <code>xiangyue user add</code> 建立。看公示不用登录：<a href="{base}/publications">公示</a>。</p>"#,
        csrf = csrf_field(&csrf)
    );
    let mut reply = Reply::html(status, layout("登录", &ctx.viewer(), &body));
    if let Some(cookie) = set_cookie {
        reply = reply.with("Set-Cookie", cookie);
    }
    reply
}

/// Wrong passwords in a row after which an account's logins pause.
const LOGIN_TRIES: u32 = 5;
/// How long they pause (counted from the first wrong password).
const LOGIN_PAUSE: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Checks the name and password (after 5 wrong ones in a row an account's logins pause for
/// 15 minutes, E0410); on success a new session replaces the anonymous one.
fn login(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "登录表单")?;
    let name = form.get("name").map(str::trim).unwrap_or("").to_string();
    let password = form.get("password").unwrap_or("");
    let key = (ctx.site.id.clone(), name.clone());
    if let Ok(failures) = ctx.state.failures.lock()
        && let Some((count, since)) = failures.get(&key)
        && *count >= LOGIN_TRIES
        && since.elapsed() < LOGIN_PAUSE
    {
        return Err(ServeError::TooManyLogins {
            name,
            count: *count,
            minutes: LOGIN_PAUSE.as_secs() / 60,
        });
    }
    let account = match ctx.book() {
        Ok(book) => book.account(&name).ok().flatten(),
        Err(reply) => return Ok(reply),
    };
    let (phc, role) = match &account {
        Some(a) => (a.password.as_str(), a.role()),
        None => (NO_ACCOUNT, None),
    };
    // The hash is checked even for an unknown name, so that the time taken does not tell.
    let matches = password_matches(phc, password);
    let Some(role) = role.filter(|_| matches && account.is_some() && !name.is_empty()) else {
        if let Ok(mut failures) = ctx.state.failures.lock() {
            if failures.len() > 10_000 {
                failures.retain(|_, (_, since)| since.elapsed() < LOGIN_PAUSE);
            }
            let entry = failures
                .entry(key)
                .or_insert((0, std::time::Instant::now()));
            if entry.1.elapsed() >= LOGIN_PAUSE {
                *entry = (0, std::time::Instant::now());
            }
            entry.0 += 1;
        }
        return Ok(login_page(ctx, Some(&ServeError::LoginFailed)));
    };
    if let Ok(mut failures) = ctx.state.failures.lock() {
        failures.remove(&key);
    }
    let mut sessions = ctx
        .state
        .sessions
        .lock()
        .map_err(|_| ServeError::bad("服务忙", "再试一次"))?;
    if let Some(old) = &ctx.token {
        sessions.end(old);
    }
    let lasts = ctx.state.session_length;
    let (token, _) = sessions
        .start(&ctx.site.id, Some((name, role)), lasts)
        .ok_or_else(|| ServeError::bad("无法取得随机数，没有登录", "再试一次"))?;
    let to = if role.may(Action::SeePending) {
        format!("{}/pending", ctx.base())
    } else {
        format!("{}/publications", ctx.base())
    };
    Ok(Reply::see_other(&to).with("Set-Cookie", ctx.set_cookie(&token, lasts.as_secs())))
}

fn logout(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "退出登录")?;
    if let (Some(token), Ok(mut sessions)) = (&ctx.token, ctx.state.sessions.lock()) {
        sessions.end(token);
    }
    Ok(Reply::see_other(&format!("{}/", ctx.base())).with(
        "Set-Cookie",
        format!(
            "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
            ctx.cookie_name(),
            if ctx.secure { "; Secure" } else { "" }
        ),
    ))
}

/// The most pending records listed on one page.
const LISTED: usize = 200;

/// 待审: the records waiting, each with 通过 and 驳回 (with a reason); `done` is the outcome
/// of a review just made (status, message, whether refused).
fn pending(ctx: &Context<'_>, done: Option<(u16, String, bool)>) -> Result<Reply, ServeError> {
    let (_, role) = ctx.require(Action::SeePending)?;
    let book = match ctx.book() {
        Ok(book) => book,
        Err(reply) => return Ok(reply),
    };
    let folder = ctx.folder();
    let (loaded, printed) = captured(|| {
        crate::cli::book::latest_village(
            &book,
            &folder,
            &crate::cli::book::folder_args(&folder, ErrorFormat::Plain),
        )
    });
    let registers = match loaded {
        Ok((_, registers, _)) => registers,
        Err(code) => return Ok(ctx.printed_refusal(code, &printed, "待审")),
    };
    let waiting = book
        .pending()
        .map_err(|e| ServeError::bad(e.to_string(), e.hint()))?;
    let base = ctx.base();
    let csrf = csrf_field(&ctx.csrf());
    let (status, mut body) = match done {
        Some((status, text, refused)) => (status, message_box(&text, refused)),
        None => (200, String::new()),
    };
    if !role.may(Action::Review) {
        body.push_str(&format!(
            "<p class=\"hint\">你是{}：可以看待审的记录；通过、驳回要由审核人或管理员来做。</p>",
            role.name()
        ));
    }
    body.push_str(&open_objections(ctx, &book));
    if waiting.is_empty() {
        body.push_str("<p>没有待审的记录。</p>");
        return Ok(ctx.page(status, "待审", &body));
    }
    let first = waiting.first().map_or(0, |r| r.id);
    let last = waiting.last().map_or(0, |r| r.id);
    body.push_str(&format!(
        r#"<p>待审的记录 {} 条{}。</p>
<form method="post" action="{base}/review" aria-label="成批审核">
{csrf}
<label for="records">成批审核：记录号（例如 17、1-200、3,5,9 或「全部」）</label>
<input type="text" id="records" name="records" placeholder="{}">
<label for="reason-all">驳回的理由（驳回时必填）</label>
<input type="text" id="reason-all" name="reason">
<p><button type="submit" name="decision" value="通过">通过</button>
<button type="submit" name="decision" value="驳回" class="secondary">驳回</button></p>
</form>
<div class="table"><table>
<caption>待审的记录</caption>
<thead><tr><th>记录</th><th>审核</th><th>编号</th><th>日期</th><th>户号</th><th>户主</th><th>事项</th><th>内容</th><th>登记</th><th>说明</th></tr></thead>
<tbody>
"#,
        waiting.len(),
        if waiting.len() > LISTED {
            format!("（列出前 {LISTED} 条）")
        } else {
            String::new()
        },
        if first == last {
            first.to_string()
        } else {
            format!("{first}-{last}")
        }
    ));
    for record in waiting.iter().take(LISTED) {
        let cells = crate::cli::review::record_cells(record, &registers);
        let mut cells = cells.iter();
        body.push_str(&format!(
            "<tr><td>{}</td>",
            escape(cells.next().map_or("", String::as_str))
        ));
        body.push_str(&format!(
            r#"<td><form method="post" action="{base}/review">{csrf}<input type="hidden" name="records" value="{id}"><button type="submit" name="decision" value="通过" aria-label="通过记录 {id}">通过</button><input type="text" name="reason" placeholder="驳回理由" aria-label="驳回记录 {id} 的理由"><button type="submit" name="decision" value="驳回" class="secondary" aria-label="驳回记录 {id}">驳回</button></form></td>"#,
            id = record.id
        ));
        for cell in cells {
            body.push_str(&format!("<td>{}</td>", escape(cell)));
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody></table></div>");
    Ok(ctx.page(status, "待审", &body))
}

/// 通过 or 驳回 the records of the form, by `xiangyue review`.
fn review(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "审核表单")?;
    let (name, _) = ctx.require(Action::Review)?;
    let records = form.required("records", "记录号")?;
    let decision = form.required("decision", "审核结果")?;
    let reason = form.get("reason").map(str::trim).unwrap_or("").to_string();
    let (approve, reject) = match decision.as_str() {
        "通过" => (vec![records], Vec::new()),
        "驳回" if reason.is_empty() => {
            return Err(ServeError::bad(
                "驳回要写理由",
                "在「驳回理由」里写明为什么驳回，再按「驳回」",
            ));
        }
        "驳回" => (Vec::new(), vec![records]),
        other => {
            return Err(ServeError::bad(
                format!("审核结果「{other}」不是「通过」或「驳回」"),
                "用网页上的「通过」「驳回」按钮",
            ));
        }
    };
    let args = crate::cli::review::ReviewArgs {
        village: ctx.folder(),
        approve,
        reject,
        reason: (!reason.is_empty()).then_some(reason),
        by: name,
        error_format: ErrorFormat::Plain,
    };
    let (code, printed) = captured(|| crate::cli::review::review(&args));
    let text = format!("{}{}", printed.out, printed.err);
    pending(ctx, Some((status_of(code, &text), text, code != 0)))
}

/// The form of 公示本期.
fn publish_page(ctx: &Context<'_>, done: Option<(u16, String)>) -> Result<Reply, ServeError> {
    let (_, role) = ctx.require(Action::SeePending)?;
    let (today, _) = captured(crate::cli::book::today_text);
    let today = today.unwrap_or_default();
    let (status, mut body) = match done {
        Some((status, text)) => (status, message_box(&text, status != 200)),
        None => (200, String::new()),
    };
    if !role.may(Action::Publish) {
        body.push_str("<p class=\"hint\">公示要由审核人或管理员来做。</p>");
    }
    body.push_str(&format!(
        r#"<p>算出截至某一天各户的积分（审核通过的记录），封存，生成可张贴的公示表。和 <code>xiangyue publish</code> 相同。</p>
<form method="post" action="{base}/publish">
{csrf}
<label for="through">截至哪一天</label>
<input type="date" id="through" name="through" value="{today}" required>
<label for="days">公示几天（异议期）</label>
<input type="number" id="days" name="days" value="7" min="1" max="90" required>
<p><button type="submit">公示</button></p>
</form>"#,
        base = ctx.base(),
        csrf = csrf_field(&ctx.csrf()),
        today = escape(&today)
    ));
    Ok(ctx.page(status, "公示本期", &body))
}

/// 公示 by `xiangyue publish` (the 公示表 written where the command writes it).
fn publish(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "公示表单")?;
    let (name, _) = ctx.require(Action::Publish)?;
    let through = form.required("through", "截至哪一天")?;
    let days_text = form.required("days", "公示几天")?;
    let days: i64 = days_text.parse().map_err(|_| {
        ServeError::bad(
            format!("公示几天的「{days_text}」不是整数"),
            "写 1 到 90 之间的整数，通常 5 到 7",
        )
    })?;
    let args = crate::cli::publish::PublishArgs {
        village: ctx.folder(),
        through,
        days,
        by: name,
        output: None,
        error_format: ErrorFormat::Plain,
    };
    let (code, printed) = captured(|| crate::cli::publish::publish(&args));
    let text = format!("{}{}", printed.out, printed.err);
    if code != 0 {
        return publish_page(ctx, Some((status_of(code, &text), text)));
    }
    let number = ctx
        .book()
        .ok()
        .and_then(|b| b.publications().ok())
        .and_then(|p| p.last().map(|p| p.id))
        .unwrap_or(0);
    let body = format!(
        "{}<p><a href=\"{}/publications/{number}\">看（打印）第 {number} 期公示表</a></p>",
        message_box(
            &text
                .lines()
                .filter(|l| !l.starts_with("公示表："))
                .collect::<Vec<_>>()
                .join("\n"),
            false
        ),
        ctx.base()
    );
    Ok(ctx.page(200, "已公示", &body))
}

/// 公示: every publication of the book.
fn publications(ctx: &Context<'_>) -> Reply {
    let book = match ctx.book() {
        Ok(book) => book,
        Err(reply) => return reply,
    };
    let list = match book.publications() {
        Ok(list) => list,
        Err(e) => return ctx.refuse(&ServeError::bad(e.to_string(), e.hint())),
    };
    let mut body = String::new();
    if list.is_empty() {
        body.push_str("<p>还没有公示。</p>");
        return ctx.page(200, "公示", &body);
    }
    body.push_str("<div class=\"table\"><table><caption>历次公示</caption><thead><tr><th>期</th><th>截至</th><th>年度</th><th>异议截止</th><th>公布</th><th>封存（SHA-256）</th></tr></thead><tbody>");
    for p in list.iter().rev() {
        body.push_str(&format!(
            "<tr><td><a href=\"{}/publications/{1}\">第 {1} 期</a></td><td>{2}</td><td>{3}</td><td>{4}</td><td>{5} {6}</td><td class=\"seal\">{7}</td></tr>",
            ctx.base(),
            p.id,
            escape(&p.through),
            p.period,
            escape(&p.deadline),
            escape(&p.by),
            escape(&p.at),
            escape(&p.seal)
        ));
    }
    body.push_str("</tbody></table></div>");
    ctx.page(200, "公示", &body)
}

/// One publication: its 公示表 as `xiangyue publish` wrote it (when the file in the village
/// folder carries the publication's seal), else the standing sealed in the book.
fn publication(ctx: &Context<'_>, number: &str) -> Reply {
    let not_found = || {
        ctx.refuse(&ServeError::not_found(
            format!("第 {number} 期公示"),
            format!("历次公示见 {}/publications", ctx.base()),
        ))
    };
    let Ok(id) = number.parse::<i64>() else {
        return not_found();
    };
    let book = match ctx.book() {
        Ok(book) => book,
        Err(reply) => return reply,
    };
    let Some(p) = book
        .publications()
        .ok()
        .and_then(|list| list.into_iter().find(|p| p.id == id))
    else {
        return not_found();
    };
    let file = ctx.site.folder.join(format!("公示-第{id}期.html"));
    if let Ok(html) = std::fs::read_to_string(&file)
        && html.contains(&p.seal)
    {
        return Reply::html(200, html);
    }
    let mut lines = p
        .content
        .lines()
        .skip(1)
        .map(crate::report::publication::standing_fields);
    let mut body = format!(
        "<p>截至 {}，异议截止 {}；{} 于 {} 公布。</p><p>封存（SHA-256）：<span class=\"seal\">{}</span></p>",
        escape(&p.through),
        escape(&p.deadline),
        escape(&p.by),
        escape(&p.at),
        escape(&p.seal)
    );
    if let Some(first) = lines.next() {
        body.push_str("<div class=\"table\"><table><thead><tr>");
        for key in first.keys() {
            body.push_str(&format!("<th>{}</th>", escape(key)));
        }
        body.push_str("</tr></thead><tbody>");
        for fields in std::iter::once(first).chain(lines) {
            body.push_str("<tr>");
            for value in fields.values() {
                body.push_str(&format!("<td>{}</td>", escape(value)));
            }
            body.push_str("</tr>");
        }
        body.push_str("</tbody></table></div>");
    }
    ctx.page(200, &format!("第 {id} 期公示"), &body)
}

/// The form of 登记异议.
fn object_page(
    ctx: &Context<'_>,
    done: Option<(u16, String)>,
    form: &Form,
) -> Result<Reply, ServeError> {
    ctx.require(Action::SeePending)?;
    let (status, mut body) = match done {
        Some((status, text)) => (status, message_box(&text, status != 200)),
        None => (200, String::new()),
    };
    body.push_str(&format!(
        r#"<p>村民对公示中的一件事有异议时，按公示表上的记录号登记（公示期内）。和 <code>xiangyue object</code> 相同。</p>
<form method="post" action="{base}/object">
{csrf}
<label for="record">记录号（公示表上每一项后面的「记录 N」）</label>
<input type="number" id="record" name="record" min="1" required value="{record}">
<label for="by">提出异议的人</label>
<input type="text" id="by" name="by" required value="{by}">
<label for="reason">理由</label>
<textarea id="reason" name="reason" rows="3" required>{reason}</textarea>
<p><button type="submit">登记异议</button></p>
</form>"#,
        base = ctx.base(),
        csrf = csrf_field(&ctx.csrf()),
        record = kept(form, "record"),
        by = kept(form, "by"),
        reason = kept(form, "reason"),
    ));
    Ok(ctx.page(status, "登记异议", &body))
}

/// 登记异议 by `xiangyue object`: the objector as `--by`, the clerk who registered it named in
/// the reason.
fn object(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "异议表单")?;
    let (name, _) = ctx.require(Action::Object)?;
    let record_text = form.required("record", "记录号")?;
    let record: i64 = record_text.parse().map_err(|_| {
        ServeError::bad(
            format!("记录号「{record_text}」不是整数"),
            "写公示表上的记录号，例如 3183",
        )
    })?;
    let by = form.required("by", "提出异议的人")?;
    let reason = form.required("reason", "理由")?;
    let args = crate::cli::objection::ObjectArgs {
        village: ctx.folder(),
        record,
        by,
        reason: format!("{reason}（{name} 经网页登记）"),
        error_format: ErrorFormat::Plain,
    };
    let (code, printed) = captured(|| crate::cli::objection::object(&args));
    let text = format!("{}{}", printed.out, printed.err);
    let keep = if code == 0 {
        Form::default()
    } else {
        form.clone()
    };
    object_page(ctx, Some((status_of(code, &text), text)), &keep)
}

/// The form of 积分超市.
fn redeem_page(
    ctx: &Context<'_>,
    done: Option<(u16, String)>,
    form: &Form,
) -> Result<Reply, ServeError> {
    ctx.require(Action::SeePending)?;
    let (status, mut body) = match done {
        Some((status, text)) => (status, message_box(&text, status != 200)),
        None => (200, String::new()),
    };
    body.push_str(&format!(
        r#"<p>按乡约核对这一户兑换账户此刻的余额，够就兑换并记入账本，不够就拒绝并说明余额。和 <code>xiangyue redeem</code> 相同。</p>
<form method="post" action="{base}/redeem">
{csrf}
<label for="household">户号</label>
<input type="text" id="household" name="household" required value="{household}">
<label for="item">兑换的物品</label>
<input type="text" id="item" name="item" required value="{item}">
<label for="count">件数（按价目表兑换时；不填为 1 件）</label>
<input type="text" id="count" name="count" inputmode="numeric" value="{count}">
<label for="points">用掉多少积分（乡约有价目表时不用填，按价目表计）</label>
<input type="text" id="points" name="points" inputmode="decimal" value="{points}">
<p><button type="submit">兑换</button></p>
</form>"#,
        base = ctx.base(),
        csrf = csrf_field(&ctx.csrf()),
        household = kept(form, "household"),
        points = kept(form, "points"),
        count = kept(form, "count"),
        item = kept(form, "item"),
    ));
    Ok(ctx.page(status, "积分超市", &body))
}

/// 兑换 by `xiangyue redeem` (refused with the balance when it is not enough: E0309).
fn redeem(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "兑换表单")?;
    let (name, _) = ctx.require(Action::Redeem)?;
    let args = crate::cli::redeem::RedeemArgs {
        village: ctx.folder(),
        household: form.required("household", "户号")?,
        points: form
            .get("points")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string),
        count: form
            .get("count")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string),
        item: form.required("item", "兑换的物品")?,
        by: name,
        date: None,
        error_format: ErrorFormat::Plain,
    };
    let (code, printed) = captured(|| crate::cli::redeem::redeem(&args));
    let text = format!("{}{}", printed.out, printed.err);
    let keep = if code == 0 {
        Form::default()
    } else {
        form.clone()
    };
    redeem_page(ctx, Some((status_of(code, &text), text)), &keep)
}

/// The role choices of the accounts page, `current` selected.
fn role_options(current: &str) -> String {
    ["登记员", "审核人", "管理员", "村民", "停用"]
        .iter()
        .map(|r| {
            format!(
                "<option{}>{r}</option>",
                if *r == current { " selected" } else { "" }
            )
        })
        .collect()
}

/// 账号 (管理员): the accounts and their roles, a form to add one, and per account a new role
/// (or 停用) and a new password.
fn accounts_page(
    ctx: &Context<'_>,
    done: Option<(u16, String, bool)>,
) -> Result<Reply, ServeError> {
    ctx.require(Action::ManageAccounts)?;
    let book = match ctx.book() {
        Ok(book) => book,
        Err(reply) => return Ok(reply),
    };
    let list = book
        .accounts()
        .map_err(|e| ServeError::bad(e.to_string(), e.hint()))?;
    let (status, mut body) = match done {
        Some((status, text, refused)) => (status, message_box(&text, refused)),
        None => (200, String::new()),
    };
    let base = ctx.base();
    let csrf = csrf_field(&ctx.csrf());
    body.push_str("<p>和 <code>xiangyue user</code> 相同：账号存在积分账本里，每一次建立、改角色、改密码都是账本里的一行，写明是谁做的。</p>");
    body.push_str("<div class=\"table\"><table><caption>账号</caption><thead><tr><th>账号</th><th>角色</th><th>最近一次变动</th><th>改角色</th><th>重设密码</th></tr></thead><tbody>");
    for account in &list {
        body.push_str(&format!(
            r#"<tr><td>{name}</td><td>{role}</td><td>{by} {at}</td><td><form method="post" action="{base}/accounts">{csrf}<input type="hidden" name="op" value="role"><input type="hidden" name="name" value="{name}"><select name="role" aria-label="{name} 的新角色">{options}</select><button type="submit">改</button></form></td><td><form method="post" action="{base}/accounts">{csrf}<input type="hidden" name="op" value="passwd"><input type="hidden" name="name" value="{name}"><input type="password" name="password" autocomplete="new-password" aria-label="{name} 的新密码"><button type="submit">重设</button></form></td></tr>"#,
            name = escape(&account.name),
            role = escape(&account.role),
            by = escape(&account.by),
            at = escape(&account.at),
            options = role_options(&account.role),
        ));
    }
    body.push_str("</tbody></table></div>");
    body.push_str(&format!(
        r#"<h3>新建账号</h3>
<form method="post" action="{base}/accounts">
{csrf}
<input type="hidden" name="op" value="add">
<label for="new-name">账号（姓名）</label>
<input type="text" id="new-name" name="name" required>
<label for="new-role">角色</label>
<select id="new-role" name="role">{options}</select>
<label for="new-password">密码（至少 8 个字符）</label>
<input type="password" id="new-password" name="password" autocomplete="new-password" required>
<p><button type="submit">建立</button></p>
</form>"#,
        options = role_options("登记员"),
    ));
    Ok(ctx.page(status, "账号", &body))
}

/// Adds an account, or changes one's role or password, as `xiangyue user` does.
fn accounts(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "账号表单")?;
    let (admin, _) = ctx.require(Action::ManageAccounts)?;
    let name = form.required("name", "账号")?;
    let op = form.required("op", "做什么")?;
    let mut book = match ctx.book() {
        Ok(book) => book,
        Err(reply) => return Ok(reply),
    };
    let (at, _) = captured(crate::cli::book::now);
    let at = at.map_err(|_| ServeError::bad("时间读不出来", "检查环境变量 XIANGYUE_NOW"))?;
    let done = match op.as_str() {
        "add" => {
            let role = form.required("role", "角色")?;
            let password = form.get("password").unwrap_or("");
            book.add_account(&name, &role, password, &admin, &at)
                .map(|_| format!("已建立账号「{name}」（{role}，{admin} 于 {at} 建立）。"))
        }
        "role" => {
            let role = form.required("role", "角色")?;
            book.change_role(&name, &role, &admin, &at)
                .map(|_| format!("账号「{name}」的角色改为 {role}（{admin}，{at}）。"))
        }
        "passwd" => {
            let password = form.get("password").unwrap_or("");
            book.change_password(&name, password, &admin, &at)
                .map(|_| format!("已重设账号「{name}」的密码（{admin}，{at}）。"))
        }
        other => {
            return Err(ServeError::bad(
                format!("不认识的操作「{other}」"),
                "用账号页上的按钮",
            ));
        }
    };
    drop(book);
    match done {
        Ok(text) => accounts_page(ctx, Some((200, text, false))),
        Err(error) => {
            let text = format!("错误[{}] {error}\n提示：{}", error.code(), error.hint());
            let status = if error.code() == "E0303" { 500 } else { 422 };
            accounts_page(ctx, Some((status, text, true)))
        }
    }
}

/// The form of 登记 (one record, as `xiangyue record --date … --household … --item …`), with
/// the compact's 事项 offered as the item's choices.
fn record_page(
    ctx: &Context<'_>,
    done: Option<(u16, String)>,
    form: &Form,
) -> Result<Reply, ServeError> {
    ctx.require(Action::SeePending)?;
    let (status, mut body) = match done {
        Some((status, text)) => (status, message_box(&text, status != 200)),
        None => (200, String::new()),
    };
    let items: Vec<String> = ctx
        .book()
        .ok()
        .and_then(|b| b.compacts().ok())
        .and_then(|mut v| v.pop())
        .and_then(|v| {
            crate::cli::diagnostics::compile_at(&ctx.site.folder.join(&v.file), &v.text).compact
        })
        .map(|c| {
            c.events
                .iter()
                .map(|e| {
                    let fields: Vec<String> = e.fields.iter().map(|f| f.name.clone()).collect();
                    format!(
                        "<option value=\"{}\">{}</option>",
                        escape(&e.name),
                        escape(&fields.join("、"))
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let (today, _) = captured(crate::cli::book::today_text);
    let date = match form.get("date") {
        Some(date) => escape(date),
        None => escape(&today.unwrap_or_default()),
    };
    body.push_str(&format!(
        r#"<p>登记一条事项记录（待审），按乡约检查，和 <code>xiangyue record 村 --date … --household … --item … --field 字段=值</code> 相同。成批的记录用 <code>xiangyue record 村 --import 文件</code> 导入。</p>
<form method="post" action="{base}/record">
{csrf}
<label for="date">日期</label>
<input type="date" id="date" name="date" required value="{date}">
<label for="household">户号</label>
<input type="text" id="household" name="household" required value="{household}">
<label for="person">人员编号（名册上的人的事项才填）</label>
<input type="text" id="person" name="person" value="{person}">
<label for="item">事项</label>
<input type="text" id="item" name="item" list="items" required value="{item}">
<datalist id="items">{items}</datalist>
<label for="fields">字段（每行一个，写成 字段=值，例如 天数=2）</label>
<textarea id="fields" name="fields" rows="3">{fields}</textarea>
<label for="note">备注</label>
<input type="text" id="note" name="note" value="{note}">
<p><button type="submit">登记</button></p>
</form>"#,
        base = ctx.base(),
        csrf = csrf_field(&ctx.csrf()),
        household = kept(form, "household"),
        person = kept(form, "person"),
        item = kept(form, "item"),
        fields = kept(form, "fields"),
        note = kept(form, "note"),
        items = items.join(""),
    ));
    Ok(ctx.page(status, "登记", &body))
}

/// 登记 one record by `xiangyue record` (待审 until reviewed).
fn record(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "登记表单")?;
    let (name, _) = ctx.require(Action::Register)?;
    let optional = |field: &str| {
        form.get(field)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let args = crate::cli::record::RecordArgs {
        village: ctx.folder(),
        import: None,
        by: name,
        date: Some(form.required("date", "日期")?),
        household: Some(form.required("household", "户号")?),
        person: optional("person"),
        item: Some(form.required("item", "事项")?),
        fields: form
            .get("fields")
            .unwrap_or("")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        number: None,
        note: optional("note"),
        reject_file: None,
        encoding: "auto".to_string(),
        sheet: None,
        allow_future: false,
        reviewed_by: None,
        error_format: ErrorFormat::Plain,
    };
    let (code, printed) = captured(|| crate::cli::record::record(&args));
    let text = format!("{}{}", printed.out, printed.err);
    let keep = if code == 0 {
        Form::default()
    } else {
        form.clone()
    };
    record_page(ctx, Some((status_of(code, &text), text)), &keep)
}

/// The objections not yet resolved, each with a form to resolve it (审核人).
fn open_objections(ctx: &Context<'_>, book: &Book) -> String {
    let resolutions = book.resolutions().unwrap_or_default();
    let open: Vec<_> = book
        .objections()
        .unwrap_or_default()
        .into_iter()
        .filter(|o| !resolutions.iter().any(|r| r.objection == o.id))
        .collect();
    if open.is_empty() {
        return String::new();
    }
    let base = ctx.base();
    let csrf = csrf_field(&ctx.csrf());
    let mut html = format!(
        "<div class=\"table\"><table><caption>待处理的异议 {} 件</caption><thead><tr><th>异议</th><th>记录</th><th>公示</th><th>提出</th><th>理由</th><th>处理（和 xiangyue resolve 相同）</th></tr></thead><tbody>",
        open.len()
    );
    for o in &open {
        html.push_str(&format!(
            r#"<tr><td>{id}</td><td>{record}</td><td>第 {publication} 次</td><td>{by} {at}</td><td>{reason}</td><td><form method="post" action="{base}/resolve">{csrf}<input type="hidden" name="objection" value="{id}"><select name="decision" aria-label="异议 {id} 的处理"><option value="keep">维持（异议不成立）</option><option value="correct">更正</option><option value="cancel">撤销记录</option></select><input type="text" name="correct" placeholder="更正：字段=值" aria-label="异议 {id} 的更正"><input type="text" name="reason" placeholder="处理的理由" required aria-label="异议 {id} 的处理理由"><button type="submit">处理</button></form></td></tr>"#,
            id = o.id,
            record = o.record,
            publication = o.publication,
            by = escape(&o.by),
            at = escape(&o.at),
            reason = escape(&o.reason),
        ));
    }
    html.push_str("</tbody></table></div>");
    html
}

/// 处理异议 by `xiangyue resolve` (维持, 更正 字段=值, or 撤销), with its effect on every
/// household as the command prints it.
fn resolve(ctx: &Context<'_>, form: &Form) -> Result<Reply, ServeError> {
    ctx.check_form(form, "处理异议的表单")?;
    let (name, _) = ctx.require(Action::Resolve)?;
    let objection_text = form.required("objection", "异议")?;
    let objection: i64 = objection_text.parse().map_err(|_| {
        ServeError::bad(
            format!("异议编号「{objection_text}」不是整数"),
            "用待审页上异议后面的「处理」按钮",
        )
    })?;
    let decision = form.required("decision", "处理")?;
    let reason = form.required("reason", "处理的理由")?;
    let correct: Vec<String> = form
        .get("correct")
        .unwrap_or("")
        .split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let (keep, cancel) = match decision.as_str() {
        "keep" => (true, false),
        "cancel" => (false, true),
        "correct" if !correct.is_empty() => (false, false),
        "correct" => {
            return Err(ServeError::bad(
                "更正要写 字段=值",
                "在「更正」里写明改成什么，例如 天数=1",
            ));
        }
        other => {
            return Err(ServeError::bad(
                format!("不认识的处理「{other}」"),
                "选 维持、更正 或 撤销",
            ));
        }
    };
    let args = crate::cli::objection::ResolveArgs {
        village: ctx.folder(),
        objection,
        keep,
        correct: if keep || cancel { Vec::new() } else { correct },
        cancel,
        reason,
        by: name,
        pool: None,
        error_format: ErrorFormat::Plain,
    };
    let (code, printed) = captured(|| crate::cli::objection::resolve(&args));
    let text = format!("{}{}", printed.out, printed.err);
    pending(ctx, Some((status_of(code, &text), text, code != 0)))
}
