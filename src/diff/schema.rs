//! Changes outside the clauses: the header (title, version, effective date, period), the
//! schema (register attributes, rosters, 事项 kinds, their fields and evidence, accounts) and
//! the chapters (matched by title, then by number).

use super::direction::compare_caps;
use super::{Change, Direction};
use crate::fmt::chinese_numeral;
use crate::model::describe::number;
use crate::model::{Compact, Field, HOUSEHOLD, MonthDay};

fn date(d: Option<jiff::civil::Date>) -> String {
    d.map_or_else(
        || "未写明".to_string(),
        |d| format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    )
}

fn month_day(md: MonthDay) -> String {
    format!("每年{}月{}日起", md.month, md.day)
}

/// Title, version, effective date and period.
pub fn header(old: &Compact, new: &Compact) -> Vec<Change> {
    let mut out = Vec::new();
    if old.title != new.title {
        out.push(Change::neutral(format!(
            "标题由「{}」改为「{}」",
            old.title, new.title
        )));
    }
    if old.version != new.version {
        out.push(Change::neutral(format!(
            "版本由「{}」改为「{}」",
            old.version.as_deref().unwrap_or("未写明"),
            new.version.as_deref().unwrap_or("未写明")
        )));
    }
    if old.effective != new.effective {
        out.push(Change::neutral(format!(
            "生效日期由 {} 改为 {}",
            date(old.effective),
            date(new.effective)
        )));
    }
    if old.period_start != new.period_start {
        out.push(Change::new(
            format!(
                "计分周期由{}改为{}",
                month_day(old.period_start),
                month_day(new.period_start)
            ),
            Direction::Unclear,
        ));
    }
    out
}

fn kind_label(compact: &Compact, kind: usize) -> String {
    if kind == HOUSEHOLD {
        "户籍".to_string()
    } else {
        format!(
            "名册「{}」",
            compact.kinds.get(kind).map_or("", |k| k.name.as_str())
        )
    }
}

fn field_list(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| format!("{}：{}", f.name, f.ty.describe()))
        .collect::<Vec<_>>()
        .join("；")
}

/// Fields compared by name: added, removed, type changed.
fn compare_fields(owner: &str, noun: &str, old: &[Field], new: &[Field], out: &mut Vec<Change>) {
    for n in new {
        match old.iter().find(|o| o.name == n.name) {
            Some(o) if o.ty != n.ty => out.push(Change::new(
                format!(
                    "{owner}的{noun}「{}」类型由{}改为{}",
                    n.name,
                    o.ty.describe(),
                    n.ty.describe()
                ),
                Direction::Unclear,
            )),
            Some(_) => {}
            None => out.push(Change::neutral(format!(
                "{owner}新增{noun}「{}」（{}）",
                n.name,
                n.ty.describe()
            ))),
        }
    }
    for o in old {
        if !new.iter().any(|n| n.name == o.name) {
            out.push(Change::neutral(format!("{owner}删去{noun}「{}」", o.name)));
        }
    }
}

