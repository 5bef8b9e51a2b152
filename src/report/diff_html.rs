//! `diff --format html`: the printable report for the villagers' representatives' meeting —
//! the changes in order of clause number, the impact tables, and a chart (inline SVG, nothing
//! loaded from the network) of how the households' points changed. No IO.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::diff::{
    DiffDocument, changed_households, counts_line, impact_label, impact_points, impact_subjects,
    impact_summary, rating_changes, signed, version_words,
};
use super::html::{PRINT_STYLE, escape};
use crate::diff::Change;
use crate::diff::impact::Impact;
use crate::model::describe::{number, yuan};

const DIFF_STYLE: &str = r#"
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 10.5pt; }
th, td { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
td.no { white-space: nowrap; font-weight: bold; }
ul.changes { margin: 0; padding-left: 1.2em; }
.looser { color: #1a6b1a; }
.stricter { color: #a11; }
.unclear { color: #8a5a00; }
.kind { white-space: nowrap; }
h2 { text-align: left; }
figure { margin: 1em 0; break-inside: avoid; }
figcaption { font-size: 10pt; color: #333; text-align: center; }
"#;

fn direction_cell(d: Option<crate::diff::Direction>) -> String {
    match d {
        Some(d) => {
            let class = match d {
                crate::diff::Direction::Looser => "looser",
                crate::diff::Direction::Stricter => "stricter",
                crate::diff::Direction::Unclear => "unclear",
            };
            format!("<span class=\"{class}\">{}</span>", d.words())
        }
        None => String::new(),
    }
}

fn change_item(c: &Change) -> String {
    let direction = match c.direction {
        Some(_) => format!("（{}）", direction_cell(c.direction)),
        None => String::new(),
    };
    format!("<li>{}{direction}</li>", escape(&c.text))
}

fn list(changes: &[Change]) -> String {
    let items: String = changes.iter().map(change_item).collect();
    format!("<ul class=\"changes\">{items}</ul>")
}

/// The histogram of household changes, as inline SVG.
pub fn delta_chart(impact: &Impact) -> String {
    // Whole points, clamped so that the arithmetic below cannot overflow on absurd input.
    const LIMIT: i64 = 1 << 40;
    let deltas: Vec<i64> = impact
        .households
        .iter()
        .map(|h| h.delta.floor().to_i64().unwrap_or(0).clamp(-LIMIT, LIMIT))
        .collect();
    let (Some(&lo), Some(&hi)) = (deltas.iter().min(), deltas.iter().max()) else {
        return String::new();
    };
    let span = hi - lo + 1;
    let width = ((span + 19) / 20).max(1);
    let bins = ((span + width - 1) / width).max(1);
    let mut counts = vec![0usize; usize::try_from(bins).unwrap_or(1)];
    for d in &deltas {
        let index = usize::try_from((d - lo) / width).unwrap_or(0);
        if let Some(c) = counts.get_mut(index) {
            *c += 1;
        }
    }
    let peak = counts.iter().copied().max().unwrap_or(1).max(1);
    let (chart_w, chart_h, left, top, bottom) = (640i64, 200i64, 40i64, 20i64, 40i64);
    let bar_w = (chart_w - left) / bins.max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"各户{}变化的分布\">",
        chart_w + 10,
        chart_h + top + bottom,
        chart_w + 10,
        chart_h + top + bottom,
        escape(&impact.account)
    );
    svg.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>",
        top + chart_h,
        chart_w,
        top + chart_h
    ));
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">{peak} 户</text>",
        left - 4,
        top + 4
    ));
    let label_every = usize::try_from((bins + 9) / 10).unwrap_or(1).max(1);
    for (i, count) in counts.iter().enumerate() {
        let i64i = i64::try_from(i).unwrap_or(0);
        let from = lo + i64i * width;
        let to = from + width - 1;
        let h = i64::try_from(*count).unwrap_or(0) * chart_h / i64::try_from(peak).unwrap_or(1);
        let x = left + i64i * bar_w;
        let color = if to < 0 {
            "#c0392b"
        } else if from > 0 {
            "#27ae60"
        } else {
            "#7f8c8d"
        };
        let range = if width == 1 {
            signed(Decimal::from(from))
        } else {
            format!(
                "{}～{}",
                signed(Decimal::from(from)),
                signed(Decimal::from(to))
            )
        };
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"{color}\"><title>{range} 分：{count} 户</title></rect>",
            x + 1,
            top + chart_h - h,
            (bar_w - 2).max(1)
        ));
        if *count > 0 {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{count}</text>",
                x + bar_w / 2,
                top + chart_h - h - 3
            ));
        }
        if i % label_every == 0 {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x + bar_w / 2,
                top + chart_h + 14,
                escape(&range)
            ));
        }
    }
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">「{}」的变化（分）</text>",
        left + (chart_w - left) / 2,
        top + chart_h + 32,
        escape(&impact.account)
    ));
    svg.push_str("</svg>");
    svg
}

