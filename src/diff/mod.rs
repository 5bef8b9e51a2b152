//! Two versions of a compact → what changed, clause by clause, and (with data) whom it affects.
//!
//! ```text
//!   OLD, NEW ──► matching (by number, then by content) ──► pairs, removed, added
//!                  └► changes (typed rules compared → one Chinese sentence each, 从宽/从严/不确定:
//!                       rules, links, results, direction)
//!                  └► schema (header, register attributes, 事项, accounts, chapters)
//!   + both evaluations of one log ──► impact (per household, per clause, totals; money)
//! ```
//!
//! No IO: the command line (`cli::diff`) reads the files and evaluates the log twice; the
//! documents are made by `report::diff*`.

pub mod changes;
pub mod direction;
pub mod impact;
pub mod links;
pub mod matching;
pub mod money;
pub mod results;
pub mod rules;
pub mod schema;
pub mod template;

use serde::Serialize;

use crate::model::{ClauseId, Compact};
pub use impact::{ClauseSums, Impact};
pub use matching::Matching;

/// Whether a change is more generous to households or stricter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 从宽 — more points, smaller deductions, lower thresholds, fewer conditions.
    Looser,
    /// 从严 — the opposite.
    Stricter,
    /// 不确定 — cannot be told from the rule alone (it depends on the records).
    Unclear,
}

impl Direction {
    /// 从宽 / 从严 / 不确定
    pub fn words(self) -> &'static str {
        match self {
            Direction::Looser => "从宽",
            Direction::Stricter => "从严",
            Direction::Unclear => "不确定",
        }
    }

    /// The opposite direction (for a removed rule, or a deduction).
    pub fn flip(self) -> Direction {
        match self {
            Direction::Looser => Direction::Stricter,
            Direction::Stricter => Direction::Looser,
            Direction::Unclear => Direction::Unclear,
        }
    }

    /// Looser when `more` is true, stricter otherwise.
    pub fn from_more(more: bool) -> Direction {
        if more {
            Direction::Looser
        } else {
            Direction::Stricter
        }
    }

    /// The direction of several changes together: the common one, or 不确定 when they differ;
    /// `None` when none has a direction.
    pub fn combine(directions: impl IntoIterator<Item = Option<Direction>>) -> Option<Direction> {
        let mut all = directions.into_iter().flatten();
        let first = all.next()?;
        Some(if all.all(|d| d == first) {
            first
        } else {
            Direction::Unclear
        })
    }
}

/// One change, said in one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The sentence (no clause label; no final 。).
    pub text: String,
    /// 从宽 / 从严 / 不确定, or `None` for changes of wording, numbering or labels.
    pub direction: Option<Direction>,
}

impl Change {
    /// A change with a direction.
    pub fn new(text: impl Into<String>, direction: Direction) -> Self {
        Change {
            text: text.into(),
            direction: Some(direction),
        }
    }

    /// A change with no direction (wording, numbering, labels).
    pub fn neutral(text: impl Into<String>) -> Self {
        Change {
            text: text.into(),
            direction: None,
        }
    }
}

/// What happened to a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    /// Only in NEW.
    Added,
    /// Only in OLD.
    Removed,
    /// Its rules changed (it may also have moved or been reworded).
    Changed,
    /// Renumbered or moved to another chapter, rules and text unchanged.
    Moved,
    /// Only its 原文 or title changed; it scores the same.
    Wording,
}

impl ClauseKind {
    /// 新增 / 删去 / 修改 / 移动 / 文字
    pub fn words(self) -> &'static str {
        match self {
            ClauseKind::Added => "新增",
            ClauseKind::Removed => "删去",
            ClauseKind::Changed => "修改",
            ClauseKind::Moved => "移动",
            ClauseKind::Wording => "仅改文字",
        }
    }
}

