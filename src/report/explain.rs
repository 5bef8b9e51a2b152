//! One subject's ledger, explained (`xiangyue explain`): every line traced to its clause — with
//! the clause's text shown as a source snippet — and to the event record it came from.

use std::fmt::Write as _;

use indexmap::IndexMap;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use rust_decimal::Decimal;
use serde::Serialize;

use super::results::{PeriodInfo, RecordRef, VetoJson, period_json, veto_json};
use super::tables::{clause_label, ledger_row, points, rating_cell};
use crate::eval::ledger::{Entry, EntryKind, date_words, entry_words};
use crate::eval::{KindResults, RatingOutcome, Results, SubjectResult, VetoRecord};
use crate::model::Register;
use crate::model::value::date_of;
use crate::model::{Compact, HOUSEHOLD, KindId, describe};
use crate::syntax::{LineIndex, Span};

/// What an explanation needs besides the ledger.
pub struct ExplainInput<'a> {
    /// The compact.
    pub compact: &'a Compact,
    /// Its source text and file name (for snippets and positions).
    pub source: &'a str,
    /// The compact's file.
    pub compact_file: &'a str,
    /// The event log's file.
    pub events_file: &'a str,
    /// For records read from the village's book: each exported line's record id (see
    /// `cli::inputs::Stored`); empty for a log file.
    pub record_ids: &'a [i64],
    /// The registers.
    pub registers: &'a [Register],
    /// The results.
    pub results: &'a Results,
    /// The subject's kind and index.
    pub kind: KindId,
    /// The subject.
    pub subject: u32,
    /// The subject's ledger.
    pub entries: &'a [Entry],
}

/// A clause's source, shown the way diagnostics are.
struct ClauseSnippet<'a> {
    heading: String,
    label: String,
    span: Span,
    source: &'a NamedSource<String>,
}

impl std::fmt::Debug for ClauseSnippet<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::fmt::Display for ClauseSnippet<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for ClauseSnippet<'_> {}

impl Diagnostic for ClauseSnippet<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

fn subject_id(input: &ExplainInput<'_>) -> String {
    input
        .registers
        .get(input.kind)
        .and_then(|r| r.id(input.subject))
        .map(str::to_string)
        .unwrap_or_default()
}

/// The subject's kind's results and its own.
fn subject_results<'r>(input: &ExplainInput<'r>) -> Option<(&'r KindResults, &'r SubjectResult)> {
    let kind = input.results.kinds.iter().find(|k| k.kind == input.kind)?;
    let subject = kind.subjects.get(input.subject as usize)?;
    Some((kind, subject))
}

/// The veto behind a veto-clearing entry.
fn clearing_veto<'r>(input: &ExplainInput<'r>, entry: &Entry) -> Option<&'r VetoRecord> {
    let line = entry.veto_line()?;
    let (_, s) = subject_results(input)?;
    s.vetoes
        .iter()
        .find(|v| v.line == line && Some(v.clause) == entry.clause)
}

/// The subject's accounts, in compact order, each with the sum of its entries.
fn account_sums(input: &ExplainInput<'_>) -> IndexMap<String, Decimal> {
    let compact = input.compact;
    let mut sums: IndexMap<String, Decimal> = compact
        .accounts
        .iter()
        .filter(|a| a.owner == input.kind)
        .map(|a| (a.name.clone(), Decimal::ZERO))
        .collect();
    for entry in input.entries {
        if let Some(account) = entry.account.and_then(|a| compact.accounts.get(a)) {
            *sums.entry(account.name.clone()).or_default() += entry.amount;
        }
    }
    sums
}

/// The subject's household: a household's own 户号, a person's household (null when the
/// roster gives none).
fn household_of(input: &ExplainInput<'_>) -> Option<String> {
    let households = input.registers.get(HOUSEHOLD)?;
    if input.kind == HOUSEHOLD {
        return households.id(input.subject).map(str::to_string);
    }
    let index = input
        .registers
        .get(input.kind)?
        .households
        .get(input.subject as usize)
        .copied()
        .flatten()?;
    households.id(index).map(str::to_string)
}

