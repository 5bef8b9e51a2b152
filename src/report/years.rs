//! `eval --years 2023-2025`: each year's flow of every household account — the balance it
//! opened with (carried from the year before, 余额结转), what the year added and took away,
//! what was cleared (每年清零, a veto's 清零) and what expired (积分有效期), and the balance it
//! closed with. Each year is one evaluation (its results and ledger); this module only sorts
//! the ledger's lines into those columns.
//!
//! For every household and account: `opening + added + reduced + cleared + expired = closing`
//! (`reduced`, `cleared` and `expired` are zero or negative).

use rust_decimal::Decimal;
use serde::Serialize;

use super::results::{PeriodInfo, period_json};
use crate::eval::ledger::{Entry, EntryKind};
use crate::eval::{Period, Results};
use crate::model::{Compact, HOUSEHOLD};

/// One account's year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Flow {
    /// 年初：the balance carried in from the year before (余额结转), else 0.
    #[serde(serialize_with = "decimal")]
    pub opening: Decimal,
    /// 增加：every line above zero besides the carried balance (base points, records, rank
    /// and streak awards).
    #[serde(serialize_with = "decimal")]
    pub added: Decimal,
    /// 减少：every line below zero besides clearings and expiries (deductions, 支出 and
    /// 兑换, repairs).
    #[serde(serialize_with = "decimal")]
    pub reduced: Decimal,
    /// 清零：每年 M月D日 清零 and a veto's 清零.
    #[serde(serialize_with = "decimal")]
    pub cleared: Decimal,
    /// 过期：points of 积分有效期 that expired at the year's end.
    #[serde(serialize_with = "decimal")]
    pub expired: Decimal,
    /// 年末：the year's result.
    #[serde(serialize_with = "decimal")]
    pub closing: Decimal,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn decimal<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.normalize().to_string())
}

/// One household's year: a flow per household account, in compact order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdYear {
    /// 户号.
    pub id: String,
    /// Per account of [`YearFlows::accounts`].
    pub flows: Vec<Flow>,
}

/// One year of every household.
#[derive(Debug, Clone)]
pub struct YearFlows {
    /// The period.
    pub period: Period,
    /// As in `eval --format json`.
    pub info: PeriodInfo,
    /// The household accounts' names, in compact order.
    pub accounts: Vec<String>,
    /// In register order.
    pub households: Vec<HouseholdYear>,
}

/// Sorts one year's ledger (every entry of the period, as `explain` keeps them) into flows.
pub fn year_flows(compact: &Compact, results: &Results, entries: &[Entry]) -> YearFlows {
    let kind = results.kinds.iter().find(|k| k.kind == HOUSEHOLD);
    let account_ids: Vec<usize> = kind.map(|k| k.accounts.clone()).unwrap_or_default();
    let accounts = account_ids
        .iter()
        .filter_map(|a| compact.accounts.get(*a).map(|a| a.name.clone()))
        .collect();
    let mut households: Vec<HouseholdYear> = kind
        .map(|k| {
            k.subjects
                .iter()
                .map(|s| HouseholdYear {
                    id: s.id.clone(),
                    flows: s
                        .points
                        .iter()
                        .map(|p| Flow {
                            closing: *p,
                            ..Flow::default()
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    for entry in entries.iter().filter(|e| e.kind == HOUSEHOLD) {
        let Some(column) = entry
            .account
            .and_then(|a| account_ids.iter().position(|x| *x == a))
        else {
            continue;
        };
        let Some(flow) = households
            .get_mut(entry.subject as usize)
            .and_then(|h| h.flows.get_mut(column))
        else {
            continue;
        };
        let amount = entry.amount;
        match entry.entry_kind() {
            EntryKind::CarriedBalance => flow.opening += amount,
            EntryKind::DateClearing | EntryKind::VetoClearing => flow.cleared += amount,
            EntryKind::Expiry => flow.expired += amount,
            _ if amount < Decimal::ZERO => flow.reduced += amount,
            _ => flow.added += amount,
        }
    }
    YearFlows {
        period: results.period,
        info: period_json(results),
        accounts,
        households,
    }
}

/// The column names of the table and the CSV.
pub const COLUMNS: [&str; 9] = [
    "年度", "户号", "账户", "年初", "增加", "减少", "清零", "过期", "年末",
];

/// One row per year, household and account, for the table and the CSV.
pub fn rows(years: &[YearFlows]) -> Vec<[String; 9]> {
    let mut rows = Vec::new();
    for year in years {
        for household in &year.households {
            for (name, flow) in year.accounts.iter().zip(&household.flows) {
                let p = |d: Decimal| d.normalize().to_string();
                rows.push([
                    year.period.label(),
                    household.id.clone(),
                    name.clone(),
                    p(flow.opening),
                    p(flow.added),
                    p(flow.reduced),
                    p(flow.cleared),
                    p(flow.expired),
                    p(flow.closing),
                ]);
            }
        }
    }
    rows
}

/// The table (terminal).
pub fn render_table(compact: &Compact, years: &[YearFlows]) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(COLUMNS);
    for row in rows(years) {
        table.add_row(row);
    }
    for (index, column) in table.column_iter_mut().enumerate() {
        if index >= 3 {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    let (first, last) = (
        years.first().map_or(0, |y| y.period.year),
        years.last().map_or(0, |y| y.period.year),
    );
    format!(
        "{}　{first}—{last} 各年度积分变动（年初 + 增加 + 减少 + 清零 + 过期 = 年末）\n{table}\n",
        compact.title
    )
}

/// The CSV: a header, then [`rows`].
pub fn render_csv(years: &[YearFlows]) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record(COLUMNS);
    for row in rows(years) {
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[derive(Serialize)]
struct CompactJson<'a> {
    title: &'a str,
    version: Option<&'a str>,
}

#[derive(Serialize)]
struct YearJson<'a> {
    period: &'a PeriodInfo,
    households: Vec<HouseholdJson<'a>>,
}

#[derive(Serialize)]
struct HouseholdJson<'a> {
    id: &'a str,
    accounts: indexmap::IndexMap<&'a str, Flow>,
}

#[derive(Serialize)]
struct YearsJson<'a> {
    compact: CompactJson<'a>,
    from: i32,
    to: i32,
    years: Vec<YearJson<'a>>,
}

/// `eval --years … --format json` (see docs/json.md).
pub fn render_json(compact: &Compact, years: &[YearFlows]) -> String {
    let doc = YearsJson {
        compact: CompactJson {
            title: &compact.title,
            version: compact.version.as_deref(),
        },
        from: years.first().map_or(0, |y| y.period.year),
        to: years.last().map_or(0, |y| y.period.year),
        years: years
            .iter()
            .map(|y| YearJson {
                period: &y.info,
                households: y
                    .households
                    .iter()
                    .map(|h| HouseholdJson {
                        id: &h.id,
                        accounts: y
                            .accounts
                            .iter()
                            .map(String::as_str)
                            .zip(h.flows.iter().copied())
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
