//! `diff --format json`: the stable schema documented in docs/json.md ("xiangyue diff").
//! Points are decimal strings, money is integer fen.

use serde_json::{Value, json};

use super::diff::DiffDocument;
use crate::diff::{Change, ClauseDiff};

fn change(c: &Change) -> Value {
    json!({ "text": c.text, "direction": c.direction })
}

fn clause(c: &ClauseDiff) -> Value {
    json!({
        "kind": c.kind,
        "old": c.old,
        "new": c.new,
        "title": c.title,
        "moved": c.moved,
        "direction": c.direction,
        "summary": c.summary(),
        "changes": c.changes.iter().map(|x| x.text.clone()).collect::<Vec<_>>(),
        "details": c.changes.iter().map(change).collect::<Vec<_>>(),
    })
}

fn version(file: &str, compact: &crate::model::Compact) -> Value {
    json!({ "file": file, "title": compact.title, "version": compact.version })
}

/// The JSON document.
pub fn diff_json(doc: &DiffDocument<'_>) -> Value {
    let d = doc.diff;
    let mut summary = serde_json::Map::new();
    for (kind, n) in d.counts() {
        summary.insert(
            serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            json!(n),
        );
    }
    summary.insert("unchanged".into(), json!(d.unchanged));
    let (impact, households) = match doc.impact {
        Some(i) => (
            json!({
                "period": i.period,
                "account": i.account,
                "register": doc.data.map(|(r, _)| r),
                "events": doc.data.map(|(_, e)| e),
                "totals": i.totals,
                "clauses": i.clauses,
            }),
            serde_json::to_value(&i.households).unwrap_or(Value::Null),
        ),
        None => (Value::Null, Value::Null),
    };
    json!({
        "old": version(doc.old_file, doc.old),
        "new": version(doc.new_file, doc.new),
        "equivalent": d.is_equivalent(),
        "summary": summary,
        "header": d.header.iter().map(change).collect::<Vec<_>>(),
        "schema": d.schema.iter().map(change).collect::<Vec<_>>(),
        "chapters": d.chapters.iter().map(change).collect::<Vec<_>>(),
        "clauses": d.clauses.iter().map(clause).collect::<Vec<_>>(),
        "impact": impact,
        "households": households,
    })
}

/// The JSON document as pretty text with a final newline.
pub fn render_json(doc: &DiffDocument<'_>) -> String {
    let mut text = serde_json::to_string_pretty(&diff_json(doc)).unwrap_or_default();
    text.push('\n');
    text
}
