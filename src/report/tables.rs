//! Results and ledgers as rows of text, shared by the terminal table, CSV, the HTML public
//! ledger (公示表) and the workbook.

use rust_decimal::Decimal;

use crate::eval::ledger::{Entry, EntryKind, date_words, entry_words};
use crate::eval::period::PeriodCounts;
use crate::eval::{Period, RatingOutcome, Results, SubjectResult};
use crate::model::Register;
use crate::model::value::Day;
use crate::model::{ClauseId, Compact, HOUSEHOLD, KindId, RatingId, describe};
use crate::report::provenance::Provenance;

/// A table: a header row and data rows.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<Cell>>,
}

/// One cell of a results table: text, points or money. Tables, CSV and HTML print it as
/// [`Display`](std::fmt::Display) writes it; the workbook writes points and money as numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text (户号, 户主, a rating's band, remarks).
    Text(String),
    /// Points, shown as [`points`] shows them.
    Points(Decimal),
    /// Money in fen, shown in 元 with its fen: 365.90.
    Money(i64),
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Text(text) => f.write_str(text),
            Cell::Points(p) => f.write_str(&points(*p)),
            // Money always shows its fen: 365.90, not 365.9.
            Cell::Money(fen) => write!(f, "{}", Decimal::new(*fen, 2)),
        }
    }
}

impl Cell {
    /// Whether it is a figure (points or money), aligned right in a table.
    pub fn is_figure(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// One roster's table: its kind, its name (党员) and a row per person, in register order.
#[derive(Debug, Clone)]
pub struct RosterRows {
    /// The roster's kind.
    pub kind: KindId,
    /// Its name.
    pub name: String,
    /// 编号, 姓名, 户号, points per account, ratings, remarks.
    pub rows: Rows,
}

/// Points as people write them: 12, 12.5, −3; more than two decimals are rounded half away
/// from zero to two (42.666… → 42.67, see [`describe::shown_points`]). JSON keeps the exact value.
pub fn points(p: Decimal) -> String {
    describe::shown_points(p)
}

/// The names of a kind's figure columns: each account, then each rating.
pub fn figure_columns(compact: &Compact, kind: &crate::eval::KindResults) -> Vec<String> {
    kind.accounts
        .iter()
        .filter_map(|a| compact.accounts.get(*a).map(|a| a.name.clone()))
        .chain(
            kind.ratings
                .iter()
                .filter_map(|r| compact.ratings.get(*r).map(|r| r.name.clone())),
        )
        .collect()
}

/// 第N条 of a clause, or "" when there is no such clause.
pub fn clause_label(compact: &Compact, clause: ClauseId) -> String {
    compact
        .clauses
        .get(clause)
        .map(|c| describe::clause_label(c.number))
        .unwrap_or_default()
}

/// A rating's outcome in a table cell: the band's name; 「—」 when no band matched; when a veto
/// cancelled it, 「已取消（第N条）」 with the clause whose veto cancelled it.
pub fn rating_cell(
    compact: &Compact,
    subject: &SubjectResult,
    rating: RatingId,
    outcome: &RatingOutcome,
) -> String {
    match outcome {
        RatingOutcome::Label(l) => l.to_string(),
        RatingOutcome::None => "—".to_string(),
        RatingOutcome::NotRated => "不参评".to_string(),
        RatingOutcome::Cancelled => match subject.cancelled_by(rating) {
            Some(clause) => format!("已取消（{}）", clause_label(compact, clause)),
            None => "已取消".to_string(),
        },
    }
}

/// The names column of a kind's subjects (户主 of households, 姓名 of persons), or `None` when
/// the register has none: a register without names gets no empty column.
fn names(register: Option<&Register>, count: usize) -> Option<Vec<Option<&str>>> {
    let register = register?;
    let names: Vec<Option<&str>> = (0..count)
        .map(|i| u32::try_from(i).ok().and_then(|s| register.name(s)))
        .collect();
    names.iter().any(Option::is_some).then_some(names)
}

/// Remarks of a subject: vetoes (第N条一票否决) and titles (「积分之星」).
fn remarks(compact: &Compact, s: &SubjectResult) -> Cell {
    let mut remarks: Vec<String> = s
        .vetoes
        .iter()
        .map(|v| format!("{}一票否决", clause_label(compact, v.clause)))
        .collect();
    remarks.dedup();
    remarks.extend(s.titles.iter().map(|t| format!("「{t}」")));
    Cell::Text(remarks.join("；"))
}

/// One row per household: 户号, 户主 (when the register has it), points per account, ratings,
/// 分红资格, 分红, remarks.
pub fn household_rows(compact: &Compact, results: &Results, registers: &[Register]) -> Rows {
    let Some(households) = results.kinds.iter().find(|k| k.kind == HOUSEHOLD) else {
        return Rows::default();
    };
    let names = names(registers.get(HOUSEHOLD), households.subjects.len());
    let mut header = vec!["户号".to_string()];
    if names.is_some() {
        header.push("户主".to_string());
    }
    header.extend(
        households
            .accounts
            .iter()
            .filter_map(|a| compact.accounts.get(*a).map(|a| a.name.clone())),
    );
    // 分项: a column per group, after the accounts.
    header.extend(
        households
            .accounts
            .iter()
            .filter_map(|a| compact.accounts.get(*a))
            .flat_map(|a| a.groups.iter().map(|g| format!("{}「{}」", a.name, g.name))),
    );
    header.extend(
        households
            .ratings
            .iter()
            .filter_map(|r| compact.ratings.get(*r).map(|r| r.name.clone())),
    );
    let has_dividend = compact.dividend.is_some();
    if has_dividend {
        header.push("分红资格".to_string());
        header.push("分红（元）".to_string());
    }
    header.push("说明".to_string());
    let rows = households
        .subjects
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut row = vec![Cell::Text(s.id.clone())];
            if let Some(names) = &names {
                let name = names.get(i).copied().flatten().unwrap_or_default();
                row.push(Cell::Text(name.to_string()));
            }
            row.extend(s.points.iter().map(|p| Cell::Points(*p)));
            row.extend(s.groups.iter().map(|p| Cell::Points(*p)));
            row.extend(
                households
                    .ratings
                    .iter()
                    .zip(&s.ratings)
                    .map(|(r, o)| Cell::Text(rating_cell(compact, s, *r, o))),
            );
            if has_dividend {
                row.push(Cell::Text(if s.eligible { "有" } else { "无" }.to_string()));
                row.push(Cell::Money(s.dividend_fen));
            }
            row.push(remarks(compact, s));
            row
        })
        .collect();
    Rows { header, rows }
}

