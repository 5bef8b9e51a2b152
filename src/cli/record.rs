//! `xiangyue init 村` (a new book from the folder's compact and registers) and
//! `xiangyue record 村 --import 文件 | --date … --household … --item …` (登记: records added as
//! 待审, checked exactly as `eval` checks a log).

use std::path::{Path, PathBuf};

use super::book::{book_path, day_of, now, open, refuse, stored_village};
use super::data_problems::{DataProblems, KEEP_LIMIT, print_warnings};
use super::inputs::{Village, VillageArgs, Which, find_compact, find_registers, load_registers};
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE, ErrorFormat, diagnostics};
use crate::book::query::CompactRow;
use crate::book::seal::{Cell, sha256};
use crate::book::{Book, BookError};
use crate::data::value::date_of;
use crate::data::{DataError, EventReader, EventRecord, Next, ReadOptions, Register, TableReader};
use crate::model::{Compact, HOUSEHOLD};
use compact_str::{CompactString, ToCompactString};

/// The `init` options.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// 村的文件夹（其中有乡约 .xy 和户籍；有名册时也有名册）
    pub village: PathBuf,
    /// 建立账本的人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 文字编码：auto（自动识别）、utf-8 或 gb18030
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

fn village_args(village: &Path, encoding: &str, error_format: ErrorFormat) -> VillageArgs {
    VillageArgs {
        village: village.to_path_buf(),
        register: None,
        events: None,
        rosters: Vec::new(),
        encoding: encoding.to_string(),
        sheet: None,
        period: None,
        allow_future: false,
        strict: false,
        error_format,
    }
}

/// A table (any format) as CSV text: the book keeps registers as CSV.
pub(crate) fn table_as_csv(table: &mut TableReader) -> Result<String, DataError> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record(table.header());
    let mut cells = crate::data::Cells::new();
    loop {
        match table.read(&mut cells)? {
            crate::data::table::Row::Cells(_) => {
                let _ = writer.write_record(cells.texts().map(|c| c.into_owned()));
            }
            crate::data::table::Row::Bad(_, error) => return Err(error),
            crate::data::table::Row::End => break,
        }
    }
    Ok(String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default())
}

