//! What the parser expected, in words a clerk understands.
//!
//! pest reports the rules and literal tokens it tried at the place it stopped. This module turns
//! them into a short Chinese list («「，」、条件 或 「每天」»): rule names become descriptions,
//! ASCII and full-width forms of one mark are shown once (full-width), and long lists of
//! keywords are summarised.

use super::parser::Rule;

/// A description of a rule, when it stands for something a user writes.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::number | Rule::arabic_number | Rule::chinese_number | Rule::signed_number => "数字",
        Rule::percent => "百分数（如 49%）",
        Rule::money => "金额（如 100 元）",
        Rule::date | Rule::cn_date | Rule::iso_date => "日期（如 2024年3月5日）",
        Rule::month_day => "月日（如 3月1日）",
        Rule::quoted => "「」括起的文字",
        Rule::decl_name | Rule::bare_decl => "名称",
        Rule::event_ref | Rule::bare_event => "事项名称",
        Rule::ref_name | Rule::bare_ref => "名称",
        Rule::asg_name | Rule::bare_asg => "名称",
        Rule::kind_ref | Rule::bare_kind => "名册名称",
        Rule::rating_ref | Rule::bare_rating => "评定名称",
        Rule::value | Rule::bare_value | Rule::number_unit => "值",
        Rule::unit_name => "单位（如 天、元）",
        Rule::choice_value => "选项",
        Rule::clause_ref => "条号（如 第四条）",
        Rule::points | Rule::award_points => "分值（如 10 分）",
        Rule::condition | Rule::conjunction | Rule::operand_cond | Rule::flag => "条件",
        Rule::count_cond | Rule::nth | Rule::nth_from | Rule::first_n => "次数条件",
        Rule::window => "「每年」「每月」等期间",
        Rule::field_decl => "字段（名称：类型）",
        Rule::period_spec => "「每年」",
        Rule::head_title => "标题",
        Rule::prose_text => "原文",
        Rule::cmp_op => "比较词（为、不低于、高于 等）",
        Rule::bound_op => "「不低于」或「高于」",
        _ => return None,
    })
}

/// Keywords that begin a statement inside a clause; when many are expected at once they are
/// summarised as 「新的规则」.
const STATEMENT_KEYWORDS: &[&str] = &[
    "原文",
    "例外于",
    "与",
    "计入",
    "每户",
    "每名",
    "凡",
    "连续",
    "评定",
    "按",
    "分红",
    "本章",
];

/// Canonical display of a literal token: full-width where the language has both forms.
fn display_token(token: &str) -> Option<String> {
    let shown = match token {
        ":" | "：" => "：",
        "," | "，" => "，",
        ";" | "；" => "；",
        "(" | "（" => "（",
        ")" | "）" => "）",
        "{" | "｛" => "{",
        "}" | "｝" => "}",
        "。" | "．" | "." => "。",
        "「" | "“" | "『" | "\"" => "「",
        "」" | "”" | "』" => "」",
        "～" | "~" | "〜" | "至" | "到" | "—" | "－" | "-" | "–" => "～",
        "×" | "＊" | "*" | "x" | "X" | "乘以" | "乘" => "×",
        "%" | "％" => "%",
        "#" | "＃" | " " | "\t" | "\u{3000}" | "\u{00A0}" | "\u{FEFF}" | "\n" | "\r\n" | "\r" => {
            return None;
        }
        _ => token,
    };
    // Single Chinese numeral characters and digits are summarised as 数字.
    if shown.chars().count() == 1
        && shown.chars().all(|c| {
            "零〇一二两三四五六七八九十百千万亿廿卅壹贰叁肆伍陆柒捌玖拾佰仟".contains(c)
                || c.is_ascii_digit()
        })
    {
        return Some("数字".to_string());
    }
    Some(shown.to_string())
}