/// One table per roster (名册) that has accounts and members: a row per person with 编号,
/// 姓名 and 户号 (when the roster has them), points per account, ratings, remarks — the results
/// of compacts whose subjects are persons (党员积分, 信用积分 of residents).
pub fn member_rows(
    compact: &Compact,
    results: &Results,
    registers: &[Register],
) -> Vec<RosterRows> {
    let mut out = Vec::new();
    let household_ids = registers.get(HOUSEHOLD);
    for kind in results.kinds.iter().filter(|k| k.kind != HOUSEHOLD) {
        if kind.accounts.is_empty() || kind.subjects.is_empty() {
            continue;
        }
        let name = compact
            .kinds
            .get(kind.kind)
            .map(|k| k.name.clone())
            .unwrap_or_default();
        let register = registers.get(kind.kind);
        let names = names(register, kind.subjects.len());
        let households: Vec<Option<&str>> = (0..kind.subjects.len())
            .map(|i| {
                register
                    .and_then(|r| r.households.get(i).copied().flatten())
                    .and_then(|h| household_ids.and_then(|r| r.id(h)))
            })
            .collect();
        let has_households = households.iter().any(Option::is_some);
        let mut header = vec!["编号".to_string()];
        if names.is_some() {
            header.push("姓名".to_string());
        }
        if has_households {
            header.push("户号".to_string());
        }
        header.extend(figure_columns(compact, kind));
        header.push("说明".to_string());
        let rows = kind
            .subjects
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut row = vec![Cell::Text(s.id.clone())];
                if let Some(names) = &names {
                    let name = names.get(i).copied().flatten().unwrap_or_default();
                    row.push(Cell::Text(name.to_string()));
                }
                if has_households {
                    let household = households.get(i).copied().flatten().unwrap_or_default();
                    row.push(Cell::Text(household.to_string()));
                }
                row.extend(s.points.iter().map(|p| Cell::Points(*p)));
                row.extend(
                    kind.ratings
                        .iter()
                        .zip(&s.ratings)
                        .map(|(r, o)| Cell::Text(rating_cell(compact, s, *r, o))),
                );
                row.push(remarks(compact, s));
                row
            })
            .collect();
        out.push(RosterRows {
            kind: kind.kind,
            name,
            rows: Rows { header, rows },
        });
    }
    out
}

