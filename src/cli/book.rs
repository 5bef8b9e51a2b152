//! What the book commands share: finding and opening a village's book (积分账本.db), printing
//! its refusals, the time of a change, and reading the book's records into the evaluator as a
//! village — so that `eval`, `explain`, `diff`, `publish`, `redeem` and `verify` all score the
//! book's records with the same checker and evaluator as a CSV log.

use std::path::{Path, PathBuf};

use super::inputs::{Stored, Village, VillageArgs};
use super::{EXIT_ERRORS, EXIT_USAGE, ErrorFormat, diagnostics};
use crate::book::query::{CompactRow, Heads, InForce, RecordRow};
use crate::book::{BOOK_FILE, Book, BookError};
use crate::data::ReadOptions;
use crate::data::value::{Day, date_of, parse_date};
use crate::eval::Period;
use crate::model::{Compact, HOUSEHOLD};

/// The book's file in `folder`.
pub fn book_path(folder: &Path) -> PathBuf {
    folder.join(BOOK_FILE)
}

/// Whether `folder` has a book.
pub fn has_book(folder: &Path) -> bool {
    folder.is_dir() && book_path(folder).is_file()
}

/// Opens the book of the village folder `folder`, printing why not.
pub fn open(folder: &Path, format: ErrorFormat) -> Result<Book, u8> {
    if !folder.is_dir() {
        eprintln!(
            "错误：{} 不是文件夹；账本命令要写村的文件夹（其中有乡约、户籍和积分账本.db）",
            folder.display()
        );
        return Err(EXIT_USAGE);
    }
    Book::open(&book_path(folder)).map_err(|e| refuse(&e, format))
}

