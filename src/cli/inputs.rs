//! Finding and reading a village's files: the compact, the register and rosters, the event
//! log — streamed into the evaluator, sorted first only when the log is not in date order.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::data_problems::{DataProblems, KEEP_LIMIT, print_warnings};
use super::{EXIT_ERRORS, EXIT_USAGE, ErrorFormat, diagnostics, read_text};
use crate::data::chunks::{Checked, Chunk, LogChunks, check_chunk};
use crate::data::value::{Day, date_of, days_from_civil};
use crate::data::{
    Cells, DataError, DataWarning, EventReader, EventRecord, Next, ReadOptions, Register,
    TableReader, read_register,
};
use crate::eval::parallel::{Batch, Shards, shard_of};
use crate::eval::period::{PeriodCounts, PeriodSource};
use crate::eval::{Period, PeriodChoice, Results, Sink};
use crate::model::{Compact, HOUSEHOLD, KindId};

/// Where a village's files are, as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct VillageArgs {
    /// 村的文件夹（含 .xy、户籍、事项记录），或乡约文件（.xy）
    pub village: PathBuf,
    /// 户籍（花名册）文件：.csv、.jsonl 或 .xlsx
    #[arg(long)]
    pub register: Option<PathBuf>,
    /// 事项记录文件：.csv、.jsonl 或 .xlsx
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// 名册文件，写成 名册名=文件，例如 --roster 党员=党员.csv（可写多次）
    #[arg(long = "roster", value_name = "名册=文件")]
    pub rosters: Vec<String>,
    /// 文字编码：auto（自动识别）、utf-8 或 gb18030
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// Excel 文件中要读的工作表（默认第一张）
    #[arg(long)]
    pub sheet: Option<String>,
    /// 计算哪一年度，例如 2024（默认：事项记录中记录最多的年度）
    #[arg(long)]
    pub period: Option<i32>,
    /// 也计算日期在今天以后的记录（默认当作有误的记录，错误 E0220）
    #[arg(long)]
    pub allow_future: bool,
    /// 把数据的警告（W02xx）当作错误：有警告时不计算，退出码为 1
    #[arg(long)]
    pub strict: bool,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

/// A village's compact and files.
pub struct Village {
    /// The compact file.
    pub compact_path: PathBuf,
    /// Its text.
    pub source: String,
    /// The checked compact.
    pub compact: Compact,
    /// The register file.
    pub register_path: PathBuf,
    /// The event log.
    pub events_path: PathBuf,
    /// Roster files by kind.
    pub rosters: Vec<(KindId, PathBuf)>,
    /// How to read tables.
    pub options: ReadOptions,
    /// The dividend amount written in the folder's 分红.txt, if any.
    pub folder_pool: Option<String>,
    /// The file it was read from (for the outputs' list of sources).
    pub folder_pool_path: Option<PathBuf>,
    /// Today: records dated after it are refused (`None` with `--allow-future`).
    pub today: Option<Day>,
    /// `--strict`: data warnings are errors.
    pub strict: bool,
    /// The register, rosters and records read from the village's book, when there is one
    /// (the paths above then only name them in messages).
    pub stored: Option<Stored>,
}

/// A village's tables as read from its book (积分账本.db), in memory as CSV text.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    /// The register.
    pub register: String,
    /// Each roster, by kind.
    pub rosters: Vec<(KindId, String)>,
    /// The records in force, as a CSV log (shared with each reading of it).
    pub events: std::sync::Arc<str>,
    /// The book's id of the record on each line of `events` (the first record is on line 2).
    pub record_ids: Vec<i64>,
}

impl Stored {
    /// The book's id of the record on `line` of the exported log.
    pub fn record_id(&self, line: u64) -> Option<i64> {
        let index = usize::try_from(line.checked_sub(2)?).ok()?;
        self.record_ids.get(index).copied()
    }
}

/// Which table of a village.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// 户籍.
    Register,
    /// A roster.
    Roster(KindId),
    /// The event log.
    Events,
}