/// One clause that differs between the versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseDiff {
    /// What happened.
    pub kind: ClauseKind,
    /// Its index in OLD.
    #[serde(skip)]
    pub old_id: Option<ClauseId>,
    /// Its index in NEW.
    #[serde(skip)]
    pub new_id: Option<ClauseId>,
    /// Its number in OLD.
    pub old: Option<u32>,
    /// Its number in NEW.
    pub new: Option<u32>,
    /// Its title (NEW's when it has one).
    pub title: Option<String>,
    /// Whether it was renumbered or moved to another chapter.
    pub moved: bool,
    /// What changed, one sentence each: the moves, the rules, the wording.
    pub changes: Vec<Change>,
    /// Which of `changes` are changes of the rules (what it scores), not of its number,
    /// chapter, title or 原文.
    #[serde(skip)]
    pub rules: std::ops::Range<usize>,
    /// The direction of the changes together.
    pub direction: Option<Direction>,
}

impl ClauseDiff {
    /// 第N条, with 原第M条 when renumbered; NEW's number first.
    pub fn label(&self) -> String {
        use crate::model::describe::clause_label;
        match (self.old, self.new) {
            (Some(o), Some(n)) if o != n => format!("{}（原{}）", clause_label(n), clause_label(o)),
            (_, Some(n)) => clause_label(n),
            (Some(o), None) => format!("原{}", clause_label(o)),
            (None, None) => String::new(),
        }
    }

    /// The changes of the rules alone (see [`ClauseDiff::rules`]).
    pub fn rule_changes(&self) -> &[Change] {
        self.changes.get(self.rules.clone()).unwrap_or_default()
    }

    /// 「第五条 每天加分由 2 分改为 3 分；每年上限由 40 分改为 60 分」
    pub fn summary(&self) -> String {
        let texts: Vec<&str> = self.changes.iter().map(|c| c.text.as_str()).collect();
        format!("{} {}", self.label(), texts.join("；"))
    }
}

/// The differences between two versions of a compact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompactDiff {
    /// Title, version, effective date, period.
    pub header: Vec<Change>,
    /// Register attributes, rosters, 事项 kinds and fields, accounts.
    pub schema: Vec<Change>,
    /// Chapters: renumbered, retitled, chapter caps.
    pub chapters: Vec<Change>,
    /// Clauses that differ, in order of clause number (NEW's; a removed clause by OLD's, before
    /// the clause that now has its number).
    pub clauses: Vec<ClauseDiff>,
    /// Clauses matched and unchanged.
    pub unchanged: usize,
    /// How the clauses were matched.
    #[serde(skip)]
    pub matching: Matching,
}

impl CompactDiff {
    /// Whether the two versions are the same compact (formatting and comments aside).
    pub fn is_equivalent(&self) -> bool {
        self.header.is_empty()
            && self.schema.is_empty()
            && self.chapters.is_empty()
            && self.clauses.is_empty()
    }

    /// How many clauses of each kind differ, in the order added, removed, changed, moved,
    /// wording.
    pub fn counts(&self) -> [(ClauseKind, usize); 5] {
        let count = |k: ClauseKind| self.clauses.iter().filter(|c| c.kind == k).count();
        [
            (ClauseKind::Added, count(ClauseKind::Added)),
            (ClauseKind::Removed, count(ClauseKind::Removed)),
            (ClauseKind::Changed, count(ClauseKind::Changed)),
            (ClauseKind::Moved, count(ClauseKind::Moved)),
            (ClauseKind::Wording, count(ClauseKind::Wording)),
        ]
    }
}

/// Compares two versions of a compact.
pub fn compare(old: &Compact, new: &Compact) -> CompactDiff {
    let matching = matching::match_clauses(old, new);
    let chapter_map = schema::match_chapters(old, new);
    let mut clauses = Vec::new();
    let mut unchanged = 0;
    for &(o, n) in &matching.pairs {
        let diff = changes::compare_clause(old, new, &matching, &chapter_map, o, n);
        match diff {
            Some(d) => clauses.push(d),
            None => unchanged += 1,
        }
    }
    for &o in &matching.removed {
        clauses.push(changes::removed_clause(old, o));
    }
    for &n in &matching.added {
        clauses.push(changes::added_clause(new, n));
    }
    clauses.sort_by_key(|c| {
        (
            c.new.or(c.old).unwrap_or(0),
            c.new.is_some(),
            c.old.unwrap_or(0),
        )
    });
    CompactDiff {
        header: schema::header(old, new),
        schema: schema::schema(old, new),
        chapters: schema::chapters(old, new, &chapter_map),
        clauses,
        unchanged,
        matching,
    }
}
