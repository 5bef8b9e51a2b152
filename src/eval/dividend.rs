//! Sharing a pool of money by points, to the fen: each share is rounded down, and the fen left
//! over go one each to the largest remainders, ties broken by 户号. The shares always sum to
//! the pool exactly. Integer arithmetic throughout (points are scaled to integers first).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

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
    let mut shares = vec![0_i64; claims.len()];
    let positive: Vec<usize> = (0..claims.len())
        .filter(|&i| claims.get(i).is_some_and(|c| c.points > Decimal::ZERO))
        .collect();
    if positive.is_empty() || pool_fen <= 0 {
        return shares;
    }
    // Scale every point value to an integer with the same factor: to the finest of their
    // decimals, coarser only when pool × points would not fit in an i128 (points and a pool of
    // absurd size: the last decimals go rather than the arithmetic). Cutting at a fixed number
    // of decimals instead left points finer than it with nothing, and the pool not given out.
    let finest = positive
        .iter()
        .filter_map(|&i| claims.get(i))
        .map(|c| c.points.normalize().scale())
        .max()
        .unwrap_or(0);
    let pool = i128::from(pool_fen);
    let Some((scaled, total)) = (-28..=i64::from(finest))
        .rev()
        .find_map(|exponent| scaled_points(&positive, claims, exponent, pool))
    else {
        return shares;
    };
    if total <= 0 {
        return shares;
    }
    // (remainder, index): 32 bytes a household, sorted in place (a city has a million).
    let mut remainders: Vec<(i128, u32)> = Vec::with_capacity(positive.len());
    let mut given: i128 = 0;
    for (&index, &points) in positive.iter().zip(&scaled) {
        let exact = pool * points;
        let share = exact / total;
        given += share;
        if let Some(slot) = shares.get_mut(index) {
            *slot = i64::try_from(share).unwrap_or(i64::MAX);
        }
        remainders.push((exact % total, u32::try_from(index).unwrap_or(u32::MAX)));
    }
    // Largest remainder first; equal remainders by 户号, then in register order.
    let id = |index: u32| claims.get(index as usize).map_or("", |c| c.id);
    remainders.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| id(a.1).cmp(id(b.1)))
            .then(a.1.cmp(&b.1))
    });
    let left = usize::try_from(pool - given).unwrap_or(0);
    for &(_, index) in remainders.iter().take(left) {
        if let Some(slot) = shares.get_mut(index as usize) {
            *slot += 1;
        }
    }
    shares
}

/// The positive claims' points times 10^`exponent`, truncated to integers, and their total —
/// when the pool times the total (and so times each) fits in an i128.
fn scaled_points(
    positive: &[usize],
    claims: &[Claim<'_>],
    exponent: i64,
    pool: i128,
) -> Option<(Vec<i128>, i128)> {
    let factor = if exponent >= 0 {
        let power = 10_i128.checked_pow(u32::try_from(exponent).ok()?)?;
        Decimal::try_from_i128_with_scale(power, 0).ok()?
    } else {
        Decimal::new(1, u32::try_from(-exponent).ok()?)
    };
    let scaled = positive
        .iter()
        .filter_map(|&i| claims.get(i))
        .map(|c| c.points.checked_mul(factor)?.trunc().to_i128())
        .collect::<Option<Vec<i128>>>()?;
    let total = scaled
        .iter()
        .try_fold(0_i128, |sum, p| sum.checked_add(*p))?;
    pool.checked_mul(total)?;
    Some((scaled, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims<'a>(list: &[(&'a str, &str)]) -> Vec<Claim<'a>> {
        list.iter()
            .map(|(id, p)| Claim {
                id,
                points: p.parse().unwrap_or_default(),
            })
            .collect()
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

    #[test]
    fn fractional_points_and_no_points() {
        let c = claims(&[("A", "0.5"), ("B", "1.25"), ("C", "0"), ("D", "-3")]);
        let shares = split(700, &c);
        assert_eq!(shares.iter().sum::<i64>(), 700);
        assert_eq!(shares, vec![200, 500, 0, 0]);
        assert_eq!(split(700, &claims(&[("A", "0")])), vec![0]);
    }
}
