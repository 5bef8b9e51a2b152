//! `xiangyue object` (异议: a villager objects to a published record within the window) and
//! `xiangyue resolve` (维持, or 更正/撤销 by a record that supersedes it, approved at once, with
//! the recomputed effect on every household in points and money).

use std::path::{Path, PathBuf};

use super::book::{folder_args, head_of, now, open, refuse, today_text};
use super::eval::pool_fen;
use super::publish::standing;
use super::record::{check_one, person};
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE, ErrorFormat};
use crate::book::query::{Heads, PublicationRow, RecordRow};
use crate::book::seal::Cell;
use crate::book::{Book, BookError};
use crate::eval::Results;
use crate::model::{Compact, HOUSEHOLD};
use crate::report::tables::points;

/// Whether `record` was in force at `publication`: approved and not superseded as the book
/// stood then, dated on or before its day.
fn shown_in(
    book: &Book,
    record: &RecordRow,
    publication: &PublicationRow,
) -> Result<bool, BookError> {
    if record.id > publication.heads.records
        || record.day > publication.through
        || record.kind == "撤销"
    {
        return Ok(false);
    }
    let approved = book
        .review_of(record.id)?
        .is_some_and(|r| r.decision == "通过" && r.id <= publication.heads.reviews);
    if !approved {
        return Ok(false);
    }
    for later in book.superseding(record.id)? {
        if later.id <= publication.heads.records
            && book
                .review_of(later.id)?
                .is_some_and(|r| r.decision == "通过" && r.id <= publication.heads.reviews)
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Writes a record that corrects (`set`) or cancels (`set` = `None`) record `id`. With a
/// `resolution` (objection, decision) it is approved at once and the resolution written in the
/// same transaction; otherwise it waits for review like any record.
#[allow(clippy::too_many_arguments, reason = "one correction's parts")]
pub fn supersede(
    book: &mut Book,
    folder: &Path,
    id: i64,
    set: Option<&[String]>,
    reason: &str,
    by: &str,
    at: &str,
    resolution: Option<(i64, &str)>,
    format: ErrorFormat,
) -> Result<i64, u8> {
    let fail = |e: BookError| refuse(&e, format);
    let old = book.record(id).map_err(fail)?.ok_or_else(|| {
        fail(BookError::NotFound {
            what: "记录".to_string(),
            id: id.to_string(),
            hint: "记录号见 xiangyue pending 或公示表上每一项后面的「记录 N」".to_string(),
        })
    })?;
    match book.review_of(id).map_err(fail)? {
        None => {
            return Err(fail(BookError::bad(
                format!("记录 {id} 还待审，不用更正"),
                format!(
                    "审核时驳回它（xiangyue review 村 --reject {id} --reason 理由 --by 姓名），再登记正确的记录"
                ),
            )));
        }
        Some(review) if review.decision == "驳回" => {
            return Err(fail(BookError::bad(
                format!(
                    "记录 {id} 已于 {} 由 {} 驳回，不计分，不用更正",
                    review.at, review.by
                ),
                "要登记正确的记录，用 xiangyue record 登记一条新的",
            )));
        }
        Some(_) => {}
    }
    if old.kind == "撤销" {
        return Err(fail(BookError::bad(
            format!("记录 {id} 是一条撤销记录"),
            "更正或撤销原来的那条记录",
        )));
    }
    for later in book.superseding(id).map_err(fail)? {
        let review = book.review_of(later.id).map_err(fail)?;
        if review.as_ref().is_none_or(|r| r.decision == "通过") {
            return Err(fail(BookError::AlreadyDecided {
                what: format!("记录 {id} "),
                at: later.at.clone(),
                by: later.by.clone(),
                decision: format!("{}（记录 {}）", later.kind, later.id),
                hint: format!("更正的是记录 {}：有错就更正它", later.id),
            }));
        }
    }
    let (kind, new) = match set {
        None => ("撤销", old.clone()),
        Some(set) => ("更正", corrected(book, folder, &old, set, format)?),
    };
    let written = book.change(|w| {
        let (new_id, _) = w.append(
            "records",
            &[
                Cell::from(kind),
                Cell::Null,
                Cell::from(new.day.as_str()),
                Cell::from(new.household.clone()),
                Cell::from(new.person.clone()),
                Cell::from(new.item.as_str()),
                Cell::from(new.cells.as_str()),
                Cell::Null,
                Cell::Null,
                Cell::Int(id),
                Cell::from(reason),
                Cell::from(by),
                Cell::from(at),
            ],
        )?;
        if let Some((objection, decision)) = resolution {
            w.append(
                "reviews",
                &[
                    Cell::Int(new_id),
                    Cell::from("通过"),
                    Cell::from(format!("异议 {objection} 处理：{reason}")),
                    Cell::from(by),
                    Cell::from(at),
                ],
            )?;
            w.append(
                "resolutions",
                &[
                    Cell::Int(objection),
                    Cell::from(decision),
                    Cell::Int(new_id),
                    Cell::from(reason),
                    Cell::from(by),
                    Cell::from(at),
                ],
            )?;
        }
        Ok(new_id)
    });
    written.map_err(fail)
}

/// The corrected record: the old one with `set` (字段=值, and 日期, 户号, 人员, 事项) applied,
/// checked as a new record would be.
fn corrected(
    book: &Book,
    folder: &Path,
    old: &RecordRow,
    set: &[String],
    format: ErrorFormat,
) -> Result<RecordRow, u8> {
    let mut columns: Vec<(String, String)> = vec![
        ("日期".into(), old.day.clone()),
        ("户号".into(), old.household.clone().unwrap_or_default()),
        ("人员".into(), old.person.clone().unwrap_or_default()),
        ("事项".into(), old.item.clone()),
    ];
    columns.extend(old.cell_pairs());
    for change in set {
        let Some((name, value)) = change.split_once(['=', '＝']) else {
            eprintln!("错误：「{change}」要写成 字段=值，例如 天数=1");
            return Err(EXIT_USAGE);
        };
        let (name, value) = (name.trim().to_string(), value.trim().to_string());
        match columns.iter_mut().find(|(c, _)| *c == name) {
            Some(slot) => slot.1 = value,
            None => columns.push((name, value)),
        }
    }
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record(columns.iter().map(|(c, _)| c));
    let _ = writer.write_record(columns.iter().map(|(_, v)| v));
    let text = String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
    let checked = check_one(book, folder, &text, &format!("更正记录 {}", old.id), format)?;
    Ok(RecordRow {
        day: checked.day.to_string(),
        household: checked.household.map(|h| h.to_string()),
        person: checked.person.map(|p| p.to_string()),
        item: checked.item.to_string(),
        cells: checked.cells.to_string(),
        ..old.clone()
    })
}

/// The `object` options.
#[derive(Debug, clap::Args)]
pub struct ObjectArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 有异议的记录号（公示表上每一项后面的「记录 N」）
    #[arg(long, value_name = "记录号")]
    pub record: i64,
    /// 提出异议的人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 异议的理由
    #[arg(long, value_name = "理由")]
    pub reason: String,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn object(args: &ObjectArgs) -> u8 {
    match object_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn object_inner(args: &ObjectArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let by = person(&args.by)?;
    let reason = args.reason.trim().to_string();
    if reason.is_empty() {
        eprintln!("错误：--reason 要写异议的理由");
        return Err(EXIT_USAGE);
    }
    let mut book = open(&args.village, format)?;
    let fail = |e: BookError| refuse(&e, format);
    let record = book.record(args.record).map_err(fail)?.ok_or_else(|| {
        fail(BookError::NotFound {
            what: "记录".to_string(),
            id: args.record.to_string(),
            hint: "记录号见公示表上每一项后面的「记录 N」".to_string(),
        })
    })?;
    let today = today_text()?;
    let mut latest = None;
    for publication in book.publications().map_err(fail)?.into_iter().rev() {
        if shown_in(&book, &record, &publication).map_err(fail)? {
            latest = Some(publication);
            break;
        }
    }
    let Some(publication) = latest else {
        return Err(fail(BookError::NotOnShow {
            reason: format!("记录 {} 还没有公示，不能对它提异议", args.record),
            hint: "异议是对公示的内容提的；记录有错，登记人可以直接更正（xiangyue correct），或审核时驳回".to_string(),
        }));
    };
    if publication.deadline < today {
        return Err(fail(BookError::NotOnShow {
            reason: format!(
                "记录 {} 在第 {} 次公示中，异议期已于 {} 截止，记录已归档",
                args.record, publication.id, publication.deadline
            ),
            hint: "归档的记录有错，由村积分管理小组决定后用 xiangyue correct 更正（写明原因），在下一次公示中公布".to_string(),
        }));
    }
    let resolutions = book.resolutions().map_err(fail)?;
    if let Some(open) = book
        .objections()
        .map_err(fail)?
        .into_iter()
        .find(|o| o.record == args.record && !resolutions.iter().any(|r| r.objection == o.id))
    {
        return Err(fail(BookError::AlreadyDecided {
            what: format!("记录 {} 的异议 ", args.record),
            at: open.at,
            by: open.by,
            decision: format!("提出（异议 {}），尚未处理", open.id),
            hint: "同一条记录的异议合并处理；把理由补充给处理异议的人".to_string(),
        }));
    }
    let at = now()?;
    let id = book
        .change(|w| {
            Ok(w.append(
                "objections",
                &[
                    Cell::Int(args.record),
                    Cell::Int(publication.id),
                    Cell::from(reason.as_str()),
                    Cell::from(by.as_str()),
                    Cell::from(at.as_str()),
                ],
            )?
            .0)
        })
        .map_err(fail)?;
    println!(
        "已登记异议 {id}：记录 {}（{} {} {}，第 {} 次公示），{by} 提出：{reason}。",
        args.record,
        record.day,
        record.household.clone().unwrap_or_default(),
        record.item,
        publication.id
    );
    println!(
        "处理：xiangyue resolve {} --objection {id} --keep（维持）或 --correct 字段=值 或 --cancel，--reason 理由 --by 姓名",
        args.village.display()
    );
    Ok(EXIT_OK)
}

/// The `resolve` options.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("decision").required(true).args(["keep", "correct", "cancel"])))]
pub struct ResolveArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 异议的编号（xiangyue pending 列出）
    #[arg(long, value_name = "编号")]
    pub objection: i64,
    /// 异议不成立，记录维持
    #[arg(long)]
    pub keep: bool,
    /// 异议成立，更正记录：字段=值（可写多次；也可写 日期=…、户号=…、事项=…）
    #[arg(long, value_name = "字段=值", num_args = 1..)]
    pub correct: Vec<String>,
    /// 异议成立，撤销记录（不再计分）
    #[arg(long)]
    pub cancel: bool,
    /// 处理的理由
    #[arg(long, value_name = "理由")]
    pub reason: String,
    /// 处理人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 分红的金额，用来算更正对各户分红的影响（默认读村文件夹中的 分红.txt）
    #[arg(long)]
    pub pool: Option<String>,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn resolve(args: &ResolveArgs) -> u8 {
    match resolve_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn resolve_inner(args: &ResolveArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let by = person(&args.by)?;
    let reason = args.reason.trim().to_string();
    if reason.is_empty() {
        eprintln!("错误：--reason 要写处理的理由，它会留在账本里");
        return Err(EXIT_USAGE);
    }
    let mut book = open(&args.village, format)?;
    let fail = |e: BookError| refuse(&e, format);
    let objection = book
        .objections()
        .map_err(fail)?
        .into_iter()
        .find(|o| o.id == args.objection)
        .ok_or_else(|| {
            fail(BookError::NotFound {
                what: "异议".to_string(),
                id: args.objection.to_string(),
                hint: "待处理的异议见 xiangyue pending".to_string(),
            })
        })?;
    if let Some(done) = book
        .resolutions()
        .map_err(fail)?
        .into_iter()
        .find(|r| r.objection == objection.id)
    {
        return Err(fail(BookError::AlreadyDecided {
            what: format!("异议 {} ", objection.id),
            at: done.at,
            by: done.by,
            decision: format!("处理为{}", done.decision),
            hint: "处理过的异议不再改动；仍有错的，用 xiangyue correct 更正记录".to_string(),
        }));
    }
    let at = now()?;
    if args.keep {
        book.change(|w| {
            w.append(
                "resolutions",
                &[
                    Cell::Int(objection.id),
                    Cell::from("维持"),
                    Cell::Null,
                    Cell::from(reason.as_str()),
                    Cell::from(by.as_str()),
                    Cell::from(at.as_str()),
                ],
            )
        })
        .map_err(fail)?;
        println!(
            "异议 {} 不成立：记录 {} 维持（{by}，{at}：{reason}）。积分不变。",
            objection.id, objection.record
        );
        return Ok(EXIT_OK);
    }
    let publication = book
        .publications()
        .map_err(fail)?
        .into_iter()
        .find(|p| p.id == objection.publication)
        .ok_or(EXIT_ERRORS)?;
    let folder_pool = std::fs::read_to_string(args.village.join("分红.txt"))
        .ok()
        .map(|t| t.trim().trim_start_matches('\u{feff}').to_string());
    let pool = pool_fen(args.pool.as_deref().or(folder_pool.as_deref()))?;
    let before_heads = book.heads().map_err(fail)?;
    let (before, _) = standing(
        &book,
        &args.village,
        &publication.through,
        before_heads,
        pool,
        format,
    )?;
    let (decision, set) = if args.cancel {
        ("撤销", None)
    } else {
        ("更正", Some(args.correct.as_slice()))
    };
    let correction = supersede(
        &mut book,
        &args.village,
        objection.record,
        set,
        &reason,
        &by,
        &at,
        Some((objection.id, decision)),
        format,
    )?;
    let after_heads: Heads = book.heads().map_err(fail)?;
    let (after, _) = standing(
        &book,
        &args.village,
        &publication.through,
        after_heads,
        pool,
        format,
    )?;
    println!(
        "异议 {} 成立：记录 {} 已{decision}（记录 {correction}，{by}，{at}：{reason}）。",
        objection.id, objection.record
    );
    let _ = folder_args;
    print!(
        "{}",
        effect_words(
            &after.from.village.compact,
            &before.results,
            &after.results,
            &after.registers,
            &publication.through
        )
    );
    Ok(EXIT_OK)
}

/// Who changes, by how much, in points and money, between two standings of one period.
pub fn effect_words(
    compact: &Compact,
    before: &Results,
    after: &Results,
    registers: &[crate::data::Register],
    through: &str,
) -> String {
    let mut out = format!("更正后重算（截至 {through}）：\n");
    let (Some(old), Some(new)) = (
        before.kinds.iter().find(|k| k.kind == HOUSEHOLD),
        after.kinds.iter().find(|k| k.kind == HOUSEHOLD),
    ) else {
        return out;
    };
    let mut changed = 0;
    // Households whose points or ratings are the same but whose share of a fixed pool moved.
    let mut shares: Vec<i64> = Vec::new();
    for (a, b) in old.subjects.iter().zip(&new.subjects) {
        let mut parts = Vec::new();
        for ((account, p), q) in old.accounts.iter().zip(&a.points).zip(&b.points) {
            if p != q {
                let name = compact
                    .accounts
                    .get(*account)
                    .map_or("", |a| a.name.as_str());
                let delta = *q - *p;
                let sign = if delta.is_sign_positive() { "+" } else { "" };
                parts.push(format!(
                    "{name} {} → {}（{sign}{}）",
                    points(*p),
                    points(*q),
                    points(delta)
                ));
            }
        }
        for ((rating, x), y) in old.ratings.iter().zip(&a.ratings).zip(&b.ratings) {
            if x != y {
                let name = compact.ratings.get(*rating).map_or("", |r| r.name.as_str());
                parts.push(format!(
                    "{name} {} → {}",
                    crate::report::tables::rating_cell(compact, a, *rating, x),
                    crate::report::tables::rating_cell(compact, b, *rating, y)
                ));
            }
        }
        if a.eligible != b.eligible {
            parts.push(format!(
                "分红资格 {} → {}",
                if a.eligible { "有" } else { "无" },
                if b.eligible { "有" } else { "无" }
            ));
        }
        let delta = b.dividend_fen - a.dividend_fen;
        if parts.is_empty() {
            if delta != 0 {
                shares.push(delta);
            }
            continue;
        }
        if delta != 0 {
            parts.push(format!(
                "分红 {} → {} 元（{}{}）",
                yuan(a.dividend_fen),
                yuan(b.dividend_fen),
                if delta > 0 { "+" } else { "−" },
                yuan(delta.abs())
            ));
        }
        changed += 1;
        let head = head_of(registers, &a.id);
        let name = if head.is_empty() {
            String::new()
        } else {
            format!("（{head}）")
        };
        out.push_str(&format!("  {}{name}：{}\n", a.id, parts.join("；")));
    }
    if changed == 0 {
        out.push_str("  各户积分、星级都不变。\n");
    }
    if !shares.is_empty() {
        let up: Vec<i64> = shares.iter().copied().filter(|d| *d > 0).collect();
        let down: Vec<i64> = shares
            .iter()
            .copied()
            .filter(|d| *d < 0)
            .map(|d| -d)
            .collect();
        let range = |v: &[i64]| {
            let (lo, hi) = (
                v.iter().min().copied().unwrap_or(0),
                v.iter().max().copied().unwrap_or(0),
            );
            if lo == hi {
                format!("{} 元", yuan(lo))
            } else {
                format!("{}–{} 元", yuan(lo), yuan(hi))
            }
        };
        let mut words = Vec::new();
        if !up.is_empty() {
            words.push(format!("{} 户各多得 {}", up.len(), range(&up)));
        }
        if !down.is_empty() {
            words.push(format!("{} 户各少得 {}", down.len(), range(&down)));
        }
        out.push_str(&format!(
            "  分红总额不变、按积分分配，所以积分没变的户分红也跟着变：{}。\n",
            words.join("，")
        ));
    }
    out
}

fn yuan(fen: i64) -> String {
    rust_decimal::Decimal::new(fen, 2).to_string()
}
