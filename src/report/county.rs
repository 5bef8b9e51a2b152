//! A county (or township) in one run: each village's summary figures, the rankings across
//! villages and townships, and the summary documents (table, CSV, JSON, HTML). The command line
//! evaluates the villages one by one and keeps only a [`VillageFigures`] of each; everything
//! here works on those. No IO.

use std::fmt::Write as _;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::html::{PRINT_STYLE, escape};
use super::tables::{Cell, Rows};
use crate::eval::{RatingOutcome, Results};
use crate::model::{Compact, HOUSEHOLD};

/// What a county keeps of one evaluated village.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageFigures {
    /// The compact's title.
    pub compact: String,
    /// The period computed (2024年度).
    pub period: String,
    /// Households in the register.
    pub households: u64,
    /// The households' points in their default account, summed (`None`: the compact has no
    /// household account).
    pub total_points: Option<Decimal>,
    /// Households given a band by the first household rating (not cancelled, not 不参评;
    /// `None`: the compact rates no households).
    pub rated: Option<u64>,
    /// Households with at least one veto that took effect.
    pub vetoed: u64,
    /// The dividend shared out, in fen (`None`: the compact has no dividend).
    pub dividend_fen: Option<i64>,
    /// Good records in the period.
    pub records: u64,
    /// Bad records left out (with `--reject-file` only; otherwise a bad record fails the
    /// village).
    pub bad_records: u64,
}

impl VillageFigures {
    /// The figures of one village's results.
    pub fn of(compact: &Compact, results: &Results) -> Self {
        let households = results.kinds.iter().find(|k| k.kind == HOUSEHOLD);
        let column = households.and_then(|k| {
            let account = compact.default_account(HOUSEHOLD)?;
            k.accounts.iter().position(|a| *a == account)
        });
        let subjects = households.map_or(&[][..], |k| k.subjects.as_slice());
        let total_points = column.map(|c| {
            subjects
                .iter()
                .filter_map(|s| s.points.get(c))
                .fold(Decimal::ZERO, |sum, p| sum.saturating_add(*p))
        });
        let rated = households.filter(|k| !k.ratings.is_empty()).map(|_| {
            subjects
                .iter()
                .filter(|s| matches!(s.ratings.first(), Some(RatingOutcome::Label(_))))
                .count() as u64
        });
        VillageFigures {
            compact: compact.title.clone(),
            period: results.period.label(),
            households: subjects.len() as u64,
            total_points,
            rated,
            vetoed: subjects.iter().filter(|s| !s.vetoes.is_empty()).count() as u64,
            dividend_fen: results.dividend.as_ref().map(|d| d.distributed_fen),
            records: results.summary.in_period,
            bad_records: results.summary.bad_records,
        }
    }

    /// Points per household, to two decimals (half away from zero).
    pub fn average(&self) -> Option<Decimal> {
        average(self.total_points?, self.households)
    }
}

/// `total / households` to two decimals, half away from zero.
fn average(total: Decimal, households: u64) -> Option<Decimal> {
    if households == 0 {
        return None;
    }
    total.checked_div(Decimal::from(households)).map(|a| {
        a.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    })
}

/// `part / whole` as a percentage to one decimal (half away from zero).
fn share(part: u64, whole: u64) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    (Decimal::from(part) * Decimal::ONE_HUNDRED)
        .checked_div(Decimal::from(whole))
        .map(|s| {
            s.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
        })
}

/// One village of the run: where it is and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageRow {
    /// Its township's key: the folder holding it, relative to the folder given (empty when it
    /// lies directly in that folder).
    pub township: String,
    /// The village's name: its folder's name.
    pub village: String,
    /// Its folder, as given on the command line joined with its place.
    pub path: String,
    /// Where its results were written, if they were.
    pub output: Option<String>,
    /// Its figures, or why it was not evaluated (the first error line printed for it).
    pub outcome: Result<VillageFigures, String>,
}

/// Whether the folder given held villages (a township) or townships (a county).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Villages directly in the folder.
    Township,
    /// Townships holding villages.
    County,
}

