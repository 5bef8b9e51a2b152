//! Numbers as clerks write them: Arabic digits (ASCII or full-width, with an optional decimal
//! point, and 万 or 亿 after them: 1.5万, 30万) and Chinese numerals (十二, 二十五, 一百零五,
//! 两千, 二百五, 一万五, 廿五, 二〇二四, 三点五, 一点五万, 壹佰).
//!
//! The grammar only decides where a number is; this module decides its value, exactly, as a
//! [`Decimal`] — for the compact (`lower`) and for data cells (`data::value`) alike, so that one
//! spelling has one value everywhere. A malformed numeral is an error, never a guess.
//!
//! Chinese numerals with units are read as people write them:
//!
//! - a last digit right after a unit, with no 零 between, stands one place lower: 二百五 = 250,
//!   一百二 = 120, 三千二 = 3200, 一万五 = 15000, 十万五 = 105000, 一亿五 = 150000000,
//!   一万五千二 = 15200;
//! - after 零 a digit stands for itself: 一百零五 = 105, 一千零五 = 1005, 一万零五 = 10005;
//! - places skipped between two digits are marked by one 零 (一千零五十 = 1050); 一千五十,
//!   一千零零五 and 一千零五百 (a 零 where no place is skipped) are errors;
//! - 十 without a digit before it only starts a numeral or follows 零 (十五, 十万, 一万零十);
//!   一百十 is an error (一百一十 or 一百一);
//! - 两 is 2 on its own or before 百, 千, 万 and 亿 (两百, 两万三, 一万两千); 两十, 二十两 and
//!   一百零两 are errors;
//! - 廿 is 二十 and 卅 is 三十 (廿五 = 25);
//! - 〇 is 零; digits without units are read digit by digit (二〇二四 = 2024, 一二 = 12);
//! - 万 and 亿 end their part of the number and may each come once (一万万 is an error; 一亿
//!   is 100000000).

use rust_decimal::Decimal;

/// Why a numeral could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumeralError {
    /// The characters do not form a numeral (e.g. 十十, 一千五十), or money less than a fen.
    Malformed,
    /// The value does not fit (more than 28 digits).
    TooLarge,
}

/// Reads an Arabic or Chinese numeral.
pub fn parse_number(text: &str) -> Result<Decimal, NumeralError> {
    if let Some(scaled) = scaled(text) {
        return scaled;
    }
    if text
        .chars()
        .all(|c| arabic_digit(c).is_some() || c == '.' || c == '．')
    {
        parse_arabic(text)
    } else {
        parse_chinese(text)
    }
}

/// Reads a numeral that must be a whole number, such as a clause number or a count.
pub fn parse_whole(text: &str) -> Result<u32, NumeralError> {
    let value = parse_number(text)?;
    if value.fract() != Decimal::ZERO {
        return Err(NumeralError::Malformed);
    }
    u32::try_from(value).map_err(|_| NumeralError::TooLarge)
}

/// Reads an amount of money as fen: 100 元, 1.5万元, 1.5 万元, 十万元, 一千五 (元 may be left
/// out). Less than a fen is an error.
pub fn parse_money(text: &str) -> Result<i64, NumeralError> {
    let text = text.trim();
    let body = text.strip_suffix('元').map_or(text, str::trim_end);
    let yuan = match body.strip_suffix('万') {
        // 1.5 万元: 万 written apart from the number; 1.5万 is read by `parse_number`.
        Some(number) if number.ends_with(char::is_whitespace) => {
            let number = number.trim_end();
            if number.contains(['万', '亿']) {
                return Err(NumeralError::Malformed);
            }
            parse_number(number)?
                .checked_mul(Decimal::from(10_000))
                .ok_or(NumeralError::TooLarge)?
        }
        _ => parse_number(body)?,
    };
    let fen = yuan
        .checked_mul(Decimal::ONE_HUNDRED)
        .ok_or(NumeralError::TooLarge)?;
    if fen.fract() != Decimal::ZERO {
        return Err(NumeralError::Malformed);
    }
    i64::try_from(fen).map_err(|_| NumeralError::TooLarge)
}

