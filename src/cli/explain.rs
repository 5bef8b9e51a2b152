//! `xiangyue explain … --household 户号`: one household's (or person's) ledger, every line
//! traced to its clause and record.

use clap::ValueEnum;

use super::eval::{output, pool_fen};
use super::inputs::{EventRun, VillageArgs, evaluate, load_registers, load_village};
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::eval::PeriodChoice;
use crate::eval::ledger::SubjectLedger;
use crate::model::HOUSEHOLD;
use crate::report::explain::{ExplainInput, explain_json, render_text};

/// Output format of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// 给人看的文字
    Text,
    /// JSON（结构见 docs/json.md）
    Json,
}

/// The `explain` options.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub village: VillageArgs,
    /// 要说明的户号
    #[arg(long, required_unless_present = "person")]
    pub household: Option<String>,
    /// 要说明的人（名册中的编号，如党员）
    #[arg(long, conflicts_with = "household")]
    pub person: Option<String>,
    /// 分红的金额，例如 128000元
    #[arg(long)]
    pub pool: Option<String>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
    /// 输出文件（默认输出到屏幕）
    #[arg(short, long)]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(args: &ExplainArgs) -> u8 {
    match run_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run_inner(args: &ExplainArgs) -> Result<u8, u8> {
    let village = load_village(&args.village)?;
    let pool = pool_fen(args.pool.as_deref().or(village.folder_pool.as_deref()))?;
    let registers = load_registers(&village, args.village.error_format)?;
    let (kind, id) = match (&args.household, &args.person) {
        (Some(h), _) => (HOUSEHOLD, h.clone()),
        (None, Some(p)) => {
            let kind = registers
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, r)| r.find(p).is_some())
                .map(|(k, _)| k);
            match kind {
                Some(k) => (k, p.clone()),
                None => {
                    eprintln!("错误：名册中没有编号为「{p}」的人");
                    return Err(EXIT_ERRORS);
                }
            }
        }
        (None, None) => return Err(EXIT_USAGE),
    };
    let Some(subject) = registers.get(kind).and_then(|r| r.find(&id)) else {
        // An id of a roster given as a household: say which option finds it.
        let in_roster = registers
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, r)| r.find(&id).is_some())
            .and_then(|(k, _)| village.compact.kinds.get(k));
        let hint = match in_roster {
            Some(roster) => format!(
                "；「{id}」是名册「{}」中的人，用 --person {id}",
                roster.name
            ),
            None => registers
                .get(kind)
                .map(|r| r.suggest(&id))
                .filter(|s| !s.is_empty())
                .map(|s| format!("；是不是「{}」？", s.join("」或「")))
                .unwrap_or_default(),
        };
        eprintln!("错误：户籍中没有户号「{id}」{hint}");
        return Err(EXIT_ERRORS);
    };
    let choice = args
        .village
        .period
        .map_or(PeriodChoice::Latest, PeriodChoice::Year);
    let run = EventRun {
        village: &village,
        registers: &registers,
        choice,
        reject_file: None,
        pool_fen: pool,
        format: args.village.error_format,
        threads: None,
        of_several: None,
    };
    let (results, ledger) = evaluate(&run, || SubjectLedger {
        kind,
        subject,
        entries: Vec::new(),
    })?;
    let compact_file = village.compact_path.display().to_string();
    let events_file = village.events_path.display().to_string();
    let input = ExplainInput {
        compact: &village.compact,
        source: &village.source,
        compact_file: &compact_file,
        events_file: &events_file,
        record_ids: village
            .stored
            .as_ref()
            .map_or(&[], |s| s.record_ids.as_slice()),
        registers: &registers,
        results: &results,
        kind,
        subject,
        entries: &ledger.entries,
    };
    let text = match args.format {
        ExplainFormat::Text => render_text(&input),
        ExplainFormat::Json => {
            serde_json::to_string_pretty(&explain_json(&input)).unwrap_or_default() + "\n"
        }
    };
    output(args.output.as_deref(), text.as_bytes())?;
    Ok(EXIT_OK)
}
