//! One subject's ledger, explained (`xiangyue explain`): every line traced to its clause — with
//! the clause's text shown as a source snippet — and to the event record it came from.

use std::fmt::Write as _;

use indexmap::IndexMap;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use rust_decimal::Decimal;
use serde::Serialize;

use super::results::{PeriodInfo, RecordRef, VetoJson, period_json, veto_json};
use super::tables::{clause_label, ledger_row, points, rating_cell};
use crate::eval::ledger::{Entry, EntryKind, date_words, entry_words_citing, line_of_log};
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

/// An earlier record a note names (已计): 「第 12 行的记录」, or in a book 「的记录 11」.
fn earlier_record(input: &ExplainInput<'_>, line: u64) -> String {
    match book_record(input, line) {
        Some(id) => format!("的记录 {id}"),
        None => line_of_log(line),
    }
}

/// 分项: per group of the subject's accounts, a line from its ledger — base, added, deducted,
/// what was not deducted because the group's floor was reached, and what is left.
fn group_lines(input: &ExplainInput<'_>) -> Vec<String> {
    use crate::eval::ledger::{Computation, Note};
    let compact = input.compact;
    // (account, group) → (base, added, deducted, not deducted, not added, left)
    let mut sums: Vec<(usize, String, [rust_decimal::Decimal; 6])> = Vec::new();
    for (id, account) in compact.accounts.iter().enumerate() {
        if account.owner == input.kind {
            for group in &account.groups {
                sums.push((id, group.name.clone(), [rust_decimal::Decimal::ZERO; 6]));
            }
        }
    }
    if sums.is_empty() {
        return Vec::new();
    }
    for entry in input.entries {
        let Some(account) = entry.account else {
            continue;
        };
        if let Computation::AccountBase {
            group: Some(group),
            points,
        } = &entry.computation
            && let Some(f) = group_slot(&mut sums, account, group)
        {
            f[0] += *points;
            f[5] = *points;
        }
        for note in &entry.notes {
            match note {
                Note::InGroup { group, after } => {
                    if let Some(f) = group_slot(&mut sums, account, group) {
                        if entry.amount.is_sign_negative() {
                            f[2] -= entry.amount;
                        } else {
                            f[1] += entry.amount;
                        }
                        f[5] = *after;
                    }
                }
                Note::GroupFloor {
                    group,
                    wanted,
                    allowed,
                    ..
                } => {
                    if let Some(f) = group_slot(&mut sums, account, group) {
                        f[3] += wanted.abs() - allowed.abs();
                    }
                }
                Note::GroupFull {
                    group,
                    wanted,
                    allowed,
                    ..
                } => {
                    if let Some(f) = group_slot(&mut sums, account, group) {
                        f[4] += wanted.abs() - allowed.abs();
                    }
                }
                _ => {}
            }
        }
    }
    sums.iter()
        .map(|(account, group, f)| {
            let name = compact
                .accounts
                .get(*account)
                .map_or("", |a| a.name.as_str());
            let mut line = format!(
                "分项 {name}「{group}」：基础分 {} 分，加 {} 分，扣 {} 分",
                points(f[0]),
                points(f[1]),
                points(f[2])
            );
            if !f[3].is_zero() {
                line.push_str(&format!("（扣完为止，未扣 {} 分）", points(f[3])));
            }
            if !f[4].is_zero() {
                line.push_str(&format!("（加满为止，未加 {} 分）", points(f[4])));
            }
            line.push_str(&format!("，余 {} 分", points(f[5])));
            line
        })
        .collect()
}

/// The figures of group `group` of `account` in [`group_lines`]'s table.
fn group_slot<'a>(
    sums: &'a mut [(usize, String, [rust_decimal::Decimal; 6])],
    account: usize,
    group: &str,
) -> Option<&'a mut [rust_decimal::Decimal; 6]> {
    sums.iter_mut()
        .find(|(a, g, _)| *a == account && g == group)
        .map(|(_, _, f)| f)
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
        let Some(rating) = compact.ratings.get(*r) else {
            continue;
        };
        // Ratings judged per quarter or month have lines of their own (window_lines).
        if rating.window.is_some() {
            continue;
        }
        let name = rating.name.clone();
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

/// A window's outcome in words: 「红榜」, 无, 不参评, 取消.
fn outcome_words(outcome: &RatingOutcome) -> String {
    match outcome {
        RatingOutcome::Label(l) => format!("「{l}」"),
        RatingOutcome::None => "不上榜".to_string(),
        RatingOutcome::NotRated => "不参评".to_string(),
        RatingOutcome::Cancelled => "取消".to_string(),
    }
}