/// A township's figures, summed over its evaluated villages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownshipRow {
    /// Its key (see [`VillageRow::township`]).
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its villages.
    pub villages: u64,
    /// Of them, evaluated.
    pub evaluated: u64,
    /// Households of the evaluated villages.
    pub households: u64,
    /// Households of the evaluated villages that have a household account, and their points.
    pub points: Option<(u64, Decimal)>,
    /// Households of the villages that rate households, and of them rated.
    pub rated: Option<(u64, u64)>,
    /// Vetoed households.
    pub vetoed: u64,
    /// Dividends shared out, in fen (`None`: no village has a dividend).
    pub dividend_fen: Option<i64>,
    /// Rank among the townships by points per household.
    pub rank: Option<u32>,
}

impl TownshipRow {
    /// Points per household over the villages that have a household account.
    pub fn average(&self) -> Option<Decimal> {
        let (households, total) = self.points?;
        average(total, households)
    }

    /// Share of households rated, over the villages that rate households.
    pub fn rated_share(&self) -> Option<Decimal> {
        let (households, rated) = self.rated?;
        share(rated, households)
    }
}

/// A county's (or township's) run, ranked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyReport {
    /// The folder given.
    pub folder: String,
    /// Its name (the folder's own name): the township's name when villages lie directly in it.
    pub name: String,
    /// Township or county.
    pub level: Level,
    /// Time of evaluation, RFC 3339.
    pub evaluated_at: String,
    /// Time of evaluation, for people.
    pub time_words: String,
    /// Every village, in the order of their folders.
    pub villages: Vec<VillageRow>,
    /// Rank of each village (same order) among all villages, by points per household.
    pub rank: Vec<Option<u32>>,
    /// Rank of each village within its township.
    pub rank_in_township: Vec<Option<u32>>,
    /// Townships in the order of their folders.
    pub townships: Vec<TownshipRow>,
}

/// Competition ranks (1, 2, 2, 4) of `values`, highest first; `None` stays unranked.
fn ranks(values: &[Option<Decimal>]) -> Vec<Option<u32>> {
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            let above = values.iter().flatten().filter(|o| **o > v).count();
            u32::try_from(above + 1).ok()
        })
        .collect()
}

impl CountyReport {
    /// Ranks the villages and sums the townships. `villages` must be in folder order.
    pub fn new(
        folder: String,
        name: String,
        level: Level,
        evaluated_at: (String, String),
        villages: Vec<VillageRow>,
    ) -> Self {
        let averages: Vec<Option<Decimal>> = villages
            .iter()
            .map(|v| v.outcome.as_ref().ok().and_then(VillageFigures::average))
            .collect();
        let rank = ranks_sorted(&averages);
        let mut townships: Vec<TownshipRow> = Vec::new();
        for v in &villages {
            if townships.last().is_none_or(|t| t.key != v.township) {
                let town_name = v
                    .township
                    .rsplit('/')
                    .next()
                    .filter(|n| !n.is_empty())
                    .unwrap_or(&name)
                    .to_string();
                townships.push(TownshipRow {
                    key: v.township.clone(),
                    name: town_name,
                    villages: 0,
                    evaluated: 0,
                    households: 0,
                    points: None,
                    rated: None,
                    vetoed: 0,
                    dividend_fen: None,
                    rank: None,
                });
            }
            let Some(t) = townships.last_mut() else {
                continue;
            };
            t.villages += 1;
            let Ok(f) = &v.outcome else { continue };
            t.evaluated += 1;
            t.households += f.households;
            if let Some(total) = f.total_points {
                let (h, p) = t.points.unwrap_or((0, Decimal::ZERO));
                t.points = Some((h + f.households, p.saturating_add(total)));
            }
            if let Some(rated) = f.rated {
                let (h, r) = t.rated.unwrap_or((0, 0));
                t.rated = Some((h + f.households, r + rated));
            }
            t.vetoed += f.vetoed;
            if let Some(fen) = f.dividend_fen {
                t.dividend_fen = Some(t.dividend_fen.unwrap_or(0).saturating_add(fen));
            }
        }
        let town_averages: Vec<Option<Decimal>> =
            townships.iter().map(TownshipRow::average).collect();
        for (t, r) in townships.iter_mut().zip(ranks_sorted(&town_averages)) {
            t.rank = r;
        }
        let mut rank_in_township = vec![None; villages.len()];
        let mut start = 0;
        while start < villages.len() {
            let key = villages.get(start).map(|v| v.township.clone());
            let end = villages
                .iter()
                .skip(start)
                .position(|v| Some(&v.township) != key.as_ref())
                .map_or(villages.len(), |n| start + n);
            if let (Some(slice), Some(out)) = (
                averages.get(start..end),
                rank_in_township.get_mut(start..end),
            ) {
                out.copy_from_slice(&ranks_sorted(slice));
            }
            start = end.max(start + 1);
        }
        CountyReport {
            folder,
            name,
            level,
            evaluated_at: evaluated_at.0,
            time_words: evaluated_at.1,
            villages,
            rank,
            rank_in_township,
            townships,
        }
    }

