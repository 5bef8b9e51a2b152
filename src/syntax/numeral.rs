//! Numbers as clerks write them: Arabic digits (ASCII or full-width, with an optional decimal
//! point) and Chinese numerals (十二, 二十五, 一百零五, 两千, 二〇二四, 三点五, 壹佰).
//!
//! The grammar only decides where a number is; this module decides its value, exactly, as a
//! [`Decimal`]. A malformed numeral (十十, 百二) is an error, never a guess.

use rust_decimal::Decimal;

/// Why a numeral could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumeralError {
    /// The characters do not form a numeral (e.g. 十十).
    Malformed,
    /// The value does not fit (more than 28 digits).
    TooLarge,
}

/// Reads an Arabic or Chinese numeral.
pub fn parse_number(text: &str) -> Result<Decimal, NumeralError> {
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

fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn parse_arabic(text: &str) -> Result<Decimal, NumeralError> {
    let ascii: String = text
        .chars()
        .map(|c| match arabic_digit(c) {
            Some(d) => char::from_digit(d, 10).unwrap_or('0'),
            None => '.',
        })
        .collect();
    if ascii.is_empty() || ascii.starts_with('.') || ascii.ends_with('.') {
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

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
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
            let digit = chinese_digit(c).ok_or(NumeralError::Malformed)?;
            scale /= Decimal::TEN;
            value += Decimal::from(digit) * scale;
        }
    }
    Ok(value.normalize())
}

/// The whole part: either positional digits (二〇二四) or digits with units (二千零二十四).
fn parse_chinese_whole(text: &str) -> Result<u64, NumeralError> {
    if text.is_empty() {
        return Err(NumeralError::Malformed);
    }
    let has_units = text.chars().any(|c| chinese_unit(c).is_some() || c == '万');
    if !has_units {
        let mut value: u64 = 0;
        for c in text.chars() {
            let digit = chinese_digit(c).ok_or(NumeralError::Malformed)?;
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(digit))
                .ok_or(NumeralError::TooLarge)?;
        }
        return Ok(value);
    }
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    // The last unit used in this section, to reject 十百 or 百百.
    let mut last_unit: u64 = u64::MAX;
    for c in text.chars() {
        if let Some(d) = chinese_digit(c) {
            if digit.is_some() && d != 0 {
                return Err(NumeralError::Malformed);
            }
            digit = if d == 0 { None } else { Some(d) };
        } else if let Some(unit) = chinese_unit(c) {
            if unit >= last_unit {
                return Err(NumeralError::Malformed);
            }
            let d = match digit {
                Some(d) => d,
                // 十五 means 15: a leading 十 stands for 一十.
                None if unit == 10 && section == 0 => 1,
                None => return Err(NumeralError::Malformed),
            };
            section += d * unit;
            digit = None;
            last_unit = unit;
        } else if c == '万' {
            section += digit.take().unwrap_or(0);
            if section == 0 || total != 0 {
                return Err(NumeralError::Malformed);
            }
            total = section.checked_mul(10_000).ok_or(NumeralError::TooLarge)?;
            section = 0;
            last_unit = u64::MAX;
        } else {
            return Err(NumeralError::Malformed);
        }
    }
    section += digit.unwrap_or(0);
    total.checked_add(section).ok_or(NumeralError::TooLarge)
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
    }

    #[test]
    fn whole_numbers_reject_fractions() {
        assert_eq!(parse_whole("十二"), Ok(12));
        assert_eq!(parse_whole("2.5"), Err(NumeralError::Malformed));
        assert_eq!(parse_whole("99999999999"), Err(NumeralError::TooLarge));
    }
}
