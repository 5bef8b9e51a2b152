//! `xiangyue review` (审核: approve or reject records), `xiangyue pending` (what waits: records
//! to review, objections to resolve, publications on show) and `xiangyue correct` (a reviewed
//! record corrected or cancelled by a new record that supersedes it).

use std::path::PathBuf;

use super::book::{
    folder_args, head_of, latest_village, now, open, parse_ids, record_words, refuse, today_text,
};
use super::record::person;
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE, ErrorFormat};
use crate::book::BookError;
use crate::book::query::RecordRow;
use crate::book::seal::Cell;

/// The `review` options.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 审核通过的记录号，例如 17、1-200、3,5,9；「全部」是所有待审的记录
    #[arg(long, value_name = "记录号", num_args = 1..)]
    pub approve: Vec<String>,
    /// 驳回的记录号（须写 --reason）
    #[arg(long, value_name = "记录号", num_args = 1.., requires = "reason")]
    pub reject: Vec<String>,
    /// 驳回的理由
    #[arg(long, value_name = "理由")]
    pub reason: Option<String>,
    /// 审核人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn review(args: &ReviewArgs) -> u8 {
    match review_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn is_all(texts: &[String]) -> bool {
    texts.len() == 1
        && texts
            .first()
            .is_some_and(|t| matches!(t.trim(), "全部" | "all" | "所有"))
}

fn review_inner(args: &ReviewArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let by = person(&args.by)?;
    if args.approve.is_empty() && args.reject.is_empty() {
        eprintln!(
            "错误：写明审核的结果：--approve 记录号（通过）或 --reject 记录号 --reason 理由（驳回）"
        );
        return Err(EXIT_USAGE);
    }
    let all = is_all(&args.approve);
    let approve = if all {
        Vec::new()
    } else {
        parse_ids(&args.approve, "--approve")?
    };
    let reject = parse_ids(&args.reject, "--reject")?;
    if let Some(both) = approve.iter().find(|id| reject.contains(id)) {
        eprintln!("错误：记录 {both} 既要通过又要驳回；一条记录只能有一个审核结果");
        return Err(EXIT_USAGE);
    }
    let mut book = open(&args.village, format)?;
    let at = now()?;
    let reason = args.reason.clone().unwrap_or_default();
    let (approved, rejected) = book
        .change(|w| {
            let mut approve = approve.clone();
            if all {
                let mut statement = w
                    .conn()
                    .prepare("SELECT id FROM records WHERE NOT EXISTS (SELECT 1 FROM reviews v WHERE v.record = records.id) ORDER BY id")
                    .map_err(|e| BookError::storage("积分账本", "读取", &e))?;
                approve = statement
                    .query_map([], |r| r.get(0))
                    .and_then(Iterator::collect)
                    .map_err(|e| BookError::storage("积分账本", "读取", &e))?;
                approve.retain(|id| !reject.contains(id));
            }
            for (ids, decision) in [(&approve, "通过"), (&reject, "驳回")] {
                // 「全部」 are the records waiting, read inside this transaction.
                if !(all && decision == "通过") {
                    for &id in ids {
                        let (exists, reviewed) = state(w.conn(), id)?;
                        if !exists {
                            return Err(BookError::NotFound {
                                what: "记录".to_string(),
                                id: id.to_string(),
                                hint: "记录号见 xiangyue pending（待审的记录）或登记时显示的范围".to_string(),
                            });
                        }
                        if let Some((decision, by, at)) = reviewed {
                            return Err(BookError::AlreadyDecided {
                                what: format!("记录 {id} "),
                                at,
                                by,
                                decision: format!("审核为{decision}"),
                                hint: "审核过的记录不再改动；记错了的，用 xiangyue correct 登记一条更正记录（注明原因），两条都留在账本里".to_string(),
                            });
                        }
                    }
                }
                let rejection = (decision == "驳回").then(|| reason.clone());
                w.append_many(
                    "reviews",
                    ids.iter().map(|&id| {
                        vec![
                            Cell::Int(id),
                            Cell::from(decision),
                            Cell::from(rejection.clone()),
                            Cell::from(by.as_str()),
                            Cell::from(at.as_str()),
                        ]
                    }),
                )?;
            }
            Ok((approve.len(), reject.len()))
        })
        .map_err(|e| refuse(&e, format))?;
    println!("已审核：通过 {approved} 条，驳回 {rejected} 条（审核人 {by}，{at}）。");
    Ok(EXIT_OK)
}

/// A review as told: decision, by, at.
type Decided = (String, String, String);

/// Whether record `id` exists, and its review (decision, by, at) if any.
fn state(conn: &rusqlite::Connection, id: i64) -> Result<(bool, Option<Decided>), BookError> {
    use rusqlite::OptionalExtension;
    let read = |e: rusqlite::Error| BookError::storage("积分账本", "读取", &e);
    let exists: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM records WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )
        .map_err(read)?;
    let review = conn
        .query_row(
            "SELECT decision, by, at FROM reviews WHERE record = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(read)?;
    Ok((exists, review))
}

