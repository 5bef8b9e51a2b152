//! `xiangyue eval VILLAGE | COMPACT --register R --events E …`: every household's points,
//! ratings, vetoes and dividend, as a table, JSON, CSV, the HTML public ledger or a workbook.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::inputs::{EventRun, Several, VillageArgs, evaluate, load_registers, load_village};
use super::{EXIT_OK, EXIT_USAGE, sources, write_text};
use crate::data::FieldValue;
use crate::data::value::{parse_money, within_limits};
use crate::eval::PeriodChoice;
use crate::eval::ledger::{Entry, Ledger, NoLedger, Sink};
use crate::model::KindId;
use crate::report::eval_output::{render_csv, render_html, render_table};
use crate::report::provenance::SourceKind;
use crate::report::results::{eval_json, write_eval_json};
use crate::report::tables::{household_rows, ledger_row, member_rows, notes};
use crate::report::workbook::render_xlsx;

/// Output format of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// 对齐的表格（终端）
    Table,
    /// JSON（结构见 docs/json.md）
    Json,
    /// CSV（可用 Excel 打开）
    Csv,
    /// 可打印的公示表（HTML）
    Html,
    /// Excel 工作簿：各户积分与积分明细
    Xlsx,
}

/// The `eval` options.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub village: VillageArgs,
    /// 分红的金额（乡约写明比例时，是按比例计算之前的金额），例如 128000元 或 12.8万元；
    /// 不写时读取村文件夹中的 分红.txt
    #[arg(long)]
    pub pool: Option<String>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "table")]
    pub format: EvalFormat,
    /// 输出文件（默认输出到屏幕；xlsx 必须指明）
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 把有误的记录连同原因写入这个文件，先计算其余记录
    #[arg(long)]
    pub reject_file: Option<PathBuf>,
    /// 一次计算几个年度，例如 2023-2025：列出每一户各账户每年的年初余额、增加、减少、清零、
    /// 过期和年末余额（表格、CSV 或 JSON；不能与 --period 同用）
    #[arg(long, value_name = "起-止", conflicts_with = "period")]
    pub years: Option<String>,
}

/// Parses `--years`: `2023-2025`, `2023..2025`, `2023—2025` or one year; at most 50 years.
pub fn parse_years(text: &str) -> Option<(i32, i32)> {
    let text = text.trim();
    let (from, to) = ["..", "—", "－", "-", "~", "至", "到"]
        .iter()
        .find_map(|sep| text.split_once(sep))
        .unwrap_or((text, text));
    let year = |s: &str| s.trim().trim_end_matches('年').trim().parse::<i32>().ok();
    let (from, to) = (year(from)?, year(to)?);
    (from <= to && to - from < 50 && (1000..=9999).contains(&from) && to <= 9999)
        .then_some((from, to))
}

/// Keeps the whole ledger or none, as the output needs.
pub enum AnySink {
    /// Totals only.
    Totals(NoLedger),
    /// Every entry.
    Full(Ledger),
}

impl Sink for AnySink {
    fn wants(&self, kind: KindId, subject: u32) -> bool {
        matches!(self, AnySink::Full(_)) && {
            let _ = (kind, subject);
            true
        }
    }
    fn push(&mut self, entry: Entry) {
        if let AnySink::Full(l) = self {
            l.push(entry);
        }
    }
    fn clear(&mut self) {
        if let AnySink::Full(l) = self {
            l.clear();
        }
    }
    fn fork(&self) -> Option<Self> {
        match self {
            AnySink::Totals(_) => Some(AnySink::Totals(NoLedger)),
            // The ledger's entries go out in the order they were decided.
            AnySink::Full(_) => None,
        }
    }
}

/// Parses `--pool`.
pub fn pool_fen(text: Option<&str>) -> Result<Option<i64>, u8> {
    match text {
        None => Ok(None),
        Some(t) => match parse_money(t) {
            Some(fen) if fen >= 0 && within_limits(&FieldValue::Money(fen)) => Ok(Some(fen)),
            Some(fen) if fen >= 0 => {
                eprintln!("错误：--pool 的金额「{t}」超过一万亿元；请核对");
                Err(EXIT_USAGE)
            }
            _ => {
                eprintln!("错误：--pool 的金额「{t}」看不懂；写成 128000元、12.8万元 或 128000");
                Err(EXIT_USAGE)
            }
        },
    }
}

