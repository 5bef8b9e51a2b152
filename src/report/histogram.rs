//! Histograms of the households' changes for the meeting report (`diff_html`): how many
//! households lose, stay the same, gain, and by how much — drawn as inline SVG (nothing loaded
//! from the network).
//!
//! 0 is a bar of its own, so a household that loses anything is never drawn in the 不变 bar:
//! bars below 0 hold `from ≤ v < to` (their `to` at most 0), the zero bar `v = 0`, bars above 0
//! hold `from < v ≤ to` (a value on an edge goes to the bar nearer 0, on both sides). All bars
//! but the zero bar have one width, a 1, 2 or 5 × 10ⁿ. Every bar carries its range and count
//! as `data-from`, `data-to` and `data-count` (in the unit of the values: fen for money), so a
//! reader — or a test — can check it. No IO.

use rust_decimal::Decimal;

use super::html::escape;

/// Which side of 0 a bar is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarSide {
    /// Below 0: `from ≤ v < to`.
    Loss,
    /// Exactly 0.
    Same,
    /// Above 0: `from < v ≤ to`.
    Gain,
}

/// One bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// Its lower end.
    pub from: Decimal,
    /// Its upper end.
    pub to: Decimal,
    /// Its side.
    pub side: BarSide,
    /// How many values it holds.
    pub count: usize,
}

impl Bar {
    /// Whether `v` belongs to this bar.
    pub fn holds(&self, v: Decimal) -> bool {
        match self.side {
            BarSide::Loss => self.from <= v && v < self.to,
            BarSide::Same => v.is_zero(),
            BarSide::Gain => self.from < v && v <= self.to,
        }
    }
}

/// The next width of the 1, 2, 5 × 10ⁿ series after `w` (which is one of them).
fn next_width(w: Decimal) -> Option<Decimal> {
    let mantissa = w.mantissa();
    let digits = mantissa.abs().to_string();
    let factor = match digits.trim_end_matches('0').as_bytes().first() {
        Some(b'2') => Decimal::new(25, 1),
        _ => Decimal::TWO,
    };
    w.checked_mul(factor).map(|w| w.normalize())
}

/// How many bars of width `w` cover (0, `extent`].
fn bars_for(extent: Decimal, w: Decimal) -> Option<usize> {
    use rust_decimal::prelude::ToPrimitive;
    if extent <= Decimal::ZERO {
        return Some(0);
    }
    extent.checked_div(w)?.ceil().to_usize()
}

/// The bars of `values`: the zero bar always, as many bars below 0 as the lowest value needs
/// and above 0 as the highest needs (empty ones between included, so that the scale is even),
/// of the smallest width of 1, 2, 5 × 10ⁿ, at least `min_width`, that makes at most
/// `max_bars` bars in all. Bars come from the lowest to the highest.
pub fn bars(values: &[Decimal], min_width: Decimal, max_bars: usize) -> Vec<Bar> {
    let lo = values
        .iter()
        .copied()
        .min()
        .unwrap_or_default()
        .min(Decimal::ZERO);
    let hi = values
        .iter()
        .copied()
        .max()
        .unwrap_or_default()
        .max(Decimal::ZERO);
    let mut width = if min_width > Decimal::ZERO {
        min_width.normalize()
    } else {
        Decimal::ONE
    };
    let max_bars = max_bars.max(3);
    let (mut below, mut above) = (0, 0);
    loop {
        if let (Some(b), Some(a)) = (bars_for(-lo, width), bars_for(hi, width)) {
            (below, above) = (b, a);
            if b.max(1).saturating_add(a.max(1)) < max_bars {
                break;
            }
        }
        match next_width(width) {
            Some(w) => width = w,
            // Values beyond any width Decimal holds: the outer bars take the rest.
            None => break,
        }
    }
    // At least one bar on each side; at most `max_bars` even when no width fitted.
    let (below, above) = (below.clamp(1, max_bars), above.clamp(1, max_bars));
    let mut counts_below = vec![0usize; below];
    let mut counts_above = vec![0usize; above];
    let mut zero = 0usize;
    // Bar k below 0 holds -(k+1)w ≤ v < -kw, that is k = ⌈-v/w⌉ - 1; above, k = ⌈v/w⌉ - 1.
    let index = |v: Decimal, n: usize| {
        bars_for(v, width)
            .map_or(n, |k| k.saturating_sub(1))
            .min(n.saturating_sub(1))
    };
    for v in values {
        if v.is_zero() {
            zero += 1;
        } else if *v < Decimal::ZERO {
            if let Some(c) = counts_below.get_mut(index(-*v, below)) {
                *c += 1;
            }
        } else if let Some(c) = counts_above.get_mut(index(*v, above)) {
            *c += 1;
        }
    }
    let edge = |k: usize| Decimal::from(k).checked_mul(width).unwrap_or(Decimal::MAX);
    let mut all: Vec<Bar> = counts_below
        .iter()
        .enumerate()
        .rev()
        .map(|(k, count)| Bar {
            from: if k + 1 == below {
                lo.min(-edge(k + 1))
            } else {
                -edge(k + 1)
            },
            to: -edge(k),
            side: BarSide::Loss,
            count: *count,
        })
        .collect();
    all.push(Bar {
        from: Decimal::ZERO,
        to: Decimal::ZERO,
        side: BarSide::Same,
        count: zero,
    });
    all.extend(counts_above.iter().enumerate().map(|(k, count)| Bar {
        from: edge(k),
        to: if k + 1 == above {
            hi.max(edge(k + 1))
        } else {
            edge(k + 1)
        },
        side: BarSide::Gain,
        count: *count,
    }));
    all
}

