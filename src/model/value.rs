//! Reading one cell of a register or event log as a typed value.
//!
//! Cells are what clerks type into Excel: dates as 2024-03-05, 2024/3/5 or 2024年3月5日;
//! numbers in Arabic (ASCII or full-width) or Chinese numerals; money with or without 元;
//! yes/no as 是/否, 有/无, √/×. Each parser returns `None` for text it cannot read, and the
//! caller reports the cell with what was expected.

use rust_decimal::Decimal;

use crate::model::ValueType;
use crate::model::width::fold_width;
use crate::syntax::numeral::{self, parse_arabic, parse_number};

/// Days since 1970-01-01 (the representation of dates while evaluating).
pub type Day = i32;

/// A typed cell value, compact for the evaluator's hot loop.
///
/// The kind is a whole word (`repr(u64)`), so that a value is copied as three words: with a
/// one-byte kind, the bytes after it were copied in overlapping pieces through the stack, which
/// stalled the processor on every value parked (about a tenth of a one-core run).
#[derive(Debug, Clone, PartialEq)]
#[repr(u64)]
pub enum FieldValue {
    /// An integer, quantity or points value.
    Number(Decimal),
    /// Money in fen.
    Money(i64),
    /// 是 / 否
    Bool(bool),
    /// The index of an option of a 选项 field.
    Choice(u16),
    /// Free text.
    Text(Box<str>),
    /// A date.
    Date(Day),
}

/// The first day a date can be (year 1000); earlier years are typing mistakes.
const MIN_YEAR: i16 = 1000;

/// Days since 1970-01-01 of a year, month and day (Howard Hinnant's `days_from_civil`,
/// exact for every proleptic Gregorian date).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Day {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i32::try_from(month).unwrap_or(1);
    let d = i32::try_from(day).unwrap_or(1);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Converts a civil date to days since 1970-01-01.
pub fn day_of(date: jiff::civil::Date) -> Day {
    days_from_civil(
        i32::from(date.year()),
        u32::try_from(date.month()).unwrap_or(1),
        u32::try_from(date.day()).unwrap_or(1),
    )
}

/// Converts days since 1970-01-01 back to a civil date.
pub fn date_of(day: Day) -> jiff::civil::Date {
    let epoch = jiff::civil::Date::constant(1970, 1, 1);
    epoch
        .checked_add(jiff::Span::new().days(i64::from(day)))
        .unwrap_or(epoch)
}

/// The largest number a cell may hold, either way: 10^12 (一万亿). Larger values are typing
/// mistakes (a date or an id in a number column), and products of them with a rule's points
/// could exceed what exact decimals hold; they are refused (E0216), never rounded.
pub const MAX_CELL_NUMBER: i64 = 1_000_000_000_000;

/// The most decimal places a cell may have (more are refused, E0216): points and quantities
/// stay exact through the rules' products.
pub const MAX_CELL_DECIMALS: u32 = 10;

/// Whether a read value is within [`MAX_CELL_NUMBER`] and [`MAX_CELL_DECIMALS`] (money: 10^12
/// 元).
pub fn within_limits(value: &FieldValue) -> bool {
    match value {
        FieldValue::Number(n) => {
            n.abs() < Decimal::from(MAX_CELL_NUMBER) && n.normalize().scale() <= MAX_CELL_DECIMALS
        }
        FieldValue::Money(fen) => fen.unsigned_abs() < MAX_CELL_NUMBER.unsigned_abs() * 100,
        _ => true,
    }
}

/// Maps full-width digits and marks to ASCII and trims spaces (including the full-width one).
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    // (U+3000, the full-width space, is whitespace to `trim`; most cells have none to trim.)
    let trimmed = super::width::trim_cell(text);
    // The full-width characters mapped below (U+FF0C–U+FF19) all start with the byte EF: text
    // without it — plain Chinese such as 是 or 优 — is taken as it is, with no copy.
    if trimmed.is_ascii() || !trimmed.as_bytes().contains(&0xEF) {
        return std::borrow::Cow::Borrowed(trimmed);
    }
    let mapped: String = trimmed
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            '／' => '/',
            '，' => ',',
            _ => c,
        })
        .collect();
    std::borrow::Cow::Owned(mapped)
}

