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

/// Parses and checks a compact's text. A compact built on a template (依据「…」) gets E0147
/// here, since no template is at hand: use [`compile_with`] and a resolver.
pub fn compile(source: &str) -> Compiled {
    compile_with(source, &|_| None)
}

/// Finds a template's text by the name a compact's 依据「…」 gives. The core reads no files:
/// the command line looks in the compact's folder and its parents (`data::files`), the tests
/// and the browser pass templates they hold in memory.
pub type TemplateResolver<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Parses and checks a compact's text; its template, if it names one, is found through
/// `templates` and checked first, and the compact is checked against it (E0143–E0148).
pub fn compile_with(source: &str, templates: &TemplateResolver<'_>) -> Compiled {
    let mut chain = Vec::new();
    compile_in_chain(source, templates, &mut chain).0
}

/// Like [`compile_with`], and also gives the checked template the compact is built on.
pub fn compile_with_template(
    source: &str,
    templates: &TemplateResolver<'_>,
) -> (Compiled, Option<Compact>) {
    let mut chain = Vec::new();
    compile_in_chain(source, templates, &mut chain)
}

/// The most templates one compact may stand on, through templates built on templates.
const MAX_TEMPLATE_DEPTH: usize = 8;

fn compile_in_chain(
    source: &str,
    templates: &TemplateResolver<'_>,
    chain: &mut Vec<String>,
) -> (Compiled, Option<Compact>) {
    let mut compiled = compile_alone(source);
    let Some(ast) = &compiled.ast else {
        return (compiled, None);
    };
    let Some(compact) = compiled.compact.as_ref() else {
        return (compiled, None);
    };
    let Some(basis) = compact.basis.clone() else {
        return (compiled, None);
    };
    let own = crate::model::width::fold_width(&ast.title.node).into_owned();
    if chain.is_empty() {
        chain.push(own);
    }
    let wanted = crate::model::width::fold_width(&basis.name).into_owned();
    let mut errors = Vec::new();
    let mut template = None;
    if chain.contains(&wanted) {
        let mut names: Vec<String> = chain.clone();
        names.push(wanted.clone());
        errors.push(CheckError::TemplateCycle {
            span: basis.span,
            name: basis.name.clone(),
            chain: names
                .iter()
                .map(|n| format!("「{n}」"))
                .collect::<Vec<_>>()
                .join("依据"),
        });
    } else if chain.len() > MAX_TEMPLATE_DEPTH {
        errors.push(unavailable(&basis, "层层依据太深", "模板至多依据八层"));
    } else {
        match templates(&basis.name) {
            None => errors.push(unavailable(
                &basis,
                "找不到",
                "把模板文件（开头写 模板「…」，名称与这里一致）放在本村的文件夹或它的上级文件夹里；在编辑器或网页里单独打开时没有模板可查",
            )),
            Some(text) => {
                chain.push(wanted);
                let (inner, _) = compile_in_chain(&text, templates, chain);
                chain.pop();
                let cycle = inner.problems.iter().find_map(|p| match p {
                    Problem::Check(CheckError::TemplateCycle { chain, .. }) => Some(chain.clone()),
                    _ => None,
                });
                match (inner.compact, cycle) {
                    (_, Some(names)) => errors.push(CheckError::TemplateCycle {
                        span: basis.span,
                        name: basis.name.clone(),
                        chain: names,
                    }),
                    (Some(t), None) if t.template.is_some() => template = Some(t),
                    (Some(_), None) => errors.push(unavailable(
                        &basis,
                        "不是模板",
                        "被依据的文件开头要写 模板「…」，而不是 乡约「…」",
                    )),
                    (None, None) => errors.push(unavailable(
                        &basis,
                        "本身有错误",
                        "先用 xiangyue check 检查模板文件，改正它的错误",
                    )),
                }
            }
        }
    }
    if let Some(t) = &template {
        errors.extend(check::template::check_against(compact, t, basis.span));
    }
    if !errors.is_empty() {
        let mut problems: Vec<Problem> = errors.into_iter().map(Problem::Check).collect();
        problems.append(&mut compiled.problems);
        compiled.problems = problems;
        compiled.compact = None;
    }
    (compiled, template)
}

fn unavailable(basis: &crate::model::Basis, problem: &str, help: &str) -> CheckError {
    CheckError::TemplateUnavailable {
        span: basis.span,
        name: basis.name.clone(),
        problem: problem.to_string(),
        help: help.to_string(),
    }
}

/// Parses and checks one text, its template not looked at.
fn compile_alone(source: &str) -> Compiled {
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
