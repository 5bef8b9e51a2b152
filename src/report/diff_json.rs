//! `diff --format json`: the stable schema documented in docs/json.md (section 6). Points are
//! decimal strings, money is integer fen; fields come in the order of the structs below.

use serde::Serialize;

use super::diff::DiffDocument;
use crate::diff::impact::{ClauseImpact, HouseholdImpact, RosterImpact, Totals};
use crate::diff::money::MoneyImpact;
use crate::diff::{Change, ClauseDiff, ClauseKind, Direction};
use crate::model::Compact;

/// The whole document.
#[derive(Serialize)]
pub struct DiffJson<'a> {
    old: VersionJson<'a>,
    new: VersionJson<'a>,
    equivalent: bool,
    summary: SummaryJson,
    header: &'a [Change],
    schema: &'a [Change],
    chapters: &'a [Change],
    clauses: Vec<ClauseJson<'a>>,
    impact: Option<ImpactJson<'a>>,
    households: Option<&'a [HouseholdImpact]>,
    members: Option<&'a [RosterImpact]>,
}

#[derive(Serialize)]
struct VersionJson<'a> {
    file: &'a str,
    title: &'a str,
    version: Option<&'a str>,
}

#[derive(Serialize)]
struct SummaryJson {
    added: usize,
    removed: usize,
    changed: usize,
    moved: usize,
    wording: usize,
    unchanged: usize,
}

#[derive(Serialize)]
struct ClauseJson<'a> {
    kind: ClauseKind,
    old: Option<u32>,
    new: Option<u32>,
    title: Option<&'a str>,
    moved: bool,
    direction: Option<Direction>,
    summary: String,
    changes: Vec<&'a str>,
    details: &'a [Change],
}

#[derive(Serialize)]
struct ImpactJson<'a> {
    period: &'a str,
    account: &'a str,
    register: Option<&'a str>,
    events: Option<&'a str>,
    money: &'a MoneyImpact,
    totals: &'a Totals,
    clauses: &'a [ClauseImpact],
}

fn version<'a>(file: &'a str, compact: &'a Compact) -> VersionJson<'a> {
    VersionJson {
        file,
        title: &compact.title,
        version: compact.version.as_deref(),
    }
}

fn clause(c: &ClauseDiff) -> ClauseJson<'_> {
    ClauseJson {
        kind: c.kind,
        old: c.old,
        new: c.new,
        title: c.title.as_deref(),
        moved: c.moved,
        direction: c.direction,
        summary: c.summary(),
        changes: c.changes.iter().map(|x| x.text.as_str()).collect(),
        details: &c.changes,
    }
}

/// The JSON document as data.
pub fn diff_json<'a>(doc: &'a DiffDocument<'a>) -> DiffJson<'a> {
    let d = doc.diff;
    let count = |k: ClauseKind| d.clauses.iter().filter(|c| c.kind == k).count();
    DiffJson {
        old: version(doc.old_file, doc.old),
        new: version(doc.new_file, doc.new),
        equivalent: d.is_equivalent(),
        summary: SummaryJson {
            added: count(ClauseKind::Added),
            removed: count(ClauseKind::Removed),
            changed: count(ClauseKind::Changed),
            moved: count(ClauseKind::Moved),
            wording: count(ClauseKind::Wording),
            unchanged: d.unchanged,
        },
        header: &d.header,
        schema: &d.schema,
        chapters: &d.chapters,
        clauses: d.clauses.iter().map(clause).collect(),
        impact: doc.impact.map(|i| ImpactJson {
            period: &i.period,
            account: &i.account,
            register: doc.data.map(|(r, _)| r),
            events: doc.data.map(|(_, e)| e),
            money: &i.money,
            totals: &i.totals,
            clauses: &i.clauses,
        }),
        households: doc.impact.map(|i| i.households.as_slice()),
        members: doc.impact.map(|i| i.members.as_slice()),
    }
}

/// The JSON document as pretty text with a final newline.
pub fn render_json(doc: &DiffDocument<'_>) -> String {
    let mut text = serde_json::to_string_pretty(&diff_json(doc)).unwrap_or_default();
    text.push('\n');
    text
}
