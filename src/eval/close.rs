//! The end of a period: streak awards, accounts zeroed by a veto, rank awards, ratings and the
//! dividend; then the results.

use std::sync::Arc;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::apply::Credit;
use super::conditions::{Context, holds};
use super::dividend::{Claim, split, split_in_units};
use super::ledger::{Computation, Entry, Note, Sink};
use super::results::{DividendResult, KindResults, RatingOutcome, Results, SubjectResult};
use super::{Evaluator, Period};
use crate::model::{HOUSEHOLD, RankPrize, RankTop, Rule, TiePolicy};

/// A rating's labels: its rows', then 其余's.
type RatingLabels = (Vec<Arc<str>>, Option<Arc<str>>);

impl<S: Sink> Evaluator<'_, S> {
    pub(super) fn close(&mut self, period: Period, pool_fen: Option<i64>) -> Results {
        self.close_local(period);
        self.close_global(period, pool_fen)
    }

    /// The period-end steps that concern each subject alone: streaks and zeroed accounts.
    pub(super) fn close_local(&mut self, period: Period) {
        self.streaks(period);
        self.zero_accounts(period.last_day());
    }

    /// The period-end steps that compare subjects: ranks, then ratings and the dividend.
    pub(super) fn close_global(&mut self, period: Period, pool_fen: Option<i64>) -> Results {
        let day = period.last_day();
        self.ranks(day);
        // The dividend is shared out from the state before the results are made, so that its
        // working vectors are gone by then: the peak memory of a city is the larger of the
        // two, not their sum.
        let shared = self.dividend(pool_fen);
        let mut kinds = self.kind_results();
        let dividend = shared.map(|(dividend, shares)| {
            if let Some(households) = kinds.iter_mut().find(|k| k.kind == HOUSEHOLD) {
                for (subject, share) in households.subjects.iter_mut().zip(shares) {
                    subject.dividend_fen = share;
                }
            }
            dividend
        });
        Results {
            period,
            kinds,
            summary: self.summary.clone(),
            dividend,
        }
    }

    /// 连续 N 年 无 …: paid when the log reaches back into the first of the N periods and none of
    /// them had a breaking record.
    fn streaks(&mut self, period: Period) {
        let compact = self.compact;
        let start = compact.period_start;
        for (kind, layout) in self.plan.layouts.clone().iter().enumerate() {
            for (local, &(clause, rule)) in layout.streaks.iter().enumerate() {
                let Some(Rule::Streak(streak)) =
                    compact.clauses.get(clause).and_then(|c| c.rules.get(rule))
                else {
                    continue;
                };
                let first_year = period.year - i32::try_from(streak.periods).unwrap_or(1) + 1;
                // The log covers a period when it has records in it or before it.
                let covered = self
                    .first_day
                    .is_some_and(|first| Period::containing(first, start).year <= first_year);
                if !covered {
                    continue;
                }
                let subjects = self.states.get(kind).map_or(0, |s| s.subjects);
                for subject in 0..u32::try_from(subjects).unwrap_or(0) {
                    if !self.owns(subject) {
                        continue;
                    }
                    let last = self
                        .states
                        .get_mut(kind)
                        .and_then(|s| s.breaking_mut(subject, local).map(|l| *l))
                        .unwrap_or(i32::MIN);
                    if last >= first_year {
                        continue;
                    }
                    let wants = self.wants_credit(clause, kind, subject);
                    self.credit(Credit {
                        kind,
                        subject,
                        day: period.last_day(),
                        clause,
                        rule: None,
                        line: None,
                        event: None,
                        amount: streak.points,
                        computation: wants.then(|| {
                            Box::new(Computation::Streak {
                                periods: streak.periods,
                                points: streak.points,
                            })
                        }),
                        notes: Vec::new(),
                    });
                }
            }
        }
    }

    /// Accounts zeroed by a veto: whatever they hold is taken away, in the ledger.
    fn zero_accounts(&mut self, day: crate::model::value::Day) {
        let compact = self.compact;
        let vetoed: Vec<((usize, u32), Vec<super::VetoRecord>)> =
            self.vetoes.iter().map(|(k, v)| (*k, v.clone())).collect();
        for ((kind, subject), records) in vetoed {
            for record in records {
                for effect in &record.effects {
                    let crate::model::VetoEffect::ZeroAccount(account) = effect else {
                        continue;
                    };
                    let local = self.plan.account_slot.get(*account).map_or(0, |(_, l)| *l);
                    let Some(state) = self.states.get_mut(kind) else {
                        continue;
                    };
                    let balance = state.balance(subject, local);
                    if balance == Decimal::ZERO {
                        continue;
                    }
                    state.credit_on(subject, local, -balance, day);
                    if self.sink.wants(kind, subject) {
                        self.sink.push(Entry {
                            kind,
                            subject,
                            day,
                            account: Some(*account),
                            clause: Some(record.clause),
                            line: Some(record.line),
                            event: None,
                            amount: -balance,
                            computation: Computation::Zeroed { balance },
                            notes: vec![Note::Vetoed {
                                effect: crate::model::describe::veto_effect(compact, effect),
                            }],
                        });
                    }
                }
            }
        }
    }

    /// 按 账户 排名: titles and points for the top of the period.
    fn ranks(&mut self, day: crate::model::value::Day) {
        let compact = self.compact;
        for rank in &compact.ranks {
            let Some(&(kind, local)) = self.plan.account_slot.get(rank.account) else {
                continue;
            };
            let Some(register) = self.register(kind) else {
                continue;
            };
            let Some(state) = self.states.get(kind) else {
                continue;
            };
            let balances: Vec<Decimal> = (0..u32::try_from(state.subjects).unwrap_or(0))
                .map(|s| state.balance(s, local))
                .collect();
            let mut order = rank_order(register, &balances);
            if rank.excludes_vetoed && !self.vetoes.is_empty() {
                // A veto lifted by 修复 leaves an empty list: that subject takes part again.
                order.retain(|(subject, _)| {
                    self.vetoes
                        .get(&(kind, *subject))
                        .is_none_or(|records| records.is_empty())
                });
            }
            // 按 属性 分别排: each value's subjects are ranked apart, in the same order.
            let groups: Vec<Vec<(u32, Decimal)>> = match rank.group {
                None => vec![order],
                Some(attribute) => {
                    let mut groups: indexmap::IndexMap<String, Vec<(u32, Decimal)>> =
                        indexmap::IndexMap::new();
                    for item in order {
                        let key = format!("{:?}", register.value(item.0, attribute));
                        groups.entry(key).or_default().push(item);
                    }
                    groups.into_values().collect()
                }
            };
            for order in &groups {
                for award in &rank.awards {
                    let places = match award.top {
                        RankTop::Count(n) => n as usize,
                        RankTop::Percent(p) => {
                            let exact = Decimal::from(order.len()) * p / Decimal::ONE_HUNDRED;
                            exact
                                .ceil()
                                .to_usize()
                                .unwrap_or(0)
                                .max(usize::from(!order.is_empty()))
                        }
                    }
                    .min(order.len());
                    if places == 0 {
                        continue;
                    }
                    let cut = order.get(places - 1).map(|x| x.1).unwrap_or_default();
                    let winners: Vec<(usize, u32)> = order
                        .iter()
                        .enumerate()
                        .take_while(|(i, (_, points))| {
                            *i < places || (rank.ties == TiePolicy::AllTied && *points == cut)
                        })
                        .map(|(i, (s, _))| (i, *s))
                        .collect();
                    // Ranks as people count them: tied subjects share the better place.
                    let mut place = 0;
                    let mut previous: Option<Decimal> = None;
                    for (i, subject) in winners {
                        let points = order.get(i).map(|x| x.1).unwrap_or_default();
                        if previous != Some(points) {
                            place = i + 1;
                            previous = Some(points);
                        }
                        match &award.prize {
                            RankPrize::Title(title) => {
                                self.titles
                                    .entry((kind, subject))
                                    .or_default()
                                    .push(title.clone());
                            }
                            RankPrize::Points { account, points } => {
                                let wants = self.sink.wants(kind, subject);
                                let target_local =
                                    self.plan.account_slot.get(*account).map_or(0, |(_, l)| *l);
                                if let Some(state) = self.states.get_mut(kind) {
                                    state.credit_on(subject, target_local, *points, day);
                                }
                                if wants {
                                    self.sink.push(Entry {
                                        kind,
                                        subject,
                                        day,
                                        account: Some(*account),
                                        clause: Some(rank.clause),
                                        line: None,
                                        event: None,
                                        amount: *points,
                                        computation: Computation::Rank {
                                            rank: place,
                                            points: *points,
                                        },
                                        notes: Vec::new(),
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Each kind's subjects with their totals, ratings, vetoes and titles.
    fn kind_results(&mut self) -> Vec<KindResults> {
        let compact = self.compact;
        // Each rating's labels (its rows', then 其余), made once and shared.
        let labels: Vec<RatingLabels> = compact
            .ratings
            .iter()
            .map(|rating| {
                let rows = rating.rows.iter().map(|row| Arc::from(row.label.as_str()));
                (rows.collect(), rating.otherwise.as_deref().map(Arc::from))
            })
            .collect();
        let mut out = Vec::new();
        for (kind, layout) in self.plan.layouts.iter().enumerate() {
            let Some(register) = self.register(kind) else {
                continue;
            };
            let Some(state) = self.states.get(kind) else {
                continue;
            };
            let ratings: Vec<usize> = compact
                .ratings
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    compact
                        .accounts
                        .get(r.account)
                        .is_some_and(|a| a.owner == kind)
                })
                .map(|(i, _)| i)
                .collect();
            // 前 N 名 rows: per rating and row, the points of the last subject in the places
            // (ties with it are in too), among the subjects rated.
            let mut cutoffs: std::collections::HashMap<
                usize,
                std::collections::HashMap<usize, Decimal>,
            > = std::collections::HashMap::new();
            for &r in &ratings {
                let Some(rating) = compact.ratings.get(r) else {
                    continue;
                };
                if rating.rows.iter().all(|row| row.top.is_none()) {
                    continue;
                }
                let group = rating.window.as_ref().map_or(r, |w| w.group);
                let mut totals: Vec<Decimal> = (0..u32::try_from(state.subjects).unwrap_or(0))
                    .filter(|&subject| {
                        let flags = state.vetoes_of(subject);
                        let cancelled = flags.ratings.contains(r) || flags.ratings.contains(group);
                        let in_class = rating.limit.as_ref().is_none_or(|limit| {
                            holds(
                                limit,
                                &Context {
                                    record: None,
                                    event_position: 0,
                                    register,
                                    subject,
                                    count: 0,
                                },
                            )
                        });
                        in_class && !cancelled
                    })
                    .map(|subject| rating_total(&self.plan, state, rating, subject))
                    // Only points above 0 take a place (本月加分前 5 名: who gained nothing
                    // is not among the first, even in a month when nobody did).
                    .filter(|total| *total > Decimal::ZERO)
                    .collect();
                totals.sort_unstable_by(|a, b| b.cmp(a));
                let mut rows = std::collections::HashMap::new();
                for (index, row) in rating.rows.iter().enumerate() {
                    let Some(top) = row.top else { continue };
                    let places = match top {
                        RankTop::Count(n) => n as usize,
                        RankTop::Percent(p) => (Decimal::from(totals.len()) * p
                            / Decimal::ONE_HUNDRED)
                            .ceil()
                            .to_usize()
                            .unwrap_or(0)
                            .max(usize::from(!totals.is_empty())),
                    }
                    .min(totals.len());
                    if let Some(last) = places.checked_sub(1).and_then(|i| totals.get(i)) {
                        rows.insert(index, *last);
                    }
                }
                cutoffs.insert(r, rows);
            }
            let group_slots: Vec<usize> = layout
                .accounts
                .iter()
                .flat_map(|&a| self.plan.group_slots.get(a).cloned().unwrap_or_default())
                .collect();
            let mut subjects = Vec::with_capacity(state.subjects);
            for subject in 0..u32::try_from(state.subjects).unwrap_or(0) {
                let points: Vec<Decimal> = (0..layout.accounts.len())
                    .map(|local| state.balance(subject, local).normalize())
                    .collect();
                let groups: Vec<Decimal> = group_slots
                    .iter()
                    .map(|&slot| {
                        state
                            .slot_value(subject, slot)
                            .unwrap_or_default()
                            .normalize()
                    })
                    .collect();
                let flags = state.vetoes_of(subject);
                let mut judged = Vec::new();
                let mut rating_outcomes: Vec<RatingOutcome> = ratings
                    .iter()
                    .map(|&r| {
                        let Some(rating) = compact.ratings.get(r) else {
                            return RatingOutcome::None;
                        };
                        // （限 类别 为 预备党员）: the others are not rated.
                        if let Some(limit) = &rating.limit
                            && !holds(
                                limit,
                                &Context {
                                    record: None,
                                    event_position: 0,
                                    register,
                                    subject,
                                    count: 0,
                                },
                            )
                        {
                            return RatingOutcome::NotRated;
                        }
                        let group = rating.window.as_ref().map_or(r, |w| w.group);
                        if flags.ratings.contains(r) || flags.ratings.contains(group) {
                            return RatingOutcome::Cancelled;
                        }
                        if !rating.series.is_empty() {
                            // Judged below, from the windows' labels.
                            return RatingOutcome::None;
                        }
                        let total = rating_total(&self.plan, state, rating, subject);
                        if rating.window.is_some() {
                            judged.push((r, total.normalize()));
                        }
                        // The first row the total reaches (前 N 名: the cut-off of the N-th).
                        let cutoff = cutoffs.get(&r);
                        let at = rating.rows.iter().enumerate().position(|(index, row)| {
                            if row.top.is_some() {
                                cutoff
                                    .and_then(|c| c.get(&index))
                                    .is_some_and(|c| total > Decimal::ZERO && total >= *c)
                            } else if row.inclusive {
                                total >= row.threshold
                            } else {
                                total > row.threshold
                            }
                        });
                        // 降为「…」: at most that grade, whatever the points (only a vetoed
                        // subject can have one: the lookup is skipped while nobody is vetoed).
                        let downgrade = if self.vetoes.is_empty() {
                            None
                        } else {
                            self.downgrade_of(kind, subject, r)
                        };
                        if let Some(grade) = downgrade {
                            let natural = at.unwrap_or(rating.rows.len());
                            if grade > natural {
                                let label = crate::model::describe::grade_name(compact, r, grade);
                                return RatingOutcome::Label(label.into());
                            }
                        }
                        let (rows, otherwise) = match labels.get(r) {
                            Some((rows, otherwise)) => (rows.as_slice(), otherwise.as_ref()),
                            None => (&[][..], None),
                        };
                        match (at.and_then(|at| rows.get(at)), otherwise) {
                            // 不上榜: a row that gives no label.
                            (Some(label), _) if label.is_empty() => RatingOutcome::None,
                            (Some(label), _) | (None, Some(label)) => {
                                RatingOutcome::Label(Arc::clone(label))
                            }
                            (None, None) => RatingOutcome::None,
                        }
                    })
                    .collect();
                // Year ratings from the windows' labels (四个季度 均为「红榜」).
                for (at, &r) in ratings.iter().enumerate() {
                    let Some(rating) = compact.ratings.get(r) else {
                        continue;
                    };
                    if rating.series.is_empty()
                        || !matches!(rating_outcomes.get(at), Some(RatingOutcome::None))
                    {
                        continue;
                    }
                    let passed = rating.series.iter().find(|row| {
                        let hits: Vec<bool> = row
                            .windows
                            .iter()
                            .map(|w| {
                                ratings
                                    .iter()
                                    .position(|x| x == w)
                                    .and_then(|p| rating_outcomes.get(p))
                                    .and_then(RatingOutcome::label)
                                    == Some(row.wanted.as_str())
                            })
                            .collect();
                        row.test.holds(&hits)
                    });
                    let outcome = match (passed, &rating.otherwise) {
                        (Some(row), _) => RatingOutcome::Label(row.label.as_str().into()),
                        (None, Some(o)) => RatingOutcome::Label(o.as_str().into()),
                        (None, None) => RatingOutcome::None,
                    };
                    if let Some(slot) = rating_outcomes.get_mut(at) {
                        *slot = outcome;
                    }
                }
                subjects.push(SubjectResult {
                    id: register.id(subject).map(str::to_string).unwrap_or_default(),
                    points,
                    ratings: rating_outcomes,
                    eligible: !flags.dividend,
                    vetoes: self
                        .vetoes
                        .get(&(kind, subject))
                        .cloned()
                        .unwrap_or_default(),
                    dividend_fen: 0,
                    judged,
                    titles: self
                        .titles
                        .get(&(kind, subject))
                        .cloned()
                        .unwrap_or_default(),
                    groups,
                });
            }
            out.push(KindResults {
                kind,
                accounts: layout.accounts.clone(),
                ratings,
                subjects,
            });
        }
        out
    }

    /// 分红: the pool shared by points among eligible households with positive points; with
    /// each household's share, in register order.
    fn dividend(&self, given_fen: Option<i64>) -> Option<(DividendResult, Vec<i64>)> {
        let compact = self.compact;
        let dividend = compact.dividend.as_ref()?;
        // The households as `kind_results` makes them: only with a register and a state.
        let layout = self.plan.layouts.get(HOUSEHOLD)?;
        let register = self.register(HOUSEHOLD)?;
        let state = self.states.get(HOUSEHOLD)?;
        let column = layout
            .accounts
            .iter()
            .position(|a| *a == dividend.account)?;
        let pool_fen = given_fen.map(|given| {
            // The pool (below 10^14 fen) times a percent written in the compact (below 10^12)
            // fits a decimal.
            Decimal::from(given)
                .checked_mul(dividend.percent)
                .map(|fen| fen / Decimal::ONE_HUNDRED)
                .and_then(|fen| fen.floor().to_i64())
                .unwrap_or(0)
        });
        // 不足 N 分 的户 不参与: below the minimum, a household shares as if it had no points
        // (负分 照扣 still takes a household's money below zero).
        let below_minimum = |points: Decimal| {
            dividend
                .min_points
                .is_some_and(|min| points > Decimal::ZERO && points < min)
        };
        let claims: Vec<Claim<'_>> = (0..u32::try_from(state.subjects).unwrap_or(0))
            .map(|subject| {
                let eligible = !state.vetoes_of(subject).dividend;
                let points = state.balance(subject, column).normalize();
                Claim {
                    id: register.id(subject).unwrap_or_default(),
                    points: if eligible && !below_minimum(points) {
                        points
                    } else {
                        Decimal::ZERO
                    },
                }
            })
            .collect();
        if let Some(per_point) = dividend.per_point_fen {
            // 按 户积分 每分 N 元 计发: each household's points × the money per point,
            // rounded to the unit as written; no pool.
            let shares: Vec<i64> = claims
                .iter()
                .map(|c| per_point_money(dividend, per_point, c.points))
                .collect();
            let total_points: Decimal = claims
                .iter()
                .zip(&shares)
                .filter(|(_, s)| **s != 0)
                .map(|(c, _)| c.points)
                .sum();
            let eligible = shares.iter().filter(|s| **s != 0).count();
            drop(claims);
            return Some((
                DividendResult {
                    given_fen: None,
                    pool_fen: None,
                    distributed_fen: shares.iter().sum(),
                    per_point_fen: Some(per_point),
                    account: dividend.account,
                    total_points,
                    eligible,
                    clause: dividend.clause,
                },
                shares,
            ));
        }
        let total_points: Decimal = claims
            .iter()
            .map(|c| c.points)
            .filter(|p| *p > Decimal::ZERO)
            .sum();
        let eligible = claims.iter().filter(|c| c.points > Decimal::ZERO).count();
        let shares = pool_fen
            .map(|pool| {
                if dividend.unit_fen == 1 && dividend.largest_remainder {
                    split(pool, &claims)
                } else {
                    split_in_units(pool, dividend.unit_fen, dividend.largest_remainder, &claims)
                }
            })
            .unwrap_or_default();
        drop(claims);
        let distributed = shares.iter().sum();
        Some((
            DividendResult {
                given_fen,
                pool_fen,
                distributed_fen: distributed,
                per_point_fen: None,
                account: dividend.account,
                total_points,
                eligible,
                clause: dividend.clause,
            },
            shares,
        ))
    }
}

/// 每分 N 元: `points` × `per_point` fen, rounded to the dividend's unit (四舍五入 unless
/// written); a household below zero gets nothing unless 负分 照扣. Money beyond what fen can
/// hold is nothing (no village has it).
fn per_point_money(dividend: &crate::model::Dividend, per_point: i64, points: Decimal) -> i64 {
    if points.is_zero() || (points < Decimal::ZERO && !dividend.deduct_negative) {
        return 0;
    }
    let unit = Decimal::from(dividend.unit_fen.max(1));
    let Some(fen) = points.checked_mul(Decimal::from(per_point)) else {
        return 0;
    };
    let strategy = match dividend.rounding {
        crate::model::RoundingMode::HalfUp => rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        crate::model::RoundingMode::Up => rust_decimal::RoundingStrategy::AwayFromZero,
        crate::model::RoundingMode::Down => rust_decimal::RoundingStrategy::ToZero,
    };
    (fen / unit)
        .round_dp_with_strategy(0, strategy)
        .checked_mul(unit)
        .and_then(|f| f.to_i64())
        .unwrap_or(0)
}

/// Subjects by balance, highest first; equal balances by id (then by place in the register,
/// for ids given twice, so the order is the one a stable sort gives). Balances are compared as
/// integers at one scale when they fit, and ids by their place in id order (the register's
/// own order when its ids are sorted, as they usually are): much cheaper than comparing
/// decimals and texts.
fn rank_order(register: &crate::model::Register, balances: &[Decimal]) -> Vec<(u32, Decimal)> {
    let count = u32::try_from(balances.len()).unwrap_or(u32::MAX);
    let sorted = register.len() >= balances.len()
        && register
            .ids()
            .zip(register.ids().skip(1))
            .all(|(a, b)| a <= b);
    let ranks: Option<Vec<u32>> = (!sorted).then(|| {
        let mut by_id: Vec<u32> = (0..count).collect();
        by_id.sort_unstable_by(|&a, &b| register.id(a).cmp(&register.id(b)).then(a.cmp(&b)));
        let mut ranks = vec![0; by_id.len()];
        for (rank, subject) in (0u32..).zip(by_id) {
            if let Some(slot) = ranks.get_mut(subject as usize) {
                *slot = rank;
            }
        }
        ranks
    });
    let rank = |subject: u32| {
        ranks
            .as_ref()
            .and_then(|r| r.get(subject as usize).copied())
            .unwrap_or(subject)
    };
    let mut order: Vec<(u32, Decimal)> = (0u32..).zip(balances.iter().copied()).collect();
    match scaled(balances) {
        Some(keys) => {
            let mut keyed: Vec<(i128, u32, u32)> = keys
                .into_iter()
                .zip(0u32..)
                .map(|(key, subject)| (key, rank(subject), subject))
                .collect();
            keyed.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            for (slot, (_, _, subject)) in order.iter_mut().zip(keyed) {
                let balance = balances.get(subject as usize).copied().unwrap_or_default();
                *slot = (subject, balance);
            }
        }
        None => order.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(rank(a.0).cmp(&rank(b.0)))),
    }
    order
}

/// The balances as integers at their largest scale (ordered as the balances are), or `None`
/// when one does not fit.
fn scaled(balances: &[Decimal]) -> Option<Vec<i128>> {
    let scale = balances.iter().map(Decimal::scale).max().unwrap_or(0);
    balances
        .iter()
        .map(|d| {
            let factor = 10i128.checked_pow(scale.checked_sub(d.scale())?)?;
            d.mantissa().checked_mul(factor)
        })
        .collect()
}

/// The points a rating is judged on: the balance at the period's end; for one window of a
/// rating judged per quarter or month, the window's own points (本季度) or the balance at its
/// end (what came after taken off).
fn rating_total(
    plan: &super::state::Plan,
    state: &super::state::KindState,
    rating: &crate::model::Rating,
    subject: u32,
) -> Decimal {
    let local = plan.account_slot.get(rating.account).map_or(0, |(_, l)| *l);
    match &rating.window {
        None => state.balance(subject, local),
        Some(w) => {
            let (from, to) = match w.unit {
                crate::syntax::ast::Every::Quarter => (w.index * 3, w.index * 3 + 3),
                crate::syntax::ast::Every::Month => (w.index, w.index + 1),
            };
            if w.own {
                (from..to).map(|m| state.month_sum(subject, local, m)).sum()
            } else {
                let later: Decimal = (to..12).map(|m| state.month_sum(subject, local, m)).sum();
                state.balance(subject, local) - later
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Register;

    /// The cheap order is the order of a stable sort by balance (highest first), then id.
    #[test]
    fn rank_order_is_by_balance_then_id() {
        let mut register = Register::empty(HOUSEHOLD, 0, "户籍.csv");
        let mut sorted = Register::empty(HOUSEHOLD, 0, "户籍.csv");
        for id in ["B2", "A9", "C1", "A1", "B1", "A9"] {
            register.push(id, Vec::new(), 1, None);
        }
        for id in ["A1", "A2", "A2", "A3", "B1", "C1"] {
            sorted.push(id, Vec::new(), 1, None);
        }
        let cases: [&[Decimal]; 3] = [
            &[
                Decimal::new(5, 0),
                Decimal::new(50, 1),
                Decimal::new(-3, 0),
                Decimal::new(125, 1),
                Decimal::new(5, 0),
                Decimal::new(5, 0),
            ],
            // Too fine for one integer scale: compared as decimals.
            &[
                Decimal::MAX,
                Decimal::new(1, 28),
                Decimal::ZERO,
                Decimal::MIN,
                Decimal::new(1, 28),
                Decimal::MAX,
            ],
            &[Decimal::ZERO; 6],
        ];
        for balances in cases {
            for register in [&register, &sorted] {
                let mut expected: Vec<(u32, Decimal)> =
                    (0u32..).zip(balances.iter().copied()).collect();
                expected.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then_with(|| register.id(a.0).cmp(&register.id(b.0)))
                });
                assert_eq!(rank_order(register, balances), expected, "{balances:?}");
            }
        }
    }
}
