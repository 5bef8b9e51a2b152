//! The book's tables, created and upgraded by numbered migrations (`PRAGMA user_version`).
//!
//! Every table is append-only: a trigger refuses an UPDATE or DELETE, and every row carries a
//! seal (see [`super::seal`]). A record's state — 待审, 通过, 驳回, 已更正 — is not a column
//! that changes but the rows written about it later (a review, a correction that supersedes
//! it), so nothing the clerk registered is ever edited.

/// The sealed tables, in the order `verify` walks them, with their columns (after `id`,
/// before `seal`) in the order the seal covers them.
pub const SEALED: &[(&str, &[&str])] = &[
    (
        "compacts",
        &[
            "file",
            "text",
            "sha256",
            "effective",
            "vote_date",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "by",
            "at",
        ],
    ),
    ("registers", &["kind", "file", "text", "sha256", "by", "at"]),
    ("imports", &["file", "sha256", "rows", "by", "at"]),
    (
        "records",
        &[
            "kind",
            "number",
            "day",
            "household",
            "person",
            "item",
            "cells",
            "import",
            "line",
            "supersedes",
            "reason",
            "by",
            "at",
        ],
    ),
    ("reviews", &["record", "decision", "reason", "by", "at"]),
    (
        "publications",
        &[
            "through",
            "period",
            "days",
            "deadline",
            "compact",
            "records_head",
            "reviews_head",
            "content",
            "by",
            "at",
            "prev_seal",
        ],
    ),
    (
        "objections",
        &["record", "publication", "reason", "by", "at"],
    ),
    (
        "resolutions",
        &["objection", "decision", "correction", "reason", "by", "at"],
    ),
    ("accounts", &["name", "role", "password", "by", "at"]),
];

/// The migrations, in order: the book's format version is how many have run.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE compacts (
  id INTEGER PRIMARY KEY, file TEXT NOT NULL, text TEXT NOT NULL, sha256 TEXT NOT NULL,
  effective TEXT NOT NULL, vote_date TEXT, votes_for INTEGER, votes_against INTEGER,
  votes_abstain INTEGER, by TEXT NOT NULL, at TEXT NOT NULL, seal TEXT NOT NULL);
CREATE TABLE registers (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, file TEXT NOT NULL, text TEXT NOT NULL,
  sha256 TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL, seal TEXT NOT NULL);
CREATE TABLE imports (
  id INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL,
  by TEXT NOT NULL, at TEXT NOT NULL, seal TEXT NOT NULL);
CREATE INDEX imports_sha256 ON imports(sha256);
CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('登记', '更正', '撤销', '兑换')),
  number TEXT, day TEXT NOT NULL, household TEXT, person TEXT, item TEXT NOT NULL,
  cells TEXT NOT NULL, import INTEGER, line INTEGER, supersedes INTEGER, reason TEXT,
  by TEXT NOT NULL, at TEXT NOT NULL, seal TEXT NOT NULL);
CREATE UNIQUE INDEX records_number ON records(number) WHERE number IS NOT NULL;
CREATE INDEX records_supersedes ON records(supersedes) WHERE supersedes IS NOT NULL;
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY, record INTEGER NOT NULL UNIQUE,
  decision TEXT NOT NULL CHECK (decision IN ('通过', '驳回')), reason TEXT,
  by TEXT NOT NULL, at TEXT NOT NULL, seal TEXT NOT NULL);
CREATE TABLE publications (
  id INTEGER PRIMARY KEY, through TEXT NOT NULL, period INTEGER NOT NULL, days INTEGER NOT NULL,
  deadline TEXT NOT NULL, compact INTEGER NOT NULL, records_head INTEGER NOT NULL,
  reviews_head INTEGER NOT NULL, content TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
  prev_seal TEXT NOT NULL, seal TEXT NOT NULL);
CREATE TABLE objections (
  id INTEGER PRIMARY KEY, record INTEGER NOT NULL, publication INTEGER NOT NULL,
  reason TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL, seal TEXT NOT NULL);
CREATE TABLE resolutions (
  id INTEGER PRIMARY KEY, objection INTEGER NOT NULL UNIQUE,
  decision TEXT NOT NULL CHECK (decision IN ('维持', '更正', '撤销')), correction INTEGER,
  reason TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL, seal TEXT NOT NULL);
"#,
    // 2: the clerks' accounts for `xiangyue serve` (登记员, 审核人, 管理员, 村民). A row is an
    // account's state from then on — added, a new password, a new role, 停用 — so that who could do
    // what, and since when, stays in the book; the latest row of a name is in force. `password` is
    // an Argon2id PHC string, never the password.
    r#"
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('登记员', '审核人', '管理员', '村民', '停用')),
  password TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL, seal TEXT NOT NULL);
CREATE INDEX accounts_name ON accounts(name);
"#,
];

/// The triggers that keep every sealed table append-only (created with the tables).
pub fn append_only_triggers() -> String {
    SEALED
        .iter()
        .map(|(table, _)| {
            format!(
                "CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} \
                 BEGIN SELECT RAISE(ABORT, '积分账本只增不改：{table} 的行写入后不能修改'); END;\n\
                 CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} \
                 BEGIN SELECT RAISE(ABORT, '积分账本只增不改：{table} 的行写入后不能删除'); END;\n"
            )
        })
        .collect()
}