/// Reads a date: 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日 (Arabic or Chinese
/// numerals), optionally followed by a time (2024-03-05 08:00), which is ignored.
pub fn parse_date(text: &str) -> Option<Day> {
    // The common case first, digit by digit: 2024-03-05.
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *text.as_bytes() {
        let digits = [y1, y2, y3, y4, m1, m2, d1, d2];
        if digits.iter().all(u8::is_ascii_digit) {
            let two = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
            let (y, m, d) = (two(y1, y2) * 100 + two(y3, y4), two(m1, m2), two(d1, d2));
            let y = y as i32;
            return valid_civil(y, m, d).then(|| days_from_civil(y, m, d));
        }
    }
    let text = normalize(text);
    let text = text.split([' ', 'T']).next().unwrap_or("");
    let (y, m, d) = if let Some(rest) = text.strip_suffix('日').or_else(|| text.strip_suffix('号'))
    {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        (whole(y)?, whole(m)?, whole(d)?)
    } else if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        (
            text.get(..4)?.parse().ok()?,
            text.get(4..6)?.parse().ok()?,
            text.get(6..)?.parse().ok()?,
        )
    } else {
        let mut parts = text.split(['-', '/', '.']);
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let year = i16::try_from(y).ok().filter(|y| *y >= MIN_YEAR)?;
    let date = jiff::civil::Date::new(year, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some(day_of(date))
}

/// The last date cell of the form `2024-03-05` read, and its day. A log in date order repeats
/// one date cell over thousands of records: comparing its ten bytes with the last costs less
/// than reading it again. Gives what [`parse_date`] gives.
#[derive(Debug, Default, Clone)]
pub struct LastDate {
    last: Option<([u8; 10], Day)>,
}

impl LastDate {
    /// [`parse_date`] of `text`, remembered when it has ten bytes.
    pub fn parse(&mut self, text: &str) -> Option<Day> {
        let Ok(ten) = <[u8; 10]>::try_from(text.as_bytes()) else {
            return parse_date(text);
        };
        if let Some((last, day)) = self.last
            && last == ten
        {
            return Some(day);
        }
        let day = parse_date(text)?;
        self.last = Some((ten, day));
        Some(day)
    }
}

/// Whether a year, month and day form a real date (years from 1000 on).
fn valid_civil(year: i32, month: u32, day: u32) -> bool {
    if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap => 29,
        _ => 28,
    };
    day <= days
}

fn whole(text: &str) -> Option<u32> {
    let value = parse_number(super::width::trim_cell(text)).ok()?;
    (value.fract() == Decimal::ZERO)
        .then(|| u32::try_from(value).ok())
        .flatten()
}

/// Reads a number: 3, 2.5, ３, 三, 二点五, 二百五, 1.5万, with an optional unit after it (3天,
/// 2.5 小时). The numeral is read by `syntax::numeral`, as in a compact.
pub fn parse_decimal(text: &str, unit: Option<&str>) -> Option<Decimal> {
    let text = normalize(text);
    let mut body: &str = &text;
    if let Some(unit) = unit {
        body = body.strip_suffix(unit).unwrap_or(body).trim_end();
    }
    body = body.strip_suffix('分').unwrap_or(body).trim_end();
    // A minus as in a compact: -10, －10 (made - by `normalize`) or 负10.
    let (negative, digits) = match body.strip_prefix('-').or_else(|| body.strip_prefix('负')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, body),
    };
    // Plain digits (most cells) straight to the Arabic reader, which `parse_number` would call.
    let value = if digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        parse_arabic(digits).ok()?
    } else {
        parse_number(digits).ok()?
    };
    Some(if negative { -value } else { value }.normalize())
}

