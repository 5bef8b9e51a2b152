//! AST → typed [`Compact`]: names resolved, types checked, clauses numbered, warnings found.
//!
//! The checker walks the AST in passes — declarations ([`declarations`]), clauses and their
//! rules ([`clauses`], [`conditions`], [`results`]), worked examples ([`examples`]) — and then
//! looks over the finished compact for likely mistakes ([`lint`]). Every error of the file is
//! collected; warnings go to their own list. The checker does no IO.

mod caps;
mod clauses;
mod conditions;
mod declarations;
mod error;
mod examples;
mod lint;
mod prose;
mod results;
mod suggest;
pub mod template;

use indexmap::IndexMap;

pub use error::{CheckError, CheckWarning};
pub use examples::UNNAMED_HOUSEHOLD;
pub use prose::prose_numbers;
pub use suggest::closest;

use crate::model::{Compact, MonthDay};
use crate::syntax::Span;
use crate::syntax::ast::SourceFile;

/// What the checker found: the compact (complete only when there are no errors), the errors
/// and the warnings.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The typed compact; use it only when `errors` is empty.
    pub compact: Compact,
    /// Errors, in source order.
    pub errors: Vec<CheckError>,
    /// Warnings, in source order.
    pub warnings: Vec<CheckWarning>,
}

/// Checks a parsed compact.
pub fn check(file: &SourceFile) -> Checked {
    let mut checker = Checker::new(file);
    checker.declarations();
    checker.clauses();
    checker.resolve_downgrades();
    checker.resolve_series();
    checker.within_limits();
    checker.never_reduced();
    checker.examples();
    if checker.errors.is_empty() {
        checker.lint();
    }
    let Checker {
        compact,
        mut errors,
        mut warnings,
        ..
    } = checker;
    errors.sort_by_key(error_position);
    warnings.sort_by_key(|w| w.span());
    Checked {
        compact,
        errors,
        warnings,
    }
}

fn error_position(error: &CheckError) -> Span {
    use miette::Diagnostic;
    error
        .labels()
        .and_then(|mut labels| labels.next())
        .map(|label| Span::new(label.offset(), label.offset() + label.len()))
        .unwrap_or_default()
}

/// The checker's state while it walks one file.
pub(crate) struct Checker<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) compact: Compact,
    pub(crate) errors: Vec<CheckError>,
    pub(crate) warnings: Vec<CheckWarning>,
    /// Subject kinds by name (户 is index 0).
    pub(crate) kind_names: IndexMap<String, usize>,
    pub(crate) account_names: IndexMap<String, usize>,
    pub(crate) event_names: IndexMap<String, usize>,
    /// Clause numbers → clause index, known before the clauses are converted.
    pub(crate) clause_numbers: IndexMap<u32, usize>,
    /// Rating names → rating index, known before the clauses are converted.
    pub(crate) rating_names: IndexMap<String, usize>,
    /// 降为「…」 grades named in vetoes, resolved once every rating's rows are known.
    pub(crate) pending_downgrades: Vec<(usize, String, Span)>,
    /// Year ratings from windows (四个季度 均为「红榜」), resolved once every rating is known.
    pub(crate) pending_series: Vec<(usize, crate::syntax::ast::RatingRule, Span)>,
    /// Which events and accounts some rule uses (for the unused warnings).
    pub(crate) used_events: Vec<bool>,
    pub(crate) credited_accounts: Vec<bool>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a SourceFile) -> Self {
        Checker {
            file,
            compact: Compact {
                title: file.title.node.clone(),
                version: None,
                effective: None,
                period_start: MonthDay { month: 1, day: 1 },
                kinds: Vec::new(),
                accounts: Vec::new(),
                events: Vec::new(),
                chapters: Vec::new(),
                clauses: Vec::new(),
                ratings: Vec::new(),
                ranks: Vec::new(),
                dividend: None,
                examples: Vec::new(),
                template: None,
                basis: None,
            },
            errors: Vec::new(),
            warnings: Vec::new(),
            kind_names: IndexMap::new(),
            account_names: IndexMap::new(),
            event_names: IndexMap::new(),
            clause_numbers: IndexMap::new(),
            rating_names: IndexMap::new(),
            pending_series: Vec::new(),
            pending_downgrades: Vec::new(),
            used_events: Vec::new(),
            credited_accounts: Vec::new(),
        }
    }

    /// E0150: more ratings (each window of a 每季度/每月 rating counts) or more accounts of one
    /// subject than the evaluator keeps apart in a veto's flags ([`Bits::CAPACITY`]).
    ///
    /// [`Bits::CAPACITY`]: crate::eval::state::Bits::CAPACITY
    fn within_limits(&mut self) {
        let limit = crate::eval::state::Bits::CAPACITY;
        if let Some(rating) = self.compact.ratings.get(limit) {
            let span = rating.span;
            let count = self.compact.ratings.len();
            self.error(CheckError::TooMany {
                span,
                what: "评定".to_string(),
                count,
                counting: "（按季度、按月评定的，每季、每月各算一个）".to_string(),
                limit,
            });
        }
        for kind in 0..self.compact.kinds.len() {
            let accounts: Vec<Span> = self
                .compact
                .accounts
                .iter()
                .filter(|a| a.owner == kind)
                .map(|a| a.span)
                .collect();
            if let Some(&span) = accounts.get(limit) {
                self.error(CheckError::TooMany {
                    span,
                    what: "账户".to_string(),
                    count: accounts.len(),
                    counting: String::new(),
                    limit,
                });
            }
        }
    }

    pub(crate) fn error(&mut self, error: CheckError) {
        self.errors.push(error);
    }

    pub(crate) fn warn(&mut self, warning: CheckWarning) {
        self.warnings.push(warning);
    }

    /// The display name of a subject kind: 户 for households, the roster's name otherwise.
    pub(crate) fn kind_label(&self, kind: usize) -> String {
        match kind {
            0 => "户".to_string(),
            _ => self
                .compact
                .kinds
                .get(kind)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
        }
    }
}