pub fn init(args: &InitArgs) -> u8 {
    match init_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn init_inner(args: &InitArgs) -> Result<u8, u8> {
    let folder = &args.village;
    if !folder.is_dir() {
        eprintln!(
            "错误：{} 不是文件夹；写村的文件夹，其中有乡约（.xy）和户籍",
            folder.display()
        );
        return Err(EXIT_USAGE);
    }
    let by = person(&args.by)?;
    let path = book_path(folder);
    if path.exists() {
        return Err(refuse(
            &BookError::BookExists {
                path: path.display().to_string(),
            },
            args.error_format,
        ));
    }
    let (compact_path, dir) = find_compact(folder)?;
    let (source, compact) = diagnostics::compile_file(&compact_path, args.error_format)?;
    let vargs = village_args(folder, &args.encoding, args.error_format);
    let (register_path, rosters) = find_registers(&vargs, &dir, &compact)?;
    let options = ReadOptions {
        encoding: super::inputs::encoding_of(&args.encoding)?,
        sheet: None,
    };
    let village = Village {
        compact_path: compact_path.clone(),
        source: source.clone(),
        compact,
        register_path: register_path.clone(),
        events_path: PathBuf::new(),
        rosters: rosters.clone(),
        options: options.clone(),
        folder_pool: None,
        folder_pool_path: None,
        today: None,
        strict: false,
        stored: None,
    };
    // The registers are checked as `eval` checks them before they are stored.
    let registers = load_registers(&village, args.error_format)?;
    let mut tables = Vec::new();
    for (kind, path) in
        std::iter::once((HOUSEHOLD, &register_path)).chain(rosters.iter().map(|(k, p)| (*k, p)))
    {
        let file = path.display().to_string();
        let which = if kind == HOUSEHOLD {
            Which::Register
        } else {
            Which::Roster(kind)
        };
        let bytes = std::fs::read(path).map_err(|e| {
            eprintln!("错误：无法读取 {file}：{}", super::io_reason(&e));
            EXIT_USAGE
        })?;
        let text = village
            .open_table(which, &file)
            .and_then(|mut t| table_as_csv(&mut t))
            .map_err(|e| {
                eprintln!("错误[{}] {e}", e.code());
                EXIT_ERRORS
            })?;
        let name = if kind == HOUSEHOLD {
            "户籍".to_string()
        } else {
            village
                .compact
                .kinds
                .get(kind)
                .map(|k| k.name.clone())
                .unwrap_or_default()
        };
        tables.push((name, file_name(path), text, sha256(&bytes)));
    }
    let at = now()?;
    let effective = village
        .compact
        .effective
        .map_or_else(|| "0001-01-01".to_string(), |d| d.to_string());
    let mut book = Book::create(&path).map_err(|e| refuse(&e, args.error_format))?;
    let written = book.change(|w| {
        w.append(
            "compacts",
            &[
                Cell::from(file_name(&compact_path)),
                Cell::from(source.as_str()),
                Cell::from(sha256(source.as_bytes())),
                Cell::from(effective.as_str()),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::from(by.as_str()),
                Cell::from(at.as_str()),
            ],
        )?;
        for (kind, file, text, sha) in &tables {
            w.append(
                "registers",
                &[
                    Cell::from(kind.as_str()),
                    Cell::from(file.as_str()),
                    Cell::from(text.as_str()),
                    Cell::from(sha.as_str()),
                    Cell::from(by.as_str()),
                    Cell::from(at.as_str()),
                ],
            )?;
        }
        Ok(())
    });
    if let Err(e) = written {
        drop(book);
        // Nothing was written: leave no empty book behind.
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        return Err(refuse(&e, args.error_format));
    }
    let households = registers.first().map_or(0, Register::len);
    let mut counts = format!("户籍 {households} 户");
    for (kind, subject) in village.compact.kinds.iter().enumerate().skip(1) {
        counts.push_str(&format!(
            "，名册「{}」{} 人",
            subject.name,
            registers.get(kind).map_or(0, Register::len)
        ));
    }
    println!(
        "已建立积分账本 {}：乡约「{}」（{}，{}），{counts}。",
        path.display(),
        village.compact.title,
        file_name(&compact_path),
        effective_words(&effective),
    );
    let logs = ["events", "事项记录"]
        .iter()
        .flat_map(|n| ["csv", "jsonl", "xlsx"].map(|e| dir.join(format!("{n}.{e}"))))
        .filter(|p| p.is_file())
        .collect::<Vec<_>>();
    match logs.first() {
        Some(log) => println!(
            "下一步：把事项记录登记进账本：xiangyue record {} --import {} --by 登记人",
            folder.display(),
            log.display()
        ),
        None => println!(
            "下一步：登记事项记录：xiangyue record {} --import 事项记录.xlsx --by 登记人",
            folder.display()
        ),
    }
    Ok(EXIT_OK)
}

/// The file name of `path`, as stored.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string())
}

/// A person's name given with `--by`: not empty.
pub fn person(name: &str) -> Result<String, u8> {
    let name = name.trim();
    if name.is_empty() {
        eprintln!("错误：--by 要写经办人的姓名，例如 --by 张会计");
        return Err(EXIT_USAGE);
    }
    Ok(name.to_string())
}