/// Reads money as fen: 100, 100元, 100.5 元, 1.5万元, 12.8万, 一千五, ￥1,200, -20. The amount
/// is read by `syntax::numeral::parse_money`, as in a compact; less than a fen is refused, and
/// so is 分 after it (50分 is not 50 元).
pub fn parse_money(text: &str) -> Option<i64> {
    let text = normalize(text);
    let body = text.trim_start_matches(['￥', '¥']).trim();
    let body: std::borrow::Cow<'_, str> = if body.contains(',') {
        std::borrow::Cow::Owned(body.replace(',', ""))
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    let (negative, amount) = match body.strip_prefix('-').or_else(|| body.strip_prefix('负')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, &*body),
    };
    let fen = numeral::parse_money(amount).ok()?;
    Some(if negative { -fen } else { fen })
}

/// Reads yes/no: 是/否, 有/无, 对/错, √/×, Y/N, yes/no, true/false, 1/0.
pub fn parse_bool(text: &str) -> Option<bool> {
    const YES: [&str; 9] = ["是", "有", "对", "√", "✓", "y", "yes", "true", "1"];
    const NO: [&str; 10] = ["否", "无", "没有", "错", "×", "✗", "n", "no", "false", "0"];
    let text = normalize(text);
    // Letters in any case (only the English words have any), without making a lower-case copy.
    let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(&text));
    if is(&YES) {
        Some(true)
    } else if is(&NO) {
        Some(false)
    } else {
        None
    }
}

/// Why a cell could not be read, in words for the error message.
pub fn expected_words(ty: &ValueType) -> String {
    match ty {
        ValueType::Integer => "整数（例如 3）".into(),
        ValueType::Quantity(Some(unit)) => format!("数量（例如 2 或 2.5 {unit}）"),
        ValueType::Quantity(None) => "数量（例如 2 或 2.5）".into(),
        ValueType::Money => "金额（例如 100 或 100 元）".into(),
        ValueType::Text => "文字".into(),
        ValueType::Bool => "「是」或「否」".into(),
        ValueType::Date => "日期（例如 2024-03-05 或 2024年3月5日）".into(),
        ValueType::Points => "分数（例如 8）".into(),
        ValueType::Choice(options) => format!("这一列的选项（{}）之一", options.join("、")),
    }
}

/// Reads a non-empty cell as a value of type `ty`.
pub fn parse_value(text: &str, ty: &ValueType) -> Option<FieldValue> {
    // Most cells of a log are a few plain digits: read them without the general path.
    if let Some(value) = plain_digits(text, ty) {
        return Some(value);
    }
    parse_value_in_general(text, ty)
}

/// A cell of 1 to 15 ASCII digits, for the numeric types (what the general path gives).
fn plain_digits(text: &str, ty: &ValueType) -> Option<FieldValue> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 15 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = bytes.iter().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    match ty {
        ValueType::Integer | ValueType::Quantity(_) | ValueType::Points => {
            Some(FieldValue::Number(Decimal::from(number)))
        }
        ValueType::Money => Some(FieldValue::Money(number * 100)),
        _ => None,
    }
}

fn parse_value_in_general(text: &str, ty: &ValueType) -> Option<FieldValue> {
    match ty {
        ValueType::Integer => parse_decimal(text, None)
            .filter(|d| d.fract() == Decimal::ZERO)
            .map(FieldValue::Number),
        ValueType::Quantity(unit) => parse_decimal(text, unit.as_deref()).map(FieldValue::Number),
        ValueType::Points => parse_decimal(text, None).map(FieldValue::Number),
        ValueType::Money => parse_money(text).map(FieldValue::Money),
        ValueType::Bool => parse_bool(text).map(FieldValue::Bool),
        ValueType::Date => parse_date(text).map(FieldValue::Date),
        // Text and options compare after width folding (Ａ类 is A类), like names.
        ValueType::Text => Some(FieldValue::Text(fold_width(&normalize(text)).into())),
        ValueType::Choice(options) => {
            let text = normalize(text);
            let text = fold_width(&text);
            options
                .iter()
                .position(|o| fold_width(o) == text)
                .and_then(|i| u16::try_from(i).ok())
                .map(FieldValue::Choice)
        }
    }
}