/// Which period was computed, how it was chosen, and how many records fell in other periods:
/// 计算的年度：2024年度（记录最多的年度）；事项记录共 19720 条，其中 353 条在其他年度：…
pub fn period_words(results: &Results) -> String {
    let s = &results.summary;
    let year = results.period.year;
    let total = s.periods.total();
    let outside = total - s.periods.in_year(year).min(total);
    let mut words = format!(
        "计算的年度：{}（{}）；事项记录共 {total} 条",
        results.period.label(),
        s.chosen_by.label()
    );
    if outside == 0 {
        words.push_str("，都在这一年度");
    } else {
        words.push_str(&format!(
            "，其中 {outside} 条在其他年度：{}",
            other_periods_words(&s.periods, year)
        ));
    }
    words
}

/// 2022年度 177 条、2023年度 176 条 — the periods other than the one starting in `year`, at
/// most six, then how many more.
pub fn other_periods_words(counts: &PeriodCounts, year: i32) -> String {
    const SHOWN: usize = 6;
    let others: Vec<(Period, u64)> = counts.others(year).collect();
    let mut words: Vec<String> = others
        .iter()
        .take(SHOWN)
        .map(|(p, c)| format!("{} {c} 条", p.label()))
        .collect();
    if others.len() > SHOWN {
        words.push(format!("另有 {} 个年度", others.len() - SHOWN));
    }
    words.join("、")
}

/// What every document for people states beside its tables: the summary (the period and how
/// it was chosen, the records, the dividend), then the time of evaluation and each input file
/// with its SHA-256.
pub fn notes(compact: &Compact, results: &Results, provenance: &Provenance) -> Vec<String> {
    let mut lines = summary_words(compact, results);
    lines.extend(provenance.words());
    lines
}

