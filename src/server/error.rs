//! What the server refuses, and why (E04xx): each refusal has a code, a Chinese message that
//! names the place (the page, the village, the form), a hint, and an HTTP status. Pages show it
//! as HTML, `/api/` as JSON. A refusal of the book itself (E03xx, such as an overdraft) comes
//! from the command that was run and keeps its own code.

use miette::Diagnostic;
use thiserror::Error;

/// A request the server does not carry out.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum ServeError {
    /// E0401 — no such page, village or publication.
    #[error("没有{what}")]
    #[diagnostic(code(E0401), help("{hint}"))]
    NotFound {
        /// What was asked for, e.g. 「村 7」.
        what: String,
        /// Where to look.
        hint: String,
    },
    /// E0402 — a request that cannot be read: a malformed form, bad UTF-8, a missing field.
    #[error("请求有误：{reason}")]
    #[diagnostic(code(E0402), help("{hint}"))]
    BadRequest {
        /// What is wrong.
        reason: String,
        /// What to do.
        hint: String,
    },
    /// E0403 — logged in, but with a role that may not take this step.
    #[error("{step}要由{needs}来做；账号「{name}」是{role}")]
    #[diagnostic(
        code(E0403),
        help("请有这个角色的人登录后再做；角色由管理员用 xiangyue user role 设置")
    )]
    Forbidden {
        /// The step, e.g. 审核记录（通过、驳回）.
        step: String,
        /// The roles that may, e.g. 审核人或管理员.
        needs: String,
        /// Who is logged in.
        name: String,
        /// Their role.
        role: String,
    },
    /// E0404 — a form without this session's CSRF token (stale, or sent from another site).
    #[error("{form}已过期，或不是从本站的网页提交的，没有办理")]
    #[diagnostic(
        code(E0404),
        help("回到上一页，刷新（重新打开）以后再提交；登录过期了就重新登录")
    )]
    StaleForm {
        /// Which form.
        form: String,
    },
    /// E0405 — a request body larger than the server reads.
    #[error("请求太大（{size} 字节），超过 {limit} 字节，没有读取")]
    #[diagnostic(
        code(E0405),
        help("网页上的表单不会这么大；导入大批记录请用 xiangyue record --import")
    )]
    TooLarge {
        /// What was sent (or announced).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// E0406 — a wrong name or password (which one is not told).
    #[error("账号或密码不对，没有登录")]
    #[diagnostic(
        code(E0406),
        help("检查账号的名字和密码（区分大小写）；忘了密码请管理员用 xiangyue user passwd 重设")
    )]
    LoginFailed,
    /// E0407 — a clerk's page or step without logging in (or after the session expired).
    #[error("{step}要先登录（{village}）")]
    #[diagnostic(
        code(E0407),
        help("用登记员、审核人或管理员的账号登录；公示不用登录就能看")
    )]
    NotLoggedIn {
        /// The step.
        step: String,
        /// The village.
        village: String,
    },
    /// E0408 — a clerk's page for a village without a book.
    #[error("{village} 还没有积分账本，没有登记员的网页")]
    #[diagnostic(
        code(E0408),
        help("先建立账本：xiangyue init 村文件夹 --by 姓名，再用 xiangyue user add 建账号")
    )]
    NoBook {
        /// The village.
        village: String,
    },
    /// E0410 — too many wrong passwords for one account in a short time.
    #[error("账号「{name}」连续 {count} 次密码不对，{minutes} 分钟内不再接受它的登录")]
    #[diagnostic(
        code(E0410),
        help(
            "过一会儿再试；忘了密码请管理员用 xiangyue user passwd 重设。有人在猜密码时，请告诉管理员"
        )
    )]
    TooManyLogins {
        /// The account.
        name: String,
        /// Wrong passwords in a row.
        count: u32,
        /// How long it stays closed.
        minutes: u64,
    },
    /// E0409 — a method the page does not answer (e.g. DELETE, or POST to a file).
    #[error("{path} 不接受 {method} 请求")]
    #[diagnostic(code(E0409), help("网页用 GET 打开，表单用 POST 提交"))]
    Method {
        /// The path.
        path: String,
        /// The method.
        method: String,
    },
}

impl ServeError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ServeError::NotFound { .. } => "E0401",
            ServeError::BadRequest { .. } => "E0402",
            ServeError::Forbidden { .. } => "E0403",
            ServeError::StaleForm { .. } => "E0404",
            ServeError::TooLarge { .. } => "E0405",
            ServeError::LoginFailed => "E0406",
            ServeError::NotLoggedIn { .. } => "E0407",
            ServeError::NoBook { .. } => "E0408",
            ServeError::Method { .. } => "E0409",
            ServeError::TooManyLogins { .. } => "E0410",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            ServeError::NotFound { .. } | ServeError::NoBook { .. } => 404,
            ServeError::BadRequest { .. } => 400,
            ServeError::Forbidden { .. } | ServeError::StaleForm { .. } => 403,
            ServeError::TooLarge { .. } => 413,
            ServeError::LoginFailed | ServeError::NotLoggedIn { .. } => 401,
            ServeError::Method { .. } => 405,
            ServeError::TooManyLogins { .. } => 429,
        }
    }

    /// The hint.
    pub fn hint(&self) -> String {
        use miette::Diagnostic as _;
        self.help().map(|h| h.to_string()).unwrap_or_default()
    }

    /// A bad request in one call.
    pub fn bad(reason: impl Into<String>, hint: impl Into<String>) -> Self {
        ServeError::BadRequest {
            reason: reason.into(),
            hint: hint.into(),
        }
    }

    /// No such thing, in one call.
    pub fn not_found(what: impl Into<String>, hint: impl Into<String>) -> Self {
        ServeError::NotFound {
            what: what.into(),
            hint: hint.into(),
        }
    }
}
