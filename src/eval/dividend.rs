//! Sharing a pool of money by points, to the fen: each share is rounded down, and the fen left
//! over go one each to the largest remainders, ties broken by 户号. The shares always sum to
//! the pool exactly. Integer arithmetic throughout: every point value is scaled to an integer
//! with one factor (10 to the largest number of decimals among them, so nothing is cut), and
//! the shares are computed in `i128` — or, when a product would not fit there (points with
//! many decimals, or very large), in 256-bit integers, where it always fits.

use std::ops::{Add, Div, Mul, Rem, Sub};

use ethnum::U256;
use rust_decimal::Decimal;

/// One claimant: its id (for ties) and its points (must be positive).
pub struct Claim<'a> {
    /// 户号.
    pub id: &'a str,
    /// Points.
    pub points: Decimal,
}

/// Shares `pool_fen` among `claims` in proportion to their points. Returns the fen of each
/// claim, in order. Claims with no positive points get nothing; if no claim has points, all
/// shares are zero.
pub fn split(pool_fen: i64, claims: &[Claim<'_>]) -> Vec<i64> {
    split_with(pool_fen, claims, true)
}

/// Shares a pool as the compact says (language.md 6.3): in whole units of `unit_fen` (100 for
/// 元, 10 for 角, 1 for 分) — the pool's money below one unit is not shared —, each share
/// rounded down to the unit, and the units left over given one each to the largest
/// remainders (`largest`, 零头 按 最大余数 分配) or kept by the collective (零头 留归集体).
pub fn split_in_units(
    pool_fen: i64,
    unit_fen: i64,
    largest: bool,
    claims: &[Claim<'_>],
) -> Vec<i64> {
    let unit = unit_fen.max(1);
    split_with(pool_fen / unit, claims, largest)
        .into_iter()
        .map(|units| units.saturating_mul(unit))
        .collect()
}

fn split_with(pool_fen: i64, claims: &[Claim<'_>], largest: bool) -> Vec<i64> {
    let positive: Vec<usize> = (0..claims.len())
        .filter(|&i| claims.get(i).is_some_and(|c| c.points > Decimal::ZERO))
        .collect();
    if positive.is_empty() || pool_fen <= 0 {
        return vec![0_i64; claims.len()];
    }
    // 128 bits hold every realistic village. 256 bits hold anything: a mantissa is below
    // 2^96 and the common scale at most 10^28 (below 2^94), so a scaled value is below 2^190,
    // the total of at most 2^32 of them below 2^222, and pool × points below 2^63 · 2^190.
    split_in::<i128>(pool_fen, claims, &positive, largest)
        .or_else(|| split_in::<U256>(pool_fen, claims, &positive, largest))
        .unwrap_or_else(|| vec![0_i64; claims.len()])
}

/// An unsigned-enough integer to share in: `i128` first, [`U256`] when that overflows.
trait Wide:
    Copy
    + Ord
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Rem<Output = Self>
{
    const ZERO: Self;
    fn from_i128(value: i128) -> Option<Self>;
    fn checked_mul_by(self, other: Self) -> Option<Self>;
    fn checked_add_to(self, other: Self) -> Option<Self>;
    fn to_i64(self) -> Option<i64>;
}

/// The checked operations, the same for both integer types.
macro_rules! checked_ops {
    () => {
        fn checked_mul_by(self, other: Self) -> Option<Self> {
            self.checked_mul(other)
        }
        fn checked_add_to(self, other: Self) -> Option<Self> {
            self.checked_add(other)
        }
        fn to_i64(self) -> Option<i64> {
            i64::try_from(self).ok()
        }
    };
}

impl Wide for i128 {
    const ZERO: Self = 0;
    fn from_i128(value: i128) -> Option<Self> {
        Some(value)
    }
    checked_ops!();
}

impl Wide for U256 {
    const ZERO: Self = U256::ZERO;
    fn from_i128(value: i128) -> Option<Self> {
        u128::try_from(value).ok().map(U256::from)
    }
    checked_ops!();
}

/// The split in `T`, or `None` when some value does not fit in it.
fn split_in<T: Wide>(
    pool_fen: i64,
    claims: &[Claim<'_>],
    positive: &[usize],
    largest: bool,
) -> Option<Vec<i64>> {
    let mut shares = vec![0_i64; claims.len()];
    // One scale for all: the most decimals any point value has (at most 28).
    let scale = positive
        .iter()
        .filter_map(|&i| claims.get(i))
        .map(|c| c.points.scale())
        .max()
        .unwrap_or(0);
    let ten = T::from_i128(10)?;
    let power = |n: u32| (0..n).try_fold(T::from_i128(1)?, |p, _| p.checked_mul_by(ten));
    let mut scaled: Vec<T> = Vec::with_capacity(positive.len());
    let mut total = T::ZERO;
    for claim in positive.iter().filter_map(|&i| claims.get(i)) {
        let mantissa = T::from_i128(claim.points.mantissa())?;
        let points = mantissa.checked_mul_by(power(scale - claim.points.scale())?)?;
        total = total.checked_add_to(points)?;
        scaled.push(points);
    }
    if total <= T::ZERO {
        return Some(shares);
    }
    let pool = T::from_i128(i128::from(pool_fen))?;
    // (remainder, index), sorted in place (a city has a million).
    let mut remainders: Vec<(T, u32)> = Vec::with_capacity(positive.len());
    let mut given = T::ZERO;
    for (&index, &points) in positive.iter().zip(&scaled) {
        let exact = pool.checked_mul_by(points)?;
        let share = exact / total;
        given = given.checked_add_to(share)?;
        if let Some(slot) = shares.get_mut(index) {
            *slot = share.to_i64()?;
        }
        remainders.push((exact % total, u32::try_from(index).ok()?));
    }
    if !largest {
        return Some(shares);
    }
    // Largest remainder first; equal remainders by 户号, then in register order.
    let id = |index: u32| claims.get(index as usize).map_or("", |c| c.id);
    remainders.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| id(a.1).cmp(id(b.1)))
            .then(a.1.cmp(&b.1))
    });
    let left = usize::try_from((pool - given).to_i64()?).ok()?;
    for &(_, index) in remainders.iter().take(left) {
        if let Some(slot) = shares.get_mut(index as usize) {
            *slot += 1;
        }
    }
    Some(shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Points far beyond 128 bits once scaled (the largest decimals, and 28 decimal places):
    /// the split is still exact, proportional and sums to the pool.
    #[test]
    fn huge_points_and_many_decimals_split_exactly() {
        let max = Decimal::MAX.to_string();
        let c = claims(&[
            ("A1", max.as_str()),
            ("A2", max.as_str()),
            ("A3", "0.0000000000000000000000000001"),
        ]);
        let shares = split(1_000_001, &c);
        assert_eq!(shares.iter().sum::<i64>(), 1_000_001);
        // A1 and A2 tie on 500,000.5: the fen left over goes to A1 (户号 first).
        assert_eq!(shares, vec![500_001, 500_000, 0]);
        let c = claims(&[("A1", "0.1000000000000000000000000001"), ("A2", "0.3")]);
        let shares = split(4_000, &c);
        assert_eq!(shares, vec![1_000, 3_000]);
    }

    fn claims<'a>(list: &[(&'a str, &str)]) -> Vec<Claim<'a>> {
        list.iter()
            .map(|(id, p)| Claim {
                id,
                points: p.parse().unwrap_or_default(),
            })
            .collect()
    }

    #[test]
    fn shares_in_whole_yuan_or_jiao_with_the_remainder_shared_or_kept() {
        // 100.50 元 by 1 : 1 : 1 in 元: 100 元 shared, 33 each and the 元 left to A1 (户号);
        // the 0.50 元 below one 元 is not shared.
        let c = claims(&[("A3", "1"), ("A1", "1"), ("A2", "1")]);
        assert_eq!(
            split_in_units(10_050, 100, true, &c),
            vec![3_300, 3_400, 3_300]
        );
        // Kept by the collective: 33 元 each, 1.50 元 left.
        assert_eq!(
            split_in_units(10_050, 100, false, &c),
            vec![3_300, 3_300, 3_300]
        );
        // 角: 1005 角 → 335 each.
        assert_eq!(
            split_in_units(10_050, 10, true, &c),
            vec![3_350, 3_350, 3_350]
        );
    }

    #[test]
    fn shares_follow_points_and_sum_to_the_pool() {
        let c = claims(&[("A1", "30"), ("A2", "50"), ("A3", "20")]);
        assert_eq!(split(1_000_000, &c), vec![300_000, 500_000, 200_000]);
    }

    #[test]
    fn leftover_fen_go_to_the_largest_remainders_then_by_id() {
        // 100 fen in three equal shares: 33 each, one fen left, to the smallest 户号.
        let c = claims(&[("A3", "1"), ("A1", "1"), ("A2", "1")]);
        assert_eq!(split(100, &c), vec![33, 34, 33]);
        // 10 fen by 1 : 2: 3.33 and 6.67 → 3 and 7.
        let c = claims(&[("B", "1"), ("A", "2")]);
        assert_eq!(split(10, &c), vec![3, 7]);
    }

    #[test]
    fn fractional_points_and_no_points() {
        let c = claims(&[("A", "0.5"), ("B", "1.25"), ("C", "0"), ("D", "-3")]);
        let shares = split(700, &c);
        assert_eq!(shares.iter().sum::<i64>(), 700);
        assert_eq!(shares, vec![200, 500, 0, 0]);
        assert_eq!(split(700, &claims(&[("A", "0")])), vec![0]);
    }

    #[test]
    fn points_finer_than_twelve_decimals_still_share_the_pool() {
        // Found by fuzzing: a household whose only points were 0.00000000000000912483 got
        // nothing, and the pool was not given out at all.
        assert_eq!(
            split(1000, &claims(&[("A", "0.00000000000000912483")])),
            vec![1000]
        );
        let c = claims(&[("A", "0.00000000000001"), ("B", "0.00000000000003")]);
        assert_eq!(split(100, &c), vec![25, 75]);
    }

    #[test]
    fn a_huge_pool_and_fine_points_do_not_overflow() {
        // Found by fuzzing (docs/fuzzing.md): pool × points at twelve decimals left i128.
        for (pool, points) in [
            (
                i64::MAX,
                [("A", "123456789012345.123456789012"), ("B", "0.5")],
            ),
            (
                i64::MAX,
                [("A", "79228162514264337593543950335"), ("B", "1")],
            ),
            (
                1_000_000,
                [("A", "79228162514264337593543950335"), ("B", "0.000001")],
            ),
        ] {
            let shares = split(pool, &claims(&points));
            assert_eq!(shares.iter().sum::<i64>(), pool, "{points:?}");
            assert!(shares.iter().all(|s| *s >= 0), "{shares:?}");
            assert!(shares.first() >= shares.get(1), "{shares:?}");
        }
    }
}
