//! Running the pest grammar, and turning its failures into [`SyntaxError`]s.
//!
//! pest stops at the first failure. To report every error of a file, reading resumes at the
//! next line that starts a declaration, clause, chapter or example, and goes on from there.

use pest::Parser as _;
use pest::error::InputLocation;
use pest_derive::Parser;

use super::error::SyntaxError;
use super::expected::{expected_phrases, join_alternatives};
use super::span::Span;

/// The pest parser generated from `grammar/xiangyue.pest`.
#[derive(Parser)]
#[grammar = "../grammar/xiangyue.pest"]
pub(crate) struct XyParser;

/// How many syntax errors one file reports at most.
const MAX_ERRORS: usize = 20;

/// Serialises the detailed re-parse of a failed input: pest's error detail is a process-wide
/// switch, costly to leave on (it records every attempt), so it is on only inside this lock.
static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Parses with `rule`, returning pest's pairs or our error. Parsing runs fast; only when it
/// fails is the input parsed again with pest's error detail, to say what was expected.
pub(crate) fn parse_rule(
    rule: Rule,
    source: &str,
) -> Result<pest::iterators::Pairs<'_, Rule>, SyntaxError> {
    match XyParser::parse(rule, source) {
        Ok(pairs) => Ok(pairs),
        Err(_) => {
            let _guard = DETAIL
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            pest::set_error_detail(true);
            let detailed = XyParser::parse(rule, source);
            pest::set_error_detail(false);
            match detailed {
                Ok(pairs) => Ok(pairs),
                Err(error) => Err(convert_error(&error, source)),
            }
        }
    }
}

/// Whether `text` reads completely as `rule` (used by the formatter to decide on quotes).
pub(crate) fn reads_as(rule: Rule, text: &str) -> bool {
    match XyParser::parse(rule, text) {
        Ok(mut pairs) => pairs
            .next()
            .is_some_and(|pair| pair.as_span().end() == text.len()),
        Err(_) => false,
    }
}

/// Parses a whole file, or returns every syntax error found by resuming after each failure.
pub(crate) fn parse_file(
    source: &str,
) -> Result<pest::iterators::Pair<'_, Rule>, Vec<SyntaxError>> {
    match parse_rule(Rule::file, source) {
        Ok(mut pairs) => pairs.next().ok_or_else(|| {
            vec![SyntaxError::MissingTitle {
                span: Span::new(0, 0),
            }]
        }),
        Err(first) => {
            let first = refine(first, source);
            let mut errors = vec![first];
            collect_later_errors(source, &mut errors);
            Err(errors)
        }
    }
}

/// Resumes reading after the last error, at the next line that starts a new item.
fn collect_later_errors(source: &str, errors: &mut Vec<SyntaxError>) {
    while errors.len() < MAX_ERRORS {
        let Some(last) = errors.last() else { return };
        let Some(resume) = next_item_start(source, last.span().end as usize) else {
            return;
        };
        let rest = source.get(resume..).unwrap_or("");
        match parse_rule(Rule::resume, rest) {
            Ok(_) => return,
            Err(error) => {
                let error = refine(error, rest).shifted(resume);
                // Never loop on the same place.
                if error.span().start as usize <= resume && errors.len() > 1 {
                    return;
                }
                errors.push(error);
            }
        }
    }
}

/// The offset of the first line after `offset` whose first word starts an item.
fn next_item_start(source: &str, offset: usize) -> Option<usize> {
    let mut line_start = source.get(offset..)?.find('\n')? + offset + 1;
    loop {
        let line = source.get(line_start..)?;
        let trimmed = line.trim_start_matches([' ', '\t', '\u{3000}']);
        let indent = line.len() - trimmed.len();
        if starts_item(trimmed) {
            return Some(line_start + indent);
        }
        line_start += line.find('\n')? + 1;
    }
}