/// The book's id of the record on `line` of the exported log, when read from a book.
fn book_record(input: &ExplainInput<'_>, line: u64) -> Option<i64> {
    let index = usize::try_from(line.checked_sub(2)?).ok()?;
    input.record_ids.get(index).copied()
}

/// Where a record is, in words: 「events.csv 第 18 行」 or 「积分账本.db 记录 17」.
fn record_place(input: &ExplainInput<'_>, line: u64) -> String {
    match book_record(input, line) {
        Some(id) => format!("{} 记录 {id}", input.events_file),
        None => format!("{} 第 {line} 行", input.events_file),
    }
}

/// The subject's figures in one line: points per account, ratings, eligibility, dividend.
fn figures(input: &ExplainInput<'_>) -> Vec<String> {
    let Some((kind, s)) = subject_results(input) else {
        return Vec::new();
    };
    let compact = input.compact;
    let mut parts: Vec<String> = kind
        .accounts
        .iter()
        .zip(&s.points)
        .filter_map(|(a, p)| {
            compact
                .accounts
                .get(*a)
                .map(|a| format!("{} {} 分", a.name, points(*p)))
        })
        .collect();
    for (r, outcome) in kind.ratings.iter().zip(&s.ratings) {
        let name = compact
            .ratings
            .get(*r)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        parts.push(match outcome {
            RatingOutcome::Label(l) => format!("{name}「{l}」"),
            RatingOutcome::None => format!("{name} 无"),
            RatingOutcome::NotRated => format!("{name} 不参评"),
            RatingOutcome::Cancelled => {
                format!("{name} {}", rating_cell(compact, s, *r, outcome))
            }
        });
    }
    if compact.dividend.is_some() && input.kind == crate::model::HOUSEHOLD {
        parts.push(format!("分红资格 {}", if s.eligible { "有" } else { "无" }));
        parts.push(format!("分红 {}", describe::yuan(s.dividend_fen)));
        if let Some(words) = dividend_words(input, kind, s) {
            parts.push(words);
        }
    }
    parts.extend(s.titles.iter().map(|t| format!("「{t}」")));
    parts
}

/// How the household's dividend came about, where the compact says more than 按比例分配:
/// money per point (「户积分 40 分 × 每分 2.5 元 = 100 元」), a minimum, a household below zero.
fn dividend_words(
    input: &ExplainInput<'_>,
    kind: &KindResults,
    s: &SubjectResult,
) -> Option<String> {
    let d = input.compact.dividend.as_ref()?;
    let column = kind.accounts.iter().position(|a| *a == d.account)?;
    let account = input.compact.accounts.get(d.account)?;
    let p = *s.points.get(column)?;
    if !s.eligible {
        return None;
    }
    let unit = match d.unit_fen {
        100 => Some("元"),
        10 => Some("角"),
        _ => None,
    };
    let mode = match d.rounding {
        crate::model::RoundingMode::HalfUp => "四舍五入",
        crate::model::RoundingMode::Up => "进一",
        crate::model::RoundingMode::Down => "去尾",
    };
    if p < rust_decimal::Decimal::ZERO && !(d.per_point_fen.is_some() && d.deduct_negative) {
        return Some(format!(
            "（{} {} 分，负分不参与分红）",
            account.name,
            points(p)
        ));
    }
    if let Some(min) = d.min_points
        && p > rust_decimal::Decimal::ZERO
        && p < min
    {
        return Some(format!(
            "（{} {} 分，不足 {} 分，不参与分红）",
            account.name,
            points(p),
            points(min)
        ));
    }
    let per_point = d.per_point_fen?;
    let exact = p * rust_decimal::Decimal::from(per_point) / rust_decimal::Decimal::ONE_HUNDRED;
    let rounded = match unit {
        Some(unit) => format!("，{mode}取整到{unit}"),
        None => String::new(),
    };
    Some(format!(
        "（{} {} 分 × 每分 {} = {} 元{rounded}）",
        account.name,
        points(p),
        describe::yuan(per_point),
        exact.normalize()
    ))
}

