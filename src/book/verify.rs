//! Checking every seal: each row of each sealed table against the row before it, and the
//! triggers that keep the tables append-only. (Recomputing each publication's standings from
//! the records is the command line's part: it needs the evaluator and the register.)

use rusqlite::types::FromSql;

use super::schema::SEALED;
use super::seal::{Cell, GENESIS, seal};
use super::{Book, BookError};

/// Something in the book that is not as it was sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The table.
    pub table: &'static str,
    /// The row.
    pub id: i64,
    /// What is wrong, in words.
    pub what: String,
}

/// A row of `table` as people name it: 记录 17, 第 2 次公示, ….
pub fn row_label(table: &str, id: i64) -> String {
    match table {
        "compacts" => format!("乡约第 {id} 版"),
        "registers" => format!("户籍（名册）第 {id} 份"),
        "imports" => format!("第 {id} 批导入"),
        "records" => format!("记录 {id}"),
        "reviews" => format!("第 {id} 条审核"),
        "publications" => format!("第 {id} 次公示"),
        "objections" => format!("异议 {id}"),
        "resolutions" => format!("第 {id} 条异议处理"),
        "accounts" => format!("账号的第 {id} 次变动"),
        other => format!("{other} 第 {id} 行"),
    }
}

/// Every break of a seal chain and every missing append-only trigger, in table order.
pub fn check_seals(book: &Book) -> Result<Vec<Finding>, BookError> {
    let read = |e: rusqlite::Error| BookError::storage(book.path(), "读取", &e);
    let mut findings = Vec::new();
    for (table, columns) in SEALED {
        let sql = format!(
            "SELECT id, {}, seal FROM {table} ORDER BY id",
            columns.join(", ")
        );
        let mut statement = book.conn().prepare(&sql).map_err(read)?;
        let mut rows = statement.query([]).map_err(read)?;
        let mut previous = GENESIS.to_string();
        let mut previous_id = 0i64;
        let mut cells: Vec<Cell<'static>> = Vec::with_capacity(columns.len());
        while let Some(row) = rows.next().map_err(read)? {
            let id: i64 = row.get(0).map_err(read)?;
            cells.clear();
            for i in 0..columns.len() {
                cells.push(
                    Cell::column_result(row.get_ref(i + 1).map_err(read)?).map_err(|e| {
                        read(rusqlite::Error::FromSqlConversionFailure(
                            i + 1,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        ))
                    })?,
                );
            }
            let stored: String = row.get(columns.len() + 1).map_err(read)?;
            if id != previous_id + 1 {
                findings.push(Finding {
                    table,
                    id,
                    what: if id == previous_id + 2 {
                        format!("{}不见了（被删除）", row_label(table, previous_id + 1))
                    } else {
                        format!(
                            "{}至 {} 不见了（被删除）",
                            row_label(table, previous_id + 1),
                            id - 1
                        )
                    },
                });
            }
            if seal(&previous, table, id, &cells) != stored {
                findings.push(Finding {
                    table,
                    id,
                    what: format!(
                        "{} 与它的封存不符：写入以后被改过（或前一行的封存被改写）",
                        row_label(table, id)
                    ),
                });
            }
            if *table == "publications"
                && let Some(Cell::Text(prev_seal)) = cells.last()
                && *prev_seal != previous
            {
                findings.push(Finding {
                    table,
                    id,
                    what: format!(
                        "{}记下的上一次公示的封存与上一次公示的封存不同",
                        row_label(table, id)
                    ),
                });
            }
            previous = stored;
            previous_id = id;
        }
    }
    let mut triggers = book
        .conn()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .map_err(read)?;
    let present: Vec<String> = triggers
        .query_map([], |r| r.get(0))
        .and_then(Iterator::collect)
        .map_err(read)?;
    for (table, _) in SEALED {
        for suffix in ["no_update", "no_delete"] {
            let name = format!("{table}_{suffix}");
            if !present.contains(&name) {
                findings.push(Finding {
                    table,
                    id: 0,
                    what: format!(
                        "表 {table} 的只增不改保护（触发器 {name}）被删除了：有人绕过程序改过账本"
                    ),
                });
            }
        }
    }
    Ok(findings)
}
