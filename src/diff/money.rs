//! The dividend (分红) under both versions, household by household: how many get more money,
//! less or the same, how much moved, the largest gains and losses, and whether the money is
//! compared at all — it is only when a version shares out a dividend and an amount was given
//! (`--pool` or the folder's 分红.txt). Part of the impact (`impact`), after both evaluations.
//!
//! With a fixed pool, points and money part ways: when most households gain points, a
//! household that gains fewer than the others gets a smaller share. The report states both.

use rust_decimal::Decimal;
use serde::Serialize;

use super::impact::HouseholdImpact;
use crate::eval::results::DividendResult;

/// Why the money is not compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotCompared {
    /// Neither version has a 分红 clause: points are not turned into money.
    NoDividend,
    /// A version shares out a pool (按 … 比例 分配) but no amount was given (no `--pool`, no
    /// 分红.txt). A version paying 每分 N 元 needs no amount.
    NoPool,
}

impl NotCompared {
    /// The reason in plain words, with what to do.
    pub fn words(self) -> &'static str {
        match self {
            NotCompared::NoDividend => "不比较各户的钱：两个版本都没有分红条款，积分不折成钱",
            NotCompared::NoPool => {
                "不比较各户的钱：没有给出分红金额（用 --pool 300000元 给出，或在数据文件夹里放一个写着金额的 分红.txt），算不出各户分到多少"
            }
        }
    }
}

/// The households' money under both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneyImpact {
    /// Whether the money is compared; when not, the counts below are 0 and the lists empty.
    pub compared: bool,
    /// Why not, when not.
    pub not_compared: Option<NotCompared>,
    /// The amount given (`--pool` or 分红.txt), in fen.
    pub given_fen: Option<i64>,
    /// The pool shared out under OLD (the amount times OLD's share), in fen; `None` when OLD
    /// has no 分红 clause or no amount was given.
    pub old_pool_fen: Option<i64>,
    /// Under NEW.
    pub new_pool_fen: Option<i64>,
    /// OLD pays 每分 N 元 (no pool): the money per point, in fen.
    pub old_per_point_fen: Option<i64>,
    /// NEW pays 每分 N 元.
    pub new_per_point_fen: Option<i64>,
    /// What OLD pays out in all, in fen (0 without a dividend).
    pub old_paid_fen: i64,
    /// What NEW pays out in all.
    pub new_paid_fen: i64,
    /// Households that get more money.
    pub gaining: usize,
    /// Less.
    pub losing: usize,
    /// The same.
    pub unchanged: usize,
    /// The sum of the gains, in fen.
    pub gained_fen: i64,
    /// The sum of the losses, in fen (negative or zero).
    pub lost_fen: i64,
    /// The largest gains (up to 5), largest first; ties in register order.
    pub largest_gains: Vec<MoneyMover>,
    /// The largest losses (up to 5), largest first.
    pub largest_losses: Vec<MoneyMover>,
    /// Households whose total points went up but whose money went down.
    pub points_up_money_down: usize,
    /// Households whose total points went down but whose money went up.
    pub points_down_money_up: usize,
}

/// A household and its change of money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoneyMover {
    /// 户号
    pub id: String,
    /// 户主, when the register has the column.
    pub name: Option<String>,
    /// NEW − OLD, in fen.
    pub delta_fen: i64,
}

/// How many movers are listed.
const MOVERS: usize = 5;

/// Whether a version's dividend shares out a pool (and so needs the amount to be given).
fn shares_a_pool(dividend: Option<&DividendResult>) -> bool {
    dividend.is_some_and(|d| d.per_point_fen.is_none())
}

/// The money of `rows` (households under both versions) with the two dividends.
pub fn money_impact(
    old: Option<&DividendResult>,
    new: Option<&DividendResult>,
    rows: &[HouseholdImpact],
) -> MoneyImpact {
    let given_fen = old
        .and_then(|d| d.given_fen)
        .or_else(|| new.and_then(|d| d.given_fen));
    let not_compared = if old.is_none() && new.is_none() {
        Some(NotCompared::NoDividend)
    } else if given_fen.is_none() && (shares_a_pool(old) || shares_a_pool(new)) {
        Some(NotCompared::NoPool)
    } else {
        None
    };
    let pools = (old.and_then(|d| d.pool_fen), new.and_then(|d| d.pool_fen));
    let per_point = (
        old.and_then(|d| d.per_point_fen),
        new.and_then(|d| d.per_point_fen),
    );
    let paid = (
        old.map_or(0, |d| d.distributed_fen),
        new.map_or(0, |d| d.distributed_fen),
    );
    if let Some(reason) = not_compared {
        return MoneyImpact {
            compared: false,
            not_compared: Some(reason),
            given_fen,
            old_pool_fen: pools.0,
            new_pool_fen: pools.1,
            old_per_point_fen: per_point.0,
            new_per_point_fen: per_point.1,
            old_paid_fen: paid.0,
            new_paid_fen: paid.1,
            gaining: 0,
            losing: 0,
            unchanged: rows.len(),
            gained_fen: 0,
            lost_fen: 0,
            largest_gains: Vec::new(),
            largest_losses: Vec::new(),
            points_up_money_down: 0,
            points_down_money_up: 0,
        };
    }
    let delta = |h: &HouseholdImpact| h.dividend_delta_fen;
    let mut gains: Vec<&HouseholdImpact> = rows.iter().filter(|h| delta(h) > 0).collect();
    gains.sort_by_key(|h| std::cmp::Reverse(delta(h)));
    let mut losses: Vec<&HouseholdImpact> = rows.iter().filter(|h| delta(h) < 0).collect();
    losses.sort_by_key(|h| delta(h));
    let mover = |h: &&HouseholdImpact| MoneyMover {
        id: h.id.clone(),
        name: h.name.clone(),
        delta_fen: delta(h),
    };
    MoneyImpact {
        compared: true,
        not_compared: None,
        given_fen,
        old_pool_fen: pools.0,
        new_pool_fen: pools.1,
        old_per_point_fen: per_point.0,
        new_per_point_fen: per_point.1,
        old_paid_fen: paid.0,
        new_paid_fen: paid.1,
        gaining: gains.len(),
        losing: losses.len(),
        unchanged: rows.len() - gains.len() - losses.len(),
        gained_fen: gains.iter().map(|h| delta(h)).sum(),
        lost_fen: losses.iter().map(|h| delta(h)).sum(),
        largest_gains: gains.iter().take(MOVERS).map(mover).collect(),
        largest_losses: losses.iter().take(MOVERS).map(mover).collect(),
        points_up_money_down: rows
            .iter()
            .filter(|h| h.delta > Decimal::ZERO && delta(h) < 0)
            .count(),
        points_down_money_up: rows
            .iter()
            .filter(|h| h.delta < Decimal::ZERO && delta(h) > 0)
            .count(),
    }
}
