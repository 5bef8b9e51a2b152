//! The clerks' accounts (账号) for `xiangyue serve`: who may do what in the village's book.
//!
//! An account is a name, a role and a password hashed with Argon2id (a PHC string such as
//! `$argon2id$v=19$m=19456,t=2,p=1$…`; the password itself is never stored). Accounts live in
//! the book's `accounts` table, append-only and sealed like every other table: a row is an
//! account's state from then on (added, a new password, a new role, 停用), the latest row of a
//! name is in force, so who could do what — and who gave them the right — stays on record.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::params;

use super::seal::Cell;
use super::{Book, BookError};

/// What an account may do (角色).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// 村民 — reads the 公示 (as anyone may without logging in).
    Villager,
    /// 登记员 — registers records, objections and redemptions.
    Registrar,
    /// 审核人 — approves and rejects records, publishes, resolves objections.
    Reviewer,
    /// 管理员 — everything, and the accounts.
    Admin,
}

/// A step in the book that needs a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// 查看待审的记录.
    SeePending,
    /// 登记记录.
    Register,
    /// 登记异议.
    Object,
    /// 积分超市兑换.
    Redeem,
    /// 审核（通过、驳回）.
    Review,
    /// 公示.
    Publish,
    /// 处理异议.
    Resolve,
    /// 管理账号.
    ManageAccounts,
}

impl Action {
    /// The roles that may take this step, as told to someone who may not.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Action::SeePending => &[Role::Registrar, Role::Reviewer, Role::Admin],
            Action::Register | Action::Object | Action::Redeem => &[Role::Registrar, Role::Admin],
            Action::Review | Action::Publish | Action::Resolve => &[Role::Reviewer, Role::Admin],
            Action::ManageAccounts => &[Role::Admin],
        }
    }

    /// The step in words: 「审核记录」.
    pub fn words(self) -> &'static str {
        match self {
            Action::SeePending => "查看待审的记录",
            Action::Register => "登记记录",
            Action::Object => "登记异议",
            Action::Redeem => "积分超市兑换",
            Action::Review => "审核记录（通过、驳回）",
            Action::Publish => "公示",
            Action::Resolve => "处理异议",
            Action::ManageAccounts => "管理账号",
        }
    }
}

impl Role {
    /// Every role, from the least to the most.
    pub const ALL: [Role; 4] = [Role::Villager, Role::Registrar, Role::Reviewer, Role::Admin];

    /// Its Chinese name, as stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            Role::Villager => "村民",
            Role::Registrar => "登记员",
            Role::Reviewer => "审核人",
            Role::Admin => "管理员",
        }
    }

    /// The role named `text` (its Chinese name).
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == text.trim())
    }

    /// Whether this role may take `action`.
    pub fn may(self, action: Action) -> bool {
        action.roles().contains(&self)
    }
}

/// An account as it stands (its latest row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    /// The row's id.
    pub id: i64,
    /// The name the person logs in with (and that is written as `by` in the book).
    pub name: String,
    /// 登记员, 审核人, 管理员, 村民 — or 停用 (disabled).
    pub role: String,
    /// The Argon2id PHC string.
    pub password: String,
    /// Who made this change.
    pub by: String,
    /// When.
    pub at: String,
}

impl AccountRow {
    /// Its role, `None` when disabled.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

/// Words a password must not be (lower-cased), besides the person's name.
const COMMON: &[&str] = &[
    "password",
    "passw0rd",
    "12345678",
    "123456789",
    "1234567890",
    "11111111",
    "88888888",
    "66666666",
    "00000000",
    "qwertyuiop",
    "abc12345",
    "a1234567",
    "iloveyou",
    "admin123",
    "woaini1314",
    "1qaz2wsx",
    "5201314",
    "123123123",
    "147258369",
    "987654321",
];

/// Why `password` is too weak for the account `name`, if it is: empty, shorter than 8
/// characters, one character repeated, a run such as 1234567890, a common password, or the
/// name itself.
pub fn weakness(name: &str, password: &str) -> Option<String> {
    let chars: Vec<char> = password.chars().collect();
    if password.trim().is_empty() {
        return Some("是空的".to_string());
    }
    if chars.len() < 8 {
        return Some(format!("只有 {} 个字符，太短", chars.len()));
    }
    if chars.iter().all(|c| Some(c) == chars.first()) {
        return Some("只是一个字符的重复".to_string());
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some(i64::from(u32::from(*b)) - i64::from(u32::from(*a))),
            _ => None,
        })
        .collect();
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return Some("是一串连续的字符".to_string());
    }
    let lower = password.to_lowercase();
    if COMMON.iter().any(|c| lower.contains(c)) {
        return Some("含有常见的密码（如 12345678、password）".to_string());
    }
    if !name.trim().is_empty() && lower.contains(&name.trim().to_lowercase()) {
        return Some("含有账号的名字".to_string());
    }
    None
}