/// The value an empty cell stands for, when empty is allowed: 否 for yes/no, "" for text.
pub fn empty_value(ty: &ValueType) -> Option<FieldValue> {
    match ty {
        ValueType::Bool => Some(FieldValue::Bool(false)),
        ValueType::Text => Some(FieldValue::Text("".into())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Yes and no read as lower-casing the whole cell did, in any case and spacing.
        #[test]
        fn yes_and_no_read_as_by_lower_casing(
            word in "(是|有|对|√|✓|y|yes|true|1|否|无|没有|错|×|✗|n|no|false|0|maybe|ＹＥＳ|１|是的|İ)",
            upper in proptest::collection::vec(any::<bool>(), 0..8),
            pad in "( |\u{3000}|)",
        ) {
            let word: String = word
                .chars()
                .zip(upper.iter().chain(std::iter::repeat(&false)))
                .map(|(c, &u)| if u { c.to_ascii_uppercase() } else { c })
                .collect();
            let text = format!("{pad}{word}{pad}");
            let expected = match normalize(&text).to_lowercase().as_str() {
                "是" | "有" | "对" | "√" | "✓" | "y" | "yes" | "true" | "1" => Some(true),
                "否" | "无" | "没有" | "错" | "×" | "✗" | "n" | "no" | "false" | "0" => Some(false),
                _ => None,
            };
            prop_assert_eq!(parse_bool(&text), expected);
        }

        /// Text without full-width digits or marks is taken as it is; with them, mapped.
        #[test]
        fn normalizing_copies_only_to_map(text in "[ 　a1是优，－．／０-９]{0,8}") {
            // Each full-width character replaced by its ASCII one, pair by pair.
            let wide = "０１２３４５６７８９．－／，";
            let mut expected = text.trim().to_string();
            for (from, to) in wide.chars().zip("0123456789.-/,".chars()) {
                expected = expected.replace(from, to.encode_utf8(&mut [0; 4]));
            }
            let found = normalize(&text);
            prop_assert_eq!(&*found, expected.as_str());
            let needs_mapping = text.chars().any(|c| wide.contains(c));
            prop_assert_eq!(matches!(found, std::borrow::Cow::Owned(_)), needs_mapping);
        }
    }

    fn date(text: &str) -> Option<String> {
        parse_date(text).map(|d| date_of(d).to_string())
    }

    #[test]
    fn plain_digits_read_as_the_general_path_reads_them() {
        let types = [
            ValueType::Integer,
            ValueType::Quantity(Some("天".into())),
            ValueType::Quantity(None),
            ValueType::Points,
            ValueType::Money,
            ValueType::Text,
            ValueType::Bool,
        ];
        for text in [
            "0",
            "7",
            "00",
            "012",
            "120000",
            "999999999999999",
            "1234567890123456",
        ] {
            for ty in &types {
                assert_eq!(
                    parse_value(text, ty),
                    parse_value_in_general(text, ty),
                    "{text} as {ty:?}"
                );
                if let (Some(FieldValue::Number(a)), Some(FieldValue::Number(b))) =
                    (parse_value(text, ty), parse_value_in_general(text, ty))
                {
                    assert_eq!(a.scale(), b.scale(), "{text}");
                    assert_eq!(a.to_string(), b.to_string(), "{text}");
                }
            }
        }
    }

    #[test]
    fn dates_in_every_form_clerks_type() {
        for text in [
            "2024-03-05",
            "2024/3/5",
            "2024.3.5",
            "20240305",
            "2024年3月5日",
            "２０２４年３月５日",
            "二〇二四年三月五日",
            " 2024-03-05 08:30 ",
        ] {
            assert_eq!(date(text).as_deref(), Some("2024-03-05"), "{text}");
        }
        assert_eq!(date("2024-02-30"), None);
        assert_eq!(date("2024-13-01"), None);
        assert_eq!(date("0024-01-01"), None);
        assert_eq!(date("三月五日"), None);
        assert_eq!(date(""), None);
    }

    #[test]
    fn the_last_date_remembered_reads_as_parse_date() {
        let mut last = LastDate::default();
        for text in [
            "2024-03-05",
            "2024-03-05",
            "2024/3/5",
            "2024-03-05",
            "2024-02-30",
            "2024-02-30",
            "2024-03-06",
            "",
            "2024-03-06",
            "2024-3-6  ",
            "２０２４-3-6",
            "2024-03-06",
        ] {
            assert_eq!(last.parse(text), parse_date(text), "{text:?}");
        }
    }

    #[test]
    fn days_round_trip() {
        for text in ["1970-01-01", "2024-02-29", "1999-12-31", "2100-06-15"] {
            let day = parse_date(text).unwrap_or_default();
            assert_eq!(date_of(day).to_string(), text);
        }
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(parse_date("2024-02-29"), parse_date("2024年2月29日"));
        assert_eq!(parse_date("2023-02-29"), None);
    }

    #[test]
    fn days_from_civil_agrees_with_jiff() {
        let start = jiff::civil::Date::constant(1900, 1, 1);
        for offset in (0..2_930_000).step_by(7) {
            let date = start
                .checked_add(jiff::Span::new().days(offset))
                .unwrap_or(start);
            let epoch = jiff::civil::Date::constant(1970, 1, 1);
            let expected = epoch.until(date).map(|s| s.get_days()).unwrap_or(0);
            assert_eq!(i64::from(day_of(date)), i64::from(expected), "{date}");
        }
    }

    #[test]
    fn numbers_money_and_yes_no() {
        assert_eq!(parse_decimal("2.5", None), Some(Decimal::new(25, 1)));
        assert_eq!(parse_decimal("３", None), Some(Decimal::from(3)));
        assert_eq!(parse_decimal("二点五", None), Some(Decimal::new(25, 1)));
        assert_eq!(parse_decimal("3天", Some("天")), Some(Decimal::from(3)));
        assert_eq!(parse_decimal("8 分", None), Some(Decimal::from(8)));
        assert_eq!(parse_decimal("-2", None), Some(Decimal::from(-2)));
        assert_eq!(parse_decimal("很多", None), None);
        assert_eq!(parse_money("100"), Some(10_000));
        assert_eq!(parse_money("100.5元"), Some(10_050));
        assert_eq!(parse_money("1.5万元"), Some(1_500_000));
        assert_eq!(parse_money("￥1,200"), Some(120_000));
        assert_eq!(parse_money("0.001"), None);
        assert_eq!(parse_money("一千五"), Some(150_000));
        assert_eq!(parse_money("12.8万"), Some(12_800_000));
        assert_eq!(parse_money("-20元"), Some(-2_000));
        assert_eq!(parse_money("50分"), None);
        assert_eq!(parse_decimal("二百五", None), Some(Decimal::from(250)));
        assert_eq!(parse_decimal("5.", None), None);
        assert_eq!(parse_bool("是"), Some(true));
        assert_eq!(parse_bool("×"), Some(false));
        assert_eq!(parse_bool("Yes"), Some(true));
        assert_eq!(parse_bool("也许"), None);
    }

    #[test]
    fn plain_digits_and_points_read_as_the_compact_reads_them() {
        for text in [
            "0", "12", "2.5", "40.00", "007", "5.", ".5", "1.2.3", ".", "",
        ] {
            assert_eq!(
                parse_decimal(text, None),
                parse_number(text).ok().map(|d| d.normalize()),
                "{text}"
            );
        }
    }

    #[test]
    fn choices_are_read_as_option_indexes() {
        let ty = ValueType::Choice(vec!["县级".into(), "市级".into()]);
        assert_eq!(parse_value(" 市级 ", &ty), Some(FieldValue::Choice(1)));
        assert_eq!(parse_value("省级", &ty), None);
    }
}