fn starts_item(line: &str) -> bool {
    if ["事项", "账户", "名册", "户籍", "示例"]
        .iter()
        .any(|k| line.starts_with(k))
    {
        return true;
    }
    // 第…条 / 第…章 with a numeral in between.
    if let Some(rest) = line.strip_prefix('第') {
        let end = rest
            .char_indices()
            .find(|(_, c)| *c == '条' || *c == '章')
            .map(|(i, _)| i);
        if let Some(end) = end {
            let numeral = rest.get(..end).unwrap_or("").trim();
            return !numeral.is_empty() && super::numeral::parse_number(numeral).is_ok();
        }
    }
    false
}

/// Converts pest's error into ours, describing what was expected in Chinese.
fn convert_error(error: &pest::error::Error<Rule>, source: &str) -> SyntaxError {
    let (position, expected) = match error.parse_attempts() {
        Some(attempts) => {
            let tokens: Vec<String> = attempts
                .expected_tokens()
                .iter()
                .map(ToString::to_string)
                .collect();
            let stacks: Vec<(Option<Rule>, Option<Rule>)> = attempts
                .call_stacks()
                .iter()
                .map(|stack| (stack.deepest.get_rule().copied(), stack.parent))
                .collect();
            let phrases = expected_phrases(&tokens, &stacks);
            (attempts.max_position, phrases)
        }
        None => {
            let position = match error.location {
                InputLocation::Pos(p) => p,
                InputLocation::Span((s, _)) => s,
            };
            (position, Vec::new())
        }
    };
    let position = position.min(source.len());
    let content = first_content(source);
    if position <= content
        && !source
            .get(content..)
            .is_some_and(|rest| rest.starts_with("乡约") || rest.starts_with("村规民约"))
    {
        return SyntaxError::MissingTitle {
            span: Span::new(
                content,
                content + first_word_len(source.get(content..).unwrap_or("")),
            ),
        };
    }
    let (found, len) = found_at(source, position);
    let expected_text = join_alternatives(&expected);
    let help = help_for(&expected, source, position);
    SyntaxError::Unexpected {
        span: Span::new(position, position + len),
        found,
        expected: expected_text,
        help,
    }
}

/// The offset of the first text that is not blank or a comment.
fn first_content(source: &str) -> usize {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(['\u{feff}', ' ', '\t', '\u{3000}', '\r', '\n']);
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('＃') {
            offset += line.len();
            continue;
        }
        return offset + (line.len() - trimmed.len());
    }
    offset
}

fn first_word_len(source: &str) -> usize {
    source
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .unwrap_or(source.len())
}

/// Describes the text at `position`: a quoted word, 行尾 or 文件结尾; and its length in bytes.
fn found_at(source: &str, position: usize) -> (String, usize) {
    let rest = source.get(position..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("文件结尾".to_string(), 0);
    };
    if first == '\n' || first == '\r' {
        return ("行尾".to_string(), 0);
    }
    let mut end = 0;
    let mut count = 0;
    for (i, c) in rest.char_indices() {
        let word_char = c.is_alphanumeric();
        if i > 0 && (!word_char || !first.is_alphanumeric()) {
            break;
        }
        end = i + c.len_utf8();
        count += 1;
        if count >= 8 || !word_char {
            break;
        }
    }
    let word = rest.get(..end).unwrap_or("");
    let more = rest
        .get(end..)
        .and_then(|r| r.chars().next())
        .is_some_and(char::is_alphanumeric)
        && first.is_alphanumeric();
    let ellipsis = if more { "…" } else { "" };
    (format!("「{word}{ellipsis}」"), end)
}

