//! Text → AST: the grammar, lowering, comments and positions.
//!
//! `parse` is the entry point. Nothing outside this module sees pest's types; the rest of the
//! crate works on [`ast::SourceFile`].

pub mod ast;
mod comments;
mod error;
mod expected;
mod lower;
pub mod numeral;
pub(crate) mod parser;
pub use parser::{NameContext, name_reads_bare, value_reads_bare};
mod span;

pub use error::SyntaxError;
pub use span::{LineIndex, Position, Span, Spanned};

/// How deeply parentheses may nest in a condition.
pub const MAX_NESTING: usize = 16;

/// Texts at least this long are read in two halves at once (see [`parse_halves`]).
const PARALLEL_FROM_BYTES: usize = 64 * 1024;

/// Parses a compact's text into its AST, or returns every syntax error found.
pub fn parse(source: &str) -> Result<ast::SourceFile, Vec<SyntaxError>> {
    if let Some(error) = too_deep(source) {
        return Err(vec![error]);
    }
    // Without threads (the core alone, as in WebAssembly) halves would only cost time.
    let halves = if cfg!(feature = "native") && source.len() >= PARALLEL_FROM_BYTES {
        parse_halves(source)
    } else {
        None
    };
    let mut file = match halves {
        Some(file) => file,
        None => parse_whole(source)?,
    };
    file.comments = comments::comments(source);
    Ok(file)
}