    /// The part of the run of one township (its villages, keeping their county ranks).
    pub fn township(&self, key: &str) -> CountyReport {
        let keep: Vec<usize> = (0..self.villages.len())
            .filter(|i| self.villages.get(*i).is_some_and(|v| v.township == key))
            .collect();
        let pick =
            |v: &Vec<Option<u32>>| keep.iter().map(|i| v.get(*i).copied().flatten()).collect();
        let town = self.townships.iter().find(|t| t.key == key);
        CountyReport {
            folder: if key.is_empty() {
                self.folder.clone()
            } else {
                format!("{}/{key}", self.folder.trim_end_matches('/'))
            },
            name: town.map_or_else(|| self.name.clone(), |t| t.name.clone()),
            level: Level::Township,
            evaluated_at: self.evaluated_at.clone(),
            time_words: self.time_words.clone(),
            villages: keep
                .iter()
                .filter_map(|i| self.villages.get(*i).cloned())
                .collect(),
            rank: pick(&self.rank),
            rank_in_township: pick(&self.rank_in_township),
            townships: town.cloned().into_iter().collect(),
        }
    }

    /// The villages not evaluated.
    pub fn failed(&self) -> impl Iterator<Item = (&VillageRow, &str)> {
        self.villages
            .iter()
            .filter_map(|v| v.outcome.as_ref().err().map(|why| (v, why.as_str())))
    }

    /// Whether the villages' compacts differ (their points are then not alike).
    fn compacts_differ(&self) -> Option<usize> {
        let mut titles: Vec<&str> = self
            .villages
            .iter()
            .filter_map(|v| v.outcome.as_ref().ok().map(|f| f.compact.as_str()))
            .collect();
        titles.sort_unstable();
        titles.dedup();
        (titles.len() > 1).then_some(titles.len())
    }

    /// What every summary states: the counts, the time, a difference of compacts, the
    /// villages not evaluated.
    pub fn notes(&self) -> Vec<String> {
        let evaluated = self.villages.iter().filter(|v| v.outcome.is_ok()).count();
        let households: u64 = self
            .villages
            .iter()
            .filter_map(|v| v.outcome.as_ref().ok().map(|f| f.households))
            .sum();
        let mut lines = vec![format!(
            "{} · {} 个村{}，已计算 {evaluated} 个村、{households} 户",
            self.name,
            self.villages.len(),
            if self.level == Level::County {
                format!("（{} 个镇）", self.townships.len())
            } else {
                String::new()
            }
        )];
        lines.push(
            "排名按户均积分（各户默认账户的积分之和 ÷ 户数，保留两位小数）从高到低；相同的并列"
                .to_string(),
        );
        if let Some(n) = self.compacts_differ() {
            lines.push(format!(
                "注意：这些村用的乡约不同（{n} 部），积分的标准不一，户均积分的高低只能参考"
            ));
        }
        let failed: Vec<String> = self
            .failed()
            .map(|(v, why)| format!("{}（{}）：{why}", v.village, v.path))
            .collect();
        if !failed.is_empty() {
            lines.push(format!(
                "未计算的村 {} 个：{}",
                failed.len(),
                failed.join("；")
            ));
        }
        lines.push(format!("计算时间：{}", self.time_words));
        lines
    }

