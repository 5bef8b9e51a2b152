//! `xiangyue diff OLD NEW [--register R --events E | --data DIR] …`: what an amendment changes,
//! clause by clause, and — with a village's data — whom it affects.
//!
//! OLD and NEW are compact files or village folders. The data (register, rosters, events,
//! 分红.txt) come from `--register`/`--events`/`--roster` and `--data DIR`; without `--data`,
//! from NEW's folder if it holds a register or an event log, else from OLD's folder, else (with
//! `--register`/`--events` and two files) from the register's folder. With two compact files
//! and no data options, only the clauses are compared. The same log is read and
//! evaluated once under each version.
//!
//! Exit codes: 0 the versions are equivalent, 3 they differ, 1 a compact or the data has
//! errors, 2 usage or file errors.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::eval::{output, pool_fen};
use super::inputs::{
    EventRun, VillageArgs, evaluate, find_compact, find_table, load_registers, load_village_in,
};
use super::{EXIT_DIFFERENT, EXIT_ERRORS, EXIT_OK, ErrorFormat, diagnostics, read_text};
use crate::diff::impact::{Side, impact};
use crate::diff::{ClauseSums, compare};
use crate::eval::PeriodChoice;
use crate::model::Compact;
use crate::report::diff::{DiffDocument, render_md, render_text};
use crate::report::diff_html::render_html;
use crate::report::diff_json::render_json;

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// 文字（终端）
    Text,
    /// JSON（结构见 docs/json.md）
    Json,
    /// Markdown
    Md,
    /// 可打印的会议材料（HTML，含各户变化分布图）
    Html,
}