/// How a chart is labelled.
pub struct ChartLabels<'a> {
    /// `data-chart` of the SVG (money, points).
    pub name: &'a str,
    /// What changes, for the axis and the screen reader: 各户分红的变化.
    pub what: &'a str,
    /// The unit shown: 元, 分.
    pub unit: &'a str,
    /// A value as shown (fen → 元 for money), signed.
    pub show: &'a dyn Fn(Decimal) -> String,
}

/// The colours of the three sides (also in the page's style, as classes).
fn colour(side: BarSide) -> (&'static str, &'static str) {
    match side {
        BarSide::Loss => ("loss", "#c0392b"),
        BarSide::Same => ("same", "#7f8c8d"),
        BarSide::Gain => ("gain", "#27ae60"),
    }
}

/// The chart of `bars` as inline SVG.
pub fn svg(bars: &[Bar], labels: &ChartLabels<'_>) -> String {
    use std::fmt::Write;
    let (chart_w, chart_h, left, top, bottom) = (640usize, 180usize, 44usize, 18usize, 46usize);
    let n = bars.len().max(1);
    let bar_w = (chart_w - left) / n;
    let peak = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let base = top + chart_h;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" data-chart=\"{}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}的分布\">",
        escape(labels.name),
        escape(labels.what),
        w = chart_w + 10,
        h = base + bottom,
    );
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{chart_w}\" y2=\"{base}\" stroke=\"#333\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">{peak} 户</text>",
        left - 4,
        top + 4
    );
    // Edge labels: a bar below 0 is labelled at its lower end, one above at its upper end, the
    // zero bar in its middle; every other edge when the bars are narrow.
    let step = if bar_w < 34 { 2 } else { 1 };
    let zero_at = bars
        .iter()
        .position(|b| b.side == BarSide::Same)
        .unwrap_or(0);
    for (i, bar) in bars.iter().enumerate() {
        let x = left + i * bar_w;
        let h = bar.count * chart_h / peak;
        let (class, fill) = colour(bar.side);
        let range = match bar.side {
            BarSide::Loss => format!(
                "{} ≤ 变化 < {}",
                (labels.show)(bar.from),
                (labels.show)(bar.to)
            ),
            BarSide::Same => "不变（恰好为 0）".to_string(),
            BarSide::Gain => format!(
                "{} < 变化 ≤ {}",
                (labels.show)(bar.from),
                (labels.show)(bar.to)
            ),
        };
        let _ = write!(
            out,
            "<rect class=\"{class}\" data-from=\"{}\" data-to=\"{}\" data-count=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"{fill}\"><title>{}（{}）：{} 户</title></rect>",
            bar.from.normalize(),
            bar.to.normalize(),
            bar.count,
            x + 1,
            base - h,
            bar_w.saturating_sub(2).max(1),
            escape(&range),
            escape(labels.unit),
            bar.count
        );
        if bar.count > 0 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x + bar_w / 2,
                base - h - 3,
                bar.count
            );
        }
        let distance = i.abs_diff(zero_at);
        let (label, at) = match bar.side {
            BarSide::Same => ("0".to_string(), x + bar_w / 2),
            BarSide::Loss => ((labels.show)(bar.from), x),
            BarSide::Gain => ((labels.show)(bar.to), x + bar_w),
        };
        if bar.side == BarSide::Same || distance % step == 0 {
            let _ = write!(
                out,
                "<line x1=\"{at}\" y1=\"{base}\" x2=\"{at}\" y2=\"{}\" stroke=\"#333\"/><text x=\"{at}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                base + 4,
                base + 15,
                escape(&label)
            );
        }
    }
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}（{}）</text></svg>",
        left + (chart_w - left) / 2,
        base + 34,
        escape(labels.what),
        escape(labels.unit)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(v: &str) -> Decimal {
        v.parse().unwrap()
    }

    #[test]
    fn zero_is_a_bar_of_its_own_and_losers_stay_below_it() {
        let values: Vec<Decimal> = ["-7.5", "-7", "-6", "-1", "-0.5", "0", "0", "3", "48", "50"]
            .iter()
            .map(|v| d(v))
            .collect();
        let bars = bars(&values, d("0.01"), 21);
        let zero: Vec<&Bar> = bars.iter().filter(|b| b.side == BarSide::Same).collect();
        assert_eq!(zero.len(), 1);
        assert_eq!(zero[0].count, 2);
        // Width 5: 2 bars below, the zero bar, 10 above (width 2 would make 4 + 1 + 25).
        let loss: Vec<(Decimal, Decimal, usize)> = bars
            .iter()
            .filter(|b| b.side == BarSide::Loss)
            .map(|b| (b.from, b.to, b.count))
            .collect();
        assert_eq!(loss, vec![(d("-10"), d("-5"), 3), (d("-5"), d("0"), 2)]);
        let gain: usize = bars
            .iter()
            .filter(|b| b.side == BarSide::Gain)
            .map(|b| b.count)
            .sum();
        assert_eq!(gain, 3);
        assert_eq!(bars.len(), 2 + 1 + 10);
    }

    #[test]
    fn a_value_on_an_edge_goes_to_the_bar_nearer_zero_on_both_sides() {
        let bars = bars(&[d("-2"), d("2"), d("1")], Decimal::ONE, 21);
        // Width 1: [-2,-1) holds -2; (1,2] holds 2; (0,1] holds 1.
        let find = |v: &str| bars.iter().find(|b| b.holds(d(v))).unwrap().clone();
        assert_eq!((find("-2").from, find("-2").to), (d("-2"), d("-1")));
        assert_eq!((find("2").from, find("2").to), (d("1"), d("2")));
        assert_eq!((find("1").from, find("1").to), (d("0"), d("1")));
        assert_eq!(bars.iter().map(|b| b.count).sum::<usize>(), 3);
    }

    #[test]
    fn no_values_or_only_zeros_give_the_zero_bar_and_one_on_each_side() {
        for values in [vec![], vec![Decimal::ZERO; 3]] {
            let bars = bars(&values, Decimal::ONE, 21);
            assert_eq!(bars.len(), 3);
            assert_eq!(bars[1].side, BarSide::Same);
            assert_eq!(bars[1].count, values.len());
        }
    }

    #[test]
    fn huge_values_still_land_in_a_bar() {
        let values = [Decimal::MAX, Decimal::MIN, Decimal::ZERO, Decimal::ONE];
        let bars = bars(&values, Decimal::ONE, 21);
        for v in values {
            assert_eq!(bars.iter().filter(|b| b.holds(v)).count(), 1, "{v}");
        }
        assert_eq!(bars.iter().map(|b| b.count).sum::<usize>(), 4);
    }

    #[test]
    fn the_svg_carries_each_bars_range_and_count() {
        let bars = bars(&[d("-3"), d("0"), d("4")], Decimal::ONE, 21);
        let show = |v: Decimal| v.to_string();
        let svg = svg(
            &bars,
            &ChartLabels {
                name: "points",
                what: "各户「户积分」的变化",
                unit: "分",
                show: &show,
            },
        );
        assert!(svg.contains("data-chart=\"points\""));
        assert!(svg.contains("class=\"loss\" data-from=\"-3\" data-to=\"-2\" data-count=\"1\""));
        assert!(svg.contains("class=\"same\" data-from=\"0\" data-to=\"0\" data-count=\"1\""));
        assert!(svg.contains("class=\"gain\" data-from=\"3\" data-to=\"4\" data-count=\"1\""));
    }

    proptest! {
        #[test]
        fn every_value_is_in_exactly_one_bar_on_its_own_side(
            raw in proptest::collection::vec(-1_000_000i64..1_000_000, 0..200),
            scale in 0u32..3,
            max_bars in 3usize..30,
        ) {
            let values: Vec<Decimal> = raw.iter().map(|v| Decimal::new(*v, scale)).collect();
            let bars = bars(&values, Decimal::new(1, scale), max_bars);
            prop_assert!(bars.len() <= max_bars);
            prop_assert_eq!(bars.iter().map(|b| b.count).sum::<usize>(), values.len());
            for b in &bars {
                prop_assert_eq!(b.count, values.iter().filter(|v| b.holds(**v)).count());
                match b.side {
                    BarSide::Loss => prop_assert!(b.to <= Decimal::ZERO),
                    BarSide::Same => prop_assert!(b.from.is_zero() && b.to.is_zero()),
                    BarSide::Gain => prop_assert!(b.from >= Decimal::ZERO),
                }
            }
            for v in &values {
                prop_assert_eq!(bars.iter().filter(|b| b.holds(*v)).count(), 1);
            }
            prop_assert!(bars.windows(2).all(|w| w[0].to <= w[1].from));
        }
    }
}