/// A number of ten thousands or hundred millions written with a decimal: 1.5万, 30万, 1.2亿,
/// 一点五万. `None` when `text` is not of that form (十五万 is read with the other units).
fn scaled(text: &str) -> Option<Result<Decimal, NumeralError>> {
    let (body, scale) = match text.strip_suffix('万') {
        Some(body) => (body, Decimal::from(10_000)),
        None => (text.strip_suffix('亿')?, Decimal::from(100_000_000)),
    };
    let arabic = !body.is_empty()
        && body
            .chars()
            .all(|c| arabic_digit(c).is_some() || c == '.' || c == '．');
    if !arabic && !body.contains('点') {
        return None;
    }
    if body.contains(['万', '亿']) {
        return Some(Err(NumeralError::Malformed));
    }
    let value = if arabic {
        parse_arabic(body)
    } else {
        parse_chinese(body)
    };
    Some(value.and_then(|v| {
        v.checked_mul(scale)
            .map(|v| v.normalize())
            .ok_or(NumeralError::TooLarge)
    }))
}

fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Arabic digits (ASCII or full-width) with at most one decimal point between digits: 12, 2.5,
/// ２．５. ASCII text is read without a copy (most data cells).
pub fn parse_arabic(text: &str) -> Result<Decimal, NumeralError> {
    let mapped: String;
    let ascii: &str = if text.is_ascii() {
        text
    } else {
        mapped = text
            .chars()
            .map(|c| match arabic_digit(c) {
                Some(d) => char::from_digit(d, 10).unwrap_or('0'),
                None if c == '．' => '.',
                None => c,
            })
            .collect();
        &mapped
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = match ascii.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(ascii),
    };
    if !well_formed {
        return Err(NumeralError::Malformed);
    }
    if ascii.len() > 28 {
        return Err(NumeralError::TooLarge);
    }
    ascii
        .parse::<Decimal>()
        .map(|d| d.normalize())
        .map_err(|_| NumeralError::Malformed)
}

/// One character of a Chinese numeral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// 一 to 九 (and 壹 to 玖).
    Digit(u64),
    /// 两: 2, but only on its own or before 百, 千, 万, 亿.
    Liang,
    /// 零 or 〇.
    Zero,
    /// 十 百 千 万 亿 as powers of ten: 1, 2, 3, 4, 8.
    Unit(u32),
}

const WAN: u32 = 4;
const YI: u32 = 8;

fn token(c: char) -> Option<Token> {
    Some(match c {
        '零' | '〇' => Token::Zero,
        '两' => Token::Liang,
        '一' | '壹' => Token::Digit(1),
        '二' | '贰' => Token::Digit(2),
        '三' | '叁' => Token::Digit(3),
        '四' | '肆' => Token::Digit(4),
        '五' | '伍' => Token::Digit(5),
        '六' | '陆' => Token::Digit(6),
        '七' | '柒' => Token::Digit(7),
        '八' | '捌' => Token::Digit(8),
        '九' | '玖' => Token::Digit(9),
        '十' | '拾' => Token::Unit(1),
        '百' | '佰' => Token::Unit(2),
        '千' | '仟' => Token::Unit(3),
        '万' => Token::Unit(WAN),
        '亿' => Token::Unit(YI),
        _ => return None,
    })
}

/// The tokens of a whole numeral, with 廿 as 二十 and 卅 as 三十.
fn tokens(text: &str) -> Result<Vec<Token>, NumeralError> {
    let mut tokens = Vec::with_capacity(text.len() / 3 + 1);
    for c in text.chars() {
        match c {
            '廿' => tokens.extend([Token::Digit(2), Token::Unit(1)]),
            '卅' => tokens.extend([Token::Digit(3), Token::Unit(1)]),
            _ => tokens.push(token(c).ok_or(NumeralError::Malformed)?),
        }
    }
    Ok(tokens)
}

fn parse_chinese(text: &str) -> Result<Decimal, NumeralError> {
    let (whole, fraction) = match text.split_once('点') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let mut value = Decimal::from(parse_chinese_whole(whole)?);
    if let Some(fraction) = fraction {
        if fraction.is_empty() {
            return Err(NumeralError::Malformed);
        }
        let mut scale = Decimal::ONE;
        for c in fraction.chars() {
            let digit = match token(c) {
                Some(Token::Zero) => 0,
                Some(Token::Digit(d)) => d,
                _ => return Err(NumeralError::Malformed),
            };
            scale = scale
                .checked_div(Decimal::TEN)
                .filter(|s| !s.is_zero())
                .ok_or(NumeralError::TooLarge)?;
            value += Decimal::from(digit) * scale;
        }
    }
    Ok(value.normalize())
}

