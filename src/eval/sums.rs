//! Adding, comparing and reading the sign of amounts and running sums: the same results as
//! `Decimal`'s own operators, without their general path — signs from the bits, sums and
//! comparisons of one scale (every sum of a whole-number compact, and most others) on the
//! mantissas — which is most of what crediting a record costs.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// `a + b`, exactly as `Decimal`'s `+` gives it.
pub(super) fn add(a: Decimal, b: Decimal) -> Decimal {
    if a.scale() == b.scale()
        && let Ok(sum) = Decimal::try_from_i128_with_scale(a.mantissa() + b.mantissa(), a.scale())
        && !sum.is_zero()
    {
        return sum;
    }
    a + b
}

/// Whether `amount` is above zero.
pub(super) fn positive(amount: Decimal) -> bool {
    amount.is_sign_positive() && !amount.is_zero()
}

/// Whether `amount` is below zero.
pub(super) fn negative(amount: Decimal) -> bool {
    amount.is_sign_negative() && !amount.is_zero()
}

/// How `a` compares with `b`, as `Decimal`'s `cmp` gives it.
pub(super) fn compare(a: Decimal, b: Decimal) -> Ordering {
    if a.scale() == b.scale() {
        return a.mantissa().cmp(&b.mantissa());
    }
    a.cmp(&b)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn decimal() -> impl Strategy<Value = Decimal> {
        (
            prop_oneof![Just(0i64), -1000i64..1000, any::<i64>()],
            0u32..6,
            any::<bool>(),
        )
            .prop_map(|(m, scale, big)| {
                let mantissa = if big {
                    i128::from(m) << 30
                } else {
                    i128::from(m)
                };
                Decimal::try_from_i128_with_scale(mantissa, scale).unwrap_or_default()
            })
    }

    proptest! {
        #[test]
        fn add_is_decimal_addition(a in decimal(), b in decimal()) {
            let (fast, slow) = (super::add(a, b), a + b);
            prop_assert_eq!(fast, slow);
            prop_assert_eq!(fast.scale(), slow.scale());
            prop_assert_eq!(fast.is_sign_negative(), slow.is_sign_negative());
            prop_assert_eq!(fast.to_string(), slow.to_string());
        }

        #[test]
        fn compare_is_decimal_order(a in decimal(), b in decimal()) {
            prop_assert_eq!(super::compare(a, b), a.cmp(&b));
        }
    }
}