pub fn run(args: &EvalArgs) -> u8 {
    match run_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run_inner(args: &EvalArgs) -> Result<u8, u8> {
    if args.format == EvalFormat::Xlsx && args.output.is_none() && args.years.is_none() {
        eprintln!("错误：xlsx 是二进制文件，请用 -o 指明输出文件，例如 -o 积分.xlsx");
        return Err(EXIT_USAGE);
    }
    if let Some(code) = super::county::run_if_county(args) {
        return code;
    }
    if let Some(years) = &args.years {
        return run_years(args, years);
    }
    let evaluated_at = super::now()?;
    let how = OneVillage {
        evaluated_at,
        threads: None,
        output: args.output.as_deref(),
        write: true,
        in_county: false,
    };
    eval_village(args, &how, &mut |_, _| {})?;
    Ok(EXIT_OK)
}

/// How [`eval_village`] evaluates and writes one village.
pub struct OneVillage<'a> {
    /// The time of evaluation the outputs state.
    pub evaluated_at: (jiff::civil::DateTime, jiff::tz::Offset),
    /// Threads (`None`: every core).
    pub threads: Option<usize>,
    /// Where its results go (`None`: standard output).
    pub output: Option<&'a Path>,
    /// Whether to write its results at all (a county without `-o` keeps only summaries).
    pub write: bool,
    /// Part of a county's run: the per-roster CSV notes are not printed.
    pub in_county: bool,
}

/// Loads, evaluates and writes one village as `xiangyue eval VILLAGE` does; `figures` sees the
/// compact and results before they are dropped (a county keeps a summary of them).
pub fn eval_village(
    args: &EvalArgs,
    how: &OneVillage<'_>,
    figures: &mut dyn FnMut(&crate::model::Compact, &crate::eval::Results),
) -> Result<(), u8> {
    let evaluated_at = how.evaluated_at;
    let village = load_village(&args.village)?;
    let pool_from_folder = args.pool.is_none() && village.folder_pool.is_some();
    let hashing = how
        .write
        .then(|| sources::start(&village, pool_from_folder));
    let pool = pool_fen(args.pool.as_deref().or(village.folder_pool.as_deref()))?;
    let registers = load_registers(&village, args.village.error_format)?;
    let choice = args
        .village
        .period
        .map_or(PeriodChoice::Latest, PeriodChoice::Year);
    let full = how.write && matches!(args.format, EvalFormat::Html | EvalFormat::Xlsx);
    let run = EventRun {
        village: &village,
        registers: &registers,
        choice,
        reject_file: args.reject_file.as_deref(),
        pool_fen: pool,
        format: args.village.error_format,
        threads: how.threads,
        of_several: None,
    };
    let (results, sink) = evaluate(&run, || {
        if full {
            AnySink::Full(Ledger::default())
        } else {
            AnySink::Totals(NoLedger)
        }
    })?;
    let compact = &village.compact;
    figures(compact, &results);
    let Some(hashing) = hashing else {
        return Ok(());
    };
    let provenance = hashing.finish(evaluated_at)?;
    let entries: &[Entry] = match &sink {
        AnySink::Full(l) => &l.entries,
        AnySink::Totals(_) => &[],
    };
    let output_path = how.output;
    let bytes: Vec<u8> = match args.format {
        EvalFormat::Table => render_table(compact, &results, &registers, &provenance).into_bytes(),
        EvalFormat::Json => {
            let json = eval_json(compact, &results, &registers, &provenance);
            write_streamed(output_path, |out| write_eval_json(out, &json))?;
            return Ok(());
        }
        EvalFormat::Csv => {
            let notes = notes(compact, &results, &provenance);
            write_roster_csvs(
                output_path,
                compact,
                &results,
                &registers,
                &notes,
                how.in_county,
            )?;
            render_csv(&household_rows(compact, &results, &registers), &notes).into_bytes()
        }
        EvalFormat::Html => {
            render_html(compact, &results, &registers, entries, &provenance).into_bytes()
        }
        EvalFormat::Xlsx => {
            let events_file = provenance.path(SourceKind::Events);
            let rows: Vec<_> = entries
                .iter()
                .map(|e| ledger_row(compact, &registers, events_file, e))
                .collect();
            render_xlsx(compact, &results, &registers, &rows, &provenance).map_err(|e| {
                eprintln!("错误：无法生成工作簿：{e}");
                EXIT_USAGE
            })?
        }
    };
    output(output_path, &bytes)
}