    /// The villages as rows: 镇, 村, figures, ranks, 状态.
    pub fn village_rows(&self) -> Rows {
        let mut header: Vec<String> = Vec::new();
        if self.level == Level::County {
            header.push("镇".to_string());
        }
        header.extend(
            [
                "村",
                "户数",
                "户均积分",
                "评定户",
                "评定率",
                "否决户",
                "分红合计（元）",
                "镇内排名",
            ]
            .map(str::to_string),
        );
        if self.level == Level::County {
            header.push("全县排名".to_string());
        }
        header.push("状态".to_string());
        let text = |s: String| Cell::Text(s);
        let dash = || Cell::Text("—".to_string());
        let count = |n: u64| Cell::Points(Decimal::from(n));
        let rank = |r: Option<u32>| r.map_or_else(dash, |r| count(u64::from(r)));
        let rows = self
            .villages
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut row = Vec::new();
                if self.level == Level::County {
                    row.push(text(self.town_name(&v.township)));
                }
                row.push(text(v.village.clone()));
                match &v.outcome {
                    Ok(f) => {
                        row.push(count(f.households));
                        row.push(f.average().map_or_else(dash, Cell::Points));
                        row.push(f.rated.map_or_else(dash, count));
                        row.push(
                            f.rated
                                .and_then(|r| share(r, f.households))
                                .map_or_else(dash, |s| text(format!("{s}%"))),
                        );
                        row.push(count(f.vetoed));
                        row.push(f.dividend_fen.map_or_else(dash, Cell::Money));
                    }
                    Err(_) => row.extend((0..6).map(|_| dash())),
                }
                row.push(rank(self.rank_in_township.get(i).copied().flatten()));
                if self.level == Level::County {
                    row.push(rank(self.rank.get(i).copied().flatten()));
                }
                row.push(text(match &v.outcome {
                    Ok(f) if f.bad_records > 0 => {
                        format!("已计算（{} 条有误的记录未计）", f.bad_records)
                    }
                    Ok(_) => "已计算".to_string(),
                    Err(_) => "未计算".to_string(),
                }));
                row
            })
            .collect();
        Rows { header, rows }
    }

    fn town_name(&self, key: &str) -> String {
        self.townships
            .iter()
            .find(|t| t.key == key)
            .map_or_else(|| self.name.clone(), |t| t.name.clone())
    }

    /// The townships as rows, in their folders' order.
    pub fn township_rows(&self) -> Rows {
        let header = [
            "镇",
            "村数",
            "已计算",
            "户数",
            "户均积分",
            "评定率",
            "否决户",
            "分红合计（元）",
            "排名",
        ]
        .map(str::to_string)
        .to_vec();
        let dash = || Cell::Text("—".to_string());
        let count = |n: u64| Cell::Points(Decimal::from(n));
        let rows = self
            .townships
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(t.name.clone()),
                    count(t.villages),
                    count(t.evaluated),
                    count(t.households),
                    t.average().map_or_else(dash, Cell::Points),
                    t.rated_share()
                        .map_or_else(dash, |s| Cell::Text(format!("{s}%"))),
                    count(t.vetoed),
                    t.dividend_fen.map_or_else(dash, Cell::Money),
                    t.rank.map_or_else(dash, |r| count(u64::from(r))),
                ]
            })
            .collect();
        Rows { header, rows }
    }

    /// The rows of `all` (every village, from [`Self::village_rows`]) in township `t`, best
    /// first: by rank in the township, unranked last, folder order among equals.
    fn villages_of_township(&self, all: &Rows, t: &TownshipRow) -> Rows {
        let mut order: Vec<usize> = (0..self.villages.len())
            .filter(|i| self.villages.get(*i).is_some_and(|v| v.township == t.key))
            .collect();
        order.sort_by_key(|i| {
            (
                self.rank_in_township
                    .get(*i)
                    .copied()
                    .flatten()
                    .unwrap_or(u32::MAX),
                *i,
            )
        });
        Rows {
            header: all.header.clone(),
            rows: order
                .iter()
                .filter_map(|i| all.rows.get(*i).cloned())
                .collect(),
        }
    }

    /// The terminal summary: per township a table of its villages, best first; then (for a
    /// county) the townships ranked; then the notes.
    pub fn render_table(&self) -> String {
        let mut out = String::new();
        let all = self.village_rows();
        for t in &self.townships {
            let rows = self.villages_of_township(&all, t);
            let _ = writeln!(
                out,
                "{}（{} 个村，已计算 {} 个）",
                t.name, t.villages, t.evaluated
            );
            out.push_str(&super::eval_output::aligned(&rows));
            out.push('\n');
        }
        if self.level == Level::County {
            out.push_str("各镇排名\n");
            let mut rows = self.township_rows();
            rows.rows.sort_by_key(|r| {
                r.last()
                    .and_then(|c| c.to_string().parse::<u32>().ok())
                    .unwrap_or(u32::MAX)
            });
            out.push_str(&super::eval_output::aligned(&rows));
            out.push('\n');
        }
        for line in self.notes() {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// The villages' CSV (folder order), with the notes after it.
    pub fn villages_csv(&self) -> String {
        super::eval_output::render_csv(&self.village_rows(), &self.notes())
    }

    /// The townships' CSV.
    pub fn townships_csv(&self) -> String {
        super::eval_output::render_csv(&self.township_rows(), &self.notes())
    }

    /// The summary as JSON (docs/json.md, section 7).
    pub fn json(&self) -> String {
        let villages: Vec<VillageJson<'_>> = self
            .villages
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let f = v.outcome.as_ref().ok();
                VillageJson {
                    township: self.town_name(&v.township),
                    village: &v.village,
                    path: &v.path,
                    evaluated: f.is_some(),
                    problem: v.outcome.as_ref().err().map(String::as_str),
                    compact: f.map(|f| f.compact.as_str()),
                    period: f.map(|f| f.period.as_str()),
                    households: f.map(|f| f.households),
                    total_points: f.and_then(|f| f.total_points).map(points_json),
                    average_points: f.and_then(VillageFigures::average).map(points_json),
                    rated: f.and_then(|f| f.rated),
                    rated_share: f
                        .and_then(|f| share(f.rated?, f.households))
                        .map(points_json),
                    vetoed: f.map(|f| f.vetoed),
                    dividend_fen: f.and_then(|f| f.dividend_fen),
                    records_in_period: f.map(|f| f.records),
                    records_invalid: f.map(|f| f.bad_records),
                    rank: self.rank.get(i).copied().flatten(),
                    rank_in_township: self.rank_in_township.get(i).copied().flatten(),
                    output: v.output.as_deref(),
                }
            })
            .collect();
        let townships: Vec<TownshipJson<'_>> = self
            .townships
            .iter()
            .map(|t| TownshipJson {
                township: &t.name,
                path: if t.key.is_empty() {
                    self.folder.clone()
                } else {
                    format!("{}/{}", self.folder.trim_end_matches('/'), t.key)
                },
                villages: t.villages,
                evaluated: t.evaluated,
                households: t.households,
                total_points: t.points.map(|(_, p)| points_json(p)),
                average_points: t.average().map(points_json),
                rated: t.rated.map(|(_, r)| r),
                rated_share: t.rated_share().map(points_json),
                vetoed: t.vetoed,
                dividend_fen: t.dividend_fen,
                rank: t.rank,
            })
            .collect();
        let not_evaluated: Vec<FailedJson<'_>> = self
            .failed()
            .map(|(v, why)| FailedJson {
                township: self.town_name(&v.township),
                village: &v.village,
                path: &v.path,
                problem: why,
            })
            .collect();
        let doc = CountyJson {
            folder: &self.folder,
            name: &self.name,
            level: match self.level {
                Level::County => "county",
                Level::Township => "township",
            },
            evaluated_at: &self.evaluated_at,
            ranked_by: "average_points",
            summary: SummaryJson {
                townships: self.townships.len() as u64,
                villages: self.villages.len() as u64,
                evaluated: self.villages.iter().filter(|v| v.outcome.is_ok()).count() as u64,
                not_evaluated: not_evaluated.len() as u64,
                households: self.townships.iter().map(|t| t.households).sum(),
                vetoed: self.townships.iter().map(|t| t.vetoed).sum(),
                dividend_fen: self
                    .townships
                    .iter()
                    .filter_map(|t| t.dividend_fen)
                    .reduce(i64::saturating_add),
            },
            townships,
            villages,
            not_evaluated,
        };
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The printable summary page: the townships ranked (for a county), then each township's
    /// villages, best first.
    pub fn render_html(&self) -> String {
        let title = format!("{}各村积分汇总", self.name);
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{0}</title>\n<style>{PRINT_STYLE}\n{SUMMARY_STYLE}</style>\n</head>\n<body>\n<h1>{0}</h1>\n<div class=\"meta\">",
            escape(&title)
        );
        for line in self.notes() {
            let _ = write!(out, "{}<br>", escape(&line));
        }
        out.push_str("</div>\n");
        if self.level == Level::County {
            out.push_str("<h2>各镇排名</h2>\n");
            let mut rows = self.township_rows();
            let ranks: Vec<u32> = self
                .townships
                .iter()
                .map(|t| t.rank.unwrap_or(u32::MAX))
                .collect();
            let mut order: Vec<usize> = (0..rows.rows.len()).collect();
            order.sort_by_key(|i| (ranks.get(*i).copied().unwrap_or(u32::MAX), *i));
            rows.rows = order
                .iter()
                .filter_map(|i| rows.rows.get(*i).cloned())
                .collect();
            html_table(&mut out, &rows);
        }
        let all = self.village_rows();
        for t in &self.townships {
            let _ = writeln!(
                out,
                "<h2>{}（{} 个村，已计算 {} 个）</h2>",
                escape(&t.name),
                t.villages,
                t.evaluated
            );
            let rows = self.villages_of_township(&all, t);
            html_table(&mut out, &rows);
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

/// Ranks of `values` as [`ranks`] gives them, in O(n log n).
fn ranks_sorted(values: &[Option<Decimal>]) -> Vec<Option<u32>> {
    if values.len() <= 64 {
        return ranks(values);
    }
    let mut sorted: Vec<Decimal> = values.iter().flatten().copied().collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            let above = sorted.partition_point(|o| *o > v);
            u32::try_from(above + 1).ok()
        })
        .collect()
}