/// Ratings judged per quarter or month (每季度 评定 …): a line per rating with each window's
/// points and outcome; then each year rating from them, with the windows that decided it.
pub fn window_lines(input: &ExplainInput<'_>) -> Vec<String> {
    let Some((kind, s)) = subject_results(input) else {
        return Vec::new();
    };
    let compact = input.compact;
    let outcome_of = |r: usize| {
        kind.ratings
            .iter()
            .position(|x| *x == r)
            .and_then(|p| s.ratings.get(p))
    };
    let mut lines = Vec::new();
    for (r, rating) in compact.ratings.iter().enumerate() {
        let Some(w) = rating.window.as_ref().filter(|w| w.group == r) else {
            continue;
        };
        if outcome_of(r).is_none() {
            continue;
        }
        let account = compact
            .accounts
            .get(rating.account)
            .map_or("", |a| a.name.as_str());
        let (count, basis) = match (w.unit, w.own) {
            (crate::syntax::ast::Every::Quarter, true) => (4, format!("本季度所得{account}")),
            (crate::syntax::ast::Every::Month, true) => (12, format!("本月所得{account}")),
            (crate::syntax::ast::Every::Quarter, false) => (4, format!("季度末{account}")),
            (crate::syntax::ast::Every::Month, false) => (12, format!("月末{account}")),
        };
        let parts: Vec<String> = (r..r + count)
            .filter_map(|id| {
                let window = compact.ratings.get(id)?;
                let name = window
                    .name
                    .strip_suffix(w.base.as_str())
                    .unwrap_or(&window.name);
                let points = s
                    .judged
                    .iter()
                    .find(|(x, _)| *x == id)
                    .map(|(_, p)| format!(" {} 分", points(*p)))
                    .unwrap_or_default();
                Some(format!("{name}{points} {}", outcome_words(outcome_of(id)?)))
            })
            .collect();
        lines.push(format!(
            "{}（{}，按{basis}）：{}",
            w.base,
            describe::clause_label(compact.clauses.get(rating.clause).map_or(0, |c| c.number)),
            parts.join(" · ")
        ));
    }
    for (r, rating) in compact.ratings.iter().enumerate() {
        if rating.series.is_empty() {
            continue;
        }
        let Some(outcome) = outcome_of(r) else {
            continue;
        };
        let clause =
            describe::clause_label(compact.clauses.get(rating.clause).map_or(0, |c| c.number));
        let mut why = Vec::new();
        for row in &rating.series {
            let names: Vec<String> = row
                .windows
                .iter()
                .filter(|w| {
                    outcome_of(**w).and_then(RatingOutcome::label) == Some(row.wanted.as_str())
                })
                .filter_map(|w| {
                    let window = compact.ratings.get(*w)?;
                    let base = window.window.as_ref().map_or("", |x| x.base.as_str());
                    Some(
                        window
                            .name
                            .strip_suffix(base)
                            .unwrap_or(&window.name)
                            .to_string(),
                    )
                })
                .collect();
            let test = match row.test {
                crate::model::SeriesTest::All if row.windows.len() == 4 => "四个季度都".to_string(),
                crate::model::SeriesTest::All => "十二个月都".to_string(),
                crate::model::SeriesTest::Run(n) => format!("连续 {n} 次"),
                crate::model::SeriesTest::Times(n) => format!("达 {n} 次"),
            };
            let hits: Vec<bool> = row
                .windows
                .iter()
                .map(|w| outcome_of(*w).and_then(RatingOutcome::label) == Some(row.wanted.as_str()))
                .collect();
            let verdict = if row.test.holds(&hits) {
                "满足"
            } else {
                "不满足"
            };
            let had = if names.is_empty() {
                "一次也没有".to_string()
            } else {
                format!("{}（{} 次）", names.join("、"), names.len())
            };
            why.push(format!(
                "「{}」要求{test}为「{}」，为「{}」的是 {had}，{verdict}",
                row.label, row.wanted, row.wanted
            ));
            if row.test.holds(&hits) {
                break;
            }
        }
        let result = match outcome {
            RatingOutcome::None => "未评上".to_string(),
            other => outcome_words(other),
        };
        lines.push(format!(
            "{}（{clause}）：{result} —— {}",
            rating.name,
            why.join("；")
        ));
    }
    lines
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
    for line in group_lines(input) {
        let _ = writeln!(out, "{line}");
    }
    let mut shown: Vec<usize> = Vec::new();
    for entry in input.entries {
        let row = ledger_row(compact, input.registers, input.events_file, entry);
        let amount = if entry.account.is_some() {
            format!("{} 分", row.amount)
        } else if entry.notes.iter().any(|n| {
            matches!(n, crate::eval::ledger::Note::InHousehold { amount, .. } if !amount.is_zero())
        }) {
            // A person's record counted in the household (the note says how much, and where).
            "计入本户".to_string()
        } else {
            "不计分".to_string()
        };
        let clause = if matches!(
            entry.computation,
            crate::eval::ledger::Computation::BalanceCarried { .. }
        ) {
            "上年余额结转".to_string()
        } else if matches!(
            entry.computation,
            crate::eval::ledger::Computation::AccountBase { .. }
        ) {
            "账户的基础分".to_string()
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
        let (_, notes) = entry_words_citing(compact, entry, &|line| earlier_record(input, line));
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
    let windows = window_lines(input);
    if !windows.is_empty() {
        out.push('\n');
        for line in &windows {
            let _ = writeln!(out, "{line}");
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
    // A person whose records count in the household: where to read what they gave.
    let households: std::collections::BTreeSet<&str> = input
        .entries
        .iter()
        .flat_map(|e| &e.notes)
        .filter_map(|n| match n {
            crate::eval::ledger::Note::InHousehold { household, .. } => Some(household.as_str()),
            _ => None,
        })
        .collect();
    for household in households {
        let _ = writeln!(
            out,
            "计入所在户「{household}」的分数见该户的说明（xiangyue explain … --household {household}）"
        );
    }
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
    /// Ratings judged per quarter or month, and year ratings from them, in words (as in the
    /// text form); absent when the compact has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<String>,
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
            let (computation, notes) =
                entry_words_citing(compact, entry, &|line| earlier_record(input, line));
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
        windows: window_lines(input),
    }
}