/// The `pending` options.
#[derive(Debug, clap::Args)]
pub struct PendingArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 列出全部待审的记录
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    /// 最多列出几条待审的记录
    #[arg(long, value_name = "条数", default_value_t = 50)]
    pub limit: usize,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn pending(args: &PendingArgs) -> u8 {
    match pending_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn pending_inner(args: &PendingArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let book = open(&args.village, format)?;
    let fail = |e: BookError| refuse(&e, format);
    let (_, registers, _) =
        latest_village(&book, &args.village, &folder_args(&args.village, format))?;
    let waiting = book.pending().map_err(fail)?;
    let today = today_text()?;
    let mut out = String::new();
    if waiting.is_empty() {
        out.push_str("没有待审的记录。\n");
    } else {
        out.push_str(&format!("待审的记录 {} 条：\n", waiting.len()));
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
        table.set_header([
            "记录", "编号", "日期", "户号", "户主", "事项", "内容", "登记", "说明",
        ]);
        let shown = if args.all {
            waiting.len()
        } else {
            waiting.len().min(args.limit)
        };
        for record in waiting.iter().take(shown) {
            table.add_row(record_cells(record, &registers));
        }
        if shown > 0 {
            out.push_str(&table.to_string());
            out.push('\n');
        }
        if shown < waiting.len() {
            out.push_str(&format!(
                "……另有 {} 条未列出（加 --all 全部列出）\n",
                waiting.len() - shown
            ));
        }
        let first = waiting.first().map_or(0, |r| r.id);
        let last = waiting.last().map_or(0, |r| r.id);
        out.push_str(&format!(
            "审核：xiangyue review {} --approve {} --by 审核人；驳回的加 --reject 记录号 --reason 理由\n",
            args.village.display(),
            if first == last { first.to_string() } else { format!("{first}-{last}") }
        ));
    }
    let resolutions = book.resolutions().map_err(fail)?;
    let open_objections: Vec<_> = book
        .objections()
        .map_err(fail)?
        .into_iter()
        .filter(|o| !resolutions.iter().any(|r| r.objection == o.id))
        .collect();
    if !open_objections.is_empty() {
        out.push_str(&format!("\n待处理的异议 {} 件：\n", open_objections.len()));
        for objection in &open_objections {
            out.push_str(&format!(
                "  异议 {}：记录 {}（第 {} 次公示），{} 于 {} 提出：{}\n",
                objection.id,
                objection.record,
                objection.publication,
                objection.by,
                objection.at,
                objection.reason
            ));
        }
        out.push_str(&format!(
            "处理：xiangyue resolve {} --objection 编号 --keep 或 --correct 字段=值 或 --cancel --reason 理由 --by 姓名\n",
            args.village.display()
        ));
    }
    for publication in book.publications().map_err(fail)? {
        if publication.deadline >= today {
            out.push_str(&format!(
                "\n第 {} 次公示（截至 {}）正在公示，异议截止 {}。\n",
                publication.id, publication.through, publication.deadline
            ));
        }
    }
    print!("{out}");
    Ok(EXIT_OK)
}

/// A record's row in a listing.
pub fn record_cells(record: &RecordRow, registers: &[crate::data::Register]) -> Vec<String> {
    let household = record.household.clone().unwrap_or_default();
    let note = match (record.kind.as_str(), record.supersedes) {
        ("更正", Some(old)) => format!(
            "更正记录 {old}：{}",
            record.reason.clone().unwrap_or_default()
        ),
        ("撤销", Some(old)) => format!(
            "撤销记录 {old}：{}",
            record.reason.clone().unwrap_or_default()
        ),
        _ => record
            .import
            .map(|b| format!("第 {b} 批第 {} 行", record.line.unwrap_or(0)))
            .unwrap_or_default(),
    };
    vec![
        record.id.to_string(),
        record.number.clone().unwrap_or_default(),
        record.day.clone(),
        match &record.person {
            Some(p) if !p.is_empty() => format!("{household}（{p}）"),
            _ => household.clone(),
        },
        head_of(registers, &household),
        record.item.clone(),
        record_words(record),
        format!("{} {}", record.by, record.at),
        note,
    ]
}

/// `xiangyue correct`'s options.
#[derive(Debug, clap::Args)]
pub struct CorrectArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 要更正（或撤销）的记录号
    #[arg(long, value_name = "记录号")]
    pub record: i64,
    /// 更正后的字段值，写成 字段=值（可写多次）；也可写 日期=…、户号=…、事项=…
    #[arg(long = "set", value_name = "字段=值", conflicts_with = "cancel")]
    pub set: Vec<String>,
    /// 撤销这条记录（它不再计分）
    #[arg(long)]
    pub cancel: bool,
    /// 更正的原因
    #[arg(long, value_name = "原因")]
    pub reason: String,
    /// 经办人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn correct(args: &CorrectArgs) -> u8 {
    match correct_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn correct_inner(args: &CorrectArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let by = person(&args.by)?;
    if !args.cancel && args.set.is_empty() {
        eprintln!("错误：写明怎样更正：--set 字段=值（可写多次），或 --cancel 撤销这条记录");
        return Err(EXIT_USAGE);
    }
    let reason = args.reason.trim().to_string();
    if reason.is_empty() {
        eprintln!("错误：--reason 要写更正的原因，它和两条记录一起留在账本里");
        return Err(EXIT_USAGE);
    }
    let mut book = open(&args.village, format)?;
    let at = now()?;
    let correction = super::objection::supersede(
        &mut book,
        &args.village,
        args.record,
        if args.cancel {
            None
        } else {
            Some(args.set.as_slice())
        },
        &reason,
        &by,
        &at,
        None,
        format,
    )?;
    let what = if args.cancel { "撤销" } else { "更正" };
    println!(
        "已登记{what}记录 {correction}（{what}记录 {}，原因：{reason}），待审；审核通过后原记录不再计分，两条都留在账本里。",
        args.record
    );
    let _ = EXIT_ERRORS;
    Ok(EXIT_OK)
}