/// Prints a book error (code, message, hint) and gives the exit code: 2 when the file could
/// not be read or written, 1 for a refusal.
pub fn refuse(error: &BookError, format: ErrorFormat) -> u8 {
    if format == ErrorFormat::Json {
        let json = serde_json::json!({
            "diagnostics": [{
                "code": error.code(),
                "severity": "error",
                "message": error.to_string(),
                "help": error.hint(),
            }]
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    } else {
        eprintln!("错误[{}] {error}", error.code());
        let hint = error.hint();
        if !hint.is_empty() {
            eprintln!("  提示：{hint}");
        }
    }
    match error {
        BookError::Storage { .. } | BookError::NoBook { .. } => EXIT_USAGE,
        _ => EXIT_ERRORS,
    }
}

/// The time of a change, to the second, as the book stores it (`2024-04-01 09:30:00`): the
/// local time of [`super::now`] (`XIANGYUE_NOW`, so that tests and re-runs are repeatable, or
/// the clock).
pub fn now() -> Result<String, u8> {
    Ok(super::now()?.0.strftime("%Y-%m-%d %H:%M:%S").to_string())
}

/// Today as YYYY-MM-DD (see [`super::today`]).
pub fn today_text() -> Result<String, u8> {
    Ok(date_of(super::today()?).to_string())
}

/// A date written by a clerk, as YYYY-MM-DD.
pub fn date_arg(text: &str, flag: &str) -> Result<String, u8> {
    match parse_date(text) {
        Some(day) => Ok(date_of(day).to_string()),
        None => {
            eprintln!("错误：{flag} 的「{text}」不是日期；写成 2024-03-31 或 2024年3月31日");
            Err(EXIT_USAGE)
        }
    }
}

/// The day of a YYYY-MM-DD text.
pub fn day_of(text: &str) -> Day {
    parse_date(text).unwrap_or(0)
}

/// Checks a compact version's text; prints its diagnostics when it has errors. A compact
/// built on a township template (依据「…」) finds it from the village folder upwards, as
/// `check` and `eval` do.
pub fn compile_version(
    version: &CompactRow,
    folder: &Path,
    format: ErrorFormat,
) -> Result<Compact, u8> {
    let compiled = diagnostics::compile_at(&folder.join(&version.file), &version.text);
    compiled.compact.ok_or_else(|| {
        diagnostics::print(&compiled.problems, &version.file, &version.text, format);
        EXIT_ERRORS
    })
}

/// Which part of the book to read as a village.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// How far the book had come (`None`: as it is now).
    pub heads: Option<Heads>,
    /// Only records dated on or before this day (YYYY-MM-DD).
    pub through: Option<String>,
    /// The period (its starting year); `None`: the one with the most records, as for a log.
    pub period: Option<i32>,
}

/// What [`village_from_book`] chose.
pub struct FromBook {
    /// The village, its tables in memory.
    pub village: Village,
    /// The compact version used.
    pub version: CompactRow,
    /// The period, when one was chosen here (a given one, or the one of the most records).
    pub period: Option<i32>,
    /// Each record read (its id and day), in the order of the exported log: the record on
    /// line `i + 2` is `records[i]`.
    pub records: Vec<(i64, crate::data::Day)>,
}

/// Reads the book's records in force (as of `view`) as a village: the compact in force for
/// the period — records of periods under another version are left out, since one period is
/// scored under one version —, the stored register and rosters, and the records as a CSV log
/// whose 编号 is each record's id in the book. `compact` replaces the book's version (for
/// `diff`, which scores the book's records under the two texts it is given).
pub fn village_from_book(
    book: &Book,
    folder: &Path,
    args: &VillageArgs,
    view: &View,
    compact: Option<(PathBuf, String, Compact)>,
) -> Result<FromBook, u8> {
    let format = args.error_format;
    let fail = |e: BookError| refuse(&e, format);
    let heads = match view.heads {
        Some(h) => h,
        None => book.heads().map_err(fail)?,
    };
    let versions = book.compacts().map_err(fail)?;
    let Some(latest) = versions.last() else {
        return Err(fail(BookError::bad(
            format!("积分账本 {} 里没有乡约", book.path()),
            "账本是 xiangyue init 建立的吗？用 xiangyue verify 检查它",
        )));
    };
    let latest_compact = compile_version(latest, folder, format)?;
    let start = latest_compact.period_start;
    let through = view
        .through
        .clone()
        .unwrap_or_else(|| "9999-12-31".to_string());
    // The period: given, else the one holding the most records (of several, the latest) —
    // the rule `eval` follows for a log, so that both choose the same.
    let period = match view.period.or(args.period) {
        Some(year) => Some(year),
        None => {
            let mut counts: Vec<(i32, u64)> = Vec::new();
            book.each_in_force(heads, "0000-00-00", &through, |record| {
                let year = Period::containing(day_of(record.day), start).year;
                match counts.iter_mut().find(|(y, _)| *y == year) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((year, 1)),
                }
            })
            .map_err(fail)?;
            counts
                .into_iter()
                .max_by_key(|(year, count)| (*count, *year))
                .map(|(year, _)| year)
        }
    };
    let period_start = period.map(|y| Period::starting(y, start).start);
    let version = match period_start {
        Some(day) => book
            .compact_in_force(&date_of(day).to_string())
            .map_err(fail)?
            .unwrap_or_else(|| latest.clone()),
        None => latest.clone(),
    };
    // The days this version is in force: from its 生效 (the first version: from the start)
    // to the day before the next version's.
    let from = if version.id != versions.first().map_or(0, |v| v.id) {
        version.effective.clone()
    } else {
        "0000-00-00".to_string()
    };
    let until = versions
        .iter()
        .filter(|v| v.effective > version.effective)
        .map(|v| date_of(day_of(&v.effective) - 1).to_string())
        .min()
        .map_or(through.clone(), |last| last.min(through.clone()));
    let (compact_path, source, compact) = match compact {
        Some(given) => given,
        None => {
            let compact = compile_version(&version, folder, format)?;
            (version_path(book, &version), version.text.clone(), compact)
        }
    };
    let mut village = stored_village(book, folder, args, (compact_path, source, compact))?;
    let mut log = LogWriter::new(&village.compact, heads.records);
    let mut records = Vec::new();
    book.each_in_force(heads, &from, &until, |record| {
        log.push(&record);
        records.push((record.id, day_of(record.day)));
    })
    .map_err(fail)?;
    if let Some(stored) = &mut village.stored {
        stored.events = log.finish().into();
        stored.record_ids = records.iter().map(|(id, _)| *id).collect();
    }
    Ok(FromBook {
        village,
        version,
        period,
        records,
    })
}

