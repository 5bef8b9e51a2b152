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
    // Scale every point value to an integer with the same factor.
    let scale = positive
        .iter()
        .filter_map(|&i| claims.get(i))
        .map(|c| c.points.normalize().scale())
        .max()
        .unwrap_or(0)
        .min(12);
    let factor = Decimal::from(10_i64.pow(scale));
    let scaled: Vec<i128> = positive
        .iter()
        .filter_map(|&i| claims.get(i))
        .map(|c| (c.points * factor).trunc().to_i128().unwrap_or(0))
        .collect();
    let total: i128 = scaled.iter().sum();
    if total <= 0 {
        return shares;
    }
    let pool = i128::from(pool_fen);
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
    fn fractional_points_and_no_points() {
        let c = claims(&[("A", "0.5"), ("B", "1.25"), ("C", "0"), ("D", "-3")]);
        let shares = split(700, &c);
        assert_eq!(shares.iter().sum::<i64>(), 700);
        assert_eq!(shares, vec![200, 500, 0, 0]);
        assert_eq!(split(700, &claims(&[("A", "0")])), vec![0]);
    }
}
