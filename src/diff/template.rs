//! A village's departures from the template it is built on (`xiangyue diff 镇模板.xy 村.xy`):
//! which template items it narrowed, which it took as they are, which optional items it left
//! out, and which items of its own (自选项) it added. Items are paired by title, as the checker
//! pairs them (`check::template::pair_items`); "narrowed" means the item's rule sentences
//! differ from the template's — the checker has already refused anything wider.

use serde::Serialize;

use crate::check::template::pair_items;
use crate::model::Compact;
use crate::model::describe;

/// One template item as the village has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    /// 第N条 of the template.
    pub template_number: u32,
    /// 第N条 of the village (absent when left out).
    pub village_number: Option<u32>,
    /// The item's title.
    pub title: String,
    /// The template's sentences.
    pub template_says: Vec<String>,
    /// The village's sentences.
    pub village_says: Vec<String>,
}

/// A village's departures from its template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Departures {
    /// The template's title.
    pub template: String,
    /// The village compact's title.
    pub village: String,
    /// Template items the village narrowed.
    pub narrowed: Vec<ItemChange>,
    /// Template items the village took as they are (titles).
    pub same: Vec<String>,
    /// Optional template items the village left out (mandatory ones cannot be: E0146).
    pub left_out: Vec<ItemChange>,
    /// The village's own items (自选项): number, title and sentences.
    pub own: Vec<ItemChange>,
}

fn title(compact: &Compact, id: usize) -> String {
    compact
        .clauses
        .get(id)
        .and_then(|c| c.title.clone())
        .unwrap_or_else(|| {
            compact
                .clauses
                .get(id)
                .map(|c| describe::clause_label(c.number))
                .unwrap_or_default()
        })
}

/// Compares a village compact with the template it is built on.
pub fn departures(template: &Compact, village: &Compact) -> Departures {
    let pairing = pair_items(village, template);
    let mut out = Departures {
        template: template.title.clone(),
        village: village.title.clone(),
        narrowed: Vec::new(),
        same: Vec::new(),
        left_out: Vec::new(),
        own: Vec::new(),
    };
    for (ti, vi) in pairing.kept {
        let mut template_says = describe::clause(template, ti);
        // Whether an item is optional is the template's to say; the village's clause is compared
        // with the template's rules.
        template_says.retain(|s| s != describe::OPTIONAL_ITEM);
        let template_number = template.clauses.get(ti).map(|c| c.number).unwrap_or(0);
        match vi {
            None => out.left_out.push(ItemChange {
                template_number,
                village_number: None,
                title: title(template, ti),
                template_says,
                village_says: Vec::new(),
            }),
            Some(vi) => {
                let village_says = describe::clause(village, vi);
                if village_says == template_says {
                    out.same.push(title(template, ti));
                } else {
                    out.narrowed.push(ItemChange {
                        template_number,
                        village_number: village.clauses.get(vi).map(|c| c.number),
                        title: title(template, ti),
                        template_says,
                        village_says,
                    });
                }
            }
        }
    }
    for vi in pairing.own {
        out.own.push(ItemChange {
            template_number: 0,
            village_number: village.clauses.get(vi).map(|c| c.number),
            title: title(village, vi),
            template_says: Vec::new(),
            village_says: describe::clause(village, vi),
        });
    }
    out
}

/// The departures as text for the terminal (and Markdown, which reads the same).
pub fn render_text(d: &Departures) -> String {
    let label = |n: Option<u32>| n.map(describe::clause_label).unwrap_or_default();
    let mut out = format!("「{}」依据模板「{}」\n", d.village, d.template);
    out.push_str(&format!(
        "收窄 {} 项，照搬 {} 项，未选 {} 项，自选 {} 项\n",
        d.narrowed.len(),
        d.same.len(),
        d.left_out.len(),
        d.own.len()
    ));
    if !d.narrowed.is_empty() {
        out.push_str("\n收窄的模板项：\n");
        for item in &d.narrowed {
            out.push_str(&format!(
                "  {}「{}」（模板{}）\n    模板：{}\n    本村：{}\n",
                label(item.village_number),
                item.title,
                describe::clause_label(item.template_number),
                item.template_says.join(""),
                item.village_says.join("")
            ));
        }
    }
    if !d.left_out.is_empty() {
        out.push_str("\n未选的可选项：\n");
        for item in &d.left_out {
            out.push_str(&format!(
                "  模板{}「{}」：{}\n",
                describe::clause_label(item.template_number),
                item.title,
                item.template_says.join("")
            ));
        }
    }
    if !d.own.is_empty() {
        out.push_str("\n自选项：\n");
        for item in &d.own {
            out.push_str(&format!(
                "  {}「{}」：{}\n",
                label(item.village_number),
                item.title,
                item.village_says.join("")
            ));
        }
    }
    if !d.same.is_empty() {
        out.push_str(&format!("\n照搬模板：{}\n", d.same.join("、")));
    }
    out
}
