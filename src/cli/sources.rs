//! The files `eval` read, each with its SHA-256 and size, for the provenance every output
//! states (`report::provenance`). The hashes are computed on a thread of their own while the
//! village is read and evaluated, so that a large event log costs no extra wall time.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use super::EXIT_USAGE;
use super::inputs::Village;
use crate::report::provenance::{Provenance, SourceFile, SourceKind};

/// A file to hash: what it is, its label and its path.
type Wanted = (SourceKind, String, PathBuf);

/// Hashing under way.
pub struct Hashing {
    handle: JoinHandle<Vec<Result<SourceFile, (PathBuf, std::io::Error)>>>,
}

/// Starts hashing the village's files: the compact, the register, each roster, the event log
/// and — when the dividend's amount was read from it — the folder's 分红.txt.
pub fn start(village: &Village, pool_from_folder: bool) -> Hashing {
    if let Some(stored) = &village.stored {
        return from_book(village, stored);
    }
    let mut wanted: Vec<Wanted> = vec![
        (
            SourceKind::Compact,
            "乡约".to_string(),
            village.compact_path.clone(),
        ),
        (
            SourceKind::Register,
            "户籍".to_string(),
            village.register_path.clone(),
        ),
    ];
    for (kind, path) in &village.rosters {
        let name = village
            .compact
            .kinds
            .get(*kind)
            .map_or("", |k| k.name.as_str());
        wanted.push((SourceKind::Roster, format!("名册「{name}」"), path.clone()));
    }
    wanted.push((
        SourceKind::Events,
        "事项记录".to_string(),
        village.events_path.clone(),
    ));
    if pool_from_folder && village.compact.dividend.is_some() {
        if let Some(path) = &village.folder_pool_path {
            wanted.push((SourceKind::Pool, "分红金额".to_string(), path.clone()));
        }
    }
    let handle = std::thread::spawn(move || {
        wanted
            .into_iter()
            .map(|(kind, label, path)| match hash_file(&path) {
                Ok((sha256, bytes)) => Ok(SourceFile {
                    kind,
                    label,
                    path: path.display().to_string(),
                    sha256,
                    bytes,
                }),
                Err(error) => Err((path, error)),
            })
            .collect()
    });
    Hashing { handle }
}

impl Hashing {
    /// The files with their hashes, and the time of evaluation; a file that could not be read
    /// is reported and ends the run.
    pub fn finish(
        self,
        (evaluated_at, utc_offset): (jiff::civil::DateTime, jiff::tz::Offset),
    ) -> Result<Provenance, u8> {
        let results = self.handle.join().map_err(|_| {
            eprintln!("错误：无法计算输入文件的 SHA-256 校验值");
            EXIT_USAGE
        })?;
        let mut files = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok(file) => files.push(file),
                Err((path, error)) => {
                    eprintln!(
                        "错误：无法读取 {} 以计算校验值：{}",
                        path.display(),
                        super::io_reason(&error)
                    );
                    return Err(EXIT_USAGE);
                }
            }
        }
        Ok(Provenance {
            files,
            evaluated_at,
            utc_offset,
        })
    }
}

/// For a village read from its book: the texts evaluated — the compact version, the stored
/// register and rosters, the records in force as exported — each with its SHA-256, named by
/// where in the book they come from.
fn from_book(village: &Village, stored: &super::inputs::Stored) -> Hashing {
    let text = |kind, label: String, path: &Path, text: &str| {
        Ok(SourceFile {
            kind,
            label,
            path: path.display().to_string(),
            sha256: crate::book::seal::sha256(text.as_bytes()),
            bytes: text.len() as u64,
        })
    };
    let mut files = vec![
        text(
            SourceKind::Compact,
            "乡约".to_string(),
            &village.compact_path,
            &village.source,
        ),
        text(
            SourceKind::Register,
            "户籍".to_string(),
            &village.register_path,
            &stored.register,
        ),
    ];
    for ((kind, path), (_, roster)) in village.rosters.iter().zip(&stored.rosters) {
        let name = village
            .compact
            .kinds
            .get(*kind)
            .map_or("", |k| k.name.as_str());
        files.push(text(
            SourceKind::Roster,
            format!("名册「{name}」"),
            path,
            roster,
        ));
    }
    files.push(text(
        SourceKind::Events,
        format!(
            "事项记录（账本中审核通过的 {} 条）",
            stored.record_ids.len()
        ),
        &village.events_path,
        &stored.events,
    ));
    Hashing {
        handle: std::thread::spawn(move || files),
    }
}

/// A file's SHA-256 as 64 lowercase hexadecimal digits, and its size in bytes.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(buffer.get(..read).unwrap_or_default());
        bytes += read as u64;
    }
    let hex = hasher.finalize().iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    Ok((hex, bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_known_texts() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::write(&empty, b"").unwrap();
        assert_eq!(
            super::hash_file(&empty).unwrap(),
            (
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".to_string(),
                0
            )
        );
        // FIPS 180-2's example "abc", and a text longer than the 1 MiB buffer.
        let abc = dir.path().join("abc");
        std::fs::write(&abc, b"abc").unwrap();
        assert_eq!(
            super::hash_file(&abc).unwrap().0,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = dir.path().join("long");
        std::fs::write(&long, vec![b'a'; 1_000_000 * 3]).unwrap();
        let (hex, bytes) = super::hash_file(&long).unwrap();
        assert_eq!(bytes, 3_000_000);
        // python3 -c "import hashlib; print(hashlib.sha256(b'a' * 3000000).hexdigest())"
        assert_eq!(
            hex,
            "2a152c894398719c0570f83fac34ac03a0f6e8e474b995c2403aa5434f7b9dd4"
        );
    }
}
