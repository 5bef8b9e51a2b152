//! Text → checked compact in one call: parsing and checking together, with every problem in
//! one list. This is what the command line, the test runner and editors use.

use miette::Diagnostic;

use crate::check::{self, CheckError, CheckWarning};
use crate::diagnostic::{Fix, Report};
use crate::model::Compact;
use crate::syntax::ast::SourceFile;
use crate::syntax::{self, LineIndex, SyntaxError};

/// A problem found in a compact's text, of any phase.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The text could not be read.
    Syntax(SyntaxError),
    /// The text reads but does not check.
    Check(CheckError),
    /// The compact works, but something looks wrong.
    Warning(CheckWarning),
}

impl Problem {
    /// The problem as a miette diagnostic.
    pub fn diagnostic(&self) -> &dyn Diagnostic {
        match self {
            Problem::Syntax(e) => e,
            Problem::Check(e) => e,
            Problem::Warning(w) => w,
        }
    }

    /// Whether it stops the compact from being used.
    pub fn is_error(&self) -> bool {
        !matches!(self, Problem::Warning(_))
    }

    /// A quick fix, when there is one.
    pub fn fix(&self) -> Option<Fix> {
        match self {
            Problem::Syntax(e) => e.fix(),
            Problem::Check(e) => e.fix(),
            Problem::Warning(_) => None,
        }
    }

    /// The stable code (E0101 …).
    pub fn code(&self) -> String {
        self.diagnostic()
            .code()
            .map(|c| c.to_string())
            .unwrap_or_default()
    }

    /// The problem as plain data with positions in `source`.
    pub fn report(&self, source: &str, index: &LineIndex) -> Report {
        Report::new(self.diagnostic(), self.fix(), source, index)
    }
}

/// What reading and checking a compact gave.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The AST, when the text reads.
    pub ast: Option<SourceFile>,
    /// The typed compact, when there are no errors.
    pub compact: Option<Compact>,
    /// Every error and warning, errors of earlier phases first.
    pub problems: Vec<Problem>,
}

impl Compiled {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Parses and checks a compact's text.
pub fn compile(source: &str) -> Compiled {
    match syntax::parse(source) {
        Err(errors) => Compiled {
            ast: None,
            compact: None,
            problems: errors.into_iter().map(Problem::Syntax).collect(),
        },
        Ok(ast) => {
            let mut checked = check::check(&ast);
            if checked.errors.is_empty() {
                checked.warnings.extend(check::prose_numbers(&ast, source));
                checked.warnings.sort_by_key(CheckWarning::span);
            }
            let mut problems: Vec<Problem> =
                checked.errors.into_iter().map(Problem::Check).collect();
            problems.extend(checked.warnings.into_iter().map(Problem::Warning));
            let compact = (!problems.iter().any(Problem::is_error)).then_some(checked.compact);
            Compiled {
                ast: Some(ast),
                compact,
                problems,
            }
        }
    }
}