/// The `diff` options.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// 原版本：乡约文件（.xy）或村的文件夹
    pub old: PathBuf,
    /// 新版本：乡约文件（.xy）或村的文件夹
    pub new: PathBuf,
    /// 户籍（花名册）文件；给出后按两个版本分别计算，比较各户的影响
    #[arg(long)]
    pub register: Option<PathBuf>,
    /// 事项记录文件
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// 户籍、名册、事项记录与 分红.txt 所在的文件夹（默认：新版本的文件夹，其中没有数据时用原版本的文件夹）
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// 名册文件，写成 名册名=文件（可写多次）
    #[arg(long = "roster", value_name = "名册=文件")]
    pub rosters: Vec<String>,
    /// 文字编码：auto、utf-8 或 gb18030
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
    /// 分红的金额，例如 300000元；不写时读取数据文件夹中的 分红.txt
    #[arg(long)]
    pub pool: Option<String>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// 输出文件（默认输出到屏幕）
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn run(args: &DiffArgs) -> u8 {
    match run_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

/// A folder that holds a register, an event log or a village's book.
fn has_data(dir: &Path) -> bool {
    dir.is_dir()
        && (super::book::has_book(dir)
            || find_table(dir, &["register", "户籍", "花名册"]).is_some()
            || find_table(dir, &["events", "事项记录"]).is_some())
}

/// Where the data come from, or `None` when only the clauses are compared.
fn data_dir(args: &DiffArgs) -> Option<PathBuf> {
    if let Some(dir) = &args.data {
        return Some(dir.clone());
    }
    let given = args.register.is_some() || args.events.is_some();
    if !given && !args.old.is_dir() && !args.new.is_dir() {
        return None;
    }
    for side in [&args.new, &args.old] {
        if has_data(side) {
            return Some(side.clone());
        }
    }
    if given {
        // Rosters and 分红.txt beside the register (or the event log).
        let file = args.register.as_ref().or(args.events.as_ref())?;
        return Some(file.parent().map(Path::to_path_buf).unwrap_or_default());
    }
    None
}

fn compile_only(path: &Path, format: ErrorFormat) -> Result<(String, Compact), u8> {
    let (file, _) = find_compact(path)?;
    let source = read_text(&file)?;
    let compiled = super::diagnostics::compile_at(&file, &source);
    let name = file.display().to_string();
    match compiled.compact {
        Some(c) => Ok((name, c)),
        None => {
            diagnostics::print(&compiled.problems, &name, &source, format);
            Err(EXIT_ERRORS)
        }
    }
}

fn run_inner(args: &DiffArgs) -> Result<u8, u8> {
    let Some(dir) = data_dir(args) else {
        let (old_file, old) = compile_only(&args.old, args.error_format)?;
        let (new_file, new) = compile_only(&args.new, args.error_format)?;
        // A template and a village built on it: the village's departures from the template.
        if old.template.is_some()
            && new.basis.as_ref().is_some_and(|b| {
                crate::model::width::fold_width(&b.name)
                    == crate::model::width::fold_width(&old.title)
            })
        {
            let departures = crate::diff::template::departures(&old, &new);
            let text = match args.format {
                DiffFormat::Json => serde_json::to_string_pretty(&departures)
                    .map(|j| j + "\n")
                    .unwrap_or_default(),
                _ => crate::diff::template::render_text(&departures),
            };
            return output(args.output.as_deref(), text.as_bytes()).map(|()| EXIT_OK);
        }
        let diff = compare(&old, &new);
        let doc = DiffDocument {
            old_file: &old_file,
            new_file: &new_file,
            old: &old,
            new: &new,
            diff: &diff,
            impact: None,
            data: None,
        };
        return finish(args, &doc);
    };
    let village_args = |path: &PathBuf| VillageArgs {
        village: path.clone(),
        register: args.register.clone(),
        events: args.events.clone(),
        rosters: args.rosters.clone(),
        encoding: args.encoding.clone(),
        sheet: args.sheet.clone(),
        period: args.period,
        allow_future: args.allow_future,
        strict: args.strict,
        error_format: args.error_format,
    };
    let old_village = load_village_in(&village_args(&args.old), Some(&dir))?;
    let new_village = load_village_in(&village_args(&args.new), Some(&dir))?;
    let pool = pool_fen(args.pool.as_deref().or(new_village.folder_pool.as_deref()))?;
    let choice = args.period.map_or(PeriodChoice::Latest, PeriodChoice::Year);
    let old_registers = load_registers(&old_village, args.error_format)?;
    let new_registers = load_registers(&new_village, args.error_format)?;
    let run = |village, registers| EventRun {
        village,
        registers,
        choice,
        reject_file: None,
        pool_fen: pool,
        format: args.error_format,
        threads: None,
        of_several: None,
    };
    let (old_results, old_sums) =
        evaluate(&run(&old_village, &old_registers), ClauseSums::default)?;
    let (new_results, new_sums) =
        evaluate(&run(&new_village, &new_registers), ClauseSums::default)?;
    let diff = compare(&old_village.compact, &new_village.compact);
    let found = impact(
        &diff,
        Side {
            compact: &old_village.compact,
            results: &old_results,
            sums: &old_sums,
            registers: &old_registers,
        },
        Side {
            compact: &new_village.compact,
            results: &new_results,
            sums: &new_sums,
            registers: &new_registers,
        },
    );
    let (old_file, new_file) = (
        old_village.compact_path.display().to_string(),
        new_village.compact_path.display().to_string(),
    );
    let (register, events) = (
        new_village.register_path.display().to_string(),
        new_village.events_path.display().to_string(),
    );
    let doc = DiffDocument {
        old_file: &old_file,
        new_file: &new_file,
        old: &old_village.compact,
        new: &new_village.compact,
        diff: &diff,
        impact: Some(&found),
        data: Some((&register, &events)),
    };
    finish(args, &doc)
}

fn finish(args: &DiffArgs, doc: &DiffDocument<'_>) -> Result<u8, u8> {
    let text = match args.format {
        DiffFormat::Text => render_text(doc),
        DiffFormat::Json => render_json(doc),
        DiffFormat::Md => render_md(doc),
        DiffFormat::Html => render_html(doc),
    };
    output(args.output.as_deref(), text.as_bytes())?;
    Ok(if doc.diff.is_equivalent() {
        EXIT_OK
    } else {
        EXIT_DIFFERENT
    })
}