fn unknown_role(text: &str) -> BookError {
    BookError::Account {
        reason: format!("「{text}」不是角色"),
        hint: "角色写 登记员、审核人、管理员、村民，或 停用".to_string(),
    }
}

fn no_account(name: &str) -> BookError {
    BookError::Account {
        reason: format!("账本里没有账号「{name}」"),
        hint:
            "xiangyue user list 村 列出账号；新账号用 xiangyue user add 村 --name 姓名 --role 角色"
                .to_string(),
    }
}

/// Hashes a password with Argon2id (the crate's default parameters, a random 16-byte salt)
/// into a PHC string.
pub fn hash_password(password: &str) -> Result<String, BookError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| {
        BookError::bad(
            format!("无法取得随机数：{e}"),
            "这是操作系统的问题；重试一次，仍不行请告诉维护的人",
        )
    })?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| BookError::bad(format!("无法生成盐值：{e}"), "这是程序的错误"))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| BookError::bad(format!("无法计算密码的散列：{e}"), "这是程序的错误"))
}

/// Whether `password` matches the PHC string `phc` (false for a damaged string).
pub fn password_matches(phc: &str, password: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|hash| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A PHC string that matches no password, checked when a name is unknown so that a wrong
/// name takes as long to refuse as a wrong password.
pub const NO_ACCOUNT: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Kq3tYkqmzKxMUVQ7ehJjEU/5KnVG2dW1c4RfsQdRkxU";

/// The role names an account may be given: the four roles, or 停用 (disabled).
pub fn role_name(text: &str) -> Option<&'static str> {
    if text.trim() == "停用" {
        return Some("停用");
    }
    Role::parse(text).map(Role::name)
}

impl Book {
    /// Adds an account (`xiangyue user add`, the accounts page): the role checked, the password
    /// refused when weak (E0315), hashed; refused when the name is taken (E0316).
    pub fn add_account(
        &mut self,
        name: &str,
        role: &str,
        password: &str,
        by: &str,
        at: &str,
    ) -> Result<i64, BookError> {
        let role = role_name(role).ok_or_else(|| unknown_role(role))?;
        if let Some(reason) = weakness(name, password) {
            return Err(BookError::WeakPassword {
                name: name.to_string(),
                reason,
            });
        }
        let phc = hash_password(password)?;
        self.set_account(name, role, Some(&phc), true, by, at)
    }

    /// Gives an account a new password (`xiangyue user passwd`), refused when weak.
    pub fn change_password(
        &mut self,
        name: &str,
        password: &str,
        by: &str,
        at: &str,
    ) -> Result<i64, BookError> {
        let role = self
            .account(name)?
            .map(|a| a.role)
            .ok_or_else(|| no_account(name))?;
        if let Some(reason) = weakness(name, password) {
            return Err(BookError::WeakPassword {
                name: name.to_string(),
                reason,
            });
        }
        let phc = hash_password(password)?;
        self.set_account(name, &role, Some(&phc), false, by, at)
    }

    /// Gives an account a new role, or 停用 (`xiangyue user role`).
    pub fn change_role(
        &mut self,
        name: &str,
        role: &str,
        by: &str,
        at: &str,
    ) -> Result<i64, BookError> {
        let role = role_name(role).ok_or_else(|| unknown_role(role))?;
        self.set_account(name, role, None, false, by, at)
    }

