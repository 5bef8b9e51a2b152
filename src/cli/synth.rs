//! `xiangyue synth COMPACT --households N --events M [--seed S] [--years Y] --out DIR`: a
//! synthetic village folder (the compact, register.csv, one CSV per roster, events.csv) that
//! `xiangyue eval DIR` reads directly. The rows come from [`crate::synth`]; this module only
//! checks the compact and writes files, streaming, so the log never sits in memory.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::inputs::find_compact;
use super::{EXIT_OK, EXIT_USAGE, ErrorFormat, diagnostics, io_reason};
use crate::model::HOUSEHOLD;
use crate::synth::{Synth, SynthOptions};

/// The `synth` options.
#[derive(Debug, clap::Args)]
pub struct SynthArgs {
    /// 乡约文件（.xy），或含乡约文件的文件夹
    pub compact: PathBuf,
    /// 户数
    #[arg(long, default_value_t = 1000)]
    pub households: u32,
    /// 事项记录条数（生成县时为每个村的条数）
    #[arg(long, default_value_t = 20_000)]
    pub events: u64,
    /// 每户的事项记录条数：记录条数 = 户数 × 这个数（代替 --events）
    #[arg(long, conflicts_with = "events")]
    pub records_per_household: Option<u64>,
    /// 生成一个县：这么多个村，分在几个镇里（--out 是县的文件夹，里面是 镇/村 两层文件夹；
    /// --households 是每个村的户数）
    #[arg(long)]
    pub county: Option<u32>,
    /// 县里有几个镇（默认每 20 个村一个镇）
    #[arg(long, requires = "county")]
    pub townships: Option<u32>,
    /// 随机种子：种子和其他参数相同，生成的文件一字不差
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// 记录跨几个年度（默认从乡约生效的年度起）
    #[arg(long, default_value_t = 1)]
    pub years: u32,
    /// 最后一个年度，例如 2025（记录到这一年度为止；不写时从乡约生效的年度起算）
    #[arg(long)]
    pub last_year: Option<i32>,
    /// 输出的文件夹（村的文件夹：乡约、register.csv、名册、events.csv）；须是新的或空的文件夹
    #[arg(long)]
    pub out: PathBuf,
    /// 文件夹里已有文件时也写入（覆盖同名的文件）
    #[arg(long)]
    pub force: bool,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn run(args: &SynthArgs) -> u8 {
    match run_inner(args) {
        Ok(()) => EXIT_OK,
        Err(code) => code,
    }
}

fn fail(path: &Path, error: &std::io::Error) -> u8 {
    eprintln!("错误：无法写入 {}：{}", path.display(), io_reason(error));
    EXIT_USAGE
}

/// Writes the lines a generator gives to `path`, buffered.
fn write_lines(path: &Path, fill: impl FnOnce(&mut dyn FnMut(&str))) -> Result<(), u8> {
    let file = std::fs::File::create(path).map_err(|e| fail(path, &e))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut error = None;
    fill(&mut |line: &str| {
        if error.is_none()
            && let Err(e) = out.write_all(line.as_bytes())
        {
            error = Some(e);
        }
    });
    if let Some(e) = error {
        return Err(fail(path, &e));
    }
    out.flush().map_err(|e| fail(path, &e))
}

fn run_inner(args: &SynthArgs) -> Result<(), u8> {
    let started = Instant::now();
    let (compact_path, _) = find_compact(&args.compact)?;
    let (source, compact) = diagnostics::compile_file(&compact_path, args.error_format)?;
    if args.households == 0 {
        eprintln!("错误：--households 至少为 1");
        return Err(EXIT_USAGE);
    }
    let events = match args.records_per_household {
        Some(each) => u64::from(args.households).saturating_mul(each),
        None => args.events,
    };
    let out = &args.out;
    // A village's real register and log must not be overwritten by made-up ones.
    if !args.force && out.is_dir() {
        let mut present: Vec<String> = std::fs::read_dir(out)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        if !present.is_empty() {
            present.sort();
            let shown = present.len().min(8);
            let more = if present.len() > shown {
                format!(" 等 {} 个", present.len())
            } else {
                String::new()
            };
            eprintln!(
                "错误：文件夹 {} 里已有文件（{}{more}），模拟数据会覆盖它们；换一个新的或空的文件夹，或确要覆盖时加上 --force",
                out.display(),
                present.get(..shown).unwrap_or_default().join("、")
            );
            return Err(EXIT_USAGE);
        }
    }
    std::fs::create_dir_all(out).map_err(|e| fail(out, &e))?;
    if let Some(villages) = args.county {
        return write_county(
            args,
            (&compact_path, &source, &compact),
            villages,
            events,
            started,
        );
    }
    let name = compact_path
        .file_name()
        .map_or_else(|| "village.xy".into(), |n| n.to_os_string());
    // eval reads a folder's one .xy file: refuse to leave two.
    let others: Vec<String> = std::fs::read_dir(out)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    e.path().extension().is_some_and(|x| x == "xy") && e.file_name() != name
                })
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    if !others.is_empty() {
        eprintln!(
            "错误：文件夹 {} 里已有别的乡约文件（{}）；换一个文件夹，或先移走它",
            out.display(),
            others.join("、")
        );
        return Err(EXIT_USAGE);
    }
    let options = SynthOptions {
        households: args.households,
        events,
        seed: args.seed,
        years: args.years.max(1),
        last_year: args.last_year,
    };
    let (synth, persons) = write_village(out, &name, &source, &compact, options)?;
    let periods = synth.periods();
    let years = match (periods.first(), periods.last()) {
        (Some(a), Some(b)) if a.year != b.year => format!("{}—{} 年度", a.year, b.year),
        (Some(a), _) => format!("{} 年度", a.year),
        _ => String::new(),
    };
    eprintln!(
        "已生成 {}：{} 户{}，{} 条事项记录（{}），用时 {:.1} 秒",
        out.display(),
        args.households,
        if persons > 0 {
            format!("、名册 {persons} 人")
        } else {
            String::new()
        },
        events,
        years,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A county: `villages` village folders under township folders in `args.out`, each written as
/// one village is (with the compact's copy), with seeds of their own, two or more at a time.
fn write_county(
    args: &SynthArgs,
    (compact_path, source, compact): (&Path, &str, &crate::model::Compact),
    villages: u32,
    events: u64,
    started: Instant,
) -> Result<(), u8> {
    use rayon::prelude::*;
    if villages == 0 {
        eprintln!("错误：--county 至少为 1（村数）");
        return Err(EXIT_USAGE);
    }
    let townships = args.townships.unwrap_or_else(|| villages.div_ceil(20));
    let layout = crate::synth::county_layout(villages, townships, args.seed);
    let name = compact_path
        .file_name()
        .map_or_else(|| "village.xy".into(), |n| n.to_os_string());
    let failed = layout
        .par_iter()
        .map(|v| {
            let dir = args.out.join(&v.township).join(&v.village);
            std::fs::create_dir_all(&dir).map_err(|e| fail(&dir, &e))?;
            let options = SynthOptions {
                households: args.households,
                events,
                seed: v.seed,
                years: args.years.max(1),
                last_year: args.last_year,
            };
            write_village(&dir, &name, source, compact, options).map(|_| ())
        })
        .find_any(Result::is_err);
    if let Some(Err(code)) = failed {
        return Err(code);
    }
    let towns = townships.clamp(1, villages);
    eprintln!(
        "已生成县 {}：{towns} 个镇、{villages} 个村，每村 {} 户、{events} 条事项记录（共 {} 户、{} 条），用时 {:.1} 秒",
        args.out.display(),
        args.households,
        u64::from(villages) * u64::from(args.households),
        u64::from(villages) * events,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One village folder: the compact's copy, register, rosters, 分红.txt and events; gives the
/// generator (for its periods) and the persons in rosters.
fn write_village<'c>(
    out: &Path,
    name: &std::ffi::OsStr,
    source: &str,
    compact: &'c crate::model::Compact,
    options: SynthOptions,
) -> Result<(Synth<'c>, u64), u8> {
    let copy = out.join(name);
    std::fs::write(&copy, source.as_bytes()).map_err(|e| fail(&copy, &e))?;
    let synth = Synth::new(compact, options);
    write_lines(&out.join("register.csv"), |line| {
        synth.subjects(HOUSEHOLD, line);
    })?;
    let mut persons = 0u64;
    for (kind, subject) in compact.kinds.iter().enumerate().skip(1) {
        persons += u64::from(synth.size(kind));
        write_lines(&out.join(format!("{}.csv", subject.name)), |line| {
            synth.subjects(kind, line);
        })?;
    }
    if compact.dividend.is_some() {
        let pool = out.join("分红.txt");
        let text = format!("{}元\n", u64::from(options.households) * 1000);
        std::fs::write(&pool, text).map_err(|e| fail(&pool, &e))?;
    }
    write_lines(&out.join("events.csv"), |line| synth.events(line))?;
    Ok((synth, persons))
}