/// The `record` options.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 要登记的事项记录文件：.csv、.jsonl 或 .xlsx（与 eval 读的事项记录同样的列）
    #[arg(long, value_name = "文件")]
    pub import: Option<PathBuf>,
    /// 登记人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 登记一条记录：日期，例如 2024-03-05
    #[arg(long, value_name = "日期", conflicts_with = "import")]
    pub date: Option<String>,
    /// 登记一条记录：户号
    #[arg(long, value_name = "户号", conflicts_with = "import")]
    pub household: Option<String>,
    /// 登记一条记录：名册中的人员编号（名册的事项）
    #[arg(long, value_name = "编号", conflicts_with = "import")]
    pub person: Option<String>,
    /// 登记一条记录：事项，例如 义务投工
    #[arg(long, value_name = "事项", conflicts_with = "import")]
    pub item: Option<String>,
    /// 登记一条记录：字段的值，写成 字段=值，例如 --field 天数=2（可写多次）
    #[arg(long = "field", value_name = "字段=值", conflicts_with = "import")]
    pub fields: Vec<String>,
    /// 登记一条记录：编号（可不写）
    #[arg(long, value_name = "编号", conflicts_with = "import")]
    pub number: Option<String>,
    /// 登记一条记录：备注
    #[arg(long, value_name = "备注", conflicts_with = "import")]
    pub note: Option<String>,
    /// 把有误的记录连同原因写入这个文件，先登记其余记录
    #[arg(long, value_name = "文件")]
    pub reject_file: Option<PathBuf>,
    /// 文字编码：auto（自动识别）、utf-8 或 gb18030
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// Excel 文件中要读的工作表（默认第一张）
    #[arg(long)]
    pub sheet: Option<String>,
    /// 也登记日期在今天以后的记录（默认当作有误的记录，错误 E0220）
    #[arg(long)]
    pub allow_future: bool,
    /// 文件的「审核」列已由此人审核过：通过、驳回的记录照此记入账本（迁移旧账用）；
    /// 不写时文件的审核列不读，记录一律待审
    #[arg(long, value_name = "审核人", requires = "import")]
    pub reviewed_by: Option<String>,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

/// Opens the table being imported, once per version of the compact that checks it.
type OpenTable = Box<dyn Fn() -> Result<TableReader, DataError>>;

/// Each version of the compact with its village, and the registers read under each.
pub type Versions = (Vec<(CompactRow, Village)>, Vec<Vec<Register>>);

/// A record that passed the checks, ready to be written.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Its line in the file.
    pub line: u64,
    /// 编号, if written.
    pub number: Option<CompactString>,
    /// YYYY-MM-DD.
    pub day: CompactString,
    /// 户号.
    pub household: Option<CompactString>,
    /// A roster person's id.
    pub person: Option<CompactString>,
    /// The 事项's name.
    pub item: CompactString,
    /// The other cells, as a JSON object.
    pub cells: CompactString,
    /// What the file's 审核 column says.
    pub status: crate::data::Status,
}

/// What checking a file found.
#[derive(Debug, Default)]
pub struct CheckedFile {
    /// Good records, in file order.
    pub good: Vec<Checked>,
    /// Errors.
    pub errors: Vec<DataError>,
    /// How many errors (beyond those kept).
    pub error_count: u64,
    /// Bad rows: line, raw cells, reasons.
    pub bad: Vec<(u64, Vec<String>, String)>,
    /// The header, for the reject file.
    pub header: Vec<String>,
    /// Warnings.
    pub warnings: Vec<crate::data::DataWarning>,
    /// Whether the file had a 审核 column (not read).
    pub had_status: bool,
}

/// Which version of the compact is in force on each day: versions by their 生效 (the first
/// from the beginning).
fn version_for<'v>(
    versions: &'v [(CompactRow, Village)],
    day: &str,
) -> Option<&'v (CompactRow, Village)> {
    versions
        .iter()
        .filter(|(v, _)| v.effective.as_str() <= day)
        .max_by(|(a, _), (b, _)| a.effective.cmp(&b.effective).then(a.id.cmp(&b.id)))
        .or(versions.first())
}