impl Village {
    /// Opens one of the village's tables: from its file, or from the book's text.
    pub fn open_table(&self, which: Which, file: &str) -> Result<TableReader, DataError> {
        if let Some(stored) = &self.stored {
            if which == Which::Events {
                return TableReader::from_shared_csv(std::sync::Arc::clone(&stored.events), file);
            }
            let text = match which {
                Which::Register => stored.register.as_str(),
                Which::Roster(kind) => stored
                    .rosters
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map_or("", |(_, t)| t.as_str()),
                Which::Events => "",
            };
            return TableReader::from_csv_text(text, file);
        }
        let path = match which {
            Which::Register => &self.register_path,
            Which::Roster(kind) => self
                .rosters
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(&self.register_path, |(_, p)| p),
            Which::Events => &self.events_path,
        };
        TableReader::open(path, file, &self.options)
    }
}

const TABLE_EXTENSIONS: &[&str] = &["csv", "jsonl", "xlsx"];

/// The first of `names` (with a table extension) that exists in `dir`.
pub fn find_table(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    tables_in(dir, names).into_iter().next()
}

/// Every one of `names` (with each table extension) that exists in `dir`, in that order.
fn tables_in(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .flat_map(|name| {
            TABLE_EXTENSIONS
                .iter()
                .map(move |ext| in_folder(dir, Path::new(&format!("{name}.{ext}"))))
        })
        .filter(|p| p.is_file())
        .collect()
}

/// The one table of `names` in `dir` (`None` when there is none). Two of them — events.csv
/// and events.xlsx, or events.csv and 事项记录.csv — are refused like two .xy files: which
/// one holds the real records is not for the program to guess. `what` names the table for
/// people, `flag` the option that names one instead.
fn one_table(dir: &Path, names: &[&str], what: &str, flag: &str) -> Result<Option<PathBuf>, u8> {
    let found = tables_in(dir, names);
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        several => {
            eprintln!(
                "错误：文件夹 {} 里有几个{what}文件：{}；只留下一个，或用 {flag} 指明用哪一个",
                display(dir),
                several
                    .iter()
                    .map(|p| display(p))
                    .collect::<Vec<_>>()
                    .join("、")
            );
            Err(EXIT_USAGE)
        }
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// `dir/name` without a leading `./` when the folder is the current one.
fn in_folder(dir: &Path, name: &Path) -> PathBuf {
    let joined = dir.join(name);
    joined
        .strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or(joined)
}

/// Finds the village's files and checks its compact; prints problems and returns the exit
/// code on failure.
pub fn load_village(args: &VillageArgs) -> Result<Village, u8> {
    load_village_in(args, None)
}

/// The compact file of a village given as a folder (its one .xy file) or as the file itself,
/// and the folder it is in.
pub fn find_compact(village: &Path) -> Result<(PathBuf, PathBuf), u8> {
    Ok(if village.is_dir() {
        let mut compacts: Vec<PathBuf> = std::fs::read_dir(village)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "xy"))
                    .map(|p| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p))
                    .collect()
            })
            .unwrap_or_default();
        compacts.sort();
        match compacts.as_slice() {
            [one] => (one.clone(), village.to_path_buf()),
            [] => {
                eprintln!("错误：文件夹 {} 里没有乡约文件（.xy）", display(village));
                return Err(EXIT_USAGE);
            }
            _ => {
                eprintln!(
                    "错误：文件夹 {} 里有几个乡约文件，请直接指明其中一个：{}",
                    display(village),
                    compacts
                        .iter()
                        .map(|p| display(p))
                        .collect::<Vec<_>>()
                        .join("、")
                );
                return Err(EXIT_USAGE);
            }
        }
    } else {
        let dir = village.parent().map(Path::to_path_buf).unwrap_or_default();
        (village.to_path_buf(), dir)
    })
}

