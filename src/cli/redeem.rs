//! `xiangyue redeem` (积分超市: points spent on goods, checked against the balance the compact
//! gives at that moment) and `xiangyue adopt` (a new version of the compact, with the vote that
//! adopted it, in force from its 生效 date).

use std::path::PathBuf;

use rust_decimal::Decimal;

use super::book::{date_arg, day_of, now, open, refuse, today_text};
use super::publish::standing;
use super::record::{check_one, file_name, person};
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE, ErrorFormat, diagnostics};
use crate::book::BookError;
use crate::book::seal::{Cell, sha256};
use crate::data::value::date_of;
use crate::eval::Period;
use crate::model::{Action, Compact, HOUSEHOLD, Literal, Rule};
use crate::report::tables::points;

/// The `redeem` options.
#[derive(Debug, clap::Args)]
pub struct RedeemArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 兑换的户号
    #[arg(long, value_name = "户号")]
    pub household: String,
    /// 用掉多少积分（乡约有价目表时可以不写，按价目表计；写了要与价目表相符）
    #[arg(long, value_name = "分数")]
    pub points: Option<String>,
    /// 兑换几件（按价目表兑换时，默认 1 件）
    #[arg(long, value_name = "件数")]
    pub count: Option<String>,
    /// 兑换的物品，例如 洗衣液
    #[arg(long, value_name = "物品")]
    pub item: String,
    /// 经办人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 兑换的日期（默认今天）
    #[arg(long, value_name = "日期")]
    pub date: Option<String>,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

/// The compact's redemption of a household's 事项.
struct Redemption {
    /// The 事项.
    event: String,
    /// Its field: the points, or with a price table the good.
    field: String,
    /// The account spent from.
    account: usize,
    /// 按 物品：洗衣液 20 分，… — (the goods of a row, its price).
    prices: Option<Vec<(Vec<String>, Decimal)>>,
}

/// The compact's redemption (the first 从 … 支出 rule of a household's 事项).
fn redemption(compact: &Compact) -> Option<Redemption> {
    compact
        .clauses
        .iter()
        .flat_map(|c| &c.rules)
        .find_map(|rule| match rule {
            Rule::Event(rule) => match &rule.action {
                Action::Redeem {
                    account,
                    field,
                    prices,
                } => {
                    let event = compact.events.get(*rule.events.first()?)?;
                    (event.owner == HOUSEHOLD).then(|| Redemption {
                        event: event.name.clone(),
                        field: field.name.clone(),
                        account: *account,
                        prices: prices.as_ref().map(|rows| {
                            rows.iter()
                                .map(|row| {
                                    let goods = row
                                        .keys
                                        .iter()
                                        .filter_map(|k| match k {
                                            Literal::Text(t) => Some(t.clone()),
                                            _ => None,
                                        })
                                        .collect();
                                    (goods, row.points.abs())
                                })
                                .collect()
                        }),
                    })
                }
                _ => None,
            },
            _ => None,
        })
}

/// The price table as the clerk reads it: 洗衣液 20 分，香皂、肥皂 5 分.
fn price_list(prices: &[(Vec<String>, Decimal)]) -> String {
    prices
        .iter()
        .map(|(goods, price)| format!("{} {} 分", goods.join("、"), points(*price)))
        .collect::<Vec<_>>()
        .join("，")
}

/// Reads `--points` (a positive number of points, 分 allowed).
fn points_arg(text: &str) -> Result<Decimal, u8> {
    crate::data::value::parse_decimal(text, Some("分"))
        .filter(|p| *p > Decimal::ZERO)
        .ok_or_else(|| {
            eprintln!("错误：--points 的「{text}」不是正的分数；写成 30 或 30分");
            EXIT_USAGE
        })
}

/// Reads `--count` (a whole number of goods, 1 to 1000; 件 allowed).
fn count_arg(text: Option<&str>) -> Result<u32, u8> {
    let Some(text) = text else { return Ok(1) };
    let trimmed = text.trim().trim_end_matches(['件', '个', '瓶', '块', '袋']);
    crate::syntax::numeral::parse_number(trimmed.trim())
        .ok()
        .filter(|n| n.fract().is_zero() && *n >= Decimal::ONE && *n <= Decimal::from(1000))
        .and_then(|n| u32::try_from(n.mantissa() / 10i128.pow(n.scale())).ok())
        .ok_or_else(|| {
            eprintln!("错误：--count 的「{text}」不是 1 到 1000 的整数件数；写成 2");
            EXIT_USAGE
        })
}