/// Checks every row of `table` as `eval` does, each against the version of the compact in
/// force on its date.
pub fn check_file(
    open_table: &dyn Fn() -> Result<TableReader, DataError>,
    versions: &[(CompactRow, Village)],
    registers: &[Vec<Register>],
    today: Option<crate::data::Day>,
) -> Result<CheckedFile, DataError> {
    let mut found = CheckedFile::default();
    let newest = versions.len().saturating_sub(1);
    for (index, ((version, village), registers)) in versions.iter().zip(registers).enumerate() {
        let table = open_table()?;
        found.header = table.header().to_vec();
        let mut reader = EventReader::new(table, &village.compact, registers)?;
        reader.refuse_after(today);
        let names = reader.column_names();
        found.had_status = names.iter().any(|n| n.as_deref() == Some("审核"));
        let date_column = names.iter().position(|n| n.as_deref() == Some("日期"));
        let mut record = EventRecord::new();
        loop {
            let next = reader.next(&mut record)?;
            let raw = reader.raw();
            let written_day = date_column
                .and_then(|c| raw.get(c))
                .and_then(crate::data::value::parse_date)
                .map(|d| date_of(d).to_string());
            // A row belongs to the version in force on its date (a row without a readable
            // date to the newest version, which reports it).
            let belongs = match &written_day {
                Some(day) => version_for(versions, day).is_some_and(|(v, _)| v.id == version.id),
                None => index == newest,
            };
            match next {
                Next::End => break,
                Next::Record if belongs => {
                    found
                        .good
                        .push(checked(&village.compact, registers, &names, raw, &record));
                }
                Next::Bad(errors) if belongs => {
                    let reasons = errors
                        .iter()
                        .map(|e| format!("[{}] {e}", e.code()))
                        .collect::<Vec<_>>()
                        .join("；");
                    found.bad.push((
                        record.line,
                        raw.texts().map(|c| c.into_owned()).collect(),
                        reasons,
                    ));
                    found.error_count += errors.len() as u64;
                    for error in errors {
                        if found.errors.len() < KEEP_LIMIT {
                            found.errors.push(error);
                        }
                    }
                }
                _ => {}
            }
        }
        found.warnings.extend(reader.take_warnings());
    }
    found.good.sort_by_key(|c| c.line);
    found.bad.sort_by_key(|b| b.0);
    Ok(found)
}

/// A good record's parts as the book stores them.
fn checked(
    compact: &Compact,
    registers: &[Register],
    names: &[Option<String>],
    raw: &crate::data::Cells,
    record: &EventRecord,
) -> Checked {
    let event = compact.events.get(record.kind);
    let owner = event.map_or(HOUSEHOLD, |e| e.owner);
    let (household, person) = if owner == HOUSEHOLD {
        (
            registers
                .get(HOUSEHOLD)
                .and_then(|r| r.id(record.subject))
                .map(CompactString::new),
            None,
        )
    } else {
        let roster = registers.get(owner);
        let household = roster
            .and_then(|r| r.households.get(record.subject as usize).copied().flatten())
            .and_then(|h| registers.get(HOUSEHOLD).and_then(|r| r.id(h)))
            .map(CompactString::new);
        (
            household,
            roster
                .and_then(|r| r.id(record.subject))
                .map(CompactString::new),
        )
    };
    let mut cells: indexmap::IndexMap<&str, &str> = indexmap::IndexMap::new();
    let mut number = None;
    for (column, name) in names.iter().enumerate() {
        let Some(name) = name else { continue };
        let text = raw.get(column).unwrap_or("").trim();
        match name.as_str() {
            "编号" => number = (!text.is_empty()).then(|| CompactString::new(text)),
            "日期" | "户号" | "人员" | "事项" | "审核" => {}
            _ if !text.is_empty() => {
                cells.insert(name.as_str(), text);
            }
            _ => {}
        }
    }
    Checked {
        line: record.line,
        number,
        day: date_of(record.day).to_compact_string(),
        household,
        person,
        item: event
            .map(|e| CompactString::new(&e.name))
            .unwrap_or_default(),
        cells: serde_json::to_string(&cells)
            .map(CompactString::from)
            .unwrap_or_else(|_| CompactString::new("{}")),
        status: record.status,
    }
}