/// The whole part: either digits by position (二〇二四) or digits with units (二千零二十四).
fn parse_chinese_whole(text: &str) -> Result<u64, NumeralError> {
    let tokens = tokens(text)?;
    if tokens.iter().any(|t| matches!(t, Token::Unit(_))) {
        return with_units(&tokens, true);
    }
    match tokens.as_slice() {
        [] => Err(NumeralError::Malformed),
        [Token::Liang] => Ok(2),
        _ => tokens.iter().try_fold(0u64, |value, t| {
            let digit = match t {
                Token::Zero => 0,
                Token::Digit(d) => *d,
                _ => return Err(NumeralError::Malformed),
            };
            value
                .checked_mul(10)
                .and_then(|v| v.checked_add(digit))
                .ok_or(NumeralError::TooLarge)
        }),
    }
}

fn power(exponent: u32) -> u64 {
    10u64.pow(exponent)
}

/// A numeral with units. `bare_ten`: whether it may start with 十 alone (at the start of the
/// whole numeral and after 零, not after another unit: 一百十 is an error).
fn with_units(tokens: &[Token], bare_ten: bool) -> Result<u64, NumeralError> {
    // 亿, then 万, split the numeral into what they multiply and what follows them.
    for big in [YI, WAN] {
        if let Some(at) = tokens.iter().position(|t| *t == Token::Unit(big)) {
            let (head, rest) = split_around(tokens, at)?;
            let head = match head {
                [Token::Liang] => 2,
                [Token::Digit(d)] => *d,
                _ => with_units(head, bare_ten)?,
            };
            let high = head.checked_mul(power(big)).ok_or(NumeralError::TooLarge)?;
            return high
                .checked_add(after_unit(rest, big)?)
                .ok_or(NumeralError::TooLarge);
        }
    }
    // Below 万: the first unit (千, 百 or 十) with the one digit before it.
    let at = tokens
        .iter()
        .position(|t| matches!(t, Token::Unit(_)))
        .ok_or(NumeralError::Malformed)?;
    let (head, rest) = split_around(tokens, at)?;
    let Some(Token::Unit(unit)) = tokens.get(at).copied() else {
        return Err(NumeralError::Malformed);
    };
    let digit = match head {
        [] if unit == 1 && bare_ten => 1,
        [Token::Digit(d)] => *d,
        [Token::Liang] if unit >= 2 => 2,
        _ => return Err(NumeralError::Malformed),
    };
    Ok(digit * power(unit) + after_unit(rest, unit)?)
}

/// The tokens before and after the one at `at`.
fn split_around(tokens: &[Token], at: usize) -> Result<(&[Token], &[Token]), NumeralError> {
    let head = tokens.get(..at).ok_or(NumeralError::Malformed)?;
    let rest = tokens.get(at + 1..).ok_or(NumeralError::Malformed)?;
    Ok((head, rest))
}

