//! The village's book (积分账本): registered records, their reviews, publications (公示),
//! objections and their resolutions, redemptions and the versions of the compact in force —
//! in one SQLite file in the village folder, `积分账本.db`.
//!
//! Besides `cli` and `data`, this is the one module that does IO (the database file). It
//! stores and seals; what a record means is decided by the same checker and evaluator as for a
//! CSV log (`cli` reads the book's records through them).
//!
//! - Every change is one transaction, begun `IMMEDIATE` so that two clerks writing at once
//!   take turns instead of failing halfway; the file is in WAL mode with `synchronous=FULL`, so a
//!   process killed mid-import leaves the book as it was before.
//! - Every table is append-only (triggers refuse UPDATE and DELETE) and every row is sealed:
//!   [`seal::seal`] chains it to the row before, so that `verify` names a row edited behind
//!   the program's back.

#![allow(
    clippy::result_large_err,
    reason = "a book error names the record, the time and the person; errors are the rare path"
)]

pub mod accounts;
pub mod error;
pub mod query;
pub mod schema;
pub mod seal;
pub mod verify;

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

pub use error::BookError;
use seal::{Cell, GENESIS};

/// The book's file name in a village folder.
pub const BOOK_FILE: &str = "积分账本.db";

/// The book format this program writes (how many migrations it knows).
pub const FORMAT_VERSION: i64 = schema::MIGRATIONS.len() as i64;

/// An open book.
pub struct Book {
    conn: Connection,
    /// The file, as shown in messages.
    path: String,
}

impl std::fmt::Debug for Book {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Book").field("path", &self.path).finish()
    }
}

impl Book {
    /// Creates a new, empty book at `path`; refuses when a file is already there.
    pub fn create(path: &Path) -> Result<Book, BookError> {
        let shown = path.display().to_string();
        if path.exists() {
            return Err(BookError::BookExists { path: shown });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| BookError::storage(&shown, "建立", &e))?;
        Book::prepare(conn, shown)
    }

    /// Opens the book at `path` (which must exist), upgrading its format if it is older.
    pub fn open(path: &Path) -> Result<Book, BookError> {
        let shown = path.display().to_string();
        if !path.is_file() {
            let folder = path
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            return Err(BookError::NoBook { folder });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .or_else(|_| Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY))
        .map_err(|e| BookError::storage(&shown, "打开", &e))?;
        Book::prepare(conn, shown)
    }

    fn prepare(conn: Connection, path: String) -> Result<Book, BookError> {
        let read = |e: rusqlite::Error| BookError::storage(&path, "读取", &e);
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(read)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(read)?;
        if version > FORMAT_VERSION {
            return Err(BookError::NewerBook {
                path,
                found: version,
                known: FORMAT_VERSION,
            });
        }
        let mut book = Book { conn, path };
        if !book.read_only() {
            book.conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| BookError::storage(&book.path, "写入", &e))?;
        }
        book.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| BookError::storage(&book.path, "写入", &e))?;
        // A 64 MB page cache, so that a month's import of a large village does not spill pages
        // to the journal and read them back before it commits.
        book.conn
            .pragma_update(None, "cache_size", -65_536)
            .map_err(|e| BookError::storage(&book.path, "读取", &e))?;
        if version < FORMAT_VERSION {
            book.migrate(version)?;
        }
        Ok(book)
    }

    /// Whether the file could only be opened for reading.
    pub fn read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    fn migrate(&mut self, from: i64) -> Result<(), BookError> {
        let path = self.path.clone();
        let write = |e: rusqlite::Error| BookError::storage(&path, "写入", &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(write)?;
        // Another process may have upgraded it while this one waited for the lock.
        let now: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(write)?;
        for (i, sql) in schema::MIGRATIONS
            .iter()
            .enumerate()
            .skip(now.max(from) as usize)
        {
            tx.execute_batch(sql).map_err(write)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(write)?;
        }
        tx.execute_batch(&schema::append_only_triggers())
            .map_err(write)?;
        tx.commit().map_err(write)
    }

    /// The file, as shown in messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The connection, for reading (see [`query`]).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `change` as one transaction: all of it is written, or — on any error, a full disk,
    /// a killed process — none of it. The write lock is taken at the start, so that a second
    /// clerk's change waits (up to 30 seconds) and then sees this one's rows.
    pub fn change<T>(
        &mut self,
        change: impl FnOnce(&mut Writer<'_>) -> Result<T, BookError>,
    ) -> Result<T, BookError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| BookError::storage(&path, "写入", &e))?;
        let mut writer = Writer {
            tx,
            path: path.clone(),
            heads: Vec::new(),
            statements: Vec::new(),
            batches: Vec::new(),
        };
        let value = change(&mut writer)?;
        writer
            .tx
            .commit()
            .map_err(|e| BookError::storage(&path, "写入", &e))?;
        Ok(value)
    }
}