pub fn record(args: &RecordArgs) -> u8 {
    match record_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

/// The one record given by flags, as a one-row CSV log.
fn flags_as_csv(args: &RecordArgs) -> Result<String, u8> {
    let (Some(date), Some(item)) = (&args.date, &args.item) else {
        eprintln!(
            "错误：要么用 --import 文件 登记一批记录，要么用 --date、--household（或 --person）、--item 登记一条"
        );
        eprintln!(
            "  例如：xiangyue record 村 --date 2024-03-05 --household A001 --item 义务投工 --field 天数=2 --by 张会计"
        );
        return Err(EXIT_USAGE);
    };
    let mut header = vec![
        "编号".to_string(),
        "日期".to_string(),
        "户号".to_string(),
        "人员".to_string(),
        "事项".to_string(),
        "备注".to_string(),
    ];
    let mut row = vec![
        args.number.clone().unwrap_or_default(),
        date.clone(),
        args.household.clone().unwrap_or_default(),
        args.person.clone().unwrap_or_default(),
        item.clone(),
        args.note.clone().unwrap_or_default(),
    ];
    for field in &args.fields {
        let Some((name, value)) = field.split_once(['=', '＝']) else {
            eprintln!("错误：--field 的「{field}」要写成 字段=值，例如 --field 天数=2");
            return Err(EXIT_USAGE);
        };
        header.push(name.trim().to_string());
        row.push(value.trim().to_string());
    }
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record(&header);
    let _ = writer.write_record(&row);
    Ok(String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default())
}

fn record_inner(args: &RecordArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let by = person(&args.by)?;
    let book = open(&args.village, format)?;
    let vargs = VillageArgs {
        allow_future: args.allow_future,
        ..village_args(&args.village, &args.encoding, format)
    };
    let (file, bytes, open_table): (String, Vec<u8>, OpenTable) = match &args.import {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                eprintln!(
                    "错误：无法读取 {}：{}",
                    path.display(),
                    super::io_reason(&e)
                );
                EXIT_USAGE
            })?;
            let options = ReadOptions {
                encoding: super::inputs::encoding_of(&args.encoding)?,
                sheet: args.sheet.clone(),
            };
            let path = path.clone();
            let shown = path.display().to_string();
            let shown2 = shown.clone();
            (
                shown,
                bytes,
                Box::new(move || TableReader::open(&path, &shown2, &options)),
            )
        }
        None => {
            let text = flags_as_csv(args)?;
            let shown = "命令行".to_string();
            let shown2 = shown.clone();
            let text2 = text.clone();
            (
                shown,
                Vec::new(),
                Box::new(move || TableReader::from_csv_text(&text2, &shown2)),
            )
        }
    };
    let fail = |e: BookError| refuse(&e, format);
    let (versions, registers) = load_versions(&book, &args.village, &vargs)?;
    let today = if args.allow_future {
        None
    } else {
        Some(super::today()?)
    };
    let found = check_file(&*open_table, &versions, &registers, today).map_err(|e| {
        DataProblems {
            errors: std::slice::from_ref(&e),
            error_count: 1,
            warnings: &[],
            bad_records: None,
            strict: false,
            summary: format!("{file} 读不了，未登记；改正后再运行"),
        }
        .print(format);
        EXIT_ERRORS
    })?;
    if !found.errors.is_empty() {
        match &args.reject_file {
            None => {
                DataProblems {
                    errors: &found.errors,
                    error_count: found.error_count,
                    warnings: &found.warnings,
                    bad_records: Some(found.bad.len() as u64),
                    strict: false,
                    summary: format!(
                        "{file}：{} 条记录有误，一条也没有登记（账本没有改动）；改正后再导入，或加上 --reject-file 退回.csv 先登记其余记录",
                        found.bad.len()
                    ),
                }
                .print(format);
                return Err(EXIT_ERRORS);
            }
            Some(path) => write_rejects(path, &found)?,
        }
    } else {
        print_warnings(&found.warnings);
    }
    let reviewer = args.reviewed_by.as_deref().map(person).transpose()?;
    if reviewer.is_some() && !found.had_status {
        eprintln!("错误：{file} 没有「审核」列，--reviewed-by 无从照办；去掉它，记录就都待审");
        return Err(EXIT_USAGE);
    }
    if found.good.is_empty() {
        // Nothing to write: no batch is recorded, so the file may be imported once it has rows.
        println!("{file}：没有要登记的记录（账本没有改动）");
        return Ok(if found.bad.is_empty() {
            EXIT_OK
        } else {
            EXIT_ERRORS
        });
    }
    let at = now()?;
    let sha = (!bytes.is_empty()).then(|| sha256(&bytes));
    let count = found.good.len() as i64;
    let mut book = book;
    let import_file = super::record::file_name(Path::new(&file));
    let written = book.change(|w| {
        if let Some(sha) = &sha {
            if let Some(earlier) = already_imported(w, sha)? {
                return Err(BookError::AlreadyImported {
                    file: file.clone(),
                    at: earlier.2,
                    by: earlier.1,
                    batch: earlier.0,
                    rows: earlier.3,
                });
            }
        }
        let batch = match &sha {
            Some(sha) => Some(
                w.append(
                    "imports",
                    &[
                        Cell::from(import_file.as_str()),
                        Cell::from(sha.as_str()),
                        Cell::Int(count),
                        Cell::from(by.as_str()),
                        Cell::from(at.as_str()),
                    ],
                )?
                .0,
            ),
            None => None,
        };
        let rows = found.good.iter().map(|record| {
            vec![
                Cell::from("登记"),
                Cell::from(record.number.as_deref()),
                Cell::from(record.day.as_str()),
                Cell::from(record.household.as_deref()),
                Cell::from(record.person.as_deref()),
                Cell::from(record.item.as_str()),
                Cell::from(record.cells.as_str()),
                Cell::from(batch),
                Cell::from(batch.map(|_| record.line as i64)),
                Cell::Null,
                Cell::Null,
                Cell::from(by.as_str()),
                Cell::from(at.as_str()),
            ]
        });
        let ids = w.append_many("records", rows)?.unwrap_or((0, 0));
        if let Some(reviewer) = &reviewer {
            let reason = format!("导入时已审核（{import_file} 的审核列）");
            let reviews = (ids.0..).zip(&found.good).filter_map(|(id, record)| {
                let decision = match record.status {
                    crate::data::Status::Approved => "通过",
                    crate::data::Status::Rejected => "驳回",
                    crate::data::Status::Pending => return None,
                };
                Some(vec![
                    Cell::Int(id),
                    Cell::from(decision),
                    Cell::from(reason.as_str()),
                    Cell::from(reviewer.as_str()),
                    Cell::from(at.as_str()),
                ])
            });
            w.append_many("reviews", reviews)?;
        }
        Ok((batch, ids))
    });
    let (batch, (first, last)) = match written {
        Ok(done) => done,
        // A 编号 already in the book (its UNIQUE index refused the row): nothing was written;
        // name every such line.
        Err(e) if e.is_duplicate() => {
            return Err(fail(numbers_in_book(&book, &file, &found.good)?));
        }
        Err(e) => return Err(fail(e)),
    };
    if found.had_status && reviewer.is_none() {
        eprintln!(
            "说明：{file} 里的「审核」列不读：登记进账本的记录一律待审，由审核人用 xiangyue review 审核"
        );
    }
    let village = args.village.display();
    let range = if first == last {
        format!("记录 {first}")
    } else {
        format!("记录 {first}–{last}")
    };
    let pending = if reviewer.is_some() {
        let waiting = found
            .good
            .iter()
            .filter(|r| r.status == crate::data::Status::Pending)
            .count();
        format!("按文件的审核列记入审核结果，{waiting} 条待审")
    } else {
        "都待审".to_string()
    };
    match batch {
        Some(batch) => println!("已登记 {count} 条记录（第 {batch} 批，{range}），{pending}。"),
        None => println!("已登记{range}，待审。"),
    }
    let ids = if first == last {
        first.to_string()
    } else {
        format!("{first}-{last}")
    };
    println!(
        "下一步：xiangyue pending {village} 查看待审的记录；xiangyue review {village} --approve {ids} --by 审核人 审核"
    );
    Ok(EXIT_OK)
}