/// A village of the book's register and rosters under `compact`, with no records yet.
pub fn stored_village(
    book: &Book,
    folder: &Path,
    args: &VillageArgs,
    (compact_path, source, compact): (PathBuf, String, Compact),
) -> Result<Village, u8> {
    let fail = |e: BookError| refuse(&e, args.error_format);
    let registers = book.registers().map_err(fail)?;
    let register = registers
        .iter()
        .find(|r| r.kind == "户籍")
        .map(|r| r.text.clone())
        .unwrap_or_default();
    let mut rosters = Vec::new();
    for (kind, subject) in compact.kinds.iter().enumerate().skip(1) {
        let Some(stored) = registers.iter().find(|r| r.kind == subject.name) else {
            return Err(fail(BookError::bad(
                format!("乡约有名册「{}」，积分账本里没有它", subject.name),
                format!(
                    "把名册放进村文件夹（{0}.csv），再用 xiangyue init 建账本时一并存入",
                    subject.name
                ),
            )));
        };
        rosters.push((kind, stored.text.clone()));
    }
    let (folder_pool_path, folder_pool) = super::inputs::folder_pool(folder);
    let today = if args.allow_future {
        None
    } else {
        Some(super::today()?)
    };
    Ok(Village {
        compact_path,
        source,
        register_path: PathBuf::from(format!("{}（户籍）", book.path())),
        events_path: PathBuf::from(book.path()),
        rosters: compact
            .kinds
            .iter()
            .enumerate()
            .skip(1)
            .map(|(kind, k)| {
                (
                    kind,
                    PathBuf::from(format!("{}（名册「{}」）", book.path(), k.name)),
                )
            })
            .collect(),
        compact,
        options: ReadOptions::default(),
        folder_pool,
        folder_pool_path,
        today,
        strict: args.strict,
        stored: Some(Stored {
            register,
            rosters,
            events: std::sync::Arc::from(""),
            record_ids: Vec::new(),
        }),
    })
}

/// The path under which a version of the compact is named in messages.
pub fn version_path(book: &Book, version: &CompactRow) -> PathBuf {
    PathBuf::from(format!(
        "{}（乡约第 {} 版 {}）",
        book.path(),
        version.id,
        version.file
    ))
}

/// The log's columns for `compact`: 编号, 日期, 户号, 人员, 事项, every field and evidence
/// of its 事项 (each name once), 备注.
pub fn log_columns(compact: &Compact) -> Vec<String> {
    let mut columns: Vec<String> = ["编号", "日期", "户号", "人员", "事项"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for event in &compact.events {
        for name in event
            .fields
            .iter()
            .map(|f| &f.name)
            .chain(event.evidence.iter())
        {
            if !columns.contains(name) {
                columns.push(name.clone());
            }
        }
    }
    if !columns.iter().any(|c| c == "备注") {
        columns.push("备注".to_string());
    }
    columns
}

/// Writes records as a CSV log with [`log_columns`]: 编号 is each record's id in the book.
pub struct LogWriter {
    columns: Vec<String>,
    has_persons: bool,
    text: String,
}

impl LogWriter {
    /// A log with its header line, room made for up to `records` records.
    pub fn new(compact: &Compact, records: i64) -> Self {
        let columns = log_columns(compact);
        // About 40 bytes a record: ids, a date, a 户号, a 事项 and a field or two.
        let room = usize::try_from(records).unwrap_or(0).saturating_mul(40);
        let mut text = String::with_capacity(room.clamp(1 << 16, 1 << 30));
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            push_cell(&mut text, column);
        }
        text.push('\n');
        LogWriter {
            has_persons: compact.kinds.len() > 1
                || compact.events.iter().any(|e| e.owner != HOUSEHOLD),
            columns,
            text,
        }
    }

    /// Adds one record.
    pub fn push(&mut self, record: &InForce<'_>) {
        let cells = StoredCells::of(record.cells);
        for (i, column) in self.columns.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            match column.as_str() {
                "编号" => self.text.push_str(&record.id.to_string()),
                "日期" => push_cell(&mut self.text, record.day),
                "户号" => push_cell(&mut self.text, record.household),
                "人员" if self.has_persons => push_cell(&mut self.text, record.person),
                "人员" => {}
                "事项" => push_cell(&mut self.text, record.item),
                name => push_cell(&mut self.text, cells.get(name)),
            }
        }
        self.text.push('\n');
    }

    /// The log's text.
    pub fn finish(self) -> String {
        self.text
    }
}

/// A record's other cells, read from their JSON object (borrowed when nothing is escaped).
enum StoredCells<'a> {
    Borrowed(std::collections::BTreeMap<&'a str, &'a str>),
    Owned(std::collections::BTreeMap<String, String>),
}

impl<'a> StoredCells<'a> {
    fn of(json: &'a str) -> Self {
        match serde_json::from_str(json) {
            Ok(map) => StoredCells::Borrowed(map),
            Err(_) => StoredCells::Owned(serde_json::from_str(json).unwrap_or_default()),
        }
    }

