//! Syntax errors: text the grammar cannot read, numbers and dates that do not exist.
//!
//! Every variant has a stable code and a page under `docs/diagnostics/`. Messages are Chinese,
//! name the user's own words in 「」, and never show grammar rule names.

use miette::Diagnostic;
use serde::Serialize;
use thiserror::Error;

use super::span::Span;
use crate::diagnostic::Fix;

/// An error found while reading a compact's text.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic, Serialize)]
pub enum SyntaxError {
    /// E0001 — the grammar cannot read the text here.
    ///
    /// ```text
    /// 乡约「甲村」
    /// 第一条
    ///   凡 义务投工 每天 加 2 分。
    /// ```
    #[error("看不懂这里的{found}")]
    #[diagnostic(code(E0001), help("{help}"))]
    Unexpected {
        /// Where reading stopped.
        #[label("这里应为{expected}")]
        span: Span,
        /// What was found, already quoted or described (「每天」, 行尾).
        found: String,
        /// What would have been read, in words.
        expected: String,
        /// What to do.
        help: String,
    },

    /// E0002 — an opening quote (「, “ or 『) with no closing one on the same line.
    ///
    /// ```text
    /// 乡约「甲村
    /// ```
    #[error("左引号没有配对的右引号")]
    #[diagnostic(
        code(E0002),
        help("在名称结尾补上右引号 {close}；引号里的内容不能跨行")
    )]
    UnclosedQuote {
        /// The opening quote.
        #[label("这个引号没有结束")]
        span: Span,
        /// The closing quote that is missing.
        close: char,
    },

    /// E0003 — a numeral that is not a number (十十, 百二, 一千五十) or is too large.
    ///
    /// ```text
    /// 第十十条
    /// ```
    #[error("「{text}」不是一个正确的数字")]
    #[diagnostic(
        code(E0003),
        help("数字可以写成 25、２５ 或 二十五；中间空着的位写「零」，例如 一千零五十")
    )]
    BadNumber {
        /// The numeral.
        #[label("无法读成数字")]
        span: Span,
        /// Its text.
        text: String,
    },

    /// E0009 — a number of 10^12 (一万亿) or more, or with more than ten decimals: beyond what
    /// a compact's points, thresholds and amounts need, and what exact arithmetic can carry
    /// through the rules' products.
    ///
    /// ```text
    /// 凡 义务投工，每天 加 99999999999999 分。
    /// ```
    #[error("数字「{text}」{reason}")]
    #[diagnostic(
        code(E0009),
        help("乡约里的数都在一万亿以内、最多 10 位小数；多半是多打了数字，请核对")
    )]
    NumberOutOfRange {
        /// The numeral.
        #[label("超出范围")]
        span: Span,
        /// Its text.
        text: String,
        /// 太大了 / 小数位太多.
        reason: String,
    },

    /// E0004 — a date that does not exist (2024年2月30日) or a month-day out of range.
    ///
    /// ```text
    /// 生效 2024年2月30日
    /// ```
    #[error("日期「{text}」不存在")]
    #[diagnostic(
        code(E0004),
        help("日期写成 2024年3月5日、2024-03-05 或 2024/3/5，月份 1～12，日期不超过当月天数")
    )]
    BadDate {
        /// The date.
        #[label("没有这一天")]
        span: Span,
        /// Its text.
        text: String,
    },

    /// E0005 — the file does not begin with 乡约「名称」.
    ///
    /// ```text
    /// 版本「2024」
    /// ```
    #[error("乡约文件应以 乡约「名称」 开头")]
    #[diagnostic(code(E0005), help("在第一行写上 乡约「某某村积分制管理细则」"))]
    MissingTitle {
        /// The start of the file.
        #[label("这里应为 乡约「…」")]
        span: Span,
    },

    /// E0006 — a rule written on the same line as its clause's number and title.
    ///
    /// ```text
    /// 第一条 基础分 每户 加 10 分。
    /// ```
    #[error("第N条 这一行只写条号和标题，规则应另起一行")]
    #[diagnostic(code(E0006), help("在「{title}」后换行，再写规则"))]
    RuleOnHeadLine {
        /// The end of the title line.
        #[label("这部分应另起一行")]
        span: Span,
        /// The title as read.
        title: String,
    },

    /// E0007 — a bare name runs into a keyword, so the rest of the line cannot be read.
    ///
    /// ```text
    /// 事项 违规行为 { 行为类别：文本 }
    /// 第一条
    ///   凡 违规行为 且 行为类别 为 酒驾，扣 5 分。
    /// ```
    #[error("名称里的「{keyword}」被当成了关键词")]
    #[diagnostic(code(E0007), help("把整个名称用「」括起来，例如 「{suggestion}」"))]
    NameRunsIntoKeyword {
        /// The keyword inside the name.
        #[label("这里的「{keyword}」被读成关键词")]
        span: Span,
        /// The keyword.
        keyword: String,
        /// The name with the keyword, as it probably was meant.
        suggestion: String,
    },

    /// E0008 — parentheses nested too deeply to be a rule anyone can read.
    ///
    /// ```text
    /// 凡 甲 且 ((((((((((((((((((((((((((((((((((乙))))))))))))))))))))))))))))))))))，加 1 分。
    /// ```
    #[error("括号嵌套超过 {limit} 层")]
    #[diagnostic(code(E0008), help("把条件拆成几条规则，或去掉多余的括号"))]
    TooDeep {
        /// The parenthesis that goes one level too deep.
        #[label("这里嵌套太深")]
        span: Span,
        /// The limit.
        limit: usize,
    },
}

impl SyntaxError {
    /// The place the error points at.
    pub fn span(&self) -> Span {
        match self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::UnclosedQuote { span, .. }
            | SyntaxError::BadNumber { span, .. }
            | SyntaxError::NumberOutOfRange { span, .. }
            | SyntaxError::BadDate { span, .. }
            | SyntaxError::MissingTitle { span }
            | SyntaxError::RuleOnHeadLine { span, .. }
            | SyntaxError::NameRunsIntoKeyword { span, .. }
            | SyntaxError::TooDeep { span, .. } => *span,
        }
    }

    /// Moves the error by `offset` bytes (for errors found in a later part of the file).
    pub(crate) fn shifted(mut self, offset: usize) -> Self {
        let shift = |span: &mut Span| {
            *span = Span::new(span.start as usize + offset, span.end as usize + offset);
        };
        match &mut self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::UnclosedQuote { span, .. }
            | SyntaxError::BadNumber { span, .. }
            | SyntaxError::NumberOutOfRange { span, .. }
            | SyntaxError::BadDate { span, .. }
            | SyntaxError::MissingTitle { span }
            | SyntaxError::RuleOnHeadLine { span, .. }
            | SyntaxError::NameRunsIntoKeyword { span, .. }
            | SyntaxError::TooDeep { span, .. } => shift(span),
        }
        self
    }

    /// A quick fix an editor can apply, when there is an obvious one.
    pub fn fix(&self) -> Option<Fix> {
        match self {
            SyntaxError::NameRunsIntoKeyword { .. } => None,
            _ => None,
        }
    }
}
