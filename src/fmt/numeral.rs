//! Writing whole numbers as Chinese numerals, the way clause and chapter numbers are written
//! in Chinese rule texts (第十二条, 第一百零五条).

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

fn digit(d: u32) -> &'static str {
    DIGITS.get(d as usize).copied().unwrap_or("")
}

/// Writes `n` in Chinese numerals, in the formal way (every unit written, so that it reads back
/// the same under the rules of `syntax::numeral`): 1 → 一, 10 → 十, 12 → 十二, 20 → 二十,
/// 105 → 一百零五, 250 → 二百五十, 10010 → 一万零一十, 100000000 → 一亿, 100050000 → 一亿零五万.
pub fn chinese_numeral(n: u32) -> String {
    if n == 0 {
        return "零".to_string();
    }
    let mut text = String::new();
    // Whether a group of four places was left out since the last one written (一亿零五).
    let mut skipped = false;
    for (group, unit) in [
        (n / 100_000_000, "亿"),
        (n / 10_000 % 10_000, "万"),
        (n % 10_000, ""),
    ] {
        if group == 0 {
            skipped |= !text.is_empty();
            continue;
        }
        let inner = !text.is_empty();
        // 一万零五, 一亿零五十万: 零 where the group's first places are empty.
        if inner && (skipped || group < 1000) {
            text.push('零');
        }
        skipped = false;
        text.push_str(&below_ten_thousand(group, inner));
        text.push_str(unit);
    }
    text
}

/// 1–9999; `inner` keeps a leading 一 before 十 (一万零一十).
fn below_ten_thousand(n: u32, inner: bool) -> String {
    let units = [(1000, "千"), (100, "百"), (10, "十")];
    let mut text = String::new();
    let mut rest = n;
    let mut pending_zero = false;
    for (value, unit) in units {
        let d = rest / value;
        rest %= value;
        if d == 0 {
            if !text.is_empty() {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            text.push('零');
            pending_zero = false;
        }
        // 十二 rather than 一十二 at the start of a number.
        if !(value == 10 && d == 1 && text.is_empty() && !inner) {
            text.push_str(digit(d));
        }
        text.push_str(unit);
    }
    if rest > 0 {
        if pending_zero {
            text.push('零');
        }
        text.push_str(digit(rest));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::numeral::parse_whole;

    #[test]
    fn writes_common_clause_numbers() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (29, "二十九"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1000, "一千"),
            (1001, "一千零一"),
            (2024, "二千零二十四"),
            (10_010, "一万零一十"),
            (250, "二百五十"),
            (15_000, "一万五千"),
            (100_000, "十万"),
            (100_000_000, "一亿"),
            (100_050_000, "一亿零五万"),
            (100_500_000, "一亿零五十万"),
            (101_000_000, "一亿零一百万"),
            (150_000_000, "一亿五千万"),
            (4_294_967_295, "四十二亿九千四百九十六万七千二百九十五"),
        ];
        for (n, text) in cases {
            assert_eq!(chinese_numeral(n), text, "{n}");
        }
    }

    #[test]
    fn writing_then_reading_gives_the_number_back() {
        for n in (1..=3000).chain([
            9999,
            10_000,
            10_001,
            12_345,
            99_999,
            100_000,
            100_000_000,
            100_000_001,
            u32::MAX,
        ]) {
            assert_eq!(parse_whole(&chinese_numeral(n)), Ok(n), "{n}");
        }
    }
}