/// Appends sealed rows inside one transaction (see [`Book::change`]).
pub struct Writer<'a> {
    tx: rusqlite::Transaction<'a>,
    path: String,
    /// Each table's last id and seal, once read.
    heads: Vec<(&'static str, i64, String)>,
    /// Each table's INSERT statement, once written.
    statements: Vec<(&'static str, String)>,
    /// INSERT statements of several rows, by table and row count.
    batches: Vec<((&'static str, usize), String)>,
}

/// Rows a multi-row INSERT writes at once (14 columns × 64 rows stay far below SQLite's limit
/// of 32,766 parameters).
pub const BATCH: usize = 64;

impl Writer<'_> {
    /// The transaction, for reading inside the change.
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    fn write_error(&self, e: &rusqlite::Error) -> BookError {
        BookError::storage(&self.path, "写入", e)
    }

    /// The last id and seal of `table` (0 and the genesis seal for an empty table).
    pub fn head(&mut self, table: &'static str) -> Result<(i64, String), BookError> {
        if let Some((_, id, seal)) = self.heads.iter().find(|(t, _, _)| *t == table) {
            return Ok((*id, seal.clone()));
        }
        let head: Option<(i64, String)> = self
            .tx
            .query_row(
                &format!("SELECT id, seal FROM {table} ORDER BY id DESC LIMIT 1"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.write_error(&e))?;
        let (id, seal) = head.unwrap_or((0, GENESIS.to_string()));
        self.heads.push((table, id, seal.clone()));
        Ok((id, seal))
    }

    /// Appends many rows to `table`, each sealed as [`Writer::append`] seals it, written
    /// [`BATCH`] rows to an INSERT (one statement a row costs more than the row). Returns the
    /// first and last ids (`None` for no rows).
    pub fn append_many<'c>(
        &mut self,
        table: &'static str,
        rows: impl IntoIterator<Item = Vec<Cell<'c>>>,
    ) -> Result<Option<(i64, i64)>, BookError> {
        let width = schema::SEALED
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, c)| c.len())
            .ok_or_else(|| BookError::bad(format!("没有表 {table}"), "这是程序的错误"))?;
        let (mut last, mut previous) = self.head(table)?;
        let first = last + 1;
        let mut pending: Vec<(i64, Vec<Cell<'c>>, String)> = Vec::with_capacity(BATCH);
        for cells in rows {
            if cells.len() != width {
                return Err(BookError::bad(
                    format!("表 {table} 有 {width} 列，给了 {} 列", cells.len()),
                    "这是程序的错误",
                ));
            }
            last += 1;
            let sealed = seal::seal(&previous, table, last, &cells);
            previous.clone_from(&sealed);
            pending.push((last, cells, sealed));
            if pending.len() == BATCH {
                self.insert_rows(table, &pending)?;
                pending.clear();
            }
        }
        if pending.len() == BATCH {
            self.insert_rows(table, &pending)?;
        } else {
            for row in &pending {
                self.insert_rows(table, std::slice::from_ref(row))?;
            }
        }
        if let Some(head) = self.heads.iter_mut().find(|(t, _, _)| *t == table) {
            head.1 = last;
            head.2 = previous;
        }
        Ok((last >= first).then_some((first, last)))
    }

    /// Inserts rows already sealed, in one statement.
    fn insert_rows(
        &mut self,
        table: &'static str,
        rows: &[(i64, Vec<Cell<'_>>, String)],
    ) -> Result<(), BookError> {
        let columns = schema::SEALED
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, c)| *c)
            .unwrap_or_default();
        let key = (table, rows.len());
        if !self.batches.iter().any(|(k, _)| *k == key) {
            let one = format!("({})", vec!["?"; columns.len() + 2].join(", "));
            let sql = format!(
                "INSERT INTO {table} (id, {}, seal) VALUES {}",
                columns.join(", "),
                vec![one; rows.len()].join(", ")
            );
            self.batches.push((key, sql));
        }
        let sql = self
            .batches
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, sql)| sql.as_str())
            .unwrap_or_default();
        let mut statement = self
            .tx
            .prepare_cached(sql)
            .map_err(|e| BookError::storage(&self.path, "写入", &e))?;
        let mut params: Vec<&dyn rusqlite::ToSql> =
            Vec::with_capacity(rows.len() * (columns.len() + 2));
        for (id, cells, sealed) in rows {
            params.push(id);
            for cell in cells {
                params.push(cell);
            }
            params.push(sealed);
        }
        statement.execute(params.as_slice()).map_err(|e| {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                BookError::bad(
                    format!("{} 行中有与账本已有的行重复的", table),
                    error::DUPLICATE,
                )
            } else {
                BookError::storage(&self.path, "写入", &e)
            }
        })?;
        Ok(())
    }

    /// Appends a row to `table` with `cells` in the table's sealed column order
    /// ([`schema::SEALED`]); returns its id and seal.
    pub fn append(
        &mut self,
        table: &'static str,
        cells: &[Cell<'_>],
    ) -> Result<(i64, String), BookError> {
        let columns = schema::SEALED
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, c)| *c)
            .ok_or_else(|| BookError::bad(format!("没有表 {table}"), "这是程序的错误"))?;
        if columns.len() != cells.len() {
            return Err(BookError::bad(
                format!(
                    "表 {table} 有 {} 列，给了 {} 列",
                    columns.len(),
                    cells.len()
                ),
                "这是程序的错误",
            ));
        }
        let (last, previous) = self.head(table)?;
        let id = last + 1;
        let sealed = seal::seal(&previous, table, id, cells);
        if !self.statements.iter().any(|(t, _)| *t == table) {
            let sql = format!(
                "INSERT INTO {table} (id, {}, seal) VALUES (?1, {}, ?{})",
                columns.join(", "),
                (2..=columns.len() + 1)
                    .map(|i| format!("?{i}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                columns.len() + 2
            );
            self.statements.push((table, sql));
        }
        let sql = self
            .statements
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, sql)| sql.as_str())
            .unwrap_or_default();
        {
            let mut statement = self
                .tx
                .prepare_cached(sql)
                .map_err(|e| self.write_error(&e))?;
            let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(cells.len() + 2);
            params.push(&id);
            for cell in cells {
                params.push(cell);
            }
            params.push(&sealed);
            statement.execute(params.as_slice()).map_err(|e| {
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                    BookError::bad(
                        format!("{} 与账本中已有的一行重复", verify::row_label(table, id)),
                        error::DUPLICATE,
                    )
                } else {
                    BookError::storage(&self.path, "写入", &e)
                }
            })?;
        }
        if let Some(head) = self.heads.iter_mut().find(|(t, _, _)| *t == table) {
            head.1 = id;
            head.2 = sealed.clone();
        }
        Ok((id, sealed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import_row(file: &str) -> Vec<Cell<'_>> {
        vec![
            Cell::from(file),
            Cell::from("0".repeat(64)),
            Cell::Int(0),
            Cell::from("张会计"),
            Cell::from("2024-04-01 09:00:00"),
        ]
    }

    fn count(book: &Book) -> i64 {
        book.conn
            .query_row("SELECT COUNT(*) FROM imports", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_full_disk_is_told_in_words_and_leaves_the_book_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Book::create(&dir.path().join(BOOK_FILE)).unwrap();
        book.change(|w| w.append("imports", &import_row("a.csv")).map(|_| ()))
            .unwrap();
        // The disk fills up: SQLite may not grow the file beyond what it has.
        let pages: i64 = book
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        book.conn
            .pragma_update(None, "max_page_count", pages)
            .unwrap();
        let long = "很长的文件名".repeat(2000);
        let error = book
            .change(|w| {
                for _ in 0..200 {
                    w.append("imports", &import_row(&long))?;
                }
                Ok(())
            })
            .unwrap_err();
        assert_eq!(error.code(), "E0303");
        assert!(error.to_string().contains("磁盘已满"), "{error}");
        assert!(error.hint().contains("没有改动"), "{}", error.hint());
        assert_eq!(count(&book), 1, "none of the failed change was kept");
        // Once there is room again, the chain goes on from the row before the failure.
        book.conn
            .pragma_update(None, "max_page_count", 1_000_000)
            .unwrap();
        book.change(|w| w.append("imports", &import_row("b.csv")).map(|_| ()))
            .unwrap();
        assert!(verify::check_seals(&book).unwrap().is_empty());
    }

    #[test]
    fn a_read_only_book_is_refused_in_words_and_not_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(BOOK_FILE);
        let mut book = Book::create(&path).unwrap();
        book.change(|w| w.append("imports", &import_row("a.csv")).map(|_| ()))
            .unwrap();
        drop(book);
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut book = Book::prepare(conn, path.display().to_string()).unwrap();
        assert!(book.read_only());
        let error = book
            .change(|w| w.append("imports", &import_row("b.csv")).map(|_| ()))
            .unwrap_err();
        assert_eq!(error.code(), "E0303");
        assert!(error.to_string().contains("只读"), "{error}");
        assert_eq!(count(&book), 1);
    }

    #[test]
    fn rows_cannot_be_updated_or_deleted_through_sql() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Book::create(&dir.path().join(BOOK_FILE)).unwrap();
        book.change(|w| w.append("imports", &import_row("a.csv")).map(|_| ()))
            .unwrap();
        for sql in ["UPDATE imports SET rows = 5", "DELETE FROM imports"] {
            let error = book.conn.execute(sql, []).unwrap_err();
            assert!(error.to_string().contains("只增不改"), "{error}");
        }
        assert_eq!(count(&book), 1);
    }

    #[test]
    fn a_book_of_a_newer_format_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(BOOK_FILE);
        drop(Book::create(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", FORMAT_VERSION + 1)
            .unwrap();
        drop(conn);
        let error = Book::open(&path).unwrap_err();
        assert_eq!(error.code(), "E0304");
    }
}
