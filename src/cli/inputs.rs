//! Finding and reading a village's files: the compact, the register and rosters, the event
//! log — streamed into the evaluator, sorted first only when the log is not in date order.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{EXIT_ERRORS, EXIT_USAGE, ErrorFormat, diagnostics, read_text};
use crate::compile::compile;
use crate::data::{
    DataError, DataWarning, EventReader, EventRecord, Next, ReadOptions, Register, TableReader,
    read_register,
};
use crate::eval::{Evaluator, PeriodChoice, Results, Sink};
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
    /// 计算哪一年度（默认：事项记录中最近的年度）
    #[arg(long)]
    pub period: Option<i32>,
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
}

const TABLE_EXTENSIONS: &[&str] = &["csv", "jsonl", "xlsx"];

/// The first of `names` (with a table extension) that exists in `dir`.
fn find_table(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().find_map(|name| {
        TABLE_EXTENSIONS
            .iter()
            .map(|ext| in_folder(dir, Path::new(&format!("{name}.{ext}"))))
            .find(|p| p.is_file())
    })
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
    let (compact_path, dir) = if args.village.is_dir() {
        let mut compacts: Vec<PathBuf> = std::fs::read_dir(&args.village)
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
            [one] => (one.clone(), args.village.clone()),
            [] => {
                eprintln!(
                    "错误：文件夹 {} 里没有乡约文件（.xy）",
                    display(&args.village)
                );
                return Err(EXIT_USAGE);
            }
            _ => {
                eprintln!(
                    "错误：文件夹 {} 里有几个乡约文件，请直接指明其中一个：{}",
                    display(&args.village),
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
        let dir = args
            .village
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        (args.village.clone(), dir)
    };
    let source = read_text(&compact_path)?;
    let compiled = compile(&source);
    let file = display(&compact_path);
    let Some(compact) = compiled.compact else {
        diagnostics::print(&compiled.problems, &file, &source, args.error_format);
        return Err(EXIT_ERRORS);
    };
    let register_path = match &args.register {
        Some(p) => p.clone(),
        None => find_table(&dir, &["register", "户籍", "花名册"]).ok_or_else(|| {
            eprintln!(
                "错误：没有找到户籍文件；在 {} 中放 register.csv（或 户籍.csv），或用 --register 指明",
                display(&dir)
            );
            EXIT_USAGE
        })?,
    };
    let events_path = match &args.events {
        Some(p) => p.clone(),
        None => find_table(&dir, &["events", "事项记录"]).ok_or_else(|| {
            eprintln!(
                "错误：没有找到事项记录；在 {} 中放 events.csv（或 事项记录.csv），或用 --events 指明",
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
        let found = given.or_else(|| {
            let prefixed = format!("名册-{}", subject.name);
            find_table(&dir, &[subject.name.as_str(), prefixed.as_str()])
        });
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
    let encoding = match args.encoding.to_ascii_lowercase().as_str() {
        "auto" => crate::data::Encoding::Auto,
        "utf-8" | "utf8" => crate::data::Encoding::Utf8,
        "gb18030" | "gbk" | "gb2312" => crate::data::Encoding::Gb18030,
        other => {
            eprintln!("错误：不认识的编码「{other}」；可用 auto、utf-8、gb18030");
            return Err(EXIT_USAGE);
        }
    };
    let folder_pool = ["分红.txt", "pool.txt"]
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|text| text.trim().trim_start_matches('\u{feff}').to_string())
        .filter(|text| !text.is_empty());
    Ok(Village {
        folder_pool,
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

/// Prints data errors (at most `limit` of them) and warnings.
pub fn print_data_problems(
    errors: &[DataError],
    warnings: &[DataWarning],
    total: u64,
    format: ErrorFormat,
) {
    const LIMIT: usize = 200;
    match format {
        ErrorFormat::Json => {
            #[derive(serde::Serialize)]
            struct Item<'a> {
                code: String,
                severity: &'static str,
                message: String,
                file: &'a str,
                line: u64,
                help: Option<String>,
                detail: &'a DataError,
            }
            let items: Vec<Item<'_>> = errors
                .iter()
                .map(|e| {
                    use miette::Diagnostic;
                    Item {
                        code: e.code(),
                        severity: "error",
                        message: e.to_string(),
                        file: e.file(),
                        line: e.line(),
                        help: e.help().map(|h| h.to_string()),
                        detail: e,
                    }
                })
                .collect();
            let value = serde_json::json!({ "data_errors": items, "total_bad_records": total });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        _ => {
            for warning in warnings {
                use miette::Diagnostic;
                let code = warning.code().map(|c| c.to_string()).unwrap_or_default();
                eprintln!("警告[{code}] {warning}");
            }
            for error in errors.iter().take(LIMIT) {
                use miette::Diagnostic;
                let code = error.code();
                eprintln!("错误[{code}] {error}");
                if let Some(help) = error.help() {
                    eprintln!("  提示：{help}");
                }
            }
            if errors.len() > LIMIT {
                eprintln!("……另有 {} 个错误未列出", errors.len() - LIMIT);
            }
        }
    }
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
    match TableReader::open(&village.register_path, &file, &village.options) {
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
        match TableReader::open(path, &file, &village.options) {
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
        let total = errors.len() as u64;
        print_data_problems(&errors, &warnings, total, format);
        if format != ErrorFormat::Json {
            eprintln!("户籍或名册有 {} 处错误，未计算；改正后再运行", errors.len());
        }
        return Err(EXIT_ERRORS);
    }
    if format != ErrorFormat::Json {
        print_data_problems(&[], &warnings, 0, format);
    }
    Ok(registers)
}

/// Shows a spinner with the record count once a run has taken two seconds, on a terminal only.
struct Progress {
    started: Instant,
    bar: Option<indicatif::ProgressBar>,
    enabled: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            started: Instant::now(),
            bar: None,
            enabled: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
        }
    }

    fn tick(&mut self, records: u64) {
        if !self.enabled || records % 65_536 != 0 {
            return;
        }
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
    /// Which period.
    pub choice: PeriodChoice,
    /// Where to write bad records (otherwise any bad record stops the run).
    pub reject_file: Option<&'a Path>,
    /// The dividend amount.
    pub pool_fen: Option<i64>,
    /// Diagnostics format.
    pub format: ErrorFormat,
}

/// Reads the event log into an evaluator with a sink from `make_sink`; returns the results and
/// the sink, or the exit code after printing why not.
pub fn evaluate<S: Sink>(
    run: &EventRun<'_>,
    make_sink: impl Fn() -> S,
) -> Result<(Results, S), u8> {
    let village = run.village;
    let file = display(&village.events_path);
    let mut progress = Progress::new();
    // First pass: stream in file order. A record out of date order stops it.
    let mut evaluator = Evaluator::new(&village.compact, run.registers, run.choice, make_sink());
    let streamed = read_events(
        run,
        &file,
        &mut |record, _| evaluator.push(record).is_ok(),
        &mut progress,
    )?;
    let (results, sink, bad) = match streamed {
        Pass::Complete { bad } => {
            let (results, sink) = evaluator.finish(run.pool_fen);
            (results, sink, bad)
        }
        Pass::OutOfOrder => {
            // The log is not in date order: read it all, sort by date (ties in file order).
            drop(evaluator);
            let mut records: Vec<EventRecord> = Vec::new();
            let pass = read_events(
                run,
                &file,
                &mut |record, _| {
                    records.push(record.clone());
                    true
                },
                &mut progress,
            )?;
            let Pass::Complete { bad } = pass else {
                return Err(EXIT_ERRORS);
            };
            records.sort_by_key(|r| (r.day, r.line));
            let mut evaluator =
                Evaluator::new(&village.compact, run.registers, run.choice, make_sink());
            for record in &records {
                let _ = evaluator.push(record);
            }
            let (results, sink) = evaluator.finish(run.pool_fen);
            (results, sink, bad)
        }
    };
    progress.finish();
    let mut results = results;
    results.summary.bad_records = bad;
    Ok((results, sink))
}

enum Pass {
    Complete { bad: u64 },
    OutOfOrder,
}

/// Reads every record, validating it; good ones go to `consume` (which returns false to stop
/// with [`Pass::OutOfOrder`]); bad ones are collected and, with a reject file, written there.
fn read_events(
    run: &EventRun<'_>,
    file: &str,
    consume: &mut dyn FnMut(&EventRecord, u64) -> bool,
    progress: &mut Progress,
) -> Result<Pass, u8> {
    let village = run.village;
    let table = TableReader::open(&village.events_path, file, &village.options).map_err(|e| {
        print_data_problems(&[e], &[], 1, run.format);
        EXIT_ERRORS
    })?;
    let (mut reader, ignored) =
        EventReader::new(table, &village.compact, run.registers).map_err(|e| {
            print_data_problems(&[e], &[], 1, run.format);
            EXIT_ERRORS
        })?;
    let warnings: Vec<DataWarning> = if ignored.is_empty() {
        Vec::new()
    } else {
        vec![DataWarning::IgnoredColumns {
            file: file.to_string(),
            columns: ignored.join("、"),
        }]
    };
    let mut reject = match run.reject_file {
        Some(path) => {
            let mut writer = csv::WriterBuilder::new()
                .flexible(true)
                .from_path(path)
                .map_err(|e| {
                    eprintln!("错误：无法写入 {}：{e}", path.display());
                    super::EXIT_USAGE
                })?;
            let mut header: Vec<String> = reader.header().to_vec();
            header.push("错误原因".to_string());
            let _ = writer.write_record(&header);
            Some(writer)
        }
        None => None,
    };
    let mut record = EventRecord::new();
    let mut errors: Vec<DataError> = Vec::new();
    let mut bad: u64 = 0;
    let mut count: u64 = 0;
    let mut stopped = false;
    loop {
        let next = reader.next(&mut record).map_err(|e| {
            print_data_problems(&[e], &[], 1, run.format);
            EXIT_ERRORS
        })?;
        count += 1;
        progress.tick(count);
        match next {
            Next::End => break,
            Next::Record => {
                if !stopped && !consume(&record, count) {
                    stopped = true;
                    if reject.is_none() {
                        // Keep reading only to report every bad record.
                        continue;
                    }
                }
            }
            Next::Bad(found) => {
                bad += 1;
                if let Some(writer) = &mut reject {
                    let reasons: Vec<String> = found
                        .iter()
                        .map(|e| format!("[{}] {e}", e.code()))
                        .collect();
                    let mut row: Vec<String> = reader.raw().iter().map(str::to_string).collect();
                    row.resize(reader.header().len(), String::new());
                    row.push(reasons.join("；"));
                    let _ = writer.write_record(&row);
                } else if errors.len() < 1000 {
                    errors.extend(found);
                }
            }
        }
    }
    if let Some(mut writer) = reject {
        let _ = writer.flush();
    }
    if bad > 0 && run.reject_file.is_none() {
        print_data_problems(&errors, &warnings, bad, run.format);
        if run.format != ErrorFormat::Json {
            eprintln!(
                "{file}：{bad} 条记录有误，整份事项记录未计算。改正后再运行；或加上 --reject-file 退回.csv，先计算正确的记录，把有误的记录连同原因写进退回文件"
            );
        }
        return Err(EXIT_ERRORS);
    }
    if run.format != ErrorFormat::Json {
        print_data_problems(&[], &warnings, 0, run.format);
        if bad > 0
            && let Some(path) = run.reject_file
        {
            eprintln!(
                "{file}：{bad} 条记录有误，未计算，已连同原因写入 {}",
                path.display()
            );
        }
    }
    Ok(if stopped {
        Pass::OutOfOrder
    } else {
        Pass::Complete { bad }
    })
}
