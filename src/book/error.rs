//! What the book refuses, and why: every refusal has a code (E03xx), the place (the book, a
//! record, a publication) and a hint, like the compact's and the data's diagnostics.

use miette::Diagnostic;
use thiserror::Error;

/// A refusal or failure of the village's book. The book is never left half-changed: each
/// change is one transaction, and an error rolls it back.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum BookError {
    /// E0301 — the folder has no book yet.
    #[error("{folder} 里还没有积分账本")]
    #[diagnostic(
        code(E0301),
        help("先建立账本：xiangyue init {folder}（用文件夹里的乡约和户籍）")
    )]
    NoBook {
        /// The village folder.
        folder: String,
    },
    /// E0302 — `init` on a folder that already has a book.
    #[error("{path} 已经有积分账本，不能再建一次")]
    #[diagnostic(
        code(E0302),
        help(
            "账本里的记录是村里的账，不能覆盖；要换乡约用 xiangyue adopt，要看账本用 xiangyue pending"
        )
    )]
    BookExists {
        /// The book's file.
        path: String,
    },
    /// E0303 — SQLite could not read or write the book: a read-only file, a full disk, a
    /// damaged file, another program holding it too long.
    #[error("无法{action}积分账本 {path}：{reason}")]
    #[diagnostic(code(E0303), help("{hint}"))]
    Storage {
        /// The book's file.
        path: String,
        /// 读取 or 写入.
        action: String,
        /// Why, in words.
        reason: String,
        /// What to do.
        hint: String,
    },
    /// E0304 — the book was made by a newer xiangyue.
    #[error(
        "积分账本 {path} 是较新版本的 xiangyue 建立的（账本格式第 {found} 版，本程序认识到第 {known} 版）"
    )]
    #[diagnostic(
        code(E0304),
        help("请升级 xiangyue 后再打开；旧版本不改动新格式的账本")
    )]
    NewerBook {
        /// The book's file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest this program knows.
        known: i64,
    },
    /// E0305 — the same file imported twice.
    #[error("{file} 已于 {at} 由 {by} 导入过（第 {batch} 批，{rows} 条记录），不再导入")]
    #[diagnostic(
        code(E0305),
        help("同一份文件导入两次会把记录算两遍；只补登新的记录时，把新记录放进另一份文件导入")
    )]
    AlreadyImported {
        /// The file.
        file: String,
        /// When it was imported.
        at: String,
        /// By whom.
        by: String,
        /// The batch number.
        batch: i64,
        /// How many records it brought.
        rows: i64,
    },
    /// E0306 — a record's 编号 is already in the book.
    #[error("{file} 第 {line} 行：编号「{number}」已在账本中（记录 {id}，{at} 由 {by} 登记）")]
    #[diagnostic(
        code(E0306),
        help("编号一条记录只能用一次；这一行若是同一件事，不要再登记；若是另一件事，给它新的编号")
    )]
    NumberInBook {
        /// The file.
        file: String,
        /// Its line.
        line: u64,
        /// The 编号.
        number: String,
        /// The book's record.
        id: i64,
        /// When that one was registered.
        at: String,
        /// By whom.
        by: String,
    },
    /// E0307 — no such record (or objection, or publication).
    #[error("账本里没有{what} {id}")]
    #[diagnostic(code(E0307), help("{hint}"))]
    NotFound {
        /// 记录, 异议 or 公示.
        what: String,
        /// The id asked for.
        id: String,
        /// Where to look.
        hint: String,
    },
    /// E0308 — a record already reviewed (or superseded, or an objection resolved).
    #[error("{what}已于 {at} 由 {by} {decision}，不能再改")]
    #[diagnostic(code(E0308), help("{hint}"))]
    AlreadyDecided {
        /// The thing, e.g. 「记录 17 」.
        what: String,
        /// When.
        at: String,
        /// By whom.
        by: String,
        /// What was decided, e.g. 审核为通过.
        decision: String,
        /// What to do instead.
        hint: String,
    },
    /// E0309 — a redemption above the balance.
    #[error("{household}（{head}）{account}余额 {balance} 分，不够兑换 {points} 分")]
    #[diagnostic(
        code(E0309),
        help(
            "余额按乡约、截至 {date} 已审核通过的记录算出；差 {short} 分。可以少兑换一些，或等新的积分审核通过后再兑换"
        )
    )]
    Overdraft {
        /// The household.
        household: String,
        /// Its head's name.
        head: String,
        /// The account spent from.
        account: String,
        /// The balance.
        balance: String,
        /// Asked for.
        points: String,
        /// What is missing.
        short: String,
        /// As of.
        date: String,
    },
    /// E0310 — an objection to a record that is not on show.
    #[error("{reason}")]
    #[diagnostic(code(E0310), help("{hint}"))]
    NotOnShow {
        /// Why not.
        reason: String,
        /// What to do.
        hint: String,
    },
    /// E0311 — a new compact that would take effect inside a period.
    #[error("新版乡约 {effective} 生效，在{period}的中间")]
    #[diagnostic(
        code(E0311),
        help(
            "积分按年度累计（上限、次数、连续），一个年度只能用一个版本；把新版的「生效」改为 {next}（下一年度的第一天），或在本年度开始前表决"
        )
    )]
    MidPeriod {
        /// The new version's effective date.
        effective: String,
        /// The period it falls in.
        period: String,
        /// The next period's first day.
        next: String,
    },
    /// E0312 — a publication out of order.
    #[error("{reason}")]
    #[diagnostic(code(E0312), help("{hint}"))]
    PublicationOrder {
        /// Why not.
        reason: String,
        /// What to do.
        hint: String,
    },
    /// E0314 — `verify` found the book not as it was sealed.
    #[error("核验不通过：积分账本 {path} 有 {count} 处与封存不符")]
    #[diagnostic(
        code(E0314),
        help(
            "账本只能由 xiangyue 追加；这些改动是绕过程序做的。用备份或张贴过的公示表（印着封存值）核对，查明是谁改的；在查清以前不要再公示"
        )
    )]
    Tampered {
        /// The book's file.
        path: String,
        /// How many findings.
        count: usize,
    },
    /// E0315 — a password too weak (or empty) for a clerk's account.
    #[error("账号「{name}」的密码{reason}")]
    #[diagnostic(
        code(E0315),
        help(
            "密码至少 8 个字符，不要用姓名、村名、生日或 12345678 这样的常见密码；可以用几个词连起来，如「油溪桥-三月-晴天」"
        )
    )]
    WeakPassword {
        /// The account.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// E0316 — an account added twice, or changed when it does not exist.
    #[error("{reason}")]
    #[diagnostic(code(E0316), help("{hint}"))]
    Account {
        /// What is wrong.
        reason: String,
        /// What to do.
        hint: String,
    },
    /// E0313 — a request the book cannot carry out as written.
    #[error("{reason}")]
    #[diagnostic(code(E0313), help("{hint}"))]
    BadRequest {
        /// What is wrong.
        reason: String,
        /// How to write it.
        hint: String,
    },
}