fn impact_html(doc: &DiffDocument<'_>, impact: &Impact) -> String {
    let mut out = format!(
        "<h2>二、对各户的影响（{}）</h2>\n<p class=\"note\">同一份事项记录分别按原版本和新版本计算{}。</p>\n<ul>",
        escape(&impact.period),
        doc.data
            .map(|(r, e)| format!("（户籍：{}；事项记录：{}）", escape(r), escape(e)))
            .unwrap_or_default()
    );
    for line in impact_summary(impact) {
        out.push_str(&format!("<li>{}</li>", escape(&line)));
    }
    out.push_str("</ul>\n");
    out.push_str(&format!(
        "<figure>{}<figcaption>各户「{}」变化的分布：横轴为变化的分数，纵轴为户数；绿色为增加，红色为减少，灰色含不变</figcaption></figure>\n",
        delta_chart(impact),
        escape(&impact.account)
    ));
    if !impact.totals.ratings.is_empty() {
        out.push_str("<h3>评定户数</h3>\n<table><thead><tr><th>评定</th><th>等次</th><th>原户数</th><th>新户数</th><th>变化</th></tr></thead><tbody>");
        for r in &impact.totals.ratings {
            let delta = i64::try_from(r.new).unwrap_or(0) - i64::try_from(r.old).unwrap_or(0);
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&r.rating),
                escape(&r.label),
                r.old,
                r.new,
                signed(Decimal::from(delta))
            ));
        }
        out.push_str("</tbody></table>\n");
    }
    if !impact.clauses.is_empty() {
        out.push_str("<h3>各条的影响</h3>\n<table><thead><tr><th>条</th><th>变化</th><th>影响</th><th>分数变化</th></tr></thead><tbody>");
        for c in &impact.clauses {
            out.push_str(&format!(
                "<tr><td class=\"no\">{}</td><td class=\"kind\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                escape(&impact_label(c)),
                c.kind.map_or("未改（受上限等影响）", |k| k.words()),
                escape(&impact_subjects(c)),
                escape(&impact_points(c))
            ));
        }
        out.push_str("</tbody></table>\n");
    }
    let changed = changed_households(impact);
    if !changed.is_empty() {
        out.push_str(&format!(
            "<h3>有变化的户（{} 户，按变化大小）</h3>\n<table><thead><tr><th>户号</th><th>原{acc}</th><th>新{acc}</th><th>变化</th><th>原分红</th><th>新分红</th><th>分红变化</th><th>评定</th></tr></thead><tbody>",
            changed.len(),
            acc = escape(&impact.account)
        ));
        for h in changed {
            out.push_str(&format!(
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                escape(&h.id),
                number(h.old_total),
                number(h.new_total),
                signed(h.delta),
                yuan(h.old_dividend_fen),
                yuan(h.new_dividend_fen),
                super::diff::signed_yuan(h.dividend_delta_fen),
                escape(&rating_changes(h))
            ));
        }
        out.push_str("</tbody></table>\n");
    }
    out
}

/// The whole HTML document.
pub fn render_html(doc: &DiffDocument<'_>) -> String {
    let d = doc.diff;
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>乡约修订对照：{}</title>\n<style>{PRINT_STYLE}\n{DIFF_STYLE}</style>\n</head>\n<body>\n<h1>乡约修订对照</h1>\n<div class=\"meta\">原：{}<br>新：{}</div>\n",
        escape(&doc.new.title),
        escape(&version_words(doc.old)),
        escape(&version_words(doc.new))
    );
    if d.is_equivalent() {
        out.push_str("<p>两个版本的规则与文字相同（排版、注释不计），没有变化。</p>\n");
    } else {
        out.push_str(&format!("<p>条文：{}。</p>\n", escape(&counts_line(d))));
    }
    out.push_str("<h2>一、条文的变化</h2>\n");
    for (title, changes) in [
        ("文首", &d.header),
        ("户籍、事项与账户", &d.schema),
        ("章", &d.chapters),
    ] {
        if !changes.is_empty() {
            out.push_str(&format!("<h3>{title}</h3>\n{}\n", list(changes)));
        }
    }
    if !d.clauses.is_empty() {
        out.push_str("<h3>各条</h3>\n<table><thead><tr><th>条</th><th>变化</th><th>方向</th><th>内容</th></tr></thead><tbody>");
        for c in &d.clauses {
            out.push_str(&format!(
                "<tr><td class=\"no\">{}{}</td><td class=\"kind\">{}</td><td class=\"kind\">{}</td><td>{}</td></tr>",
                escape(&c.label()),
                c.title
                    .as_deref()
                    .map(|t| format!("<br>{}", escape(t)))
                    .unwrap_or_default(),
                c.kind.words(),
                direction_cell(c.direction),
                list(&c.changes)
            ));
        }
        out.push_str("</tbody></table>\n");
        out.push_str("<p class=\"note\">从宽：对农户更宽松（加分更多、扣分更少、门槛更低）；从严：相反；不确定：要看具体记录才知道。</p>\n");
    }
    if let Some(impact) = doc.impact {
        out.push_str(&impact_html(doc, impact));
    }
    out.push_str(&format!(
        "<footer>由 xiangyue diff 生成：{} → {}</footer>\n</body>\n</html>\n",
        escape(doc.old_file),
        escape(doc.new_file)
    ));
    out
}
