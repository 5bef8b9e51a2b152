//! Where an evaluation's results came from and when they were made: every input file with its
//! SHA-256, and the time of evaluation — stated by every output of `eval` so that a printed
//! 公示表 or a workbook can be matched to the files it was computed from. The command line
//! reads the files and the clock (`cli::sources`); this module only carries and words them.

use serde::Serialize;

use super::results::Sources;

/// What an input file is to the evaluation. In JSON (`compact.files[].kind`): `compact`,
/// `register`, `roster`, `events`, `pool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// 乡约 — the compact (.xy).
    Compact,
    /// 户籍 — the household register.
    Register,
    /// 名册 — a roster (党员, 居民 …).
    Roster,
    /// 事项记录 — the event log.
    Events,
    /// 分红金额 — the village folder's 分红.txt, when the pool was read from it.
    Pool,
}

/// One input file as it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// What it is.
    pub kind: SourceKind,
    /// What it is, in words: 乡约, 户籍, 名册「党员」, 事项记录, 分红金额.
    pub label: String,
    /// The path as given or found (as in `compact.sources`).
    pub path: String,
    /// SHA-256 of its bytes, 64 lowercase hexadecimal digits.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The files an evaluation read and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// Every input file, in the order compact, register, rosters (compact order), events,
    /// pool.
    pub files: Vec<SourceFile>,
    /// The time of evaluation: the local date and time (`XIANGYUE_NOW` or the clock), to the
    /// second.
    pub evaluated_at: jiff::civil::DateTime,
    /// Its offset from UTC (+08:00 in China).
    pub utc_offset: jiff::tz::Offset,
}

impl Provenance {
    /// The path of the first file of a kind ("" when there is none).
    pub fn path(&self, kind: SourceKind) -> &str {
        self.files
            .iter()
            .find(|f| f.kind == kind)
            .map_or("", |f| f.path.as_str())
    }

    /// The paths of the compact, register and event log (`compact.sources` in JSON).
    pub fn sources(&self) -> Sources {
        Sources {
            compact: self.path(SourceKind::Compact).to_string(),
            register: self.path(SourceKind::Register).to_string(),
            events: self.path(SourceKind::Events).to_string(),
        }
    }

    /// The time of evaluation for people: 2025年1月15日 09:30.
    pub fn time_words(&self) -> String {
        let t = self.evaluated_at;
        format!(
            "{}年{}月{}日 {:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        )
    }

    /// The time of evaluation in JSON, with its offset (RFC 3339): 2025-01-15T09:30:00+08:00.
    pub fn time_json(&self) -> String {
        let t = self.evaluated_at;
        let seconds = self.utc_offset.seconds();
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            minutes / 60,
            minutes % 60
        )
    }

    /// The time of evaluation in UTC (for the workbook's document properties).
    pub fn utc(&self) -> jiff::civil::DateTime {
        let offset = jiff::SignedDuration::from_secs(i64::from(self.utc_offset.seconds()));
        self.evaluated_at
            .checked_sub(offset)
            .unwrap_or(self.evaluated_at)
    }

    /// The lines every document for people ends its summary with:
    /// 计算时间：2025年1月15日 09:30, then one line per file:
    /// 乡约：compacts/…/youxiqiao.xy（SHA-256 9c1d…）.
    pub fn words(&self) -> Vec<String> {
        let mut lines = vec![format!("计算时间：{}", self.time_words())];
        lines.extend(self.files.iter().map(file_words));
        lines
    }
}

/// 乡约：compacts/…/youxiqiao.xy（SHA-256 9c1d…）
pub fn file_words(file: &SourceFile) -> String {
    format!("{}：{}（SHA-256 {}）", file.label, file.path, file.sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance() -> Provenance {
        let file = |kind, label: &str, path: &str| SourceFile {
            kind,
            label: label.to_string(),
            path: path.to_string(),
            sha256: "ab".repeat(32),
            bytes: 3,
        };
        Provenance {
            files: vec![
                file(SourceKind::Compact, "乡约", "村/村.xy"),
                file(SourceKind::Register, "户籍", "村/户籍.csv"),
                file(SourceKind::Roster, "名册「党员」", "村/党员.csv"),
                file(SourceKind::Events, "事项记录", "村/events.csv"),
            ],
            evaluated_at: jiff::civil::date(2025, 1, 5).at(9, 3, 7, 0),
            utc_offset: jiff::tz::offset(8),
        }
    }

    #[test]
    fn time_and_files_in_words_and_json() {
        let p = provenance();
        assert_eq!(p.time_words(), "2025年1月5日 09:03");
        assert_eq!(p.time_json(), "2025-01-05T09:03:07+08:00");
        assert_eq!(p.utc(), jiff::civil::date(2025, 1, 5).at(1, 3, 7, 0));
        let west = Provenance {
            utc_offset: jiff::tz::Offset::from_seconds(-(3 * 3600 + 30 * 60)).unwrap(),
            ..p.clone()
        };
        assert_eq!(west.time_json(), "2025-01-05T09:03:07-03:30");
        assert_eq!(west.utc(), jiff::civil::date(2025, 1, 5).at(12, 33, 7, 0));
        let words = p.words();
        assert_eq!(words[0], "计算时间：2025年1月5日 09:03");
        assert_eq!(
            words[3],
            format!("名册「党员」：村/党员.csv（SHA-256 {}）", "ab".repeat(32))
        );
        let sources = p.sources();
        assert_eq!(
            (sources.compact, sources.register, sources.events),
            (
                "村/村.xy".into(),
                "村/户籍.csv".into(),
                "村/events.csv".into()
            )
        );
    }
}
