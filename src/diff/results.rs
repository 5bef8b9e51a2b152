//! The result rules a clause holds compared: ratings (thresholds, bands), ranks and the
//! dividend.

use rust_decimal::Decimal;

use super::{Change, Direction};
use crate::model::describe::{self, number};
use crate::model::{ClauseId, Compact};

/// Ratings, ranks and the dividend held by a clause.
pub(super) fn compare_results(
    old: &Compact,
    new: &Compact,
    o: ClauseId,
    n: ClauseId,
) -> Vec<Change> {
    let mut out = Vec::new();
    let account = |c: &Compact, a: usize| c.accounts.get(a).map(|a| a.name.clone());
    let old_ratings: Vec<_> = old.ratings.iter().filter(|r| r.clause == o).collect();
    let new_ratings: Vec<_> = new.ratings.iter().filter(|r| r.clause == n).collect();
    for (i, nr) in new_ratings.iter().enumerate() {
        let or = old_ratings
            .iter()
            .find(|r| r.name == nr.name)
            .or_else(|| old_ratings.get(i));
        let Some(or) = or else {
            out.push(Change::new(
                format!("新增评定「{}」", nr.name),
                Direction::Unclear,
            ));
            continue;
        };
        if or.name != nr.name {
            out.push(Change::neutral(format!(
                "评定名称由「{}」改为「{}」",
                or.name, nr.name
            )));
        }
        if account(old, or.account) != account(new, nr.account) {
            out.push(Change::new(
                format!(
                    "评定「{}」所按账户由「{}」改为「{}」",
                    nr.name,
                    account(old, or.account).unwrap_or_default(),
                    account(new, nr.account).unwrap_or_default()
                ),
                Direction::Unclear,
            ));
        }
        let limit = |r: &crate::model::Rating| {
            r.limit
                .as_ref()
                .map_or("所有对象".to_string(), describe::condition)
        };
        if limit(or) != limit(nr) {
            out.push(Change::new(
                format!("评定「{}」的范围由{}改为{}", nr.name, limit(or), limit(nr)),
                Direction::Unclear,
            ));
        }
        let bound = |inclusive: bool, t: Decimal| {
            format!(
                "{} {} 分",
                if inclusive { "不低于" } else { "高于" },
                number(t)
            )
        };
        for (i, row) in nr.rows.iter().enumerate() {
            match same_row(&or.rows, &nr.rows, i) {
                Some(old_row)
                    if old_row.threshold != row.threshold || old_row.inclusive != row.inclusive =>
                {
                    let easier = row.threshold < old_row.threshold
                        || (row.threshold == old_row.threshold && row.inclusive);
                    out.push(Change::new(
                        format!(
                            "「{}」由{}改为{}",
                            row.label,
                            bound(old_row.inclusive, old_row.threshold),
                            bound(row.inclusive, row.threshold)
                        ),
                        Direction::from_more(easier),
                    ));
                }
                Some(_) => {}
                None => out.push(Change::new(
                    format!(
                        "新增等次：{}为「{}」",
                        bound(row.inclusive, row.threshold),
                        row.label
                    ),
                    Direction::Unclear,
                )),
            }
        }
        for (i, row) in or.rows.iter().enumerate() {
            if same_row(&nr.rows, &or.rows, i).is_none() {
                out.push(Change::new(
                    format!("删去等次「{}」", row.label),
                    Direction::Unclear,
                ));
            }
        }
        if or.otherwise != nr.otherwise {
            out.push(Change::neutral(format!(
                "其余等次由「{}」改为「{}」",
                or.otherwise.as_deref().unwrap_or("无"),
                nr.otherwise.as_deref().unwrap_or("无")
            )));
        }
    }
    for (i, or) in old_ratings.iter().enumerate() {
        let kept = new_ratings.iter().any(|r| r.name == or.name) || new_ratings.get(i).is_some();
        if !kept {
            out.push(Change::new(
                format!("取消评定「{}」", or.name),
                Direction::Unclear,
            ));
        }
    }
    // Ranks: compared as sentences.
    let rank_text = |c: &Compact, id: ClauseId| -> Vec<String> {
        describe::clause(c, id)
            .into_iter()
            .filter(|s| s.contains("排名"))
            .collect()
    };
    let (ort, nrt) = (rank_text(old, o), rank_text(new, n));
    if ort != nrt {
        out.push(Change::new(
            format!(
                "排名规则由“{}”改为“{}”",
                ort.join("").trim_end_matches('。'),
                nrt.join("").trim_end_matches('。')
            ),
            Direction::Unclear,
        ));
    }
    // The dividend.
    let od = old.dividend.as_ref().filter(|d| d.clause == o);
    let nd = new.dividend.as_ref().filter(|d| d.clause == n);
    match (od, nd) {
        (Some(od), Some(nd)) => {
            if od.pool_name != nd.pool_name {
                out.push(Change::new(
                    format!(
                        "分红总额的来源由「{}」改为「{}」",
                        od.pool_name.as_deref().unwrap_or("分红总额"),
                        nd.pool_name.as_deref().unwrap_or("分红总额")
                    ),
                    Direction::Unclear,
                ));
            }
            if od.percent != nd.percent {
                out.push(Change::new(
                    format!(
                        "分红比例由 {}% 改为 {}%",
                        number(od.percent),
                        number(nd.percent)
                    ),
                    Direction::from_more(nd.percent > od.percent),
                ));
            }
            // How the money is worked out (language.md 6.3): money per point, the minimum,
            // rounding, the remainder, households below zero — said as render says them.
            let how = |c: &Compact, d: &crate::model::Dividend| {
                (
                    d.per_point_fen,
                    d.min_points,
                    d.unit_fen,
                    d.rounding,
                    d.largest_remainder,
                    d.deduct_negative,
                    describe::clause(c, d.clause).join(""),
                )
            };
            let (o_how, n_how) = (how(old, od), how(new, nd));
            if o_how.0 != n_how.0
                || o_how.1 != n_how.1
                || o_how.2 != n_how.2
                || o_how.3 != n_how.3
                || o_how.4 != n_how.4
                || o_how.5 != n_how.5
            {
                out.push(Change::new(
                    format!(
                        "分红的算法由“{}”改为“{}”",
                        o_how.6.trim_end_matches('。'),
                        n_how.6.trim_end_matches('。')
                    ),
                    Direction::Unclear,
                ));
            }
            if account(old, od.account) != account(new, nd.account) {
                out.push(Change::new(
                    format!(
                        "分红所按账户由「{}」改为「{}」",
                        account(old, od.account).unwrap_or_default(),
                        account(new, nd.account).unwrap_or_default()
                    ),
                    Direction::Unclear,
                ));
            }
        }
        (None, Some(_)) => out.push(Change::new("新增分红规则", Direction::Unclear)),
        (Some(_), None) => out.push(Change::new("取消分红规则", Direction::Unclear)),
        (None, None) => {}
    }
    out
}

/// The row of `other` that row `i` of `rows` stands for: the one with the same label, the
/// k-th such when the label is written k times (rows of one rating may repeat a label).
fn same_row<'a>(
    other: &'a [crate::model::RatingRow],
    rows: &[crate::model::RatingRow],
    i: usize,
) -> Option<&'a crate::model::RatingRow> {
    let row = rows.get(i)?;
    let k = rows.iter().take(i).filter(|r| r.label == row.label).count();
    other.iter().filter(|r| r.label == row.label).nth(k)
}