/// The expected things at the failure, as a list of short phrases, most useful first.
///
/// `tokens` are the literal tokens pest tried (as displayed by pest: a range shows as `a..b`);
/// `stacks` are the (deepest, parent) rules of each attempt.
pub fn expected_phrases(tokens: &[String], stacks: &[(Option<Rule>, Option<Rule>)]) -> Vec<String> {
    let mut phrases: Vec<String> = Vec::new();
    let push = |phrase: String, phrases: &mut Vec<String>| {
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    };
    for (deepest, parent) in stacks {
        let described = deepest
            .and_then(describe)
            .or_else(|| parent.and_then(describe));
        if let Some(text) = described {
            push(text.to_string(), &mut phrases);
        }
    }
    let mut keywords = 0;
    let mut literals: Vec<String> = Vec::new();
    for token in tokens {
        if let Some((start, _)) = token.split_once("..")
            && start.chars().count() == 1
        {
            if start == "0" || start == "０" {
                push("数字".to_string(), &mut phrases);
            }
            continue;
        }
        if token == "BUILTIN_RULE" {
            continue;
        }
        if STATEMENT_KEYWORDS.contains(&token.as_str()) {
            keywords += 1;
        }
        if let Some(shown) = display_token(token) {
            if shown == "数字" {
                push(shown, &mut phrases);
            } else {
                let quoted = format!("「{shown}」");
                if !literals.contains(&quoted) {
                    literals.push(quoted);
                }
            }
        }
    }
    if keywords >= 3 {
        literals.retain(|l| !STATEMENT_KEYWORDS.contains(&unquote(l)));
        push(
            "新的规则（如「凡 …」「每户 …」「原文：…」）".to_string(),
            &mut phrases,
        );
    }
    let comparisons = literals
        .iter()
        .filter(|l| COMPARISON_WORDS.contains(&unquote(l)))
        .count();
    if comparisons >= 3 {
        literals.retain(|l| !COMPARISON_WORDS.contains(&unquote(l)));
        push("比较词（为、不低于、高于 等）".to_string(), &mut phrases);
    }
    // Punctuation first (the most common thing missing), then words; symbols such as ≥ only
    // when nothing else is expected, since each has a word form.
    let has_words = literals.iter().any(|l| rank(unquote(l)) < 2) || !phrases.is_empty();
    if has_words {
        literals.retain(|l| rank(unquote(l)) < 2);
    }
    literals.sort_by_key(|l| rank(unquote(l)));
    let mut all = literals;
    all.extend(phrases);
    all
}

/// Comparison words and symbols, summarised when many are expected at once.
const COMPARISON_WORDS: &[&str] = &[
    "不等于",
    "不为",
    "不是",
    "等于",
    "为",
    "是",
    "不低于",
    "不少于",
    "不小于",
    "大于等于",
    "≥",
    ">=",
    "不高于",
    "不多于",
    "不大于",
    "不超过",
    "小于等于",
    "≤",
    "<=",
    "低于",
    "少于",
    "小于",
    "<",
    "高于",
    "多于",
    "大于",
    "超过",
    ">",
    "不早于",
    "不晚于",
    "早于",
    "晚于",
    "在",
];

fn unquote(quoted: &str) -> &str {
    quoted.trim_start_matches('「').trim_end_matches('」')
}

/// 0 for Chinese punctuation, 1 for words, 2 for symbols.
fn rank(token: &str) -> u8 {
    const PUNCTUATION: &str = "，。；：、（）「」{}";
    if token.chars().count() == 1 && token.chars().all(|c| PUNCTUATION.contains(c)) {
        0
    } else if token.chars().any(|c| c.is_alphabetic()) {
        1
    } else {
        2
    }
}

/// Joins phrases as 「甲」、「乙」或「丙」, keeping at most eight.
pub fn join_alternatives(phrases: &[String]) -> String {
    let shown: Vec<&str> = phrases.iter().take(8).map(String::as_str).collect();
    let more = phrases.len() > shown.len();
    match shown.as_slice() {
        [] => "别的内容".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => {
            let mut text = init.join("、");
            if more {
                text.push('、');
                text.push_str(last);
                text.push_str(" 等");
            } else {
                text.push_str(" 或 ");
                text.push_str(last);
            }
            text
        }
    }
}