/// Register attributes, rosters, 事项 kinds and accounts.
pub fn schema(old: &Compact, new: &Compact) -> Vec<Change> {
    let mut out = Vec::new();
    // Subjects: households always match; rosters by name.
    for (k, nk) in new.kinds.iter().enumerate() {
        let ok = if k == HOUSEHOLD {
            old.kinds.first()
        } else {
            old.kinds.iter().skip(1).find(|o| o.name == nk.name)
        };
        match ok {
            Some(ok) => compare_fields(
                &kind_label(new, k),
                "属性",
                &ok.attributes,
                &nk.attributes,
                &mut out,
            ),
            None => out.push(Change::neutral(format!(
                "新增名册「{}」（{}）",
                nk.name,
                field_list(&nk.attributes)
            ))),
        }
    }
    for ok in old.kinds.iter().skip(1) {
        if !new.kinds.iter().skip(1).any(|n| n.name == ok.name) {
            out.push(Change::neutral(format!("删去名册「{}」", ok.name)));
        }
    }
    // 事项.
    let owner = |c: &Compact, k: usize| c.kinds.get(k).map_or("", |k| k.name.as_str()).to_string();
    for ne in &new.events {
        let Some(oe) = old.events.iter().find(|o| o.name == ne.name) else {
            let fields = if ne.fields.is_empty() {
                String::new()
            } else {
                format!("（{}）", field_list(&ne.fields))
            };
            out.push(Change::neutral(format!("新增事项「{}」{fields}", ne.name)));
            continue;
        };
        let label = format!("事项「{}」", ne.name);
        if owner(old, oe.owner) != owner(new, ne.owner) {
            out.push(Change::new(
                format!(
                    "{label}的记录由归「{}」改为归「{}」",
                    owner(old, oe.owner),
                    owner(new, ne.owner)
                ),
                Direction::Unclear,
            ));
        }
        compare_fields(&label, "字段", &oe.fields, &ne.fields, &mut out);
        for ev in ne.evidence.iter().filter(|e| !oe.evidence.contains(e)) {
            out.push(Change::new(
                format!("{label}新增证明要求「{ev}」，无证明的记录不计分"),
                Direction::Stricter,
            ));
        }
        for ev in oe.evidence.iter().filter(|e| !ne.evidence.contains(e)) {
            out.push(Change::new(
                format!("{label}不再要求「{ev}」"),
                Direction::Looser,
            ));
        }
    }
    for oe in &old.events {
        if !new.events.iter().any(|n| n.name == oe.name) {
            out.push(Change::neutral(format!("删去事项「{}」", oe.name)));
        }
    }
    // Accounts.
    for na in &new.accounts {
        let Some(oa) = old.accounts.iter().find(|o| o.name == na.name) else {
            out.push(Change::neutral(format!("新增账户「{}」", na.name)));
            continue;
        };
        let label = format!("账户「{}」", na.name);
        if owner(old, oa.owner) != owner(new, na.owner) {
            out.push(Change::new(
                format!(
                    "{label}由属「{}」改为属「{}」",
                    owner(old, oa.owner),
                    owner(new, na.owner)
                ),
                Direction::Unclear,
            ));
        }
        if oa.is_default != na.is_default {
            out.push(Change::new(
                format!(
                    "{label}{}",
                    if na.is_default {
                        "改为默认账户"
                    } else {
                        "不再是默认账户"
                    }
                ),
                Direction::Unclear,
            ));
        }
        match (oa.floor, na.floor) {
            (Some(o), Some(n)) if o != n => out.push(Change::new(
                format!("{label}最低分由 {} 分改为 {} 分", number(o), number(n)),
                Direction::from_more(n > o),
            )),
            (None, Some(n)) => out.push(Change::new(
                format!("{label}新增最低分 {} 分", number(n)),
                Direction::Looser,
            )),
            (Some(o), None) => out.push(Change::new(
                format!("{label}取消最低分（原 {} 分）", number(o)),
                Direction::Stricter,
            )),
            _ => {}
        }
        out.extend(compare_caps(&label, &oa.caps, &na.caps, false));
    }
    for oa in &old.accounts {
        if !new.accounts.iter().any(|n| n.name == oa.name) {
            out.push(Change::neutral(format!("删去账户「{}」", oa.name)));
        }
    }
    out
}

/// OLD's chapter index → NEW's: by title first, then by number.
pub fn match_chapters(old: &Compact, new: &Compact) -> Vec<Option<usize>> {
    let mut map: Vec<Option<usize>> = vec![None; old.chapters.len()];
    let mut taken = vec![false; new.chapters.len()];
    for by_title in [true, false] {
        for (o, oc) in old.chapters.iter().enumerate() {
            if map.get(o).is_some_and(Option::is_some) {
                continue;
            }
            let found = new.chapters.iter().enumerate().position(|(n, nc)| {
                !taken.get(n).copied().unwrap_or(true)
                    && if by_title {
                        oc.title.is_some() && oc.title == nc.title
                    } else {
                        oc.number == nc.number
                    }
            });
            if let Some(n) = found
                && let (Some(slot), Some(t)) = (map.get_mut(o), taken.get_mut(n))
            {
                *slot = Some(n);
                *t = true;
            }
        }
    }
    map
}

fn chapter_label(number: u32) -> String {
    format!("第{}章", chinese_numeral(number))
}

/// Chapters renumbered, retitled, added, removed; chapter caps.
pub fn chapters(old: &Compact, new: &Compact, map: &[Option<usize>]) -> Vec<Change> {
    let mut out = Vec::new();
    for (o, oc) in old.chapters.iter().enumerate() {
        let Some(nc) = map
            .get(o)
            .copied()
            .flatten()
            .and_then(|n| new.chapters.get(n))
        else {
            out.push(Change::neutral(format!(
                "删去{}「{}」",
                chapter_label(oc.number),
                oc.title.as_deref().unwrap_or("")
            )));
            continue;
        };
        if oc.number != nc.number {
            out.push(Change::neutral(format!(
                "{}「{}」改为{}",
                chapter_label(oc.number),
                oc.title.as_deref().unwrap_or(""),
                chapter_label(nc.number)
            )));
        }
        if oc.title != nc.title {
            out.push(Change::neutral(format!(
                "{}的标题由「{}」改为「{}」",
                chapter_label(nc.number),
                oc.title.as_deref().unwrap_or(""),
                nc.title.as_deref().unwrap_or("")
            )));
        }
        out.extend(compare_caps(
            &format!("{}全章", chapter_label(nc.number)),
            &oc.caps,
            &nc.caps,
            false,
        ));
    }
    for (n, nc) in new.chapters.iter().enumerate() {
        if !map.contains(&Some(n)) {
            let mut text = format!(
                "新增{}「{}」",
                chapter_label(nc.number),
                nc.title.as_deref().unwrap_or("")
            );
            for cap in &nc.caps {
                text.push_str(&format!("，全章{}", crate::model::describe::cap(cap)));
            }
            out.push(Change::neutral(text));
        }
    }
    out
}