/// What to do, from what was expected.
fn help_for(expected: &[String], source: &str, position: usize) -> String {
    let has = |s: &str| expected.iter().any(|e| e == s);
    let before = source.get(..position).unwrap_or("");
    let line_before = before.rsplit('\n').next().unwrap_or("");
    if has("「。」") && expected.len() <= 3 {
        return "每条规则以「。」结束".to_string();
    }
    if has("「，」")
        && line_before.trim_start().starts_with('凡')
        && !line_before.contains('，')
        && !line_before.contains(',')
    {
        return "「凡 事项」之后用「，」隔开，再写加分或扣分，例如「凡 义务投工，每天 加 2 分。」"
            .to_string();
    }
    if has("「」」") {
        return "引号「」要成对，且不能跨行".to_string();
    }
    if has("数字") && expected.len() == 1 {
        return "这里应写数字，例如 10 或 十".to_string();
    }
    "对照 docs/language.md 检查这一句的写法；名称中含有关键词时，请用「」括起名称".to_string()
}

/// Sharpens a general error into a specific one where the cause is recognisable.
fn refine(error: SyntaxError, source: &str) -> SyntaxError {
    let SyntaxError::Unexpected { span, .. } = &error else {
        return error;
    };
    let position = span.start as usize;
    if let Some((unclosed, open, close)) = unclosed_quote_before(source, position) {
        return SyntaxError::UnclosedQuote {
            span: Span::new(unclosed, unclosed + open.len_utf8()),
            close,
        };
    }
    if let Some(refined) = rule_on_head_line(source, position) {
        return refined;
    }
    if let Some(refined) = name_runs_into_keyword(source, position) {
        return refined;
    }
    error
}

/// An opening quote on the error's line (up to the error) with no closing one after it on the
/// line: its offset, and the opening and closing marks.
fn unclosed_quote_before(source: &str, position: usize) -> Option<(usize, char, char)> {
    const PAIRS: [(char, char); 3] = [('「', '」'), ('“', '”'), ('『', '』')];
    let line_start = source.get(..position)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = source
        .get(position..)?
        .find('\n')
        .map_or(source.len(), |i| i + position);
    let line = source.get(line_start..line_end)?;
    let mut open: Option<(usize, char, char)> = None;
    for (i, c) in line.char_indices() {
        if line_start + i > position {
            break;
        }
        if open.is_none() {
            if let Some(&(o, close)) = PAIRS.iter().find(|(o, _)| *o == c) {
                open = Some((line_start + i, o, close));
            }
        } else if open.is_some_and(|(_, _, close)| close == c) {
            open = None;
        }
    }
    let (at, o, close) = open?;
    let after = source.get(at..line_end)?;
    if after.contains(close) {
        None
    } else {
        Some((at, o, close))
    }
}

/// 第一条 基础分 每户 加 10 分。 — the title ran to the 「。」. The error points from the
/// second word of the title (where the rule probably starts) to the 「。」.
fn rule_on_head_line(source: &str, position: usize) -> Option<SyntaxError> {
    let rest = source.get(position..)?;
    if !(rest.starts_with('。') || rest.starts_with('．')) {
        return None;
    }
    let line_start = source.get(..position)?.rfind('\n').map_or(0, |i| i + 1);
    let line = source.get(line_start..position)?;
    let trimmed = line.trim_start();
    let after_number = trimmed.strip_prefix('第')?;
    let marker = after_number
        .char_indices()
        .find(|(_, c)| *c == '条' || *c == '章')?;
    let title_start = line_start
        + (line.len() - trimmed.len())
        + '第'.len_utf8()
        + marker.0
        + marker.1.len_utf8();
    let title_text = source.get(title_start..position)?;
    let leading = title_text.len() - title_text.trim_start().len();
    let title_text = title_text.trim_start();
    let (title, rule_start) = match title_text.find(char::is_whitespace) {
        Some(gap) => {
            let after = title_text.get(gap..).unwrap_or("");
            let skip = after.len() - after.trim_start().len();
            (
                title_text.get(..gap).unwrap_or("").to_string(),
                title_start + leading + gap + skip,
            )
        }
        None => (title_text.to_string(), title_start + leading),
    };
    Some(SyntaxError::RuleOnHeadLine {
        span: Span::new(rule_start, position + '。'.len_utf8()),
        title,
    })
}