pub fn redeem(args: &RedeemArgs) -> u8 {
    match redeem_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn redeem_inner(args: &RedeemArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let by = person(&args.by)?;
    let today = today_text()?;
    let date = match &args.date {
        Some(d) => date_arg(d, "--date")?,
        None => today.clone(),
    };
    let typed = args.points.as_deref().map(points_arg).transpose()?;
    let count = count_arg(args.count.as_deref())?;
    let goods = args.item.trim().to_string();
    if goods.is_empty() {
        eprintln!("错误：--item 要写兑换的物品，例如 --item 洗衣液");
        return Err(EXIT_USAGE);
    }
    let mut book = open(&args.village, format)?;
    let fail = |e: BookError| refuse(&e, format);
    let version = book
        .compact_in_force(&date)
        .map_err(fail)?
        .ok_or(EXIT_ERRORS)?;
    let compact = super::book::compile_version(&version, &args.village, format)?;
    let Some(Redemption {
        event,
        field,
        account,
        prices,
    }) = redemption(&compact)
    else {
        return Err(fail(BookError::bad(
            format!(
                "乡约第 {} 版（{}）没有积分兑换的条文",
                version.id, version.file
            ),
            "乡约里写一个兑换的事项和条文，例如：事项 积分兑换 { 所用积分：分数 }，凡 积分兑换，从 兑换积分 支出 所用积分。",
        )));
    };
    let account_name = compact
        .accounts
        .get(account)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    // With a price table the good's price is the compact's, the record names the good (as a
    // record of the log would) and `--points` can only confirm it; without one the clerk's
    // `--points` is what is spent, one record.
    let (wanted, cell) = match &prices {
        Some(table) => {
            let folded = crate::model::width::fold_width(&goods);
            let Some(price) = table.iter().find_map(|(names, price)| {
                names
                    .iter()
                    .any(|n| crate::model::width::fold_width(n) == folded)
                    .then_some(*price)
            }) else {
                return Err(fail(BookError::bad(
                    format!(
                        "乡约第 {} 版（{}）的价目表里没有「{goods}」，不能兑换",
                        version.id, version.file
                    ),
                    format!(
                        "价目表：{}。--item 写价目表里的一样；要兑换新的物品，先修订乡约的价目表",
                        price_list(table)
                    ),
                )));
            };
            let total = price * Decimal::from(count);
            if let Some(typed) = typed
                && typed != total
            {
                let each = if count == 1 {
                    String::new()
                } else {
                    format!("，{count} 件共 {} 分", points(total))
                };
                return Err(fail(BookError::bad(
                    format!(
                        "--points 写的 {} 分与乡约的价目表不符：「{goods}」每件 {} 分{each}",
                        points(typed),
                        points(price)
                    ),
                    format!(
                        "按价目表兑换时不用写 --points，工具按价目表计分（价目表：{}）",
                        price_list(table)
                    ),
                )));
            }
            (total, goods.clone())
        }
        None => {
            let Some(typed) = typed else {
                return Err(fail(BookError::bad(
                    format!(
                        "乡约第 {} 版（{}）的兑换没有价目表，要写用掉多少积分",
                        version.id, version.file
                    ),
                    "加上 --points，例如 --points 20；或者在乡约的兑换条文里写价目表：从 兑换积分 支出，按 物品：洗衣液 20 分",
                )));
            };
            if count != 1 {
                return Err(fail(BookError::bad(
                    "乡约的兑换没有价目表，--count 用不上",
                    "--points 写这次兑换一共用掉多少积分，不写 --count",
                )));
            }
            (typed, typed.normalize().to_string())
        }
    };
    // The record, checked as any record is (the household must be in the register).
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record(["日期", "户号", "人员", "事项", field.as_str(), "备注"]);
    let note = format!("积分超市兑换：{goods}");
    let _ = writer.write_record([
        date.as_str(),
        args.household.trim(),
        "",
        event.as_str(),
        cell.as_str(),
        note.as_str(),
    ]);
    let text = String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
    let record = check_one(&book, &args.village, &text, "兑换", format)?;
    let household = record.household.as_deref().unwrap_or_default().to_string();
    let heads = book.heads().map_err(fail)?;
    let (standing, _) = standing(&book, &args.village, &date, heads, None, format)?;
    let kind = standing.results.kinds.iter().find(|k| k.kind == HOUSEHOLD);
    let subject = kind.and_then(|k| k.subjects.iter().find(|s| s.id == household));
    let balance = kind
        .zip(subject)
        .and_then(|(k, s)| {
            let slot = k.accounts.iter().position(|a| *a == account)?;
            s.points.get(slot).copied()
        })
        .unwrap_or(Decimal::ZERO);
    let head = super::book::head_of(&standing.registers, &household);
    if wanted > balance {
        return Err(fail(BookError::Overdraft {
            household: household.clone(),
            head,
            account: account_name,
            balance: points(balance),
            points: points(wanted),
            short: points(wanted - balance),
            date,
        }));
    }
    let at = now()?;
    let ids = book
        .change(|w| {
            if w.head("records")?.0 != heads.records || w.head("reviews")?.0 != heads.reviews {
                return Err(BookError::bad(
                    "核对余额的时候，账本里又登记或审核了记录",
                    "再兑换一次（余额要按最新的账本核对）",
                ));
            }
            // One record per good, as the price table spends one good per record.
            let mut ids = Vec::new();
            for _ in 0..count {
                let (id, _) = w.append(
                    "records",
                    &[
                        Cell::from("兑换"),
                        Cell::Null,
                        Cell::from(record.day.as_str()),
                        Cell::from(record.household.as_deref()),
                        Cell::Null,
                        Cell::from(record.item.as_str()),
                        Cell::from(record.cells.as_str()),
                        Cell::Null,
                        Cell::Null,
                        Cell::Null,
                        Cell::from(note.as_str()),
                        Cell::from(by.as_str()),
                        Cell::from(at.as_str()),
                    ],
                )?;
                w.append(
                    "reviews",
                    &[
                        Cell::Int(id),
                        Cell::from("通过"),
                        Cell::from(format!("兑换时核对余额 {} 分", points(balance))),
                        Cell::from(by.as_str()),
                        Cell::from(at.as_str()),
                    ],
                )?;
                ids.push(id);
            }
            Ok(ids)
        })
        .map_err(fail)?;
    let name = if head.is_empty() {
        String::new()
    } else {
        format!("（{head}）")
    };
    let records = match (ids.first(), ids.last()) {
        (Some(first), Some(last)) if first != last => format!("记录 {first}–{last}"),
        (Some(first), _) => format!("记录 {first}"),
        _ => "记录".to_string(),
    };
    let what = if count == 1 {
        goods.clone()
    } else {
        format!("{goods} {count} 件")
    };
    let priced = if prices.is_some() {
        "（按价目表）"
    } else {
        ""
    };
    println!(
        "已兑换：{household}{name}用{account_name} {} 分{priced}兑换 {what}（{records}，{date}）；余额 {} → {} 分。",
        points(wanted),
        points(balance),
        points(balance - wanted)
    );
    Ok(EXIT_OK)
}

/// The `adopt` options.
#[derive(Debug, clap::Args)]
pub struct AdoptArgs {
    /// 村的文件夹（其中有积分账本.db）
    pub village: PathBuf,
    /// 表决通过的新版乡约（.xy），要写「生效」日期
    pub compact: PathBuf,
    /// 表决结果，例如 --vote 赞成 41 反对 3 弃权 2
    #[arg(long, value_name = "票数", num_args = 1.., required = true)]
    pub vote: Vec<String>,
    /// 表决的日期
    #[arg(long, value_name = "日期")]
    pub date: String,
    /// 经办人（姓名）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

/// Reads 「赞成 41 反对 3 弃权 2」 (also 赞成41,反对3,弃权2).
fn votes(words: &[String]) -> Option<(i64, i64, i64)> {
    let text = words.join(" ");
    let mut found = [None; 3];
    for (slot, word) in ["赞成", "反对", "弃权"].iter().enumerate() {
        let rest = text
            .split_once(word)?
            .1
            .trim_start_matches([' ', '：', ':']);
        let number: String = rest
            .chars()
            .take_while(|c| {
                !c.is_whitespace()
                    && ![',', '，', '、', '票', '人'].contains(c)
                    && !"赞反弃".contains(*c)
            })
            .collect();
        let value = crate::syntax::numeral::parse_number(&number).ok()?;
        if value.fract() != Decimal::ZERO || value.is_sign_negative() {
            return None;
        }
        if let Some(slot) = found.get_mut(slot) {
            *slot = i64::try_from(value.mantissa() / 10i128.pow(value.scale())).ok();
        }
    }
    Some((found[0]?, found[1]?, found[2]?))
}

pub fn adopt(args: &AdoptArgs) -> u8 {
    match adopt_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn adopt_inner(args: &AdoptArgs) -> Result<u8, u8> {
    let format = args.error_format;
    let by = person(&args.by)?;
    let vote_date = date_arg(&args.date, "--date")?;
    let Some((yes, no, abstain)) = votes(&args.vote) else {
        eprintln!(
            "错误：--vote 的「{}」看不懂；写成 --vote 赞成 41 反对 3 弃权 2",
            args.vote.join(" ")
        );
        return Err(EXIT_USAGE);
    };
    let (source, compact) = diagnostics::compile_file(&args.compact, format)?;
    let mut book = open(&args.village, format)?;
    let fail = |e: BookError| refuse(&e, format);
    let Some(effective) = compact.effective.map(|d| d.to_string()) else {
        return Err(fail(BookError::bad(
            format!("{} 没有写「生效」日期", args.compact.display()),
            "在乡约开头写明从哪天起生效，例如：生效 2025年1月1日",
        )));
    };
    let present = yes + no + abstain;
    if yes * 2 <= present {
        return Err(fail(BookError::bad(
            format!("赞成 {yes} 票，没有超过到会 {present} 人的半数：新版乡约未通过，不存入账本"),
            "村民代表会议所作决定应当经到会人员的过半数同意；修改后再表决",
        )));
    }
    if effective < vote_date {
        return Err(fail(BookError::bad(
            format!("新版乡约 {effective} 生效，早于表决的日期 {vote_date}"),
            "乡约不能在表决以前生效；把「生效」改为表决以后的日期",
        )));
    }
    let period = Period::containing(day_of(&effective), compact.period_start);
    if date_of(period.start).to_string() != effective {
        return Err(fail(BookError::MidPeriod {
            effective: effective.clone(),
            period: period.label(),
            next: date_of(period.end).to_string(),
        }));
    }
    let versions = book.compacts().map_err(fail)?;
    if let Some(current) = versions.iter().max_by(|a, b| a.effective.cmp(&b.effective))
        && versions.len() > 1
        && effective <= current.effective
    {
        return Err(fail(BookError::bad(
            format!(
                "新版乡约 {effective} 生效，不晚于现行的第 {} 版（{} 生效）",
                current.id, current.effective
            ),
            "新版要从现行版本之后的年度开始生效",
        )));
    }
    if let Some(published) = book
        .publications()
        .map_err(fail)?
        .into_iter()
        .rev()
        .find(|p| p.through >= effective)
    {
        return Err(fail(BookError::bad(
            format!(
                "第 {} 次公示已按旧版公示到 {}，新版不能从更早的 {effective} 生效",
                published.id, published.through
            ),
            "已经公示的积分不能改用另一版乡约重算；把「生效」改为下一年度的第一天",
        )));
    }
    let at = now()?;
    let file = file_name(&args.compact);
    let id = book
        .change(|w| {
            Ok(w.append(
                "compacts",
                &[
                    Cell::from(file.as_str()),
                    Cell::from(source.as_str()),
                    Cell::from(sha256(source.as_bytes())),
                    Cell::from(effective.as_str()),
                    Cell::from(vote_date.as_str()),
                    Cell::Int(yes),
                    Cell::Int(no),
                    Cell::Int(abstain),
                    Cell::from(by.as_str()),
                    Cell::from(at.as_str()),
                ],
            )?
            .0)
        })
        .map_err(fail)?;
    println!(
        "已存入乡约第 {id} 版（{file}），{effective} 起生效；{vote_date} 表决：赞成 {yes}、反对 {no}、弃权 {abstain}。"
    );
    println!("{effective} 以前的记录仍按以前的版本计算；以后的记录按第 {id} 版计算。");
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    #[test]
    fn votes_are_read_as_written() {
        let words = |t: &str| t.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            super::votes(&words("赞成 41 反对 3 弃权 2")),
            Some((41, 3, 2))
        );
        assert_eq!(super::votes(&words("赞成41,反对3,弃权2")), Some((41, 3, 2)));
        assert_eq!(
            super::votes(&words("赞成 四十一 反对 三 弃权 0")),
            Some((41, 3, 0))
        );
        assert_eq!(super::votes(&words("赞成 41 反对 3")), None);
        assert_eq!(super::votes(&words("赞成 4.5 反对 3 弃权 0")), None);
    }
}
