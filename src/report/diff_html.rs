//! `diff --format html`: the printable report for the villagers' representatives' meeting.
//! With a village's data it opens with a one-page summary (修订要点: the rule changes in plain
//! words with 从宽/从严, how many households gain or lose points **and money**, the largest
//! changes, the pool), then the changes in order of clause number, the impact (histograms of
//! the money and points changes, inline SVG from `histogram`), and every household in 户号
//! order with its 户主, its points per account and its money — sortable by clicking a column
//! header (a small inline script; nothing is loaded from the network). No IO.

use std::cmp::Ordering;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::diff::{
    DiffDocument, counts_line, impact_label, impact_points, impact_subjects, impact_summary,
    money_lines, money_movers, points_movers, signed, version_words,
};
use super::histogram::{ChartLabels, bars, svg};
use super::html::{PRINT_STYLE, escape};
use crate::diff::impact::{HouseholdImpact, Impact};
use crate::diff::{Change, ClauseKind, CompactDiff, Direction};
use crate::model::describe::number;

const DIFF_STYLE: &str = r#"
@page { size: A4; margin: 1.6cm 1.8cm; }
h1 { font-size: 18pt; margin: 0 0 0.1em; }
.meta { font-size: 10.5pt; line-height: 1.5; margin-bottom: 0.6em; }
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
h3 { break-after: avoid; }
figure { margin: 1em 0; break-inside: avoid; }
figcaption { font-size: 10pt; color: #333; text-align: center; }
svg rect.loss { fill: #c0392b; } svg rect.same { fill: #7f8c8d; } svg rect.gain { fill: #27ae60; }
.summary { break-after: page; page-break-after: always; font-size: 10pt; line-height: 1.45; }
.summary h2 { text-align: center; font-size: 14pt; margin: 0.2em 0 0.3em; }
.summary h3 { font-size: 11pt; margin: 0.5em 0 0.1em; }
.summary p, .summary ul { margin: 0.2em 0; }
.summary ul { padding-left: 1.3em; }
.summary li { margin: 0.1em 0; }
.summary .also { color: #333; }
table.counts { width: auto; margin: 0.3em auto; font-size: 11pt; }
table.counts th, table.counts td { padding: 0.15em 1em; text-align: center; }
table.counts td { font-size: 13pt; font-weight: bold; }
td.loss, span.loss { color: #a11; } td.gain, span.gain { color: #1a6b1a; }
.summary ul.key { border: 1.5px solid #333; padding: 0.3em 0.6em 0.3em 1.8em; margin: 0.4em 0; }
.summary ul.key li.warn { font-weight: bold; }
table.households { font-size: 8.5pt; line-height: 1.35; }
table.households th, table.households td { padding: 0.1em 0.25em; }
table.households th[data-sort] { cursor: pointer; }
table.households th[aria-sort="ascending"]::after { content: " ▲"; }
table.households th[aria-sort="descending"]::after { content: " ▼"; }
table.households tr.same td { color: #666; }
table.households thead { display: table-header-group; }
table.households tr { break-inside: avoid; }
@media print { .screen { display: none; } }
"#;

/// Sorts the household table when a header is clicked: numbers by `data-v`, text in Chinese
/// order with numbers inside ids compared as numbers; a second click reverses; ties keep the
/// 户号 order. No `<` or `>`, so that the page stays simple to check.
const SORT_SCRIPT: &str = r#"
(function () {
  var table = document.getElementById("households");
  if (!table) { return; }
  var body = table.tBodies[0];
  var heads = table.querySelectorAll("th[data-sort]");
  var words = new Intl.Collator("zh-CN", { numeric: true });
  Array.prototype.forEach.call(heads, function (th) {
    th.title = "点一下按这一列排序，再点一下倒过来";
    th.addEventListener("click", function () {
      var col = Number(th.getAttribute("data-col"));
      var numeric = th.getAttribute("data-sort") === "num";
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col], y = b.cells[col];
        var c = numeric
          ? Number(x.getAttribute("data-v")) - Number(y.getAttribute("data-v"))
          : words.compare(x.textContent, y.textContent);
        return c * dir || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
"#;

fn direction_cell(d: Option<Direction>) -> String {
    match d {
        Some(d) => {
            let class = match d {
                Direction::Looser => "looser",
                Direction::Stricter => "stricter",
                Direction::Unclear => "unclear",
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

/// `text` cut to `chars` characters, with … when cut.
fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Ids in natural order: runs of digits compared as numbers (A2 before A10), then as text.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn digits(s: &str) -> usize {
        s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len()
    }
    let (mut x, mut y) = (a, b);
    loop {
        let (dx, dy) = (digits(x), digits(y));
        if dx > 0 && dy > 0 {
            let (Some((nx, rx)), Some((ny, ry))) = (x.split_at_checked(dx), y.split_at_checked(dy))
            else {
                return a.cmp(b);
            };
            let (nx, ny) = (nx.trim_start_matches('0'), ny.trim_start_matches('0'));
            let by_number = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
            if by_number != Ordering::Equal {
                return by_number;
            }
            (x, y) = (rx, ry);
            continue;
        }
        let (mut cx, mut cy) = (x.chars(), y.chars());
        match (cx.next(), cy.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p != q => return p.cmp(&q),
            _ => (x, y) = (cx.as_str(), cy.as_str()),
        }
    }
}

/// How many rule changes the summary lists, and how long each may be.
const SUMMARY_RULES: usize = 7;
const SUMMARY_CHARS: usize = 64;
/// How many rosters the summary names, and how long its other lines may be.
const SUMMARY_ROSTERS: usize = 2;
const SUMMARY_LINE: usize = 100;
/// How many households of each kind of mover the summary names.
const SUMMARY_MOVERS: usize = 3;

/// One line of the summary's list of rule changes: what, and its direction.
struct RuleItem {
    label: String,
    text: String,
    direction: Option<Direction>,
}

fn rule_items(d: &CompactDiff) -> Vec<RuleItem> {
    let loose = |changes: &[Change]| -> Vec<RuleItem> {
        changes
            .iter()
            .filter(|c| c.direction.is_some())
            .map(|c| RuleItem {
                label: String::new(),
                text: c.text.clone(),
                direction: c.direction,
            })
            .collect()
    };
    let mut items = loose(&d.chapters);
    for c in &d.clauses {
        let rules = c.rule_changes();
        if rules.is_empty() {
            continue;
        }
        let texts: Vec<&str> = rules.iter().map(|r| r.text.as_str()).collect();
        items.push(RuleItem {
            label: format!(
                "{}{}",
                c.label(),
                c.title
                    .as_deref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default()
            ),
            text: texts.join("；"),
            direction: c.direction,
        });
    }
    items.extend(loose(&d.header));
    items.extend(loose(&d.schema));
    items
}

/// Changes without a direction outside the clauses (version, date, a new 事项 …), and the
/// clauses that only moved or were reworded: 「另：…」.
fn other_changes(d: &CompactDiff) -> Option<String> {
    let mut parts = Vec::new();
    let count = |k: ClauseKind| d.clauses.iter().filter(|c| c.kind == k).count();
    let moved = count(ClauseKind::Moved);
    let wording = count(ClauseKind::Wording);
    let mut clauses = Vec::new();
    if moved > 0 {
        clauses.push(format!("{moved} 条只是条号或所在的章变了"));
    }
    if wording > 0 {
        clauses.push(format!("{wording} 条只改了文字"));
    }
    if !clauses.is_empty() {
        parts.push(format!("{}，计分都不变", clauses.join("、")));
    }
    let neutral: Vec<&str> = d
        .header
        .iter()
        .chain(&d.schema)
        .chain(&d.chapters)
        .filter(|c| c.direction.is_none())
        .map(|c| c.text.as_str())
        .collect();
    const LISTED: usize = 4;
    if !neutral.is_empty() {
        let mut shown = neutral
            .iter()
            .take(LISTED)
            .copied()
            .collect::<Vec<_>>()
            .join("；");
        if neutral.len() > LISTED {
            let _ = write!(shown, " 等 {} 处", neutral.len());
        }
        parts.push(shown);
    }
    (!parts.is_empty()).then(|| format!("另：{}。", parts.join("；")))
}

/// The one-page summary at the top: what changed, whom it affects, in points and money.
fn summary_html(doc: &DiffDocument<'_>, impact: &Impact) -> String {
    let d = doc.diff;
    let t = &impact.totals;
    let m = &impact.money;
    let mut out =
        String::from("<section class=\"summary\">\n<h2>修订要点（表决前请先读这一页）</h2>\n");
    let _ = writeln!(out, "<p>条文：{}。</p>", escape(&counts_line(d)));
    // What changed.
    let items = rule_items(d);
    let tally = |dir: Direction| items.iter().filter(|i| i.direction == Some(dir)).count();
    let mut directions = Vec::new();
    for (dir, class) in [
        (Direction::Looser, "looser"),
        (Direction::Stricter, "stricter"),
        (Direction::Unclear, "unclear"),
    ] {
        let n = tally(dir);
        if n > 0 {
            directions.push(format!(
                "<span class=\"{class}\">{}</span> {n} 处",
                dir.words()
            ));
        }
    }
    let _ = writeln!(
        out,
        "<h3>规则怎样改{}</h3>",
        if directions.is_empty() {
            String::new()
        } else {
            format!("（{}）", directions.join("，"))
        }
    );
    if items.is_empty() {
        out.push_str("<p>计分的规则没有变。</p>\n");
    } else {
        out.push_str("<ul class=\"rules\">");
        // 「另有 1 处」 would take the line the change itself takes.
        let listed = if items.len() <= SUMMARY_RULES + 1 {
            items.len()
        } else {
            SUMMARY_RULES
        };
        for item in items.iter().take(listed) {
            let label = if item.label.is_empty() {
                String::new()
            } else {
                format!("<b>{}</b> ", escape(&item.label))
            };
            let direction = item
                .direction
                .map(|d| format!("【{}】", direction_cell(Some(d))))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<li>{label}{direction}{}</li>",
                escape(&clip(&item.text, SUMMARY_CHARS))
            );
        }
        if items.len() > listed {
            let _ = write!(
                out,
                "<li>另有 {} 处规则变化，见“一、条文的变化”</li>",
                items.len() - listed
            );
        }
        out.push_str("</ul>\n");
    }
    if let Some(other) = other_changes(d) {
        let _ = writeln!(
            out,
            "<p class=\"also\">{}</p>",
            escape(&clip(&other, SUMMARY_LINE))
        );
    }
    out.push_str("<p class=\"note\">从宽：对农户更宽松（加分更多、扣分更少、门槛更低）；从严：相反；不确定：要看具体记录。</p>\n");
    // Whom it affects.
    let _ = write!(
        out,
        "<h3>对各户的影响（{}的事项记录按两个版本各算一遍）</h3>\n<table class=\"counts\"><thead><tr><th></th><th>增加（多得）</th><th>减少（少得）</th><th>不变</th></tr></thead><tbody>",
        escape(&impact.period)
    );
    let _ = write!(
        out,
        "<tr><th>积分「{}」</th><td class=\"gain\">{} 户</td><td class=\"loss\">{} 户</td><td>{} 户</td></tr>",
        escape(&impact.account),
        t.gaining,
        t.losing,
        t.unchanged
    );
    if m.compared {
        let _ = write!(
            out,
            "<tr><th>钱（分红）</th><td class=\"gain\">{} 户</td><td class=\"loss\">{} 户</td><td>{} 户</td></tr>",
            m.gaining, m.losing, m.unchanged
        );
    } else {
        out.push_str("<tr><th>钱（分红）</th><td colspan=\"3\">不比较（见下）</td></tr>");
    }
    out.push_str("</tbody></table>\n<ul class=\"key\">");
    let _ = write!(
        out,
        "<li>{}</li>",
        escape(&format!(
            "{} 户中，「{}」增加的 {} 户，减少的 {} 户，不变的 {} 户",
            t.households, impact.account, t.gaining, t.losing, t.unchanged
        ))
    );
    for line in money_lines(impact) {
        let class = if line.starts_with("注意") {
            " class=\"warn\""
        } else {
            ""
        };
        let _ = write!(out, "<li{class}>{}</li>", escape(&line));
    }
    out.push_str("</ul>\n<h3>变化最大的户</h3>\n<ul>");
    let movers = [
        (
            format!("「{}」增加最多", impact.account),
            points_movers(&t.largest_gains, SUMMARY_MOVERS),
        ),
        (
            format!("「{}」减少最多", impact.account),
            points_movers(&t.largest_losses, SUMMARY_MOVERS),
        ),
        (
            "分红多得最多".to_string(),
            money_movers(&m.largest_gains, SUMMARY_MOVERS),
        ),
        (
            "分红少得最多".to_string(),
            money_movers(&m.largest_losses, SUMMARY_MOVERS),
        ),
    ];
    for (what, who) in movers.iter().filter(|(_, who)| !who.is_empty()) {
        let _ = write!(out, "<li>{}：{}</li>", escape(what), escape(who));
    }
    out.push_str("</ul>\n");
    let ratings: Vec<String> = t
        .ratings
        .iter()
        .filter(|r| r.old != 0 || r.new != 0)
        .map(|r| format!("{} {}→{}", r.label, r.old, r.new))
        .collect();
    let mut facts = Vec::new();
    if !ratings.is_empty() {
        facts.push(format!("评定户数（原→新）：{}", ratings.join("，")));
    }
    if t.old_eligible != t.new_eligible {
        facts.push(format!(
            "有分红资格的由 {} 户变为 {} 户",
            t.old_eligible, t.new_eligible
        ));
    }
    for roster in impact
        .members
        .iter()
        .filter(|r| r.gaining > 0 || r.losing > 0)
        .take(SUMMARY_ROSTERS)
    {
        facts.push(format!(
            "名册「{}」{} 人中，「{}」增加的 {} 人，减少的 {} 人",
            roster.roster,
            roster.people.len(),
            roster.account,
            roster.gaining,
            roster.losing
        ));
    }
    for fact in facts {
        let _ = writeln!(out, "<p>{}</p>", escape(&clip(&fact, SUMMARY_LINE)));
    }
    out.push_str("<p class=\"note\">后面几页：一、条文的变化（逐条）；二、对各户的影响（分布图）；三、各户明细（按户号）。</p>\n</section>\n");
    out
}

fn figure(chart: &str, caption: &str) -> String {
    format!(
        "<figure>{chart}<figcaption>{}</figcaption></figure>\n",
        escape(caption)
    )
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
    if impact.money.compared {
        let fen: Vec<Decimal> = impact
            .households
            .iter()
            .map(|h| Decimal::from(h.dividend_delta_fen))
            .collect();
        let show = |v: Decimal| signed(v / Decimal::ONE_HUNDRED);
        let chart = svg(
            &bars(&fen, Decimal::ONE, 21),
            &ChartLabels {
                name: "money",
                what: "各户分红的变化",
                unit: "元",
                show: &show,
            },
        );
        out.push_str(&figure(
            &chart,
            "各户分红的变化：横轴为多得或少得的钱（元），纵轴为户数；红色为少得，灰色为不变（恰好为 0），绿色为多得",
        ));
    }
    let points: Vec<Decimal> = impact.households.iter().map(|h| h.delta).collect();
    let show = |v: Decimal| signed(v);
    let what = format!("各户「{}」的变化", impact.account);
    let chart = svg(
        &bars(&points, Decimal::new(1, 2), 21),
        &ChartLabels {
            name: "points",
            what: &what,
            unit: "分",
            show: &show,
        },
    );
    out.push_str(&figure(
        &chart,
        &format!(
            "{what}：横轴为变化的分数，纵轴为户数；红色为减少，灰色为不变（恰好为 0），绿色为增加"
        ),
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
    out
}

/// A number cell: its value for sorting in `data-v`, red when below 0 and green above when
/// it is a change.
fn num_cell(out: &mut String, value: Decimal, shown: &str, change: bool) {
    let class = match value.cmp(&Decimal::ZERO) {
        Ordering::Less if change => "num loss",
        Ordering::Greater if change => "num gain",
        _ => "num",
    };
    let _ = write!(
        out,
        "<td class=\"{class}\" data-v=\"{}\">{}</td>",
        value.normalize(),
        escape(shown)
    );
}

/// 五星, 一星→二星, 分红资格 有→无: a household's ratings (and eligibility) in one cell.
fn outcome_cell(h: &HouseholdImpact) -> String {
    let several = h.ratings.len() > 1;
    let mut parts: Vec<String> = h
        .ratings
        .iter()
        .map(|r| {
            let value = if r.old == r.new {
                r.new.clone()
            } else {
                format!("{}→{}", r.old, r.new)
            };
            if several {
                format!("{} {value}", r.name)
            } else {
                value
            }
        })
        .collect();
    if h.old_eligible != h.new_eligible {
        let words = |e: bool| if e { "有" } else { "无" };
        parts.push(format!(
            "分红资格 {}→{}",
            words(h.old_eligible),
            words(h.new_eligible)
        ));
    }
    parts.join("；")
}

/// Section 三: every household in 户号 order, sortable.
fn households_html(impact: &Impact) -> String {
    let mut rows: Vec<&HouseholdImpact> = impact.households.iter().collect();
    rows.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    let Some(first) = rows.first() else {
        return String::new();
    };
    let accounts: Vec<&str> = first.accounts.iter().map(|a| a.name.as_str()).collect();
    let named = rows.iter().any(|h| h.name.is_some());
    let money = impact.money.compared;
    let mut out = format!(
        "<h2>三、各户明细</h2>\n<p class=\"note\">共 {} 户，按户号排列；“变化”为新版本减原版本{}。<span class=\"screen\">点表头可按这一列排序，再点一次倒过来。</span></p>\n",
        rows.len(),
        if money { "，分红以元计" } else { "" }
    );
    out.push_str("<table id=\"households\" class=\"households\"><thead><tr>");
    let mut col = 0usize;
    let single = |out: &mut String, title: &str, kind: &str, col: &mut usize| {
        let _ = write!(
            out,
            "<th rowspan=\"2\" data-sort=\"{kind}\" data-col=\"{col}\">{}</th>",
            escape(title)
        );
        *col += 1;
    };
    single(&mut out, "户号", "text", &mut col);
    if named {
        single(&mut out, "户主", "text", &mut col);
    }
    let mut groups: Vec<String> = accounts.iter().map(|a| (*a).to_string()).collect();
    if money {
        groups.push("分红（元）".to_string());
    }
    for g in &groups {
        let _ = write!(out, "<th colspan=\"3\">{}</th>", escape(g));
    }
    let outcome_col = col + 3 * groups.len();
    let _ = write!(
        out,
        "<th rowspan=\"2\" data-sort=\"text\" data-col=\"{outcome_col}\">评定</th></tr><tr>"
    );
    for _ in &groups {
        for title in ["原", "新", "变化"] {
            let _ = write!(out, "<th data-sort=\"num\" data-col=\"{col}\">{title}</th>");
            col += 1;
        }
    }
    out.push_str("</tr></thead><tbody>");
    for (order, h) in rows.iter().enumerate() {
        let changed = !h.delta.is_zero()
            || h.dividend_delta_fen != 0
            || h.old_eligible != h.new_eligible
            || h.accounts.iter().any(|a| !a.delta.is_zero())
            || h.ratings.iter().any(|r| r.old != r.new);
        let _ = write!(
            out,
            "<tr data-order=\"{order}\"{}><td>{}</td>",
            if changed { "" } else { " class=\"same\"" },
            escape(&h.id)
        );
        if named {
            let _ = write!(out, "<td>{}</td>", escape(h.name.as_deref().unwrap_or("")));
        }
        for name in &accounts {
            let account = h.accounts.iter().find(|a| a.name == *name);
            let (old, new, delta) = account
                .map_or((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO), |a| {
                    (a.old, a.new, a.delta)
                });
            num_cell(&mut out, old, &number(old), false);
            num_cell(&mut out, new, &number(new), false);
            num_cell(&mut out, delta, &signed(delta), true);
        }
        if money {
            let as_yuan = |fen: i64| Decimal::new(fen, 2);
            for (fen, change) in [
                (h.old_dividend_fen, false),
                (h.new_dividend_fen, false),
                (h.dividend_delta_fen, true),
            ] {
                let shown = if change {
                    signed(as_yuan(fen))
                } else {
                    number(as_yuan(fen))
                };
                num_cell(&mut out, as_yuan(fen), &shown, change);
            }
        }
        let _ = writeln!(out, "<td>{}</td></tr>", escape(&outcome_cell(h)));
    }
    out.push_str("</tbody></table>\n");
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
    }
    match doc.impact {
        // The summary opens with the counts.
        Some(impact) => out.push_str(&summary_html(doc, impact)),
        None if !d.is_equivalent() => {
            out.push_str(&format!("<p>条文：{}。</p>\n", escape(&counts_line(d))));
        }
        None => {}
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
        out.push_str(&households_html(impact));
        let _ = writeln!(out, "<script>{SORT_SCRIPT}</script>");
    }
    out.push_str(&format!(
        "<footer>由 xiangyue diff 生成：{} → {}</footer>\n</body>\n</html>\n",
        escape(doc.old_file),
        escape(doc.new_file)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_with_their_numbers_as_numbers() {
        let mut ids = vec!["A10", "A2", "B1", "A002", "A1", "甲3", "甲12", "A"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        // Equal numbers written differently: the text decides (A002 before A2).
        assert_eq!(ids, ["A", "A1", "A002", "A2", "A10", "B1", "甲3", "甲12"]);
    }

    #[test]
    fn clipped_text_keeps_whole_characters() {
        assert_eq!(clip("每天加分由 2 分改为 3 分", 6), "每天加分由…");
        assert_eq!(clip("短", 6), "短");
    }

    #[test]
    fn the_sort_script_has_no_angle_brackets_and_loads_nothing() {
        assert!(!SORT_SCRIPT.contains('<') && !SORT_SCRIPT.contains('>'));
        assert!(!SORT_SCRIPT.contains("http"));
    }
}