/// Keywords that stop a bare name inside a rule.
const STOP_KEYWORDS: &[&str] = &[
    "且", "或", "为", "是", "在", "按", "的", "累计", "加倍", "排名", "比例", "支出", "清零",
    "低于", "高于", "少于", "多于", "大于", "小于", "超过", "加", "扣", "减", "非", "未",
];

/// A bare name on the error's line that contains a keyword, and that reads further when quoted.
fn name_runs_into_keyword(source: &str, position: usize) -> Option<SyntaxError> {
    let line_start = source.get(..position)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = source
        .get(position..)?
        .find('\n')
        .map_or(source.len(), |i| i + position);
    let line = source.get(line_start..line_end)?;
    // Maximal runs of letters and digits that start before the error.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut run_start: Option<usize> = None;
    for (i, c) in line.char_indices() {
        let inside = c.is_alphanumeric() || c == '_' || c == '·';
        match (inside, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                run_start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = run_start {
        runs.push((s, line.len()));
    }
    for &(start, end) in runs.iter().rev() {
        if line_start + start > position {
            continue;
        }
        let word = line.get(start..end)?;
        // Skip the statement keyword at the start of a line (凡 …).
        let word_body = word.trim_start_matches('凡');
        // The keyword may start the name (按时) or sit inside it (行为类别), not end it.
        let Some((keyword_offset, keyword)) = STOP_KEYWORDS.iter().find_map(|k| {
            word_body
                .find(k)
                .filter(|&i| i + k.len() < word_body.len())
                .map(|i| (i, *k))
        }) else {
            continue;
        };
        let body_start = line_start + start + (word.len() - word_body.len());
        let quoted = format!(
            "{}「{}」{}",
            source.get(..body_start)?,
            word_body,
            source.get(line_start + end..)?
        );
        let improves = match parse_rule(Rule::file, &quoted) {
            Ok(_) => true,
            Err(e) => e.span().start as usize > position + "「」".len(),
        };
        if improves {
            let at = body_start + keyword_offset;
            return Some(SyntaxError::NameRunsIntoKeyword {
                span: Span::new(at, at + keyword.len()),
                keyword: keyword.to_string(),
                suggestion: word_body.to_string(),
            });
        }
    }
    None
}

/// The places a name is written; each stops before different keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameContext {
    /// A declared name (事项 甲, 户籍 { 甲：… }).
    Declaration,
    /// An event kind after 凡.
    Event,
    /// A field, attribute or account in a rule.
    Reference,
    /// A name in a worked example's assignment.
    Assignment,
    /// A roster named in 每名 … or a worked example.
    Roster,
    /// A rating named in a veto.
    Rating,
    /// A rating named before 降为 in a veto.
    Downgraded,
    /// A unit word (天, 小时).
    Unit,
}

/// Whether `text` can be written without quotes where a name of `context` goes.
pub fn name_reads_bare(context: NameContext, text: &str) -> bool {
    let rule = match context {
        NameContext::Declaration => Rule::bare_decl,
        NameContext::Event => Rule::bare_event,
        NameContext::Reference => Rule::bare_ref,
        NameContext::Assignment => Rule::bare_asg,
        NameContext::Roster => Rule::bare_kind,
        NameContext::Rating => Rule::bare_rating,
        NameContext::Downgraded => Rule::bare_downgrade,
        NameContext::Unit => Rule::unit_name,
    };
    !text.is_empty() && reads_as(rule, text)
}

/// Whether the text value `text` can be written without quotes and still read as text (not
/// as a number, a date or a keyword).
pub fn value_reads_bare(text: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    match XyParser::parse(Rule::value, text) {
        Ok(mut pairs) => pairs.next().is_some_and(|pair| {
            pair.as_span().end() == text.len()
                && pair
                    .into_inner()
                    .next()
                    .is_some_and(|inner| inner.as_rule() == Rule::bare_value)
        }),
        Err(_) => false,
    }
}