/// Parses the text in one piece (comments are added by the caller).
pub(crate) fn parse_whole(source: &str) -> Result<ast::SourceFile, Vec<SyntaxError>> {
    let pair = parser::parse_file(source)?;
    let mut lowerer = lower::Lowerer::new();
    let file = lowerer.file(pair);
    let errors = lowerer.finish();
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// Reads a long text in two halves on two threads, split at a clause head near the middle.
///
/// The second half's spans are shifted by where it starts, so they point into the whole text.
/// Anything unusual — no clean split point, an error in either half, declarations after the
/// split — returns `None`, and the caller reads the text in one piece: the result (and every
/// error message) is always that of the sequential parse.
fn parse_halves(source: &str) -> Option<ast::SourceFile> {
    let split = clause_head_near_middle(source)?;
    let (head, tail) = (source.get(..split)?, source.get(split..)?);
    let (first, second) = both(
        || parse_whole(head).ok(),
        || -> Option<ast::SourceFile> {
            let pair = parser::parse_rule(parser::Rule::resume, tail)
                .ok()?
                .next()?;
            let mut lowerer = lower::Lowerer::at_offset(split);
            let file = lowerer.file(pair);
            lowerer.finish().is_empty().then_some(file)
        },
    );
    let (mut file, rest) = (first?, second?);
    if !rest.declarations.is_empty() || !rest.settings.is_empty() {
        return None;
    }
    match file.chapters.last_mut() {
        Some(chapter) => chapter.clauses.extend(rest.loose_clauses),
        None => file.loose_clauses.extend(rest.loose_clauses),
    }
    file.chapters.extend(rest.chapters);
    file.examples.extend(rest.examples);
    Some(file)
}

/// Runs `first` here and `second` on another thread at once (`None` for `second` if it panicked).
#[cfg(feature = "native")]
fn both<A, B: Send>(
    first: impl FnOnce() -> A,
    second: impl FnOnce() -> Option<B> + Send,
) -> (A, Option<B>) {
    std::thread::scope(|scope| {
        let second = scope.spawn(second);
        let first = first();
        (first, second.join().ok().flatten())
    })
}

/// Runs `first`, then `second`: the core alone starts no threads.
#[cfg(not(feature = "native"))]
fn both<A, B>(first: impl FnOnce() -> A, second: impl FnOnce() -> Option<B>) -> (A, Option<B>) {
    (first(), second())
}

/// The byte offset of the first line at or after the middle of `source` that starts, at its
/// first column, with a clause head (第N条).
fn clause_head_near_middle(source: &str) -> Option<usize> {
    let mut offset = source.len() / 2;
    while !source.is_char_boundary(offset) {
        offset += 1;
    }
    let mut line_start = source.get(offset..)?.find('\n')? + offset + 1;
    loop {
        let line = source.get(line_start..)?;
        if let Some(rest) = line.strip_prefix('第')
            && let Some(end) = rest.find('条')
            && rest
                .get(..end)
                .is_some_and(|n| !n.is_empty() && numeral::parse_whole(n.trim()).is_ok())
        {
            return Some(line_start);
        }
        line_start += line.find('\n')? + 1;
    }
}

/// The first parenthesis nested more than [`MAX_NESTING`] deep, outside quotes and 原文 lines.
/// Checked before parsing, so that neither the parser nor the checker recurses without bound.
fn too_deep(source: &str) -> Option<SyntaxError> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if line.trim_start().starts_with("原文") {
            continue;
        }
        let mut depth: usize = 0;
        let mut in_quote = false;
        for (i, c) in line.char_indices() {
            match c {
                '「' | '“' | '『' => in_quote = true,
                '」' | '”' | '』' => in_quote = false,
                '#' | '＃' if !in_quote => break,
                '(' | '（' if !in_quote => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(SyntaxError::TooDeep {
                            span: Span::new(start + i, start + i + c.len_utf8()),
                            limit: MAX_NESTING,
                        });
                    }
                }
                ')' | '）' if !in_quote => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long compact with chapters, comments and examples, long enough to be read in halves.
    fn long_compact() -> String {
        let mut text = String::from("# 头注\n乡约「甲村」\n事项 甲 { 天数：数量（天） }\n");
        for chapter in 1..=8 {
            text.push_str(&format!("\n第{chapter}章 第{chapter}部分\n"));
            for n in 1..=150 {
                let c = (chapter - 1) * 150 + n;
                text.push_str(&format!(
                    "\n第{c}条 条文{c}  # 注{c}\n  原文：第{c}条的原文。\n  凡 甲 且 天数 不低于 {n}，每天 加 1 分。\n"
                ));
            }
        }
        text.push_str("\n示例「一」\n  户。\n  2024年1月1日 甲：天数 2。\n  应得：积分 2 分。\n");
        text
    }

    #[test]
    fn reading_in_halves_gives_the_same_tree_and_spans_as_reading_whole() {
        let text = long_compact();
        assert!(text.len() >= PARALLEL_FROM_BYTES);
        assert!(clause_head_near_middle(&text).is_some());
        let halves = parse_halves(&text).map(|mut f| {
            f.comments = comments::comments(&text);
            f
        });
        let whole = parse_whole(&text).ok().map(|mut f| {
            f.comments = comments::comments(&text);
            f
        });
        assert!(halves.is_some());
        // Debug output includes every span, which equality deliberately ignores.
        let (a, b) = (format!("{halves:?}"), format!("{whole:?}"));
        let first_difference = a.bytes().zip(b.bytes()).position(|(x, y)| x != y);
        if let Some(at) = first_difference.or((a.len() != b.len()).then_some(a.len().min(b.len())))
        {
            let window = |s: &str| {
                s.get(at.saturating_sub(120)..(at + 120).min(s.len()))
                    .unwrap_or("")
                    .to_string()
            };
            panic!(
                "halves differ at {at}:\n{}\n---\n{}",
                window(&a),
                window(&b)
            );
        }
    }

    #[test]
    fn an_error_in_either_half_reports_as_the_whole_text_would() {
        let mut text = long_compact();
        let late = text.rfind("每天 加 1 分").unwrap_or(0);
        text.replace_range(late..late + "每天 加 1 分".len(), "每天 加 一 分 分");
        let errors = parse(&text).err().unwrap_or_default();
        let sequential = parse_whole(&text).err().unwrap_or_default();
        assert!(!errors.is_empty());
        assert_eq!(errors, sequential);
    }
}