/// The hint of a row refused by a UNIQUE index (a 编号 already in the book, a record reviewed
/// twice): callers that can say more — which lines, which records — catch it by this hint.
pub const DUPLICATE: &str = "账本中已有这一行；同一件事不登记两次";

impl BookError {
    /// Whether the book refused a row that would repeat one it holds (see [`DUPLICATE`]).
    pub fn is_duplicate(&self) -> bool {
        matches!(self, BookError::BadRequest { hint, .. } if hint == DUPLICATE)
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            BookError::NoBook { .. } => "E0301",
            BookError::BookExists { .. } => "E0302",
            BookError::Storage { .. } => "E0303",
            BookError::NewerBook { .. } => "E0304",
            BookError::AlreadyImported { .. } => "E0305",
            BookError::NumberInBook { .. } => "E0306",
            BookError::NotFound { .. } => "E0307",
            BookError::AlreadyDecided { .. } => "E0308",
            BookError::Overdraft { .. } => "E0309",
            BookError::NotOnShow { .. } => "E0310",
            BookError::MidPeriod { .. } => "E0311",
            BookError::PublicationOrder { .. } => "E0312",
            BookError::BadRequest { .. } => "E0313",
            BookError::Tampered { .. } => "E0314",
            BookError::WeakPassword { .. } => "E0315",
            BookError::Account { .. } => "E0316",
        }
    }

    /// The hint, as printed after 「提示：」.
    pub fn hint(&self) -> String {
        use miette::Diagnostic as _;
        self.help().map(|h| h.to_string()).unwrap_or_default()
    }

    /// A bad request, in one call.
    pub fn bad(reason: impl Into<String>, hint: impl Into<String>) -> Self {
        BookError::BadRequest {
            reason: reason.into(),
            hint: hint.into(),
        }
    }

    /// Turns an SQLite error while doing `action` (读取/写入) on the book at `path` into words
    /// a clerk can act on.
    pub fn storage(path: &str, action: &str, error: &rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let (reason, hint) = match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => (
                "磁盘已满".to_string(),
                "账本没有改动（这一次的改动整体撤销了）；腾出磁盘空间后再做一次".to_string(),
            ),
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) => (
                "账本文件是只读的，或没有写入的权限".to_string(),
                "账本没有改动；检查文件和文件夹的权限（例如 U 盘的写保护），或换有权限的账号"
                    .to_string(),
            ),
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => (
                "另一个程序正在写账本，等了 30 秒仍未写完".to_string(),
                "账本没有改动；等另一位正在导入或审核的人做完后再做一次".to_string(),
            ),
            Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => (
                "文件不是完好的积分账本".to_string(),
                "不要再写这个文件；用备份恢复，或用 xiangyue verify 查看".to_string(),
            ),
            Some(ErrorCode::CannotOpen) => (
                "打不开文件".to_string(),
                "检查文件夹是否存在、是否有权限".to_string(),
            ),
            _ => (
                error.to_string(),
                "账本没有改动；如果一再出现，请把这条信息告诉维护的人".to_string(),
            ),
        };
        BookError::Storage {
            path: path.to_string(),
            action: action.to_string(),
            reason,
            hint,
        }
    }
}