/// Every version of the compact in the book, each with its village (the stored registers)
/// and the registers read under it.
pub fn load_versions(book: &Book, folder: &Path, vargs: &VillageArgs) -> Result<Versions, u8> {
    let format = vargs.error_format;
    let mut versions = Vec::new();
    let mut registers = Vec::new();
    for version in book.compacts().map_err(|e| refuse(&e, format))? {
        let compact = super::book::compile_version(&version, folder, format)?;
        let village = stored_village(
            book,
            folder,
            vargs,
            (
                super::book::version_path(book, &version),
                version.text.clone(),
                compact,
            ),
        )?;
        registers.push(load_registers(&village, format)?);
        versions.push((version, village));
    }
    Ok((versions, registers))
}

/// Checks one record written as a one-row CSV log (`text`, named `file` in messages) as
/// `record` would; prints its errors.
pub fn check_one(
    book: &Book,
    folder: &Path,
    text: &str,
    file: &str,
    format: ErrorFormat,
) -> Result<Checked, u8> {
    let mut vargs = village_args(folder, "auto", format);
    vargs.allow_future = true;
    let (versions, registers) = load_versions(book, folder, &vargs)?;
    let open_table = || TableReader::from_csv_text(text, file);
    let found = check_file(&open_table, &versions, &registers, None).map_err(|e| {
        eprintln!("错误[{}] {e}", e.code());
        EXIT_ERRORS
    })?;
    if !found.errors.is_empty() {
        DataProblems {
            errors: &found.errors,
            error_count: found.error_count,
            warnings: &found.warnings,
            bad_records: Some(1),
            strict: false,
            summary: "这条记录有误，没有写进账本（账本没有改动）；改正后再运行".to_string(),
        }
        .print(format);
        return Err(EXIT_ERRORS);
    }
    found.good.into_iter().next().ok_or_else(|| {
        eprintln!("错误：没有读到记录");
        EXIT_ERRORS
    })
}

