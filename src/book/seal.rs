//! Seals: each row of a sealed table carries the SHA-256 of the previous row's seal and its own
//! content, so that editing, deleting or inserting a row breaks the chain at that row; each
//! publication's seal covers its content and the previous publication's seal.

use sha2::{Digest, Sha256};

/// The seal before a table's first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A cell of a sealed row, as the seal reads it (text borrowed where it can be, so that a
/// month's import does not copy every cell of every record once more).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    /// SQL NULL.
    Null,
    /// An integer.
    Int(i64),
    /// Text.
    Text(std::borrow::Cow<'a, str>),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Self {
        Cell::Text(std::borrow::Cow::Borrowed(text))
    }
}

impl From<String> for Cell<'_> {
    fn from(text: String) -> Self {
        Cell::Text(std::borrow::Cow::Owned(text))
    }
}

impl From<i64> for Cell<'_> {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

impl<'a, T: Into<Cell<'a>>> From<Option<T>> for Cell<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Null, Into::into)
    }
}

impl rusqlite::ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Cell::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Cell::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Cell::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

impl rusqlite::types::FromSql for Cell<'static> {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        use rusqlite::types::ValueRef;
        Ok(match value {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(n) => Cell::Int(n),
            ValueRef::Real(x) => Cell::from(x.to_string()),
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Cell::from(String::from_utf8_lossy(t).into_owned())
            }
        })
    }
}

/// The seal of row `id` of `table` with `cells` (in the table's sealed column order), after a
/// row sealed `previous`: SHA-256, in hex, of the previous seal, the table, the id and each
/// cell, each written unambiguously (its length before it).
pub fn seal(previous: &str, table: &str, id: i64, cells: &[Cell<'_>]) -> String {
    let mut hash = Sha256::new();
    hash.update(previous.as_bytes());
    hash.update(b"\n");
    part(&mut hash, table.as_bytes());
    hash.update(id.to_le_bytes());
    for cell in cells {
        match cell {
            Cell::Null => hash.update(b"N"),
            Cell::Int(n) => {
                hash.update(b"I");
                hash.update(n.to_le_bytes());
            }
            Cell::Text(t) => {
                hash.update(b"T");
                part(&mut hash, t.as_bytes());
            }
        }
    }
    hex(&hash.finalize())
}

fn part(hash: &mut Sha256, bytes: &[u8]) {
    hash.update((bytes.len() as u64).to_le_bytes());
    hash.update(bytes);
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0xf] {
            out.push(char::from(
                DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_changes_with_any_cell_the_id_the_table_or_the_previous_seal() {
        let cells = vec![Cell::from("2024-03-05"), Cell::Int(2), Cell::Null];
        let base = seal(GENESIS, "records", 1, &cells);
        assert_eq!(base.len(), 64);
        assert_ne!(base, seal(GENESIS, "records", 2, &cells));
        assert_ne!(base, seal(GENESIS, "reviews", 1, &cells));
        assert_ne!(base, seal(&base, "records", 1, &cells));
        let mut edited = cells.clone();
        edited[1] = Cell::Int(3);
        assert_ne!(base, seal(GENESIS, "records", 1, &edited));
        // NULL is not the empty text, and cells do not run into each other.
        assert_ne!(
            seal(GENESIS, "t", 1, &[Cell::Null]),
            seal(GENESIS, "t", 1, &[Cell::from("")])
        );
        assert_ne!(
            seal(GENESIS, "t", 1, &[Cell::from("ab"), Cell::from("c")]),
            seal(GENESIS, "t", 1, &[Cell::from("a"), Cell::from("bc")])
        );
    }

    #[test]
    fn sha256_of_a_known_text() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