/// [`load_village`], with the register, events, rosters and 分红.txt looked up in `data_dir`
/// instead of the compact's folder when it is given (`xiangyue diff` reads one village's data
/// under two compacts).
pub fn load_village_in(args: &VillageArgs, data_dir: Option<&Path>) -> Result<Village, u8> {
    let (compact_path, dir) = find_compact(&args.village)?;
    let dir = data_dir.map_or(dir, Path::to_path_buf);
    let source = read_text(&compact_path)?;
    let compiled = super::diagnostics::compile_at(&compact_path, &source);
    let file = display(&compact_path);
    let Some(compact) = compiled.compact else {
        diagnostics::print(&compiled.problems, &file, &source, args.error_format);
        return Err(EXIT_ERRORS);
    };
    if args.events.is_none() && args.register.is_none() && super::book::has_book(&dir) {
        return village_in_book(
            args,
            &dir,
            (compact_path, source, compact),
            data_dir.is_some(),
        );
    }
    let (register_path, rosters) = find_registers(args, &dir, &compact)?;
    let events_path = match &args.events {
        Some(p) => p.clone(),
        None => one_table(&dir, &["events", "事项记录"], "事项记录", "--events")?.ok_or_else(|| {
            eprintln!(
                "错误：没有找到事项记录；在 {} 中放 events.csv（或 事项记录.csv），或用 --events 指明",
                display(&dir)
            );
            EXIT_USAGE
        })?,
    };
    let encoding = encoding_of(&args.encoding)?;
    let (folder_pool_path, folder_pool) = folder_pool(&dir);
    let today = if args.allow_future {
        None
    } else {
        Some(super::today()?)
    };
    Ok(Village {
        stored: None,
        folder_pool,
        folder_pool_path,
        today,
        strict: args.strict,
        compact_path,
        source,
        compact,
        register_path,
        events_path,
        rosters,
        options: ReadOptions {
            encoding,
            sheet: args.sheet.clone(),
        },
    })
}

/// The register and roster files of a village folder `dir` (or as named by `--register` and
/// `--roster`); prints why not when one is missing or two could be meant.
pub fn find_registers(
    args: &VillageArgs,
    dir: &Path,
    compact: &Compact,
) -> Result<(PathBuf, Vec<(KindId, PathBuf)>), u8> {
    let dir = dir.to_path_buf();
    let register_path = match &args.register {
        Some(p) => p.clone(),
        None => one_table(&dir, &["register", "户籍", "花名册"], "户籍", "--register")?.ok_or_else(|| {
            eprintln!(
                "错误：没有找到户籍文件；在 {} 中放 register.csv（或 户籍.csv），或用 --register 指明",
                display(&dir)
            );
            EXIT_USAGE
        })?,
    };
    let mut rosters = Vec::new();
    for (kind, subject) in compact.kinds.iter().enumerate().skip(1) {
        let given = args.rosters.iter().find_map(|r| {
            let (name, path) = r.split_once('=')?;
            (name.trim() == subject.name).then(|| PathBuf::from(path.trim()))
        });
        let found = match given {
            Some(path) => Some(path),
            None => {
                let prefixed = format!("名册-{}", subject.name);
                one_table(
                    &dir,
                    &[subject.name.as_str(), prefixed.as_str()],
                    &format!("名册「{}」的", subject.name),
                    &format!("--roster {}=文件", subject.name),
                )?
            }
        };
        match found {
            Some(path) => rosters.push((kind, path)),
            None => {
                eprintln!(
                    "错误：乡约声明了名册「{0}」，但没有找到它的文件；在 {1} 中放 {0}.csv，或用 --roster {0}=文件 指明",
                    subject.name,
                    display(&dir)
                );
                return Err(EXIT_USAGE);
            }
        }
    }
    Ok((register_path, rosters))
}

/// The folder's 分红.txt (or pool.txt) and the amount written in it, if any.
pub fn folder_pool(dir: &Path) -> (Option<PathBuf>, Option<String>) {
    let path = ["分红.txt", "pool.txt"]
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file());
    let amount = path
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|text| text.trim().trim_start_matches('\u{feff}').to_string())
        .filter(|text| !text.is_empty());
    (path, amount)
}

/// The `--encoding` option's value.
pub fn encoding_of(text: &str) -> Result<crate::data::Encoding, u8> {
    match text.to_ascii_lowercase().as_str() {
        "auto" => Ok(crate::data::Encoding::Auto),
        "utf-8" | "utf8" => Ok(crate::data::Encoding::Utf8),
        "gb18030" | "gbk" | "gb2312" => Ok(crate::data::Encoding::Gb18030),
        other => {
            eprintln!("错误：不认识的编码「{other}」；可用 auto、utf-8、gb18030");
            Err(EXIT_USAGE)
        }
    }
}