/// The refusal for records whose 编号 the book already holds: the one, or how many and the
/// first.
fn numbers_in_book(book: &Book, file: &str, records: &[Checked]) -> Result<BookError, u8> {
    let mut clashes = Vec::new();
    for record in records {
        let Some(number) = &record.number else {
            continue;
        };
        if let Some(earlier) = book
            .record_numbered(number)
            .map_err(|e| refuse(&e, ErrorFormat::Human))?
        {
            clashes.push(BookError::NumberInBook {
                file: file.to_string(),
                line: record.line,
                number: number.to_string(),
                id: earlier.id,
                at: earlier.at,
                by: earlier.by,
            });
        }
    }
    let count = clashes.len();
    Ok(match clashes.into_iter().next() {
        Some(first) if count == 1 => first,
        Some(first) => BookError::bad(
            format!("{file}：{count} 条记录的编号已在账本中（第一条：{first}）"),
            "这些记录已经登记过；只导入新的记录，或给新的记录新的编号",
        ),
        None => BookError::bad(
            format!("{file}：有的记录与账本中已有的记录重复"),
            "检查编号是否已经用过",
        ),
    })
}

/// The earlier import of a file with this SHA-256: batch, by, at, rows.
fn already_imported(
    w: &crate::book::Writer<'_>,
    sha: &str,
) -> Result<Option<(i64, String, String, i64)>, BookError> {
    use rusqlite::OptionalExtension;
    w.conn()
        .query_row(
            "SELECT id, by, at, rows FROM imports WHERE sha256 = ?1 ORDER BY id LIMIT 1",
            [sha],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .map_err(|e| BookError::storage("积分账本", "读取", &e))
}

/// Writes the bad rows and their reasons (UTF-8 with a byte order mark, for Excel).
fn write_rejects(path: &Path, found: &CheckedFile) -> Result<(), u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header = found.header.clone();
    header.push("错误原因".to_string());
    let _ = writer.write_record(&header);
    for (_, cells, reasons) in &found.bad {
        let mut row = cells.clone();
        row.push(reasons.clone());
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    super::write_text(path, &bytes)?;
    eprintln!(
        "{} 条记录有误，没有登记，已连同原因写入 {}",
        found.bad.len(),
        path.display()
    );
    Ok(())
}

/// The day of a record's date text, for ordering.
#[allow(dead_code)]
fn day(text: &str) -> crate::data::Day {
    day_of(text)
}

/// A version's effective date as stored, in words: a compact without 生效 applies from the
/// start (stored as 0001-01-01).
pub(crate) fn effective_words(effective: &str) -> String {
    if effective == "0001-01-01" {
        "未写生效日期，从头适用".to_string()
    } else {
        format!("生效 {effective}")
    }
}