/// `eval --years 2023-2025`: each year evaluated with its ledger, sorted into each household
/// account's opening, additions, reductions, clearings, expiries and closing.
fn run_years(args: &EvalArgs, years: &str) -> Result<u8, u8> {
    use crate::report::years;
    let Some((from, to)) = parse_years(years) else {
        eprintln!(
            "错误：--years 的「{years}」看不懂；写成 2023-2025（起止年度，起不晚于止，至多 50 个年度）"
        );
        return Err(EXIT_USAGE);
    };
    if matches!(args.format, EvalFormat::Html | EvalFormat::Xlsx) {
        eprintln!("错误：--years 只能输出 table、csv 或 json");
        return Err(EXIT_USAGE);
    }
    let village = load_village(&args.village)?;
    let registers = load_registers(&village, args.village.error_format)?;
    let pool = pool_fen(args.pool.as_deref().or(village.folder_pool.as_deref()))?;
    let mut flows = Vec::new();
    for year in from..=to {
        let run = EventRun {
            village: &village,
            registers: &registers,
            choice: PeriodChoice::Year(year),
            reject_file: args.reject_file.as_deref(),
            pool_fen: pool,
            format: args.village.error_format,
            threads: None,
            of_several: Some(Several {
                first: year == from,
            }),
        };
        let (results, ledger) = evaluate(&run, Ledger::default)?;
        flows.push(years::year_flows(
            &village.compact,
            &results,
            &ledger.entries,
        ));
    }
    let text = match args.format {
        EvalFormat::Json => years::render_json(&village.compact, &flows),
        EvalFormat::Csv => years::render_csv(&flows),
        _ => years::render_table(&village.compact, &flows),
    };
    output(args.output.as_deref(), text.as_bytes())?;
    Ok(EXIT_OK)
}

/// The CSV of a roster beside the households' one: `结果.csv` → `结果-党员.csv` (same folder
/// and extension; `.csv` when the output has none).
pub fn roster_csv_path(output: &Path, roster: &str) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let extension = output
        .extension()
        .map_or_else(|| "csv".to_string(), |e| e.to_string_lossy().to_string());
    output.with_file_name(format!("{stem}-{roster}.{extension}"))
}

/// CSV holds one table, so each roster's members go to a file of their own beside the
/// households' (see [`roster_csv_path`]), each with the same notes; stderr says where. Without
/// `-o` only the households are printed, and stderr says how to get the rosters too.
fn write_roster_csvs(
    output: Option<&Path>,
    compact: &crate::model::Compact,
    results: &crate::eval::Results,
    registers: &[crate::data::Register],
    notes: &[String],
    quiet: bool,
) -> Result<(), u8> {
    for roster in member_rows(compact, results, registers) {
        let people = roster.rows.rows.len();
        match output {
            Some(output) => {
                let path = roster_csv_path(output, &roster.name);
                write_text(&path, render_csv(&roster.rows, notes).as_bytes())?;
                if quiet {
                    continue;
                }
                eprintln!(
                    "名册「{}」{people} 人的结果另写入 {}",
                    roster.name,
                    path.display()
                );
            }
            None => eprintln!(
                "提示：名册「{0}」{people} 人的结果没有输出到屏幕；用 -o 结果.csv 时另写一份 结果-{0}.csv",
                roster.name
            ),
        }
    }
    Ok(())
}

/// Writes a document as it is made, to a file or stdout, through a buffer. The buffer is a
/// concrete type, so the many small writes of a serializer are copies into it, not calls
/// through a trait object.
pub fn write_streamed(
    path: Option<&Path>,
    write: impl FnOnce(&mut std::io::BufWriter<Box<dyn std::io::Write + '_>>) -> std::io::Result<()>,
) -> Result<(), u8> {
    use std::io::Write;
    let result = match path {
        Some(path) => std::fs::File::create(path).and_then(|file| {
            let file: Box<dyn Write> = Box::new(file);
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            write(&mut out)?;
            out.flush()
        }),
        None => {
            let stdout: Box<dyn Write> = Box::new(std::io::stdout().lock());
            let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout);
            // A closed pipe (… | head) is not an error worth reporting.
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    };
    result.map_err(|error| {
        eprintln!(
            "错误：无法写入 {}：{}",
            path.map_or_else(|| "标准输出".to_string(), |p| p.display().to_string()),
            super::io_reason(&error)
        );
        EXIT_USAGE
    })
}

/// Writes to a file or stdout.
pub fn output(path: Option<&Path>, bytes: &[u8]) -> Result<(), u8> {
    match path {
        Some(path) => write_text(path, bytes),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(bytes);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_years;

    #[test]
    fn years_are_read_as_written() {
        assert_eq!(parse_years("2023-2025"), Some((2023, 2025)));
        assert_eq!(parse_years("2023..2025"), Some((2023, 2025)));
        assert_eq!(parse_years("2023年—2025年"), Some((2023, 2025)));
        assert_eq!(parse_years("2024"), Some((2024, 2024)));
        assert_eq!(parse_years(" 2023 至 2024 "), Some((2023, 2024)));
        assert_eq!(parse_years("2025-2023"), None);
        assert_eq!(parse_years("1900-2000"), None);
        assert_eq!(parse_years("二〇二三"), None);
        assert_eq!(parse_years("2023-"), None);
    }
}