    fn get(&self, name: &str) -> &str {
        match self {
            StoredCells::Borrowed(map) => map.get(name).copied().unwrap_or(""),
            StoredCells::Owned(map) => map.get(name).map_or("", String::as_str),
        }
    }
}

/// Writes a CSV cell, quoted when it holds a comma, a quote or a line break.
fn push_cell(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// The book's latest compact, with its register and rosters read.
pub fn latest_village(
    book: &Book,
    folder: &Path,
    args: &VillageArgs,
) -> Result<(Village, Vec<crate::data::Register>, CompactRow), u8> {
    let fail = |e: BookError| refuse(&e, args.error_format);
    let Some(version) = book.compacts().map_err(fail)?.pop() else {
        return Err(fail(BookError::bad(
            format!("积分账本 {} 里没有乡约", book.path()),
            "账本是 xiangyue init 建立的吗？用 xiangyue verify 检查它",
        )));
    };
    let compact = compile_version(&version, folder, args.error_format)?;
    let village = stored_village(
        book,
        folder,
        args,
        (version_path(book, &version), version.text.clone(), compact),
    )?;
    let registers = super::inputs::load_registers(&village, args.error_format)?;
    Ok((village, registers, version))
}

/// `VillageArgs` for a book command on `folder`.
pub fn folder_args(folder: &Path, error_format: ErrorFormat) -> VillageArgs {
    VillageArgs {
        village: folder.to_path_buf(),
        register: None,
        events: None,
        rosters: Vec::new(),
        encoding: "auto".to_string(),
        sheet: None,
        period: None,
        allow_future: false,
        strict: false,
        error_format,
    }
}

/// The name shown beside a household id: its 户主, when the register has one.
pub fn head_of(registers: &[crate::data::Register], household: &str) -> String {
    registers
        .get(HOUSEHOLD)
        .and_then(|r| r.find(household).and_then(|s| r.name(s)))
        .unwrap_or("")
        .to_string()
}

/// A record's content in words: 「天数 2；备注 …」.
pub fn record_words(record: &RecordRow) -> String {
    record
        .cell_pairs()
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join("；")
}

/// Parses record ids written as `3`, `1-20`, `1–20`, `4,7,9` or several of them.
pub fn parse_ids(texts: &[String], flag: &str) -> Result<Vec<i64>, u8> {
    let mut ids = Vec::new();
    for part in texts
        .iter()
        .flat_map(|t| t.split([',', '，', '、', ' ']))
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let range = part
            .split_once(['-', '–', '~', '～'])
            .map(|(a, b)| (a.trim().parse::<i64>(), b.trim().parse::<i64>()));
        match range {
            Some((Ok(a), Ok(b))) if a >= 1 && a <= b && b - a < 100_000_000 => ids.extend(a..=b),
            None => match part.parse::<i64>() {
                Ok(n) if n >= 1 => ids.push(n),
                _ => return Err(bad_ids(flag, part)),
            },
            _ => return Err(bad_ids(flag, part)),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn bad_ids(flag: &str, part: &str) -> u8 {
    eprintln!(
        "错误：{flag} 的「{part}」不是记录号；写成 17、1-20 或 3,5,9（记录号见 xiangyue pending）"
    );
    EXIT_USAGE
}

/// The book's records scored: what [`evaluate_from`] gives.
pub struct Evaluated {
    /// The village read from the book, and what was chosen.
    pub from: FromBook,
    /// Its registers.
    pub registers: Vec<crate::data::Register>,
    /// The results.
    pub results: crate::eval::Results,
}

/// Scores the village read from the book with the same reading and evaluator as `eval`, into
/// sinks made by `make_sink`; `pool_fen` shares a dividend.
pub fn evaluate_from<S: crate::eval::ledger::Sink + Send>(
    from: FromBook,
    args: &VillageArgs,
    pool_fen: Option<i64>,
    make_sink: impl Fn() -> S,
) -> Result<(Evaluated, S), u8> {
    let registers = super::inputs::load_registers(&from.village, args.error_format)?;
    let choice = from.period.map_or(
        crate::eval::PeriodChoice::Latest,
        crate::eval::PeriodChoice::Year,
    );
    let run = super::inputs::EventRun {
        village: &from.village,
        registers: &registers,
        choice,
        reject_file: None,
        pool_fen,
        format: args.error_format,
        threads: None,
        of_several: None,
    };
    let (results, sink) = super::inputs::evaluate(&run, make_sink)?;
    Ok((
        Evaluated {
            from,
            registers,
            results,
        },
        sink,
    ))
}