fn points_json(p: Decimal) -> String {
    p.normalize().to_string()
}

fn html_table(out: &mut String, rows: &Rows) {
    out.push_str("<table>\n<thead><tr>");
    for cell in &rows.header {
        let _ = write!(out, "<th>{}</th>", escape(cell));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &rows.rows {
        out.push_str("<tr>");
        for cell in row {
            let class = if cell.is_figure() { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", escape(&cell.to_string()));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

const SUMMARY_STYLE: &str = r"
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #555; padding: 2px 4px; text-align: center; white-space: nowrap; }
td.n { text-align: right; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
";

#[derive(Serialize)]
struct CountyJson<'a> {
    folder: &'a str,
    name: &'a str,
    level: &'static str,
    evaluated_at: &'a str,
    ranked_by: &'static str,
    summary: SummaryJson,
    townships: Vec<TownshipJson<'a>>,
    villages: Vec<VillageJson<'a>>,
    not_evaluated: Vec<FailedJson<'a>>,
}

#[derive(Serialize)]
struct SummaryJson {
    townships: u64,
    villages: u64,
    evaluated: u64,
    not_evaluated: u64,
    households: u64,
    vetoed: u64,
    dividend_fen: Option<i64>,
}

#[derive(Serialize)]
struct TownshipJson<'a> {
    township: &'a str,
    path: String,
    villages: u64,
    evaluated: u64,
    households: u64,
    total_points: Option<String>,
    average_points: Option<String>,
    rated: Option<u64>,
    rated_share: Option<String>,
    vetoed: u64,
    dividend_fen: Option<i64>,
    rank: Option<u32>,
}

#[derive(Serialize)]
struct VillageJson<'a> {
    township: String,
    village: &'a str,
    path: &'a str,
    evaluated: bool,
    problem: Option<&'a str>,
    compact: Option<&'a str>,
    period: Option<&'a str>,
    households: Option<u64>,
    total_points: Option<String>,
    average_points: Option<String>,
    rated: Option<u64>,
    rated_share: Option<String>,
    vetoed: Option<u64>,
    dividend_fen: Option<i64>,
    records_in_period: Option<u64>,
    records_invalid: Option<u64>,
    rank: Option<u32>,
    rank_in_township: Option<u32>,
    output: Option<&'a str>,
}

#[derive(Serialize)]
struct FailedJson<'a> {
    township: String,
    village: &'a str,
    path: &'a str,
    problem: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranks_highest_first_ties_shared() {
        let d = |n: i64| Some(Decimal::from(n));
        let values = [d(5), None, d(9), d(5), d(1)];
        assert_eq!(
            ranks(&values),
            vec![Some(2), None, Some(1), Some(2), Some(4)]
        );
        let many: Vec<Option<Decimal>> = (0..200).map(|i| d(i % 7)).collect();
        assert_eq!(ranks_sorted(&many), ranks(&many));
    }

    #[test]
    fn averages_and_shares_round_half_away_from_zero() {
        assert_eq!(average(Decimal::from(10), 3), Some(Decimal::new(333, 2)));
        assert_eq!(average(Decimal::from(-1), 8), Some(Decimal::new(-13, 2)));
        assert_eq!(share(1, 8), Some(Decimal::new(125, 1)));
        assert_eq!(share(1, 0), None);
    }
}