/// The village of a folder with a book: the book's records, register and rosters. The compact
/// is the book's version in force (the folder's .xy is compared with it, and a difference
/// told), or, for `diff` (`compact_given`), the compact named on the command line.
fn village_in_book(
    args: &VillageArgs,
    dir: &Path,
    (compact_path, source, compact): (PathBuf, String, Compact),
    compact_given: bool,
) -> Result<Village, u8> {
    let book = super::book::open(dir, args.error_format)?;
    let given = compact_given.then(|| (compact_path.clone(), source.clone(), compact));
    let read =
        super::book::village_from_book(&book, dir, args, &super::book::View::default(), given)?;
    if !compact_given && read.version.text != source {
        eprintln!(
            "说明：{} 与积分账本里的乡约（第 {} 版，{}）不同；计算用的是账本里的版本。新版本表决通过后用 xiangyue adopt 存入账本",
            display(&compact_path),
            read.version.id,
            read.version.file
        );
    }
    let unread = tables_in(dir, &["events", "事项记录"]);
    if !unread.is_empty() {
        eprintln!(
            "说明：读的是积分账本 {}；文件夹里的 {} 没有读（要读它，用 --events 指明）",
            book.path(),
            unread
                .iter()
                .map(|p| display(p))
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    Ok(read.village)
}

/// Reads the register and rosters; on errors prints them and returns the exit code.
pub fn load_registers(village: &Village, format: ErrorFormat) -> Result<Vec<Register>, u8> {
    let compact = &village.compact;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut registers: Vec<Register> = compact
        .kinds
        .iter()
        .enumerate()
        .map(|(kind, k)| Register::empty(kind, k.attributes.len(), ""))
        .collect();
    let file = display(&village.register_path);
    match village.open_table(Which::Register, &file) {
        Ok(mut table) => {
            let households = read_register(
                &mut table,
                compact,
                HOUSEHOLD,
                None,
                &mut errors,
                &mut warnings,
            );
            if let Some(slot) = registers.get_mut(HOUSEHOLD) {
                *slot = households;
            }
        }
        Err(e) => errors.push(e),
    }
    for (kind, path) in &village.rosters {
        let file = display(path);
        match village.open_table(Which::Roster(*kind), &file) {
            Ok(mut table) => {
                let roster = read_register(
                    &mut table,
                    compact,
                    *kind,
                    registers.first(),
                    &mut errors,
                    &mut warnings,
                );
                if let Some(slot) = registers.get_mut(*kind) {
                    *slot = roster;
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        let error_count = errors.len() as u64;
        errors.truncate(KEEP_LIMIT);
        DataProblems {
            errors: &errors,
            error_count,
            warnings: &warnings,
            bad_records: None,
            strict: village.strict,
            summary: format!("户籍或名册有 {error_count} 处错误，未计算；改正后再运行"),
        }
        .print(format);
        return Err(EXIT_ERRORS);
    }
    refuse_warnings(village, &warnings, format)?;
    print_warnings(&warnings);
    Ok(registers)
}

/// With `--strict`, warnings stop the run: they are printed as errors and the exit code is
/// returned. Without it, nothing happens here.
fn refuse_warnings(
    village: &Village,
    warnings: &[DataWarning],
    format: ErrorFormat,
) -> Result<(), u8> {
    if !village.strict || warnings.is_empty() {
        return Ok(());
    }
    DataProblems {
        errors: &[],
        error_count: 0,
        warnings,
        bad_records: None,
        strict: true,
        summary: format!(
            "有 {} 条数据警告，--strict 把它们当作错误，未计算；改正后再运行，或去掉 --strict",
            warnings.len()
        ),
    }
    .print(format);
    Err(EXIT_ERRORS)
}

/// Shows a spinner with the record count once a run has taken two seconds, on a terminal only.
struct Progress {
    started: Instant,
    bar: Option<indicatif::ProgressBar>,
    enabled: bool,
    /// The count of records at which to look at the clock next (records come a chunk at a
    /// time, not one by one).
    next: u64,
}

impl Progress {
    fn new(wanted: bool) -> Self {
        Progress {
            started: Instant::now(),
            bar: None,
            enabled: wanted && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
            next: 0,
        }
    }

    fn tick(&mut self, records: u64) {
        if !self.enabled || records < self.next {
            return;
        }
        self.next = records + 65_536;
        if self.bar.is_none() && self.started.elapsed() > Duration::from_secs(2) {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} 已读 {pos} 条记录（{per_sec}）")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(records);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// How events are read into the evaluator.
pub struct EventRun<'a> {
    /// The village.
    pub village: &'a Village,
    /// The registers.
    pub registers: &'a [Register],
    /// Which period: a year given on the command line, or [`PeriodChoice::Latest`] for the
    /// period holding the most records (see [`evaluate`]).
    pub choice: PeriodChoice,
    /// Where to write bad records (otherwise any bad record stops the run).
    pub reject_file: Option<&'a Path>,
    /// The dividend amount.
    pub pool_fen: Option<i64>,
    /// Diagnostics format.
    pub format: ErrorFormat,
    /// How many threads to read and evaluate on (`None`: every core). A county's villages are
    /// evaluated side by side, each on one thread.
    pub threads: Option<usize>,
    /// One of several years of one run (`eval --years`): no W0211 (the years were asked
    /// for), and the reading's warnings printed only when `first`.
    pub of_several: Option<Several>,
}

/// See [`EventRun::of_several`].
#[derive(Debug, Clone, Copy)]
pub struct Several {
    /// The first year of the run.
    pub first: bool,
}

/// Reads the event log into an evaluator with a sink from `make_sink`; returns the results and
/// the sink, or the exit code after printing why not.
///
/// On a machine with several cores the log's chunks are checked on every core, and the
/// subjects are evaluated in shards, one per core, when the sink allows it (not for a whole
/// ledger, whose entries keep the order they were decided in). The results are the same.
///
/// Without a year on the command line the period holding the most records is computed (of
/// several holding as many, the latest): the log is streamed following its latest period, and
/// when another period holds more records it is read again for that one — a stray record
/// never decides the period. The results say how the period was chosen and how many records
/// fell in each other period; a period before the compact's 生效 date (W0210) or holding
/// fewer than half of the log's records (W0211) is warned about.
pub fn evaluate<S: Sink + Send>(
    run: &EventRun<'_>,
    make_sink: impl Fn() -> S,
) -> Result<(Results, S), u8> {
    let (mut results, mut sink, mut read) = evaluate_once(run, run.choice, &make_sink)?;
    let chosen_by = match run.choice {
        PeriodChoice::Year(_) => PeriodSource::Given,
        PeriodChoice::Latest => PeriodSource::MostRecords,
    };
    if chosen_by == PeriodSource::MostRecords
        && let Some(most) = results.summary.periods.most()
        && most.year != results.period.year
    {
        (results, sink, read) = evaluate_once(run, PeriodChoice::Year(most.year), &make_sink)?;
    }
    results.summary.chosen_by = chosen_by;
    let village = run.village;
    let file = display(&village.events_path);
    read.warnings.extend(period_warnings(
        village,
        &results.period,
        &results.summary.periods,
        &file,
    ));
    if run.of_several.is_some() {
        read.warnings
            .retain(|w| !matches!(w, DataWarning::FewRecordsInPeriod { .. }));
    }
    refuse_warnings(village, &read.warnings, run.format)?;
    if run.of_several.is_none_or(|s| s.first) {
        print_warnings(&read.warnings);
    }
    // With several years (`--years`) the log is read once a year, the same rows refused and
    // written to the same reject file each time: said once.
    if read.bad > 0
        && run.of_several.is_none_or(|s| s.first)
        && let Some(path) = run.reject_file
    {
        eprintln!(
            "{file}：{} 条记录有误，未计算，已连同原因写入 {}",
            read.bad,
            path.display()
        );
    }
    results.summary.bad_records = read.bad;
    Ok((results, sink))
}

/// W0210 and W0211 for the period computed.
fn period_warnings(
    village: &Village,
    period: &Period,
    counts: &PeriodCounts,
    events_file: &str,
) -> Vec<DataWarning> {
    let mut warnings = Vec::new();
    if let Some(effective) = village.compact.effective {
        let day = days_from_civil(
            i32::from(effective.year()),
            u32::try_from(effective.month()).unwrap_or(1),
            u32::try_from(effective.day()).unwrap_or(1),
        );
        if period.start < day {
            warnings.push(DataWarning::PeriodBeforeEffective {
                file: display(&village.compact_path),
                period: period.label(),
                start: date_of(period.start).to_string(),
                effective: effective.to_string(),
            });
        }
    }
    let (records, total) = (counts.in_year(period.year), counts.total());
    // Fewer than half: the period computed is not where the log's records are. (A log kept
    // over three years or more, evaluated for one of them, is warned about too: say which
    // year with --period, and the warning says where the other records are.)
    if records * 2 < total {
        warnings.push(DataWarning::FewRecordsInPeriod {
            file: events_file.to_string(),
            period: period.label(),
            records,
            total,
            others: crate::report::tables::other_periods_words(counts, period.year),
        });
    }
    warnings
}

/// One reading of the log for `choice`: the results, the sink, and what reading found
/// besides good records (printed by the caller, once).
fn evaluate_once<S: Sink + Send>(
    run: &EventRun<'_>,
    choice: PeriodChoice,
    make_sink: &impl Fn() -> S,
) -> Result<(Results, S, Read), u8> {
    let village = run.village;
    let file = display(&village.events_path);
    let threads = run.threads.unwrap_or_else(threads).max(1);
    let start = || {
        let compact = &village.compact;
        Shards::new(compact, run.registers, choice, make_sink(), threads)
            .or_else(|sink| Shards::new(compact, run.registers, choice, sink, 1))
    };
    let mut progress = Progress::new(run.threads.is_none());
    // First pass: stream in file order. A record out of date order stops it.
    let Ok(mut shards) = start() else {
        return Err(EXIT_ERRORS);
    };
    let streamed = read_events(
        run,
        &file,
        false,
        threads,
        &mut |batches| shards.push_all(batches).is_ok(),
        &mut progress,
    )?;
    let (results, sink, read) = match streamed {
        Pass::Complete(read) => {
            let (results, sink) = shards.finish(run.pool_fen);
            (results, sink, read)
        }
        Pass::OutOfOrder => {
            // The log is not in date order: read it all, sort by date (ties in file order).
            drop(shards);
            let mut records: Vec<EventRecord> = Vec::new();
            let pass = read_events(
                run,
                &file,
                true,
                threads,
                &mut |batches| {
                    records.extend(batches.iter().flat_map(|b| b.records.iter().cloned()));
                    true
                },
                &mut progress,
            )?;
            let Pass::Complete(read) = pass else {
                return Err(EXIT_ERRORS);
            };
            records.sort_by_key(|r| (r.day, r.line));
            let Ok(mut shards) = start() else {
                return Err(EXIT_ERRORS);
            };
            let _ = shards.push_all(&[Batch::from(records.as_slice())]);
            let (results, sink) = shards.finish(run.pool_fen);
            (results, sink, read)
        }
    };
    progress.finish();
    Ok((results, sink, read))
}

/// How many threads to read and evaluate on: the cores this process may use.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// What a complete reading of the log found besides the good records.
struct Read {
    /// Records with errors (written to the reject file).
    bad: u64,
    /// Warnings, each once.
    warnings: Vec<DataWarning>,
}

enum Pass {
    /// Every record was read and the good ones consumed.
    Complete(Read),
    /// A record was out of date order: nothing was printed, read again sorted.
    OutOfOrder,
}

/// Prints a problem that stops the whole log from being read.
fn log_unreadable(run: &EventRun<'_>, file: &str, error: DataError) -> u8 {
    DataProblems {
        errors: std::slice::from_ref(&error),
        error_count: 1,
        warnings: &[],
        bad_records: None,
        strict: run.village.strict,
        summary: format!("事项记录 {file} 读不了，未计算；改正后再运行"),
    }
    .print(run.format);
    EXIT_ERRORS
}

/// Reads every record, validating it; good ones go to `consume` in batches, in file order
/// (it returns false to stop with [`Pass::OutOfOrder`]); bad ones are collected and, with a
/// reject file, written there with their reasons. Without a reject file any bad record stops
/// the run, after every bad record has been found and printed.
///
/// A CSV log is read in chunks of whole records, checked on `threads` threads at once; other
/// formats are read one record at a time.
fn read_events(
    run: &EventRun<'_>,
    file: &str,
    sorting: bool,
    threads: usize,
    consume: &mut dyn FnMut(&[Batch<'_>]) -> bool,
    progress: &mut Progress,
) -> Result<Pass, u8> {
    let village = run.village;
    let table = village
        .open_table(Which::Events, file)
        .map_err(|e| log_unreadable(run, file, e))?;
    let mut reader = EventReader::new(table, &village.compact, run.registers)
        .map_err(|e| log_unreadable(run, file, e))?;
    reader.refuse_after(village.today);
    if sorting {
        // Out of date order: rows alike may have later days between them.
        reader.keep_every_day();
    }
    let mut tally = Tally::new(run, &reader)?;
    match reader.take_chunks() {
        Some(chunks) => read_chunks(
            run, file, &reader, chunks, threads, &mut tally, consume, progress,
        )?,
        None => read_records(run, file, &mut reader, &mut tally, consume, progress)?,
    }
    tally.end(run, file, &reader)
}

/// Chunk by chunk: a round of chunks is read, checked on every thread, then handed on.
#[allow(
    clippy::too_many_arguments,
    reason = "the reading's parts, passed down once"
)]
fn read_chunks(
    run: &EventRun<'_>,
    file: &str,
    reader: &EventReader<'_>,
    mut chunks: LogChunks,
    threads: usize,
    tally: &mut Tally,
    consume: &mut dyn FnMut(&[Batch<'_>]) -> bool,
    progress: &mut Progress,
) -> Result<(), u8> {
    let checker = reader.checker();
    // Two chunks a thread a round: enough to keep every thread busy, little memory.
    let mut round: Vec<(Chunk, Checked)> = (0..2 * threads.max(1))
        .map(|_| {
            let mut checked = Checked::default();
            // Each shard then reads only its own records (it gets as many as threads).
            checked.route_by(threads, shard_of);
            (Chunk::default(), checked)
        })
        .collect();
    loop {
        let mut filled = 0;
        for (chunk, _) in &mut round {
            match chunks.next_into(chunk) {
                Ok(true) => filled += 1,
                Ok(false) => break,
                Err(e) => {
                    return Err(log_unreadable(
                        run,
                        file,
                        DataError::CannotRead {
                            file: file.to_string(),
                            reason: super::io_reason(&e),
                            help: "检查文件是否损坏，或在别的程序里正被改写".to_string(),
                        },
                    ));
                }
            }
        }
        let Some(parts) = round.get_mut(..filled) else {
            break;
        };
        if parts.is_empty() {
            break;
        }
        if threads > 1 && parts.len() > 1 {
            // On the pool's threads, which live as long as the process: a thread started for
            // every round cost more than its share of the work (each new thread's first
            // allocations take fresh memory from the system).
            let per_thread = parts.len().div_ceil(threads);
            parts.par_chunks_mut(per_thread).for_each(|group| {
                for (chunk, checked) in group {
                    check_chunk(checker, chunk, checked);
                }
            });
        } else {
            for (chunk, checked) in parts.iter_mut() {
                check_chunk(checker, chunk, checked);
            }
        }
        for (chunk, checked) in parts.iter_mut() {
            // In file order: a record whose 编号 came before becomes a bad row.
            reader.find_repeats(chunk, checked);
            for &kind in &checked.kinds {
                reader.saw_kind(kind);
            }
            for bad in checked.bad.drain(..) {
                tally.bad(reader, &bad.cells, bad.errors);
            }
            tally.rows += checked.rows;
            progress.tick(tally.rows);
        }
        if !tally.out_of_order {
            let batches: Vec<Batch<'_>> = parts
                .iter()
                .map(|(_, c)| Batch {
                    records: c.records(),
                    routes: c.routes(),
                })
                .collect();
            if !consume(&batches) {
                tally.out_of_order = true;
                if tally.reject.is_some() {
                    // The second, sorted pass writes the reject file again.
                    return Ok(());
                }
                // Keep reading only to find every bad record.
            }
        }
    }
    Ok(())
}

/// Record by record (JSON Lines, workbooks), handed on in batches.
fn read_records(
    run: &EventRun<'_>,
    file: &str,
    reader: &mut EventReader<'_>,
    tally: &mut Tally,
    consume: &mut dyn FnMut(&[Batch<'_>]) -> bool,
    progress: &mut Progress,
) -> Result<(), u8> {
    const BATCH: usize = 4096;
    let mut batch: Vec<EventRecord> = Vec::with_capacity(BATCH);
    let mut record = EventRecord::new();
    let mut hand_on = |batch: &mut Vec<EventRecord>, tally: &mut Tally| {
        if !tally.out_of_order && !batch.is_empty() && !consume(&[Batch::from(batch.as_slice())]) {
            tally.out_of_order = true;
        }
        batch.clear();
    };
    loop {
        let next = reader
            .next(&mut record)
            .map_err(|e| log_unreadable(run, file, e))?;
        match next {
            Next::End => break,
            Next::Record => {
                tally.rows += 1;
                batch.push(record.clone());
                if batch.len() == BATCH {
                    hand_on(&mut batch, tally);
                    if tally.out_of_order && tally.reject.is_some() {
                        return Ok(());
                    }
                }
            }
            Next::Bad(found) => {
                tally.rows += 1;
                tally.bad(reader, reader.raw(), found);
            }
        }
        progress.tick(tally.rows);
    }
    hand_on(&mut batch, tally);
    Ok(())
}

/// What reading has found so far besides good records.
struct Tally {
    reject: Option<csv::Writer<crate::data::EncodedWriter<std::fs::File>>>,
    errors: Vec<DataError>,
    error_count: u64,
    bad: u64,
    rows: u64,
    out_of_order: bool,
}

impl Tally {
    fn new(run: &EventRun<'_>, reader: &EventReader<'_>) -> Result<Self, u8> {
        let reject = match run.reject_file {
            Some(path) => {
                // In the log's encoding: GB18030 as it came, UTF-8 with a byte order mark
                // (without one, Excel takes UTF-8 for the local encoding).
                let cannot_write = |e: std::io::Error| {
                    eprintln!("错误：无法写入 {}：{e}", path.display());
                    super::EXIT_USAGE
                };
                let file = std::fs::File::create(path).map_err(cannot_write)?;
                let encoded = crate::data::EncodedWriter::new(file, reader.encoding())
                    .map_err(cannot_write)?;
                let mut writer = csv::WriterBuilder::new()
                    .flexible(true)
                    .from_writer(encoded);
                let mut header: Vec<String> = reader.header().to_vec();
                header.push("错误原因".to_string());
                let _ = writer.write_record(&header);
                Some(writer)
            }
            None => None,
        };
        Ok(Tally {
            reject,
            errors: Vec::new(),
            error_count: 0,
            bad: 0,
            rows: 0,
            out_of_order: false,
        })
    }

    /// A bad record: to the reject file with its reasons, or kept to be printed.
    fn bad(&mut self, reader: &EventReader<'_>, cells: &Cells, found: Vec<DataError>) {
        self.bad += 1;
        if let Some(writer) = &mut self.reject {
            let reasons: Vec<String> = found
                .iter()
                .map(|e| format!("[{}] {e}", e.code()))
                .collect();
            let mut row: Vec<String> = cells.texts().map(|c| c.into_owned()).collect();
            // Short rows are padded so that the reason lands in its column; long rows keep
            // every cell (the reason then comes after the extra ones).
            if row.len() < reader.header().len() {
                row.resize(reader.header().len(), String::new());
            }
            row.push(reasons.join("；"));
            let _ = writer.write_record(&row);
            return;
        }
        for error in found {
            // A missing column is reported once, not at every record that needs it.
            if error.line() == 0 && self.errors.contains(&error) {
                continue;
            }
            self.error_count += 1;
            if self.errors.len() < KEEP_LIMIT {
                self.errors.push(error);
            }
        }
    }

    /// The end of the log: prints the errors when they stop the run.
    fn end(mut self, run: &EventRun<'_>, file: &str, reader: &EventReader<'_>) -> Result<Pass, u8> {
        if let Some(writer) = &mut self.reject {
            let _ = writer.flush();
        }
        if self.out_of_order && self.reject.is_some() {
            return Ok(Pass::OutOfOrder);
        }
        let warnings = reader.take_warnings();
        let bad = self.bad;
        if bad > 0 && run.reject_file.is_none() {
            DataProblems {
                errors: &self.errors,
                error_count: self.error_count,
                warnings: &warnings,
                bad_records: Some(bad),
                strict: run.village.strict,
                summary: format!(
                    "{file}：{bad} 条记录有误，整份事项记录未计算。改正后再运行；或用 xiangyue eval 加上 --reject-file 退回.csv，先计算正确的记录，把有误的记录连同原因写进退回文件"
                ),
            }
            .print(run.format);
            return Err(EXIT_ERRORS);
        }
        Ok(if self.out_of_order {
            Pass::OutOfOrder
        } else {
            Pass::Complete(Read { bad, warnings })
        })
    }
}