    /// Every account as it stands, by name.
    pub fn accounts(&self) -> Result<Vec<AccountRow>, BookError> {
        let read = |e: rusqlite::Error| BookError::storage(self.path(), "读取", &e);
        let mut statement = self
            .conn()
            .prepare(
                "SELECT id, name, role, password, by, at FROM accounts a \
                 WHERE id = (SELECT MAX(id) FROM accounts b WHERE b.name = a.name) ORDER BY name",
            )
            .map_err(read)?;
        statement
            .query_map([], |r| {
                Ok(AccountRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    password: r.get(3)?,
                    by: r.get(4)?,
                    at: r.get(5)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(read)
    }

    /// The account named `name` as it stands.
    pub fn account(&self, name: &str) -> Result<Option<AccountRow>, BookError> {
        Ok(self.accounts()?.into_iter().find(|a| a.name == name))
    }

    /// Writes an account's new state: a new account (`new` = true; refused when the name is
    /// taken), or a new role or password for one that exists. `password` is the PHC string
    /// (`None`: keep the current one). One transaction.
    pub fn set_account(
        &mut self,
        name: &str,
        role: &str,
        password: Option<&str>,
        new: bool,
        by: &str,
        at: &str,
    ) -> Result<i64, BookError> {
        self.change(|w| {
            let current: Option<String> = w
                .conn()
                .query_row(
                    "SELECT password FROM accounts WHERE name = ?1 ORDER BY id DESC LIMIT 1",
                    params![name],
                    |r| r.get(0),
                )
                .ok();
            let password = match (new, current, password) {
                (true, Some(_), _) => {
                    return Err(BookError::Account {
                        reason: format!("账号「{name}」已经有了"),
                        hint: format!(
                            "改密码用 xiangyue user passwd 村 --name {name}；改角色用 xiangyue user role 村 --name {name} --role 角色"
                        ),
                    });
                }
                (false, None, _) => return Err(no_account(name)),
                (_, _, Some(given)) => given.to_string(),
                (_, Some(current), None) => current,
                (true, None, None) => {
                    return Err(BookError::WeakPassword {
                        name: name.to_string(),
                        reason: "是空的".to_string(),
                    });
                }
            };
            let (id, _) = w.append(
                "accounts",
                &[
                    Cell::from(name),
                    Cell::from(role),
                    Cell::from(password.as_str()),
                    Cell::from(by),
                    Cell::from(at),
                ],
            )?;
            Ok(id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_named_and_good_ones_pass() {
        assert_eq!(weakness("王会计", ""), Some("是空的".to_string()));
        assert!(weakness("王会计", "abc").is_some_and(|w| w.contains("太短")));
        assert!(weakness("王会计", "aaaaaaaaaaaa").is_some());
        assert!(weakness("王会计", "1234567890").is_some());
        assert!(weakness("王会计", "my12345678pw").is_some());
        assert!(weakness("王会计", "王会计的密码很长很长").is_some());
        assert_eq!(weakness("王会计", "油溪桥-三月-晴天"), None);
    }

    #[test]
    fn a_hashed_password_matches_itself_only() {
        let phc = hash_password("油溪桥-三月-晴天").unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(password_matches(&phc, "油溪桥-三月-晴天"));
        assert!(!password_matches(&phc, "油溪桥-三月-阴天"));
        assert!(!password_matches("不是散列", "油溪桥-三月-晴天"));
        assert!(!password_matches(NO_ACCOUNT, "油溪桥-三月-晴天"));
        // The stand-in for an unknown name is a real hash, checked at the same cost.
        let stand_in = PasswordHash::new(NO_ACCOUNT).unwrap();
        assert_eq!(stand_in.algorithm.as_str(), "argon2id");
        assert_eq!(
            PasswordHash::new(&phc).unwrap().params,
            stand_in.params,
            "the same parameters as a real account's"
        );
        // Two hashes of one password differ (a fresh salt each time).
        assert_ne!(phc, hash_password("油溪桥-三月-晴天").unwrap());
    }

    #[test]
    fn roles_may_what_their_step_needs() {
        assert!(Role::Reviewer.may(Action::Review));
        assert!(!Role::Registrar.may(Action::Review));
        assert!(Role::Admin.may(Action::ManageAccounts));
        assert!(!Role::Villager.may(Action::SeePending));
        assert_eq!(Role::parse("审核人"), Some(Role::Reviewer));
        assert_eq!(Role::parse("停用"), None);
    }
}
