//! `xiangyue publish 村 --through 日期` (公示: the standing as of a day, sealed and printed) and
//! `xiangyue verify 村` (every seal checked, every publication recomputed from the records).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use std::collections::BTreeSet;
use std::sync::Arc;

use super::book::{
    Evaluated, FromBook, View, date_arg, day_of, evaluate_from, folder_args, now, open, refuse,
    today_text, village_from_book,
};
use super::inputs::VillageArgs;
use super::record::person;
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE, ErrorFormat};
use crate::book::query::{Heads, PublicationRow};
use crate::book::seal::{Cell, GENESIS, sha256};
use crate::book::verify::{Finding, check_seals};
use crate::book::{Book, BookError};
use crate::data::value::date_of;
use crate::eval::Period;
use crate::eval::ledger::{Entry, NoLedger, Sink};
use crate::model::KindId;
use crate::report::publication::{Page, render_page, standing_fields, standing_lines};

/// The `publish` options.
#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 公示截至哪一天，例如 2024-03-31
    #[arg(long, value_name = "日期")]
    pub through: String,
    /// 公示几天（异议期），默认 7 天
    #[arg(long, value_name = "天数", default_value_t = 7)]
    pub days: i64,
    /// 公布人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 公示表（HTML）写到哪里（默认：村文件夹里的 公示-第N期.html）
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn publish(args: &PublishArgs) -> u8 {
    match publish_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

/// The first line of a publication's content: what it is of.
fn header_line(number: i64, through: &str, period: i64, compact: i64, heads: Heads) -> String {
    serde_json::json!({
        "公示": number,
        "截至": through,
        "年度": period,
        "乡约版本": compact,
        "记录至": heads.records,
        "审核至": heads.reviews,
    })
    .to_string()
}

/// The period a publication through `through` belongs to, under the book's latest compact.
fn period_of(book: &Book, folder: &Path, through: &str, format: ErrorFormat) -> Result<i32, u8> {
    let latest = book
        .compacts()
        .map_err(|e| refuse(&e, format))?
        .pop()
        .ok_or(EXIT_ERRORS)?;
    let compact = super::book::compile_version(&latest, folder, format)?;
    Ok(Period::containing(day_of(through), compact.period_start).year)
}

/// What a publication reads: records and reviews up to `heads`, dated up to `through`, in
/// the period of `through`.
pub fn publication_view(
    book: &Book,
    folder: &Path,
    through: &str,
    heads: Heads,
    format: ErrorFormat,
) -> Result<(FromBook, VillageArgs, i32), u8> {
    let period = period_of(book, folder, through, format)?;
    let mut args = folder_args(folder, format);
    // The standing as of `through` reads the records as they were: none is in the future.
    args.allow_future = true;
    let view = View {
        heads: Some(heads),
        through: Some(through.to_string()),
        period: Some(period),
    };
    let from = village_from_book(book, folder, &args, &view, None)?;
    Ok((from, args, period))
}

/// Scores the book as a publication sees it (see [`publication_view`]), totals only.
pub fn standing(
    book: &Book,
    folder: &Path,
    through: &str,
    heads: Heads,
    pool_fen: Option<i64>,
    format: ErrorFormat,
) -> Result<(Evaluated, i32), u8> {
    let (from, args, period) = publication_view(book, folder, through, heads, format)?;
    let (evaluated, _) = evaluate_from(from, &args, pool_fen, || NoLedger)?;
    Ok((evaluated, period))
}

/// Keeps what a 公示表 shows of a ledger: the entries of records new in this publication (by
/// their line in the exported log), and every clause that gave, took or noted something.
struct PageItems {
    /// Per line of the exported log, whether its record is new.
    new_lines: Arc<Vec<bool>>,
    entries: Vec<Entry>,
    cited: BTreeSet<usize>,
}

impl Sink for PageItems {
    fn wants(&self, _: KindId, _: u32) -> bool {
        true
    }
    fn push(&mut self, entry: Entry) {
        if let Some(clause) = entry.clause
            && (!entry.amount.is_zero() || !entry.notes.is_empty())
        {
            self.cited.insert(clause);
        }
        let new = entry
            .line
            .and_then(|l| usize::try_from(l).ok())
            .and_then(|l| self.new_lines.get(l))
            .copied()
            .unwrap_or(false);
        if new {
            self.entries.push(entry);
        }
    }
    fn clear(&mut self) {
        self.entries.clear();
        self.cited.clear();
    }
    fn fork(&self) -> Option<Self> {
        // The page groups entries by subject: their order across subjects does not matter.
        Some(PageItems {
            new_lines: Arc::clone(&self.new_lines),
            entries: Vec::new(),
            cited: BTreeSet::new(),
        })
    }
    fn join(&mut self, shard: Self) {
        self.entries.extend(shard.entries);
        self.cited.extend(shard.cited);
    }
}

/// A publication's content: its header line, then one standing line per subject.
fn content(number: i64, through: &str, evaluated: &Evaluated, period: i32, heads: Heads) -> String {
    let compact = &evaluated.from.village.compact;
    let mut lines = vec![header_line(
        number,
        through,
        i64::from(period),
        evaluated.from.version.id,
        heads,
    )];
    lines.extend(standing_lines(
        compact,
        &evaluated.results,
        &evaluated.registers,
    ));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn publish_inner(args: &PublishArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let by = person(&args.by)?;
    let through = date_arg(&args.through, "--through")?;
    if !(1..=90).contains(&args.days) {
        eprintln!("错误：--days 是公示的天数，写 1 到 90 之间的数（通常 5 到 7 天）");
        return Err(EXIT_USAGE);
    }
    let mut book = open(&args.village, format)?;
    let fail = |e: BookError| refuse(&e, format);
    let today = today_text()?;
    if through > today {
        return Err(fail(BookError::PublicationOrder {
            reason: format!("公示截至 {through}，在今天（{today}）之后"),
            hint: "公示的是已经发生、已经审核的记录；截至日期写今天或更早".to_string(),
        }));
    }
    let publications = book.publications().map_err(fail)?;
    if let Some(last) = publications.last()
        && through < last.through
    {
        return Err(fail(BookError::PublicationOrder {
            reason: format!(
                "第 {} 次公示已截至 {}，新的公示不能截至更早的 {through}",
                last.id, last.through
            ),
            hint: format!("写 {} 或更晚的日期", last.through),
        }));
    }
    let waiting = book
        .pending()
        .map_err(fail)?
        .into_iter()
        .filter(|r| r.day <= through)
        .count();
    if waiting > 0 {
        eprintln!(
            "说明：还有 {waiting} 条待审的记录（日期在 {through} 或以前），不在本次公示中；审核后在下一次公示"
        );
    }
    let heads = book.heads().map_err(fail)?;
    let number = publications.last().map_or(1, |p| p.id + 1);
    let (from, vargs, period) = publication_view(&book, &args.village, &through, heads, format)?;
    // Records in force now, in this period, that were not in force at the previous publication.
    let mut before: HashSet<i64> = HashSet::new();
    if let Some(last) = publications.last() {
        book.each_in_force(last.heads, "0000-00-00", &last.through, |record| {
            before.insert(record.id);
        })
        .map_err(fail)?;
    }
    let period_start = {
        let compact = &from.village.compact;
        date_of(Period::starting(period, compact.period_start).start).to_string()
    };
    let period_start = day_of(&period_start);
    let mut new_lines = vec![false; from.records.len() + 2];
    let mut new: HashSet<i64> = HashSet::new();
    for (line, (id, day)) in new_lines.iter_mut().skip(2).zip(&from.records) {
        if *day >= period_start && !before.contains(id) {
            *line = true;
            new.insert(*id);
        }
    }
    let new_lines = Arc::new(new_lines);
    let (evaluated, items) = evaluate_from(from, &vargs, None, || PageItems {
        new_lines: Arc::clone(&new_lines),
        entries: Vec::new(),
        cited: BTreeSet::new(),
    })?;
    let text = content(number, &through, &evaluated, period, heads);
    let at = now()?;
    let deadline = date_of(day_of(&today) + i32::try_from(args.days).unwrap_or(7) - 1).to_string();
    let prev_seal = publications
        .last()
        .map_or_else(|| GENESIS.to_string(), |p| p.seal.clone());
    let version_id = evaluated.from.version.id;
    let seal = book
        .change(|w| {
            if w.head("records")?.0 != heads.records || w.head("reviews")?.0 != heads.reviews {
                return Err(BookError::PublicationOrder {
                    reason: "计算公示的时候，账本里又登记或审核了记录".to_string(),
                    hint: "再运行一次 xiangyue publish（公示的内容要和封存时的账本一致）"
                        .to_string(),
                });
            }
            let (_, seal) = w.append(
                "publications",
                &[
                    Cell::from(through.as_str()),
                    Cell::Int(i64::from(period)),
                    Cell::Int(args.days),
                    Cell::from(deadline.as_str()),
                    Cell::Int(version_id),
                    Cell::Int(heads.records),
                    Cell::Int(heads.reviews),
                    Cell::from(text.as_str()),
                    Cell::from(by.as_str()),
                    Cell::from(at.as_str()),
                    Cell::from(prev_seal.as_str()),
                ],
            )?;
            Ok(seal)
        })
        .map_err(fail)?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.village.join(format!("公示-第{number}期.html")));
    let html = page_html(
        &book, &evaluated, &items, &new, number, &through, &today, &deadline, args.days, &by, &at,
        &seal, &prev_seal,
    )
    .map_err(fail)?;
    super::write_text(&output, html.as_bytes())?;
    let households = evaluated
        .results
        .kinds
        .first()
        .map_or(0, |k| k.subjects.len());
    println!(
        "已公示第 {number} 期（{} 积分，截至 {through}）：{households} 户，本期新公示记录 {} 条；异议截止 {deadline}。",
        evaluated.results.period.label(),
        new.len()
    );
    println!("封存（SHA-256）：{seal}");
    println!("公示表：{}", output.display());
    Ok(EXIT_OK)
}

#[allow(clippy::too_many_arguments, reason = "the page's parts, gathered once")]
fn page_html(
    book: &Book,
    evaluated: &Evaluated,
    items: &PageItems,
    new: &HashSet<i64>,
    number: i64,
    through: &str,
    published_on: &str,
    deadline: &str,
    days: i64,
    by: &str,
    at: &str,
    seal: &str,
    prev_seal: &str,
) -> Result<String, BookError> {
    let version = &evaluated.from.version;
    let mut sources = vec![(
        "乡约".to_string(),
        format!(
            "第 {} 版 {}（{}{}）",
            version.id,
            version.file,
            super::record::effective_words(&version.effective),
            match (&version.vote_date, version.votes) {
                (Some(date), Some((yes, no, abstain))) =>
                    format!("；{date} 表决：赞成 {yes}、反对 {no}、弃权 {abstain}"),
                _ => String::new(),
            }
        ),
        format!("SHA-256 {}", version.sha256),
    )];
    for register in book.registers()? {
        sources.push((
            if register.kind == "户籍" {
                "户籍".to_string()
            } else {
                format!("名册「{}」", register.kind)
            },
            register.file.clone(),
            format!("SHA-256 {}", register.sha256),
        ));
    }
    let heads = book
        .publications()?
        .last()
        .map(|p| p.heads)
        .unwrap_or_default();
    sources.push((
        "积分账本".to_string(),
        book.path().to_string(),
        format!(
            "记录 1–{}，审核 1–{}（本期计入 {} 条记录）",
            heads.records,
            heads.reviews,
            evaluated.from.records.len()
        ),
    ));
    let stored = evaluated.from.village.stored.as_ref();
    let new_record = |line: u64| {
        stored
            .and_then(|s| s.record_id(line))
            .filter(|id| new.contains(id))
    };
    let record_id = |line: u64| stored.and_then(|s| s.record_id(line));
    Ok(render_page(&Page {
        compact: &evaluated.from.village.compact,
        results: &evaluated.results,
        registers: &evaluated.registers,
        entries: &items.entries,
        cited: &items.cited,
        new_record: &new_record,
        record_id: &record_id,
        number,
        through,
        published_on,
        deadline,
        days,
        by,
        at,
        sources: &sources,
        seal,
        prev_seal,
        new_records: new.len(),
    }))
}

/// The `verify` options.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

pub fn verify(args: &VerifyArgs) -> u8 {
    match verify_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn verify_inner(args: &VerifyArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let book = open(&args.village, format)?;
    let fail = |e: BookError| refuse(&e, format);
    let mut findings = check_seals(&book).map_err(fail)?;
    let publications = book.publications().map_err(fail)?;
    for publication in &publications {
        findings.extend(recompute(&book, &args.village, publication, format)?);
    }
    let records = book.record_count().map_err(fail)?;
    if findings.is_empty() {
        println!(
            "核验通过：积分账本 {} 的 {records} 条记录、{} 次公示，封存都完好；每次公示的积分按账本记录重算都一致。",
            book.path(),
            publications.len()
        );
        return Ok(EXIT_OK);
    }
    let code = refuse(
        &BookError::Tampered {
            path: book.path().to_string(),
            count: findings.len(),
        },
        format,
    );
    for finding in &findings {
        eprintln!("  {}", finding.what);
    }
    Ok(code)
}

/// A publication recomputed from the records as the book holds them now.
fn recompute(
    book: &Book,
    folder: &Path,
    publication: &PublicationRow,
    format: ErrorFormat,
) -> Result<Vec<Finding>, u8> {
    let label = format!(
        "第 {} 次公示（截至 {}）",
        publication.id, publication.through
    );
    let finding = |what: String| Finding {
        table: "publications",
        id: publication.id,
        what,
    };
    let Ok((evaluated, period)) = standing(
        book,
        folder,
        &publication.through,
        publication.heads,
        None,
        format,
    ) else {
        return Ok(vec![finding(format!(
            "{label}：按账本现在的记录无法重算（上面列出了原因）"
        ))]);
    };
    let text = content(
        publication.id,
        &publication.through,
        &evaluated,
        period,
        publication.heads,
    );
    if text == publication.content {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    let published: Vec<&str> = publication.content.lines().collect();
    let now: Vec<&str> = text.lines().collect();
    if published.first() != now.first() {
        findings.push(finding(format!(
            "{label}：公示的依据与账本不符：公示为 {}，账本为 {}",
            published.first().unwrap_or(&""),
            now.first().unwrap_or(&"")
        )));
    }
    let key = |fields: &indexmap::IndexMap<String, String>| {
        fields
            .get("编号")
            .or_else(|| fields.get("户号"))
            .cloned()
            .unwrap_or_default()
    };
    let recomputed: Vec<_> = now.iter().skip(1).map(|l| standing_fields(l)).collect();
    let mut shown = 0;
    for line in published.iter().skip(1) {
        let posted = standing_fields(line);
        let id = key(&posted);
        let again = recomputed.iter().find(|f| key(f) == id);
        let differences: Vec<String> = match again {
            None => vec!["按账本记录重算时没有这一户".to_string()],
            Some(again) => posted
                .iter()
                .filter(|(k, v)| again.get(*k) != Some(*v))
                .map(|(k, v)| {
                    format!(
                        "{k} 公示为 {v}，按账本记录重算为 {}",
                        again.get(k).map_or("（无）", String::as_str)
                    )
                })
                .collect(),
        };
        if differences.is_empty() {
            continue;
        }
        shown += 1;
        if shown > 20 {
            continue;
        }
        let name = posted
            .get("户主")
            .or_else(|| posted.get("姓名"))
            .filter(|n| !n.is_empty())
            .map(|n| format!("（{n}）"))
            .unwrap_or_default();
        findings.push(finding(format!(
            "{label}：{id}{name} {}",
            differences.join("；")
        )));
    }
    if shown > 20 {
        findings.push(finding(format!(
            "{label}：另有 {} 户不符，未列出",
            shown - 20
        )));
    }
    if findings.is_empty() {
        findings.push(finding(format!(
            "{label}：公示的内容（SHA-256 {}）与按账本记录重算的（SHA-256 {}）不同",
            sha256(publication.content.as_bytes()),
            sha256(text.as_bytes())
        )));
    }
    Ok(findings)
}