/// What follows a unit of 10^`unit`: nothing; 零 and a smaller number (a skipped place); one
/// digit alone, one place lower (二百五); or a number of the next place down (二百五十).
fn after_unit(rest: &[Token], unit: u32) -> Result<u64, NumeralError> {
    let next = power(unit - 1);
    match rest {
        [] => Ok(0),
        [Token::Zero, after @ ..] => {
            let value = match after {
                [Token::Digit(d)] => *d,
                _ => with_units(after, true)?,
            };
            // 一千零五百 or 十零: a 零 where no place is skipped.
            if value == 0 || value >= next {
                return Err(NumeralError::Malformed);
            }
            Ok(value)
        }
        [Token::Digit(d)] => Ok(d * next),
        _ => {
            let value = with_units(rest, false)?;
            // 一千五十: a place skipped without 零.
            if value < next || value >= power(unit) {
                return Err(NumeralError::Malformed);
            }
            Ok(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> String {
        match parse_number(text) {
            Ok(d) => d.to_string(),
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn arabic_numbers_in_ascii_and_full_width() {
        assert_eq!(n("12"), "12");
        assert_eq!(n("１２"), "12");
        assert_eq!(n("0.5"), "0.5");
        assert_eq!(n("２．５"), "2.5");
        assert_eq!(n("40.00"), "40");
    }

    #[test]
    fn chinese_numerals_with_units() {
        assert_eq!(n("十"), "10");
        assert_eq!(n("十二"), "12");
        assert_eq!(n("二十五"), "25");
        assert_eq!(n("一百"), "100");
        assert_eq!(n("一百零五"), "105");
        assert_eq!(n("两千"), "2000");
        assert_eq!(n("三千零二十"), "3020");
        assert_eq!(n("十二万"), "120000");
        assert_eq!(n("十二万三千"), "123000");
        assert_eq!(n("壹佰贰拾"), "120");
        assert_eq!(n("三点五"), "3.5");
        assert_eq!(n("零点零五"), "0.05");
    }

    #[test]
    fn a_last_digit_after_a_unit_stands_one_place_lower() {
        assert_eq!(n("二百五"), "250");
        assert_eq!(n("一百二"), "120");
        assert_eq!(n("三千二"), "3200");
        assert_eq!(n("一万五"), "15000");
        assert_eq!(n("两万三"), "23000");
        assert_eq!(n("十万五"), "105000");
        assert_eq!(n("一万五千二"), "15200");
        assert_eq!(n("一亿五"), "150000000");
        assert_eq!(n("二百五十五"), "255");
        // After 零 a digit stands for itself.
        assert_eq!(n("一千零五"), "1005");
        assert_eq!(n("一万零五"), "10005");
        assert_eq!(n("一千零五十"), "1050");
        assert_eq!(n("一万零十"), "10010");
        assert_eq!(n("一亿零五万"), "100050000");
    }

    #[test]
    fn twenty_thirty_liang_and_ten_thousands() {
        assert_eq!(n("廿"), "20");
        assert_eq!(n("廿五"), "25");
        assert_eq!(n("卅"), "30");
        assert_eq!(n("两"), "2");
        assert_eq!(n("两百"), "200");
        assert_eq!(n("一万两千"), "12000");
        assert_eq!(n("十万"), "100000");
        assert_eq!(n("一亿"), "100000000");
        assert_eq!(n("1.5万"), "15000");
        assert_eq!(n("30万"), "300000");
        assert_eq!(n("１２．８万"), "128000");
        assert_eq!(n("1.2亿"), "120000000");
        assert_eq!(n("一点五万"), "15000");
    }

    #[test]
    fn money_in_yuan_and_ten_thousands_as_fen() {
        assert_eq!(parse_money("12.8万元"), Ok(12_800_000));
        assert_eq!(parse_money("12.8 万元"), Ok(12_800_000));
        assert_eq!(parse_money("十万元"), Ok(10_000_000));
        assert_eq!(parse_money("一千五"), Ok(150_000));
        assert_eq!(parse_money("100.5 元"), Ok(10_050));
        assert_eq!(parse_money("0.001元"), Err(NumeralError::Malformed));
        assert_eq!(parse_money("一万五 万元"), Err(NumeralError::Malformed));
        assert_eq!(parse_money("50分"), Err(NumeralError::Malformed));
    }

    #[test]
    fn chinese_numerals_digit_by_digit() {
        assert_eq!(n("二〇二四"), "2024");
        assert_eq!(n("一二"), "12");
    }

    #[test]
    fn malformed_chinese_numerals_are_errors() {
        assert_eq!(n("十十"), "Malformed");
        assert_eq!(n("百二"), "Malformed");
        assert_eq!(n("二三十"), "Malformed");
        assert_eq!(n("十百"), "Malformed");
        assert_eq!(n("点五"), "Malformed");
        assert_eq!(n("三点"), "Malformed");
        assert_eq!(n("万"), "Malformed");
        assert_eq!(n("一万万"), "Malformed");
        assert_eq!(n("一千五十"), "Malformed");
        assert_eq!(n("一百十"), "Malformed");
        assert_eq!(n("一千零零五"), "Malformed");
        assert_eq!(n("一千零五百"), "Malformed");
        assert_eq!(n("一百零"), "Malformed");
        assert_eq!(n("十零"), "Malformed");
        assert_eq!(n("两十"), "Malformed");
        assert_eq!(n("二十两"), "Malformed");
        assert_eq!(n("一百零两"), "Malformed");
        assert_eq!(n("两两"), "Malformed");
        assert_eq!(n("一亿亿"), "Malformed");
        assert_eq!(n("一亿五百万"), "Malformed");
        assert_eq!(n("廿十"), "Malformed");
        assert_eq!(n("1万5"), "Malformed");
        assert_eq!(n("1.5万万"), "Malformed");
        assert_eq!(n("万"), "Malformed");
        assert_eq!(n("5."), "Malformed");
        assert_eq!(n(".5"), "Malformed");
        assert_eq!(n("1.2.3"), "Malformed");
        assert_eq!(n("两点五"), "2.5");
    }

    #[test]
    fn whole_numbers_reject_fractions() {
        assert_eq!(parse_whole("十二"), Ok(12));
        assert_eq!(parse_whole("2.5"), Err(NumeralError::Malformed));
        assert_eq!(parse_whole("99999999999"), Err(NumeralError::TooLarge));
    }
}