/// The summary in one Chinese paragraph.
pub fn summary_words(compact: &Compact, results: &Results) -> Vec<String> {
    let s = &results.summary;
    let mut lines = vec![format!(
        "{} · {} · {} 户{}",
        compact.title,
        results.period.label(),
        s.households,
        if s.persons > 0 {
            format!("，名册 {} 人", s.persons)
        } else {
            String::new()
        }
    )];
    lines.push(period_words(results));
    // The same counts as `summary` in JSON: 本年度 = 交条文计算 + 待审或缺证明 + 驳回, and the
    // refused records are a part of those handed to the clauses.
    let refused = if s.refused > 0 {
        format!("（其中被条文拒绝 {} 条）", s.refused)
    } else {
        String::new()
    };
    let mut counts = format!(
        "本年度事项记录 {} 条：交条文计算 {} 条{refused}，待审或缺证明 {} 条，驳回 {} 条",
        s.in_period, s.scored, s.pending, s.rejected_in_review
    );
    if s.bad_records > 0 {
        counts.push_str(&format!("；有误未用 {} 条（见退回文件）", s.bad_records));
    }
    let carries = compact
        .clauses
        .iter()
        .flat_map(|c| &c.rules)
        .any(|r| matches!(r, crate::model::Rule::Event(e) if e.validity > 1));
    if s.before_period + s.after_period > 0 && carries {
        counts.push_str(&format!(
            "；其他年度 {} 条（以前年度仍在有效期内的，按有效期计入本年度）",
            s.before_period + s.after_period
        ));
    } else if s.before_period + s.after_period > 0 {
        counts.push_str(&format!(
            "；其他年度 {} 条未计入本年度",
            s.before_period + s.after_period
        ));
    }
    lines.push(counts);
    if let Some(d) = &results.dividend {
        let per_point = compact.dividend.as_ref().and_then(|d| d.per_point_fen);
        lines.push(match (d.pool_fen, per_point) {
            (_, Some(fen)) => format!(
                "分红按每分 {} 计发，{} 户参与，共 {}",
                describe::yuan(fen),
                d.eligible,
                describe::yuan(d.distributed_fen)
            ),
            (Some(pool), None) if pool > d.distributed_fen && d.eligible > 0 => format!(
                "分红总额 {}，{} 户参与，已分 {}，零头 {} 留归集体",
                describe::yuan(pool),
                d.eligible,
                describe::yuan(d.distributed_fen),
                describe::yuan(pool - d.distributed_fen)
            ),
            (Some(pool), None) => format!(
                "分红总额 {}，{} 户参与，已分 {}",
                describe::yuan(pool),
                d.eligible,
                describe::yuan(d.distributed_fen)
            ),
            (None, None) => "未给出分红金额（--pool），分红未计算".to_string(),
        });
    }
    lines
}

/// One ledger entry as a row.
pub struct LedgerRow {
    /// 户号 or person id.
    pub subject: String,
    /// The 户主 or the person's 姓名, when the register has it.
    pub name: Option<String>,
    /// Whether the subject is a household (not a roster member).
    pub household: bool,
    /// The day, for the workbook's date cells.
    pub day: Day,
    /// 2024年3月1日.
    pub date: String,
    /// 第四条 义务投工.
    pub clause: String,
    /// The account.
    pub account: String,
    /// Signed points: +4, -20.
    pub amount: String,
    /// The same points as a number.
    pub points: Decimal,
    /// How it was computed.
    pub computation: String,
    /// Notes, joined.
    pub notes: String,
    /// file:line of the record; for a veto-clearing entry, 「一票否决记录 file:line」 (the record
    /// that caused the veto).
    pub record: String,
}

/// A ledger entry in words.
pub fn ledger_row(
    compact: &Compact,
    registers: &[Register],
    events_file: &str,
    entry: &Entry,
) -> LedgerRow {
    let clause = entry
        .clause
        .and_then(|c| compact.clauses.get(c))
        .map(|c| match &c.title {
            Some(t) => format!("{} {t}", describe::clause_label(c.number)),
            None => describe::clause_label(c.number),
        })
        .unwrap_or_default();
    let event = entry
        .event
        .and_then(|e| compact.events.get(e))
        .map(|e| e.name.clone());
    let (mut computation, notes) = entry_words(compact, entry);
    if let Some(event) = event {
        computation = format!("{event}：{computation}");
    }
    let register = registers.get(entry.kind);
    LedgerRow {
        subject: register
            .and_then(|r| r.id(entry.subject))
            .map(str::to_string)
            .unwrap_or_default(),
        name: register
            .and_then(|r| r.name(entry.subject))
            .map(str::to_string),
        household: entry.kind == HOUSEHOLD,
        day: entry.day,
        date: date_words(entry.day),
        clause,
        account: entry
            .account
            .and_then(|a| compact.accounts.get(a))
            .map(|a| a.name.clone())
            .unwrap_or_default(),
        amount: if entry.amount > Decimal::ZERO {
            format!("+{}", points(entry.amount))
        } else {
            points(entry.amount)
        },
        points: entry.amount,
        computation,
        notes: notes.join("；"),
        record: match (entry.entry_kind(), entry.line) {
            (EntryKind::VetoClearing, Some(l)) => format!("一票否决记录 {events_file}:{l}"),
            (_, Some(l)) => format!("{events_file}:{l}"),
            (_, None) => String::new(),
        },
    }
}