/// The explanation as text for people.
pub fn render_text(input: &ExplainInput<'_>) -> String {
    let compact = input.compact;
    let named = NamedSource::new(input.compact_file, input.source.to_string());
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_links(false)
        .with_context_lines(0);
    let kind_label = if input.kind == crate::model::HOUSEHOLD {
        "户号".to_string()
    } else {
        compact
            .kinds
            .get(input.kind)
            .map(|k| k.name.clone())
            .unwrap_or_default()
    };
    let mut out = format!(
        "{kind_label} {} · {} · {}\n{}\n",
        subject_id(input),
        compact.title,
        input.results.period.label(),
        figures(input).join(" · ")
    );
    let mut shown: Vec<usize> = Vec::new();
    for entry in input.entries {
        let row = ledger_row(compact, input.registers, input.events_file, entry);
        let amount = if entry.account.is_some() {
            format!("{} 分", row.amount)
        } else {
            "不计分".to_string()
        };
        let clause = if matches!(
            entry.computation,
            crate::eval::ledger::Computation::BalanceCarried { .. }
        ) {
            "上年余额结转".to_string()
        } else if let crate::eval::ledger::Computation::ClearedOnDate { month, day, .. } =
            entry.computation
        {
            format!("每年{month}月{day}日清零")
        } else if matches!(
            entry.computation,
            crate::eval::ledger::Computation::Expired { .. }
        ) {
            "积分过期".to_string()
        } else if row.clause.is_empty() {
            "（无条文）".to_string()
        } else {
            row.clause.clone()
        };
        let _ = write!(out, "\n{}  {amount}", row.date);
        if !row.account.is_empty() {
            let _ = write!(out, "  {}", row.account);
        }
        let _ = writeln!(out, "  {clause}");
        let (_, notes) = entry_words(compact, entry);
        let _ = writeln!(out, "    {}", row.computation);
        for note in &notes {
            let _ = writeln!(out, "    · {note}");
        }
        if let Some(line) = entry.record_line() {
            let _ = writeln!(out, "    记录：{}", record_place(input, line));
        }
        if let Some(line) = entry.veto_line() {
            let date = clearing_veto(input, entry)
                .map(|v| format!("{}，", date_words(v.day)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    起因：{}一票否决（{date}记录：{}）",
                entry
                    .clause
                    .map(|c| clause_label(compact, c))
                    .unwrap_or_default(),
                record_place(input, line)
            );
        }
        if let Some(clause_id) = entry.clause
            && !shown.contains(&clause_id)
            && let Some(clause) = compact.clauses.get(clause_id)
        {
            shown.push(clause_id);
            let label = if clause.prose.is_empty() {
                describe::clause(compact, clause_id).join("")
            } else {
                "本条".to_string()
            };
            let snippet = ClauseSnippet {
                heading: format!("{}的依据", describe::clause_label(clause.number)),
                label,
                span: clause.full_span,
                source: &named,
            };
            let mut rendered = String::new();
            let _ = handler.render_report(&mut rendered, &snippet);
            for line in rendered.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out.push_str("\n合计：");
    let totals: Vec<String> = account_sums(input)
        .iter()
        .map(|(account, total)| format!("{account} {} 分", points(*total)))
        .collect();
    out.push_str(&if totals.is_empty() {
        "无计分".to_string()
    } else {
        totals.join("，")
    });
    out.push_str("（各行相加）\n");
    out
}

/// `explain --format json`.
#[derive(Debug, Serialize)]
pub struct ExplainJson {
    /// 户号, or the person's id in their roster.
    pub subject: String,
    /// 户 for a household, the roster's name (党员 …) for a person.
    pub subject_kind: String,
    /// The subject's household: a household's own 户号; a person's household, or null when the
    /// roster gives none.
    pub household: Option<String>,
    /// The period, as in `eval`.
    pub period: PeriodInfo,
    /// The ledger.
    pub entries: Vec<EntryJson>,
    /// Every account of the subject's kind, in compact order, with the sum of its entries.
    pub totals: IndexMap<String, String>,
}

/// One ledger entry.
#[derive(Debug, Serialize)]
pub struct EntryJson {
    /// Where it comes from: base, record, streak, rank, veto_clearing.
    pub kind: EntryKind,
    /// 2024-03-05.
    pub date: String,
    /// The account the entry is on, or null when it concerns no account.
    pub track: Option<String>,
    /// 第四条, or null.
    pub clause: Option<String>,
    /// The clause's title.
    pub clause_title: Option<String>,
    /// Where the clause is written.
    pub clause_source: Option<SourceJson>,
    /// The clause's 原文.
    pub clause_text: Option<String>,
    /// The record this entry decides (kind `record` only).
    pub record: Option<RecordRef>,
    /// The record's event kind (kind `record` only).
    pub event: Option<String>,
    /// The veto that cleared the account (kind `veto_clearing` only).
    pub veto: Option<VetoJson>,
    /// Signed points credited.
    pub amount: String,
    /// How the amount was computed, in words.
    pub computation: String,
    /// Caps, exceptions, vetoes … in words.
    pub notes: Vec<String>,
}

/// A place in the compact, counted as in diagnostics (`check --error-format json`).
#[derive(Debug, Serialize)]
pub struct SourceJson {
    /// The compact file.
    pub file: String,
    /// Line, from 1.
    pub line: u32,
    /// Column in display cells, from 1 (a Han character takes two).
    pub column: u32,
    /// Column in characters, from 1.
    pub char_column: u32,
    /// Column in UTF-16 code units, from 0 (as editors' LSP counts).
    pub utf16_column: u32,
}

/// The explanation as data.
pub fn explain_json(input: &ExplainInput<'_>) -> ExplainJson {
    let compact = input.compact;
    let index = LineIndex::new(input.source);
    let entries = input
        .entries
        .iter()
        .map(|entry| {
            let clause = entry.clause.and_then(|c| compact.clauses.get(c));
            let (computation, notes) = entry_words(compact, entry);
            EntryJson {
                kind: entry.entry_kind(),
                date: date_of(entry.day).to_string(),
                track: entry
                    .account
                    .and_then(|a| compact.accounts.get(a))
                    .map(|a| a.name.clone()),
                clause: clause.map(|c| describe::clause_label(c.number)),
                clause_title: clause.and_then(|c| c.title.clone()),
                clause_source: clause.map(|c| {
                    let p = index.position(input.source, c.span.start);
                    SourceJson {
                        file: input.compact_file.to_string(),
                        line: p.line,
                        column: p.column,
                        char_column: p.char_column,
                        utf16_column: p.utf16_column,
                    }
                }),
                clause_text: clause
                    .filter(|c| !c.prose.is_empty())
                    .map(|c| c.prose.join("")),
                record: entry.record_line().map(|line| RecordRef {
                    file: input.events_file.to_string(),
                    book_record: book_record(input, line),
                    line,
                }),
                event: entry
                    .event
                    .filter(|_| entry.entry_kind() == EntryKind::Record)
                    .and_then(|e| compact.events.get(e))
                    .map(|e| e.name.clone()),
                veto: clearing_veto(input, entry).map(|v| veto_json(compact, v, input.events_file)),
                amount: describe::number(entry.amount),
                computation,
                notes,
            }
        })
        .collect();
    ExplainJson {
        subject: subject_id(input),
        subject_kind: compact
            .kinds
            .get(input.kind)
            .map(|k| k.name.clone())
            .unwrap_or_default(),
        household: household_of(input),
        period: period_json(input.results),
        entries,
        totals: account_sums(input)
            .into_iter()
            .map(|(k, v)| (k, describe::number(v)))
            .collect(),
    }
}
