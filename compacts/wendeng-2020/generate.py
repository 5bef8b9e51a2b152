#!/usr/bin/env python3
"""Writes the Wendeng 2020 compact and its sample village data (deterministic).

    python3 compacts/wendeng-2020/generate.py && cargo run -- fmt --write compacts/wendeng-2020/wendeng-2020.xy

- wendeng-2020.xy: the 52 articles of 《威海市文登区农村居民信用积分评价办法》 as 第一条…第五十二条
  (their 原文 verbatim from ../shared/corpus/wendeng-2020-banfa.md, with rules where an article
  scores, grades, limits or sequences points), then every row of the scoring table (附件,
  ../shared/corpus/wendeng-2020-biaozhun.md, 原文 = the row's cells verbatim), then the
  district-wide scoring rules (《威海市文登区社会成员信用积分和信用评价管理办法》) the table
  relies on. The rules for each row are written in SPEC below; README.md says why.
- 户籍.csv (households), 居民.csv (240 residents), events.csv (2020–2022): scripted residents
  W001–W020 whose results expected.json gives by hand, W200 (a 降C级 record repaired), and
  background residents whose records exercise every scoring clause at least once.
- docs/coverage/wendeng-2020.md: the one-line-per-row table after its marker line.

Run from anywhere; needs ../shared/corpus next to the repository root.
"""
import csv
import datetime
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")

# ------------------------------------------------------------------------------------------
# The source texts
# ------------------------------------------------------------------------------------------

CN = "零一二三四五六七八九"


def cn(n):
    """Chinese numeral for 1..999 as clause numbers are written."""
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n - 10] if n > 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    h, r = divmod(n, 100)
    if r == 0:
        return CN[h] + "百"
    if r < 10:
        return CN[h] + "百零" + CN[r]
    if r < 20:
        return CN[h] + "百一十" + (CN[r - 10] if r > 10 else "")
    return CN[h] + "百" + cn(r)


def articles():
    text = open(os.path.join(CORPUS, "wendeng-2020-banfa.md"), encoding="utf-8").read()
    body = text.split("## 办法全文（as transcribed）")[1].split("## 信用基金管理办法")[0]
    arts, chapters, cur = {}, [], None
    for line in body.split("\n"):
        m = re.match(r"第([一二三四五六七八九十]+)条　(.*)", line)
        if line.startswith("### "):
            chapters.append([line[4:].replace("　", " ").split(" ", 1)[1].strip(), []])
            cur = None
        elif m:
            cur = m.group(1)
            arts[cur] = [m.group(2).strip()]
            chapters[-1][1].append(cur)
        elif cur and line.strip():
            arts[cur].append(line.strip())
    return arts, chapters


def table_rows():
    text = open(os.path.join(CORPUS, "wendeng-2020-biaozhun.md"), encoding="utf-8").read()
    rows = []
    for line in text.split("\n"):
        if line.startswith("| 守信") or line.startswith("| 失信"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append(cells)
    return rows


def rules_articles():
    """The district-wide rules (社会成员办法) as transcribed: article number → paragraphs."""
    text = open(os.path.join(CORPUS, "wendeng-2020-biaozhun.md"), encoding="utf-8").read()
    part = text.split("## A. ")[1].split("## B. ")[0]
    arts, cur = {}, None
    for line in part.split("\n"):
        m = re.match(r"\*\*第([一二三四五六七八九十]+)条\*\*\s*(.*)", line)
        if m:
            cur = m.group(1)
            arts[cur] = [m.group(2).strip()] if m.group(2).strip() else []
        elif cur and line.strip():
            arts[cur].append(line.strip())
    return arts


ARTS, CHAPTERS = articles()
ROWS = table_rows()
RULES = rules_articles()
assert len(ARTS) == 52 and len(ROWS) == 228, (len(ARTS), len(ROWS))

# ------------------------------------------------------------------------------------------
# Declarations
# ------------------------------------------------------------------------------------------

EVENTS = {}  # name -> field block ("" when none); insertion order is declaration order


def ev(name, fields=""):
    if name not in EVENTS:
        EVENTS[name] = fields
    return name


# ------------------------------------------------------------------------------------------
# The table: one entry per clause. rows: the table rows it expresses (1-based).
# stmts: rule lines; highest: keys of clauses it takes the highest with; samples: records
# (event, fields) that make it apply, for the sample log.
# ------------------------------------------------------------------------------------------

TABLE = []  # (chapter title, chapter statement or None, [clause dicts])


def chapter(title, cap=None):
    TABLE.append((title, cap, []))


def clause(rows, title, stmts, samples, key=None, highest=(), note=None, excepts=()):
    TABLE[-1][2].append(
        dict(rows=list(rows), title=title, stmts=stmts, samples=samples, key=key,
             highest=list(highest), note=note, excepts=list(excepts))
    )


def q(name):
    return f"「{name}」"


def award(row, title, event, points, fields="", cond="", mods=(), sample=None, **kw):
    ev(event, fields)
    c = f" 且 {cond}" if cond else ""
    m = "".join(f"；{x}" for x in mods)
    clause([row], title, [f"凡 {q(event)}{c}，每次 加 {points} 分{m}。"],
           [(event, sample or {})], **kw)


def deduct(row, title, event, points, fields="", cond="", mods=(), sample=None, **kw):
    """A 失信 row: 第二次起 doubled (社会成员办法第十八条4); more than 40 points valid 2 years
    (第二十条2)."""
    ev(event, fields)
    c = f" 且 {cond}" if cond else ""
    mods = ["第二次起 加倍"] + list(mods)
    if points > 40:
        mods.append("有效 2 年")
    m = "".join(f"；{x}" for x in mods)
    clause([row], title, [f"凡 {q(event)}{c}，每次 扣 {points} 分{m}。"],
           [(event, sample or {})], **kw)


DOWN = {"B": (50, 2), "C": (80, 3), "D": (100, 5)}


def downgrade(row, title, event, level, fields="", cond="", sample=None, **kw):
    """A 降B/C/D row: at village level 50/80/100 points (办法第二十四条), valid 2/3/5 years
    (社会成员办法第二十条1), and the district grade 信用等级 at most that level."""
    ev(event, fields)
    points, years = DOWN[level]
    c = f" 且 {cond}" if cond else ""
    clause([row], title, [
        f"凡 {q(event)}{c}，每次 扣 {points} 分；第二次起 加倍；有效 {years} 年。",
        f"凡 {q(event)}{c}，一票否决：信用等级 降为「{level}」；有效 {years} 年。",
    ], [(event, sample or {})], **kw)


def table(rows, title, event, field, values, points, fields, sign="加", mods=(), **kw):
    ev(event, fields)
    parts = "，".join(f"{q(v)} {sign} {p} 分" for v, p in zip(values, points))
    m = "".join(f"；{x}" for x in mods)
    clause(rows, title, [f"凡 {q(event)}，按 {q(field)}：{parts}{m}。"],
           [(event, {field: v}) for v in values], **kw)


DEGREE = "情节：选项（一般、较重、严重、特别严重）"
MERIT = "表现：选项（突出、特别突出）"
LEVEL2 = "层级：选项（区级、村级）"

# ---- 守信（加分） ----

chapter("附件一 守信信息：党建领域（农村党组织书记、村委会主任）")
table([1, 2], "落实急难险重任务（书记、主任）", "书记主任落实急难险重任务", "表现",
      ["突出", "特别突出"], [5, 10], f"{{ {MERIT} }}")
table([3, 4], "党建示范点", "党建示范点", "级别", ["区级", "威海级及以上"], [5, 10],
      "{ 级别：选项（区级、威海级及以上） }")
award(5, "五星级党支部", "五星级党支部书记主任", 5)
table([6, 7], "发展壮大集体经济", "发展壮大集体经济", "表现", ["成效突出", "做出重要贡献"], [5, 10],
      "{ 表现：选项（成效突出、做出重要贡献） }")
table([8, 9, 10], "村居示范点（观摩点）", "村居示范点", "级别", ["区级部门", "威海市级部门", "文登区级"],
      [5, 10, 20], "{ 级别：选项（区级部门、威海市级部门、文登区级） }")
table([11, 12], "廉政文化街", "廉政文化街通过验收", "层级", ["区级", "村级"], [10, 5],
      f"{{ {LEVEL2} }}", note="两行原文相同而分值不同（+10、+5）；按区级、村级验收分档，见 README")
table([13, 14], "信用超市、信用银行、暖心食堂", "设立信用超市等", "层级", ["区级", "村级"], [5, 2],
      f"{{ {LEVEL2} }}", note="两行原文相同而分值不同（+5、+2）；按区级、村级认定分档，见 README")

chapter("附件二 守信信息：党建领域（农村党员）")
table([15, 16], "完成急难险重任务（党员）", "党员完成急难险重任务", "表现", ["突出", "特别突出"], [5, 10],
      f"{{ {MERIT} }}")
ev("引进产业项目", "{ 投资额：金额 }")
clause([17], "引进产业项目", ["凡 「引进产业项目」，每次 加 5 分。"], [("引进产业项目", {"投资额": "50万元"})],
       key="p17")
clause([18], "引进农业项目投资 100—200 万元", [
    "凡 「引进产业项目」 且 「投资额」 不低于 1000000 元 且 「投资额」 低于 2000000 元，每次 加 10 分。"],
    [("引进产业项目", {"投资额": "150万元"})], key="p18", highest=["p17"])
clause([19], "引进农业项目投资 200—500 万元", [
    "凡 「引进产业项目」 且 「投资额」 不低于 2000000 元 且 「投资额」 低于 5000000 元，每次 加 20 分。"],
    [("引进产业项目", {"投资额": "300万元"})], key="p19", highest=["p17"])
clause([20], "引进农业项目投资 500 万元以上", [
    "凡 「引进产业项目」 且 「投资额」 不低于 5000000 元，每次 加 50 分。"],
    [("引进产业项目", {"投资额": "600万元"})], key="p20", highest=["p17"])
award(21, "参加廉政教育活动", "党员参加廉政教育活动", 2)
table([22, 23], "党员联四邻、设岗定责、传帮带", "党员联四邻设岗定责", "表现", ["特别突出", "做出重要贡献"],
      [5, 10], "{ 表现：选项（特别突出、做出重要贡献） }")

chapter("附件三 守信信息：新时代文明实践")
ev("志愿服务", "{ 时长：数量（小时） }")
clause(range(24, 34), "志愿服务时间累计", [
    "凡 「志愿服务」，按 「时长」 累计：满 4 小时 加 1 分，满 10 小时 加 2 分，满 20 小时 加 5 分，"
    "满 50 小时 加 10 分，满 80 小时 加 15 分，满 100 小时 加 20 分，满 150 小时 加 25 分，"
    "满 200 小时 加 30 分，满 250 小时 加 40 分，满 300 小时 加 50 分。"],
    [("志愿服务", {"时长": "6"})], note="区级 10 档与村级“4 小时”一档合为一个累计阶梯")
award(34, "参加各类培训", "参加文明实践培训", 1, mods=["每年 至多 3 分"])
award(35, "拥军优属活动", "参加拥军优属活动", 1, mods=["每年 至多 5 分"])
award(36, "参加镇街文化节庆表演", "参加镇街文化节庆", 2)
award(37, "代表镇街参加区级以上表演比赛", "代表镇街参加区级以上活动", 3)
award(38, "长期帮助困难群众", "长期帮助困难群众", 5)
award(39, "年度好人好事突出表现", "好人好事突出表现", 5, mods=["每年 至多 5 分"])
award(40, "生态安葬", "申请生态安葬", 10)
award(41, "使用机械车辆帮助弱势群体", "用机械车辆帮扶弱势群体", 2)
award(42, "贫困户达到清洁户标准", "贫困户达清洁户标准", 1, mods=["每季度 至多 1 分"])
award(43, "获“示范户”称号", "获美在我家示范户", 1, mods=["每季度 至多 1 分"])
award(44, "志愿帮扶弱势群体", "志愿帮扶弱势群体", 1, mods=["每月 至多 1 分"])
ev("邻里义务帮助", "{ 使用车辆机械：是否 }")
clause([45], "邻里义务帮助", ["凡 「邻里义务帮助」，每次 加 1 分；每月 至多 1 分。"],
       [("邻里义务帮助", {"使用车辆机械": "否"})], key="p45")
clause([46], "邻里帮助使用车辆机械", [
    "凡 「邻里义务帮助」 且 「使用车辆机械」，每次 加 1 分；每月 至多 2 分。"],
    [("邻里义务帮助", {"使用车辆机械": "是"})], key="p46", excepts=["p45"],
    note="同一次帮助使用车辆机械的，按本行（每月最多 2 分）计，不再按上一行计（例外）")
award(47, "个人机械车辆参加集体义务劳动", "个人机械参加集体义务劳动", 2)
ev("义务抢险救灾", "{ 表现突出：是否；使用个人机械车辆：是否 }")
clause([48], "义务参加救火防汛抢险救灾", ["凡 「义务抢险救灾」，每次 加 1 分。"],
       [("义务抢险救灾", {"表现突出": "否", "使用个人机械车辆": "否"})], key="p48")
clause([49], "抢险救灾表现突出", ["凡 「义务抢险救灾」 且 「表现突出」，每次 加 2 分。"],
       [("义务抢险救灾", {"表现突出": "是", "使用个人机械车辆": "否"})], key="p49", highest=["p48"])
clause([50], "使用个人机械车辆抢险救灾", ["凡 「义务抢险救灾」 且 「使用个人机械车辆」，每次 加 2 分。"],
       [("义务抢险救灾", {"表现突出": "否", "使用个人机械车辆": "是"})], key="p50", highest=["p48"])
clause([51], "使用个人机械车辆抢险救灾且表现突出", [
    "凡 「义务抢险救灾」 且 「表现突出」 且 「使用个人机械车辆」，每次 加 3 分。"],
    [("义务抢险救灾", {"表现突出": "是", "使用个人机械车辆": "是"})], key="p51", highest=["p48"])

chapter("附件四 守信信息：社会公益")
award(52, "成立农村公益组织", "成立农村公益组织", 10)
ev("慈善捐款", "{ 金额：金额 }")
clause([57], "小额捐款", ["凡 「慈善捐款」 且 「金额」 低于 100 元，每满 10 元 加 0.1 分。"],
       [("慈善捐款", {"金额": "50元"})], note="“99元以下”按不足 100 元计")
award(58, "无偿献血", "无偿献血", 10)
award(59, "骨髓捐献", "骨髓捐献", 50)
award(60, "捐献遗体器官", "捐献遗体器官", 100, note="加分对象为父母或配偶：记录记在其名下")

chapter("附件五 守信信息：区级平台捐款", cap="本章 每年 至多 40 分。")
clause([53], "捐款 100—1000 元", [
    "凡 「慈善捐款」 且 「金额」 不低于 100 元 且 「金额」 不高于 1000 元，每满 100 元 加 1 分。"],
    [("慈善捐款", {"金额": "800元"})], key="d53")
clause([54], "捐款 1001—5000 元", [
    "凡 「慈善捐款」 且 「金额」 高于 1000 元 且 「金额」 不高于 5000 元，每满 400 元 加 1 分。"],
    [("慈善捐款", {"金额": "3000元"})], key="d54", highest=["d53"])
clause([55], "捐款 5001—10000 元", [
    "凡 「慈善捐款」 且 「金额」 高于 5000 元 且 「金额」 不高于 10000 元，每满 500 元 加 1 分。"],
    [("慈善捐款", {"金额": "6000元"})], key="d55", highest=["d53"])
clause([56], "捐款 1 万元以上", [
    "凡 「慈善捐款」 且 「金额」 不低于 10000 元，每满 1000 元 加 1 分。"],
    [("慈善捐款", {"金额": "12000元"})], key="d56", highest=["d53"])

chapter("附件六 守信信息：公民道德")
ev("拾金不昧", "{ 金额：金额 }")
clause([65], "拾金不昧 100 元以下", ["凡 「拾金不昧」 且 「金额」 不高于 100 元，每次 加 1 分。"],
       [("拾金不昧", {"金额": "60元"})], key="f65")
clause([61], "拾金不昧 100—1000 元", [
    "凡 「拾金不昧」 且 「金额」 不低于 100 元 且 「金额」 不高于 1000 元，每次 加 2 分。"],
    [("拾金不昧", {"金额": "500元"})], key="f61", highest=["f65"])
clause([62], "拾金不昧 1001—5000 元", [
    "凡 「拾金不昧」 且 「金额」 高于 1000 元 且 「金额」 不高于 5000 元，每次 加 3 分。"],
    [("拾金不昧", {"金额": "2000元"})], key="f62", highest=["f65"])
clause([63], "拾金不昧 5001—10000 元", [
    "凡 「拾金不昧」 且 「金额」 高于 5000 元 且 「金额」 不高于 10000 元，每次 加 5 分。"],
    [("拾金不昧", {"金额": "8000元"})], key="f63", highest=["f65"])
clause([64], "拾金不昧 1 万元以上", ["凡 「拾金不昧」 且 「金额」 不低于 10000 元，每次 加 10 分。"],
       [("拾金不昧", {"金额": "15000元"})], key="f64", highest=["f65"])

chapter("附件七 守信信息：村居管理")
award(66, "举报制售假冒伪劣有重大贡献", "举报假冒伪劣有重大贡献", 30)
award(67, "举报违法行为", "举报违法行为", 10)
award(68, "举报非法集资有重大贡献", "举报非法集资有重大贡献", 10)
award(69, "举报食品安全生产安全问题", "举报食品生产安全问题", 5)
award(70, "配合集中整治", "配合集中整治", 5)
award(71, "帮助村集体增收一万元以上、帮助脱贫致富", "帮助集体增收或村民致富", 5)
award(72, "组织协商或文明睦邻活动", "组织协商或睦邻活动", 5)
award(73, "合理化建议被采纳", "合理化建议被采纳", 2)
award(74, "带头拆除乱搭乱建", "带头拆除乱搭乱建", 5)
award(75, "无偿提供土地配合村建设", "无偿提供土地", 10)
award(76, "义务维修公共设施", "义务维修公共设施", 2)
ev("为村集体增加收入", "{ 金额：金额 }")
clause([77], "为村集体增收 5000 元", ["凡 「为村集体增加收入」 且 「金额」 不高于 5000 元，每次 加 2 分。"],
       [("为村集体增加收入", {"金额": "5000元"})], note="“5000元的”按 5000 元及以下计")
clause([78], "为村集体增收 5001—10000 元", [
    "凡 「为村集体增加收入」 且 「金额」 高于 5000 元 且 「金额」 不高于 10000 元，每次 加 3 分。"],
    [("为村集体增加收入", {"金额": "8000元"})])
award(79, "廉政文化宣传组织者", "廉政宣传组织者", 5)
award(80, "廉政文化宣传参与者", "廉政宣传参与者", 2, mods=["每年 至多 10 分"])
award(81, "信息采集员认定合格", "信息采集员认定合格", 5, mods=["每年 至多 10 分"])
table([82, 83, 84], "星级采集员", "星级采集员", "星级", ["三星采集员", "四星采集员", "五星采集员"],
      [10, 20, 30], "{ 星级：选项（三星采集员、四星采集员、五星采集员） }")

chapter("附件八 守信信息：表彰奖励")
AWARD_LEVELS = "级别：选项（国家级、省部级、地市级、省部级部门、区县级、地市级部门、区级部门或镇街、村居）"
ev("获得表彰奖励", "{ " + AWARD_LEVELS + " }")
clause([85], "国家级表彰", ["凡 「获得表彰奖励」 且 「级别」 为 国家级，每次 加 100 分；有效 5 年。"],
       [("获得表彰奖励", {"级别": "国家级"})])
clause([86], "省部级表彰", ["凡 「获得表彰奖励」 且 「级别」 为 省部级，每次 加 60 分；有效 3 年。"],
       [("获得表彰奖励", {"级别": "省部级"})])
clause([87, 88], "地市级表彰、省部级部门表彰", [
    "凡 「获得表彰奖励」 且 「级别」 为 地市级、省部级部门，按 「级别」：地市级 加 30 分，省部级部门 加 25 分；有效 2 年。"],
    [("获得表彰奖励", {"级别": "地市级"}), ("获得表彰奖励", {"级别": "省部级部门"})])
clause([89, 90, 91, 92], "区县级及以下表彰", [
    "凡 「获得表彰奖励」 且 「级别」 为 区县级、地市级部门、「区级部门或镇街」、村居，按 「级别」：区县级 加 20 分，"
    "地市级部门 加 10 分，「区级部门或镇街」 加 5 分，村居 加 3 分。"],
    [("获得表彰奖励", {"级别": v}) for v in ["区县级", "地市级部门", "区级部门或镇街", "村居"]])

chapter("附件九 守信信息：国防建设")
award(93, "主动参军入伍", "主动参军入伍", 5)
table([94, 95, 96, 97], "服役期间表彰立功", "服役期间表彰立功", "等次", ["优秀士兵", "三等功", "二等功", "一等功"],
      [10, 20, 40, 60], "{ 等次：选项（优秀士兵、三等功、二等功、一等功） }")
award(98, "参加维和", "参加维和完成任务", 20)
award(99, "基干民兵训练合格", "基干民兵训练合格", 2)

# ---- 失信（扣分/降级） ----

chapter("附件十 失信信息：党建领域（农村党组织书记、村委会主任）")
ev("完不成承诺目标或触碰负面清单", f"{{ {DEGREE} }}")
clause([101, 102, 103], "完不成承诺目标、触碰负面清单", [
    "凡 「完不成承诺目标或触碰负面清单」 且 「情节」 为 一般、较重、严重，按 「情节」：一般 扣 10 分，较重 扣 20 分，严重 扣 40 分；第二次起 加倍。"],
    [("完不成承诺目标或触碰负面清单", {"情节": v}) for v in ["一般", "较重", "严重"]])
clause([104], "完不成承诺目标、触碰负面清单，情节特别严重", [
    "凡 「完不成承诺目标或触碰负面清单」 且 「情节」 为 特别严重，每次 扣 50 分；第二次起 加倍；有效 2 年。"],
    [("完不成承诺目标或触碰负面清单", {"情节": "特别严重"})])
deduct(105, "党内生活不规范", "党内生活不规范", 10)
ev("两委干部不团结", "{ 造成恶劣影响：是否 }")
clause([106], "两委干部不团结", ["凡 「两委干部不团结」，每次 扣 20 分；第二次起 加倍。"],
       [("两委干部不团结", {"造成恶劣影响": "否"})], key="n106")
downgrade(107, "两委干部不团结造成恶劣影响", "两委干部不团结", "B", cond="「造成恶劣影响」",
          sample={"造成恶劣影响": "是"}, key="n107", highest=["n106"])
ev("两委干部违纪违法", "{ 人数：数量（人） }")
clause([108, 109], "两委干部违纪违法", [
    "凡 「两委干部违纪违法」 且 「职务」 为 村党支部书记，每人 扣 5 分；第二次起 加倍。",
    "凡 「两委干部违纪违法」 且 「职务」 为 村委会主任，每人 扣 3 分；第二次起 加倍。"],
    [("两委干部违纪违法", {"人数": "1", "_职务": "村党支部书记"}),
     ("两委干部违纪违法", {"人数": "1", "_职务": "村委会主任"})], note="每有 1 人：书记扣 5 分，主任扣 3 分（按记入者的职务）")
table([110, 111, 112, 113], "不落实上级安排", "不落实上级党组织安排", "情节", ["一般", "较重", "严重", "特别严重"],
      [5, 10, 15, 20], f"{{ {DEGREE} }}", sign="扣", mods=["第二次起 加倍"])
deduct(114, "一星级党组织书记主任", "一星级党组织书记主任", 5)
deduct(115, "不参加廉政教育、专栏不更新", "书记主任不参加廉政教育", 4)
deduct(116, "不签订廉政承诺书", "不签订廉政承诺书", 2)
deduct(117, "不参加廉政片务会议", "不参加廉政片务会议", 2)
ev("不参加四议两公开会议")
ev("不参加述廉评议")
ev("述廉评议满意度低于85%")
deduct(118, "不参加“四议两公开”会议（书记、主任）", "不参加四议两公开会议", 2,
       cond="「职务」 为 村党支部书记、村委会主任", sample={"_职务": "村党支部书记"})
deduct(119, "不参加述廉评议（书记、主任）", "不参加述廉评议", 2, cond="「职务」 为 村党支部书记、村委会主任",
       sample={"_职务": "村委会主任"})
deduct(120, "述廉评议满意度低（书记、主任）", "述廉评议满意度低于85%", 5,
       cond="「职务」 为 村党支部书记、村委会主任", sample={"_职务": "村党支部书记"})
deduct(121, "环境卫生管护不到位", "环境卫生管护不到位", 5)
ev("不履行民主程序", "{ 情节严重：是否 }")
clause([122], "不履行民主程序", ["凡 「不履行民主程序」，每次 扣 10 分；第二次起 加倍。"],
       [("不履行民主程序", {"情节严重": "否"})], key="n122")
downgrade(123, "不履行民主程序情节严重", "不履行民主程序", "B", cond="「情节严重」",
          sample={"情节严重": "是"}, key="n123", highest=["n122"])
table([124, 125, 126, 127], "不作为乱作为", "不作为乱作为", "情节", ["一般", "较重", "严重", "特别严重"],
      [5, 10, 15, 20], f"{{ {DEGREE} }}", sign="扣", mods=["第二次起 加倍"])

chapter("附件十一 失信信息：党建领域（农村党员）")
deduct(128, "无故不参加组织生活", "无故不参加组织生活", 5)
downgrade(129, "不合格党员", "评为不合格党员", "B")
table([130, 136], "请假后不补课", "请假后不参加补课", "层级", ["区级", "村级"], [5, 2], f"{{ {LEVEL2} }}",
      sign="扣", mods=["第二次起 加倍"], note="同一行为，区级指标扣 5 分、村级指标扣 2 分，按记录的层级")
deduct(131, "党建材料造假", "党建材料造假", 5)
deduct(132, "不如实申报收入、不足额交纳党费", "不足额交纳党费", 5)
deduct(133, "不履行党员义务", "不履行党员义务", 5)
deduct(134, "拉帮结派", "拉帮结派", 5)
deduct(135, "会场喧哗起哄", "会场喧哗起哄", 10)
deduct(137, "不参加廉政党课", "党员不参加廉政党课", 4)
deduct(138, "不参加“四议两公开”会议（党员）", "不参加四议两公开会议", 2,
       cond="非（「职务」 为 村党支部书记、村委会主任）")
deduct(139, "不参加述廉评议（党员）", "不参加述廉评议", 2, cond="非（「职务」 为 村党支部书记、村委会主任）")
deduct(140, "述廉评议满意度低（两委成员）", "述廉评议满意度低于85%", 5, cond="「职务」 为 两委成员",
       sample={"_职务": "两委成员"})

chapter("附件十二 失信信息：组织处理、党纪处分、政务处分")
table([141, 142, 143, 144], "组织处理", "受组织处理", "方式", ["批评教育", "书面检查", "通报批评", "诫勉谈话"],
      [3, 5, 10, 30], "{ 方式：选项（批评教育、书面检查、通报批评、诫勉谈话） }", sign="扣", mods=["第二次起 加倍"])
ev("受党纪处分", "{ 处分：选项（党内警告、党内严重警告、撤销党内职务、留党察看、开除党籍） }")
clause([145, 146, 147, 148], "党纪处分", [
    "凡 「受党纪处分」 且 「处分」 为 党内警告、党内严重警告、撤销党内职务、留党察看，按 「处分」："
    "党内警告 扣 50 分，党内严重警告 扣 70 分，撤销党内职务 扣 100 分，留党察看 扣 150 分；第二次起 加倍；有效 2 年。"],
    [("受党纪处分", {"处分": v}) for v in ["党内警告", "党内严重警告", "撤销党内职务", "留党察看"]])
downgrade(149, "开除党籍", "受党纪处分", "C", cond="「处分」 为 开除党籍", sample={"处分": "开除党籍"})
table([150, 151, 152, 153], "政务处分", "受政务处分", "处分", ["警告", "记过", "记大过", "责令辞职等"],
      [50, 60, 70, 80], "{ 处分：选项（警告、记过、记大过、责令辞职等） }", sign="扣",
      mods=["第二次起 加倍", "有效 2 年"])

chapter("附件十三 失信信息：村居管理（降级）")
downgrade(154, "骗取低保社保等情节较重", "骗取低保社保补贴", "B")
ev("违法建设拒不拆除", "{ 强制执行：是否 }")
downgrade(155, "违法建设拒不拆除", "违法建设拒不拆除", "B", sample={"强制执行": "否"}, key="n155")
downgrade(162, "违法建设被强制执行", "违法建设拒不拆除", "D", cond="「强制执行」", sample={"强制执行": "是"},
          key="n162", highest=["n155"])
ev("违法占用耕地", "{ 情形：选项（拒不恢复原状、威海市挂牌督办、省挂牌督办、自然资源部挂牌督办） }")
downgrade(156, "占用耕地拒不恢复或威海市督办", "违法占用耕地", "B", cond="「情形」 为 拒不恢复原状、威海市挂牌督办",
          sample={"情形": "拒不恢复原状"})
downgrade(158, "占用耕地省督办", "违法占用耕地", "C", cond="「情形」 为 省挂牌督办", sample={"情形": "省挂牌督办"})
downgrade(161, "占用耕地自然资源部督办", "违法占用耕地", "D", cond="「情形」 为 自然资源部挂牌督办",
          sample={"情形": "自然资源部挂牌督办"})
downgrade(157, "危害国防利益", "危害国防利益", "C")
downgrade(159, "已领补偿无故阻碍拆迁和公共设施施工", "已领补偿阻碍拆迁施工", "C",
          note="原文单元格中夹有“降C级”字样（转录错误），照录")
downgrade(160, "参加邪教组织", "参加邪教组织", "C")

chapter("附件十四 失信信息：村容村貌")
deduct(163, "乱堆乱倒垃圾杂物", "乱堆乱倒", 5)
deduct(164, "占用广场道路晒粮停车", "占道晒粮停车", 5)
deduct(165, "扬撒广告纸钱", "扬撒广告纸钱", 5)
deduct(166, "乱排污水", "乱排污水", 5)
deduct(167, "乱摆乱卖、圈地种植", "乱摆乱卖圈地种植", 5)
ev("乱贴乱挂广告", "{ 造成不良社会影响：是否 }")
deduct(168, "乱贴乱挂广告", "乱贴乱挂广告", 5, sample={"造成不良社会影响": "否"}, key="n168")
deduct(169, "乱贴乱挂造成不良影响", "乱贴乱挂广告", 10, cond="「造成不良社会影响」",
       sample={"造成不良社会影响": "是"}, key="n169", highest=["n168"])
deduct(170, "焚烧垃圾", "焚烧垃圾", 5)
deduct(171, "果园地膜果袋不清理", "果园地膜不清理", 5)
deduct(172, "美在我家不达标", "美在我家不达标", 1, mods=["每季度 至多 扣 1 分"])

chapter("附件十五 失信信息：公共秩序")
deduct(173, "破坏公共绿地", "破坏公共绿地", 10)
deduct(174, "房前屋后卫生不达标", "房前屋后卫生不达标", 5)
deduct(175, "污损公益广告", "污损公益广告", 5)
deduct(176, "辱骂诽谤、酗酒闹事、打架斗殴", "辱骂闹事打架", 10)
ev("不按规定养犬", "{ 伤人：是否 }")
deduct(177, "不按规定养犬", "不按规定养犬", 10, sample={"伤人": "否"}, key="n177")
deduct(178, "养犬伤人", "不按规定养犬", 10, cond="「伤人」", sample={"伤人": "是"}, key="n178", excepts=["n177"],
       note="与上一行分值相同，伤人的按本行计（例外）")
deduct(179, "破坏偷盗农作物", "破坏偷盗农作物", 20)
deduct(180, "寻衅滋事", "寻衅滋事", 20)
deduct(181, "刁难辱骂工作人员", "刁难辱骂工作人员", 20)
deduct(182, "聚众赌博", "聚众赌博", 20)
deduct(183, "私自砍伐林木", "私自砍伐林木", 50)

chapter("附件十六 失信信息：村居建设")
deduct(184, "擅自翻建房屋", "擅自翻建房屋", 5)
deduct(185, "乱挖乱改", "乱挖乱改", 5)
deduct(186, "私改车库地下室", "私改车库地下室", 10)
deduct(187, "私养禽畜污染、经营隐患", "污染环境或安全隐患", 10)
deduct(188, "乱搭乱建", "乱搭乱建", 10)
ev("违规用火", "{ 造成火灾：是否 }")
deduct(189, "违规用火", "违规用火", 20, sample={"造成火灾": "否"}, key="n189")
deduct(190, "违规用火造成火灾", "违规用火", 50, cond="「造成火灾」", sample={"造成火灾": "是"}, key="n190",
       highest=["n189"])
ev("阻挠公共事业施工", "{ 造成无法施工：是否 }")
deduct(191, "阻挠公共事业施工", "阻挠公共事业施工", 20, sample={"造成无法施工": "否"}, key="n191")
deduct(192, "阻挠施工造成无法施工", "阻挠公共事业施工", 50, cond="「造成无法施工」", sample={"造成无法施工": "是"},
       key="n192", highest=["n191"])
deduct(193, "损坏公共设施集体财物", "损坏公共设施", 20)
deduct(194, "禁养区养殖不整改", "禁养区养殖不整改", 50)
deduct(195, "拆迁等过程中无理取闹", "拆迁中无理取闹", 100)

chapter("附件十七 失信信息：文明道德")
deduct(196, "邻居失和拒不调解", "拒不接受调解", 5)
deduct(197, "广场舞扰民", "广场舞扰民", 5)
deduct(198, "出售封建迷信用品", "出售封建迷信用品", 10)
deduct(199, "搞封建迷信", "搞封建迷信", 10)
deduct(200, "大操大办红白喜事", "大操大办", 10)
ev("祭扫烧纸放炮", "{ 造成火灾：是否 }")
deduct(201, "祭扫烧纸放炮", "祭扫烧纸放炮", 20, sample={"造成火灾": "否"}, key="n201")
deduct(202, "祭扫烧纸造成火灾", "祭扫烧纸放炮", 50, cond="「造成火灾」", sample={"造成火灾": "是"}, key="n202",
       highest=["n201"])
deduct(203, "子女不赡养老人", "不赡养老人", 50)
deduct(204, "父母不抚养子女", "不抚养子女", 50)
deduct(205, "不拆除超标大墓", "不拆除超标大墓", 50)
deduct(206, "新建墓穴超标、乱埋乱葬", "墓穴超标乱埋乱葬", 100)

chapter("附件十八 失信信息：综合管理")
deduct(207, "采集员编造虚假信息", "采集员编造虚假信息", 50)
deduct(208, "骗取补贴冒领冒用", "骗取补贴", 50)
ev("拒不配合集中整治", "{ 造成不良影响：是否 }")
deduct(209, "拒不配合集中整治", "拒不配合集中整治", 10, sample={"造成不良影响": "否"}, key="n209")
deduct(210, "拒不配合造成不良影响", "拒不配合集中整治", 20, cond="「造成不良影响」", sample={"造成不良影响": "是"},
       key="n210", highest=["n209"])
deduct(211, "损失他人财产拒不赔偿", "拒不赔偿", 10)
deduct(212, "欺客宰客强买强卖", "欺客宰客", 20)
deduct(213, "非法转让土地使用权", "非法转让土地", 20)
deduct(214, "不履行发包合同", "不履行发包合同", 20)
deduct(215, "干扰集体发包", "干扰集体发包", 50)
deduct(216, "虚假投诉举报", "虚假投诉举报", 50)
deduct(217, "网上传播不良信息", "网上传播不良信息", 50)
ev("其他违反村规民约", "{ 严重：是否 }")
deduct(218, "其他违反村规民约", "其他违反村规民约", 5, sample={"严重": "否"}, key="n218")
deduct(219, "其他严重违反村规民约", "其他违反村规民约", 10, cond="「严重」", sample={"严重": "是"}, key="n219",
       highest=["n218"])
deduct(220, "民兵无故退出或消极训练", "民兵消极训练", 55)
deduct(221, "居民编造虚假信用信息", "居民编造虚假信息", 5)
deduct(222, "村民代表拒不参加会议", "村民代表拒不参会", 5)
deduct(223, "未履行信用信息管理职责", "未履行信息管理职责", 20)
deduct(224, "未履行异议处理、修复职责", "未履行异议修复职责", 20)
deduct(225, "泄露个人隐私信用信息", "泄露隐私信息", 20)
deduct(226, "滥用联合奖惩措施", "滥用联合奖惩", 20)
deduct(227, "其他滥用职权徇私舞弊", "滥用职权", 20)

# Rows 100 and 228 (村级自设奖分、扣分项) are expressed in 第二十三条 with the article that allows them.
TABLE_ROWS_IN_ARTICLES = {100: 23, 228: 23}
ev("村级自设奖分", "{ 项目：选项（自设奖分一、自设奖分二、自设奖分三、自设奖分四、自设奖分五）；分值：分数 }")
ev("村级自设扣分", "{ 项目：选项（自设扣分一、自设扣分二、自设扣分三、自设扣分四、自设扣分五）；分值：分数 }")
ev("直接判级情形", "{ 情形：选项（违反纪律法律受处分、篡改泄露买卖信用信息、对抗阻挠中心工作、其它严重违反村规民约） }")
ev("拒不改正违法违规行为")
ev("信用修复", "{ 修复事项：选项（自行改正并作出信用承诺、降C级事项、降D级事项） }")
ev("不参加本期评价", "{ 情形：选项（正在上学、户口迁出且不在本村居住、涉嫌违法立案尚未结案、死亡、其他） }")
ev("酒后驾驶")

# ------------------------------------------------------------------------------------------
# The articles: which get rules
# ------------------------------------------------------------------------------------------

ARTICLE_RULES = {
    "二十三": ["每名 居民 加 1000 分。",
             "凡 「村级自设奖分」，每次 加 0～2 分。",
             "凡 「村级自设扣分」，每次 扣 0～2 分。"],
    "二十六": ["评定 星级（按 信用积分）：高于 1060 分 为「五星」，高于 1040 分 为「四星」，高于 1020 分 为「三星」，"
             "高于 990 分 为「二星」，高于 800 分 为「一星」，其余 为「零星」。"],
    "二十八": ["凡 「不参加本期评价」，一票否决：取消 星级 评定资格、取消 信用等级 评定资格、取消 次年区级信用加分 评定资格。"],
    "二十九": ["凡 「直接判级情形」、「受党纪处分」、「受政务处分」、「拒不改正违法违规行为」，"
             "一票否决：星级 降为「零星」、次年区级信用加分 降为「不加分」、信用积分 清零。"],
    "三十三": ["凡 「信用修复」 且 「修复事项」 为 自行改正并作出信用承诺，修复 第二十九条 为 扣 60 分。"],
    "四十一": ["评定 次年区级信用加分（按 信用积分）：高于 1060 分 为「加 15 分」，高于 1040 分 为「加 10 分」，"
             "高于 1020 分 为「加 2 分」，其余 为「不加分」。"],
    "四十二": ["按 信用积分 排名，按 人员类别 分别排，前 10% 授予「信用基金奖励」；并列 均得。"],
}
FUND_PROSE = ("镇街、村居信用基金管理办法：三、基金的用途 1、镇街信用评价结果应用激励措施，"
              "按照从高分到低分确定*%比例的居民给予物质奖励；（镇级）")

# 第二十九条 (一)–(五) applies to 党纪、政务处分 records too; 第三十三条 repairs only 拒不改正
# (三): 拒不改正 has its own event kind, and a repair lifts every 第二十九条 veto of the
# subject's current year — see README (a resident with both is a case the text does not settle).


def article_clause(num_cn, number):
    lines = [f"第{num_cn}条"]
    for p in ARTS[num_cn]:
        lines.append(f"  原文：{p}")
    if num_cn == "四十二":
        lines.append(f"  原文：{FUND_PROSE}")
    for r in ARTICLE_RULES.get(num_cn, []):
        lines.append(f"  {r}")
    return lines


# ------------------------------------------------------------------------------------------
# Writing the compact
# ------------------------------------------------------------------------------------------

HEADER = """# 威海市文登区农村居民信用积分评价办法（2020）及其附件《农村居民信用信息评价标准》
# 第一条至第五十二条是《办法》的五十二条，条号与《办法》相同；其后是附件评价标准的各行
# （原文为该行各单元格，照录），以及附件所依据的《威海市文登区社会成员信用积分和信用评价管理办法》
# 计分规则条款。来源与取舍见本目录 README.md；逐条对照见 docs/coverage/wendeng-2020.md。
# 本文件由 generate.py 生成后经 xiangyue fmt 排版。

乡约「威海市文登区农村居民信用积分评价办法」
版本「2020」
生效 2020年1月1日
周期 每年

户籍 { 户主：文本 }

名册 居民 {
  姓名：文本
  职务：选项（村民、村党支部书记、村委会主任、两委成员、村民代表、信息采集员）
  党员：是否
  人员类别：选项（普通村民、重点人群）
}

账户 信用积分（属 居民；默认）
"""


def row_prose(n):
    c = ROWS[n - 1]
    return "｜".join([f"附件第{n}行"] + c)


def build():
    out = [HEADER]
    for name, fields in EVENTS.items():
        f = f" {fields}" if fields else ""
        out.append(f"事项 {q(name)}（归 居民）{f}")
    out.append("")
    number = 0
    coverage_articles = {}
    for chap_index, (title, nums) in enumerate(CHAPTERS, start=1):
        out.append(f"第{cn(chap_index)}章 {title}")
        out.append("")
        for num_cn in nums:
            number += 1
            lines = article_clause(num_cn, number)
            if num_cn == "二十三":
                lines.insert(1 + len(ARTS[num_cn]), f"  原文：{row_prose(100)}")
                lines.insert(2 + len(ARTS[num_cn]), f"  原文：{row_prose(228)}")
            out.extend(lines)
            out.append("")
            coverage_articles[num_cn] = number
    assert number == 52
    # Table chapters
    keys = {}
    clauses = []
    chap = len(CHAPTERS)
    for title, cap, cls in TABLE:
        for c in cls:
            number += 1
            c["number"] = number
            if c["key"]:
                keys[c["key"]] = number
            clauses.append(c)
    for title, cap, cls in TABLE:
        chap += 1
        out.append(f"第{cn(chap)}章 {title}")
        if cap:
            out.append(cap)
        out.append("")
        for c in cls:
            out.append(f"第{cn(c['number'])}条 {c['title']}")
            for r in c["rows"]:
                out.append(f"  原文：{row_prose(r)}")
            if c["highest"]:
                refs = "、".join(f"第{cn(keys[k])}条" for k in c["highest"])
                out.append(f"  与 {refs} 取最高。")
            if c["excepts"]:
                refs = "、".join(f"第{cn(keys[k])}条" for k in c["excepts"])
                out.append(f"  例外于 {refs}。")
            for s in c["stmts"]:
                out.append(f"  {s}")
            out.append("")
    # District-wide rules
    chap += 1
    out.append(f"第{cn(chap)}章 附：区社会成员信用积分和信用评价管理办法（计分规则条款）")
    out.append("")
    district = {}
    for art in ["八", "九", "十", "十七", "十八", "十九", "二十", "二十一", "二十二"]:
        number += 1
        district[art] = number
        out.append(f"第{cn(number)}条 社会成员办法第{art}条")
        for p in RULES[art]:
            out.append(f"  原文：{p}")
        if art == "八":
            out.append("  评定 信用等级（按 信用积分）：不低于 1050 分 为「AAA」，不低于 1030 分 为「AA」，"
                       "不低于 960 分 为「A」，不低于 850 分 为「B」，不低于 600 分 为「C」，其余 为「D」。")
        if art == "十":
            out.append("  凡 「酒后驾驶」，每次 扣 50 分；第二次起 加倍；有效 2 年。")
            out.append("  凡 「酒后驾驶」，一票否决：信用等级 降为「B」；有效 2 年。")
        if art == "十九":
            c_targets = "、".join(f"第{cn(c['number'])}条" for c in clauses
                                  if c["rows"][0] in (158, 159, 160, 157))
            d_targets = "、".join(f"第{cn(c['number'])}条" for c in clauses if c["rows"][0] in (161, 162))
            out.append(f"  凡 「信用修复」 且 「修复事项」 为 降C级事项，修复 {c_targets} 为 扣 50 分；有效 2 年。")
            out.append(f"  凡 「信用修复」 且 「修复事项」 为 降D级事项，修复 {d_targets} 为 扣 50 分；有效 2 年。")
            out.append("  凡 「信用修复」 且 「修复事项」 为 降D级事项，一票否决：信用等级 降为「B」；有效 2 年。")
        out.append("")
    out.append(EXAMPLES.strip())
    out.append("")
    return "\n".join(out), clauses, coverage_articles, district


EXAMPLES = """
示例「记录过了有效期不再计分」
  户「甲」。
  居民「张一」属「甲」：职务 村民，党员 否，人员类别 普通村民。
  2020年4月1日「张一」私自砍伐林木。
  2022年3月1日「张一」乱搭乱建。
  应得「张一」：信用积分 990 分，星级 为「一星」。

示例「扣分超过40分的记录有效两年」
  户「甲」。
  居民「张一」属「甲」：职务 村民，党员 否，人员类别 普通村民。
  2021年4月1日「张一」私自砍伐林木。
  2022年3月1日「张一」无偿献血。
  应得「张一」：信用积分 960 分，星级 为「一星」，信用等级 为「A」。

示例「有效期内重复失信加倍扣分」
  户「甲」。
  居民「张一」属「甲」：职务 村民，党员 否，人员类别 普通村民。
  2021年5月1日「张一」违法建设拒不拆除：强制执行 否。
  2022年6月1日「张一」违法建设拒不拆除：强制执行 否。
  应得「张一」：信用积分 850 分，信用等级 为「B」，星级 为「一星」。

示例「直接判级不看积分」
  户「甲」。
  居民「张一」属「甲」：职务 村民，党员 是，人员类别 重点人群。
  2022年3月1日「张一」获得表彰奖励：级别 省部级。
  2022年4月1日「张一」获得表彰奖励：级别 省部级部门。
  2022年9月1日「张一」评为不合格党员。
  应得「张一」：信用积分 1035 分，星级 为「三星」，信用等级 为「B」。

示例「拒不改正直接判为零星，当年改正修复为扣60分」
  户「甲」。
  居民「张一」属「甲」：职务 村民，党员 否，人员类别 普通村民。
  居民「李二」属「甲」：职务 村民，党员 否，人员类别 普通村民。
  2022年2月1日「张一」无偿献血。
  2022年3月1日「张一」拒不改正违法违规行为。
  2022年3月1日「李二」拒不改正违法违规行为。
  2022年8月1日「张一」信用修复：修复事项 自行改正并作出信用承诺。
  应得「张一」：信用积分 950 分，星级 为「一星」，信用等级 为「B」。
  应得「李二」：信用积分 0 分，星级 为「零星」，信用等级 为「D」。

示例「一次行为符合几行取最高」
  户「甲」。
  居民「张一」属「甲」：职务 村民，党员 否，人员类别 普通村民。
  2022年7月10日「张一」义务抢险救灾：表现突出 是，使用个人机械车辆 是。
  2022年8月1日「张一」拾金不昧：金额 10000 元。
  应得「张一」：信用积分 1013 分，星级 为「二星」。

示例「降D级修复为降B级」
  户「甲」。
  居民「张一」属「甲」：职务 村民，党员 否，人员类别 普通村民。
  2021年5月1日「张一」违法建设拒不拆除：强制执行 是。
  2022年5月1日「张一」信用修复：修复事项 降D级事项。
  应得「张一」：信用积分 950 分，信用等级 为「B」，星级 为「一星」。
"""

# ------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国华英明军平秀兰玉珍桂芳海波丽红梅静强伟磊洋勇艳娟敏杰涛超霞刚斌鹏辉凤云霞峰林德宝福生荣春"


def data(clauses):
    rng = random.Random(20200101)
    households, residents = [], []
    # W001–W020: scripted residents whose results are worked out by hand (expected.json).
    for i in range(1, 121):
        hid = f"H{i:03d}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        households.append({"户号": hid, "户主": name})
    roles = ["村党支部书记", "村委会主任"] + ["两委成员"] * 3 + ["村民代表"] * 8 + ["信息采集员"] * 3
    for i in range(1, 241):
        rid = f"W{i:03d}"
        hid = f"H{(i - 1) // 2 + 1:03d}"
        role = roles[i - 21] if 21 <= i < 21 + len(roles) else "村民"
        party = role in ("村党支部书记", "两委成员") or (i > 20 and rng.random() < 0.15)
        focus = "重点人群" if role != "村民" or party else "普通村民"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        residents.append({"编号": rid, "姓名": name, "户号": hid, "职务": role,
                          "党员": "是" if party else "否", "人员类别": focus})
    # 职务 for the scripted ones matters for rows 108/109 only.
    residents[2]["职务"] = "村党支部书记"  # W003
    residents[2]["党员"] = "是"
    residents[2]["人员类别"] = "重点人群"
    residents[9]["党员"] = "是"  # W010
    residents[9]["人员类别"] = "重点人群"

    events = []

    def add(date, who, event, **fields):
        events.append((date, who, event, fields))

    # Scripted residents (see expected.json for each one's sum).
    add("2022-05-01", "W002", "私自砍伐林木")            # −50 in its own year
    add("2020-04-01", "W003", "私自砍伐林木")            # valid 2020–2021: expired by 2022
    add("2022-04-10", "W003", "两委干部违纪违法", 人数="2")  # 书记: 2 × 5
    add("2022-03-01", "W004", "拒不改正违法违规行为")
    add("2022-02-01", "W004", "无偿献血")
    add("2022-08-01", "W004", "信用修复", 修复事项="自行改正并作出信用承诺")
    add("2022-03-01", "W005", "拒不改正违法违规行为")
    add("2022-01-20", "W005", "无偿献血")
    add("2022-03-05", "W006", "乱堆乱倒")
    add("2022-09-05", "W006", "乱堆乱倒")
    add("2021-06-01", "W007", "乱搭乱建")
    add("2022-06-01", "W007", "乱搭乱建")
    add("2021-05-01", "W008", "违法建设拒不拆除", 强制执行="否")
    add("2022-06-01", "W008", "违法建设拒不拆除", 强制执行="否")
    add("2022-07-10", "W009", "义务抢险救灾", 表现突出="是", 使用个人机械车辆="是")
    add("2020-10-01", "W010", "获得表彰奖励", 级别="国家级")
    add("2021-10-01", "W010", "获得表彰奖励", 级别="区县级")
    add("2022-03-01", "W011", "获得表彰奖励", 级别="省部级")
    add("2022-04-01", "W011", "获得表彰奖励", 级别="省部级部门")
    add("2022-09-01", "W011", "评为不合格党员")
    add("2022-03-01", "W012", "慈善捐款", 金额="800")
    add("2022-06-01", "W012", "慈善捐款", 金额="3000")
    add("2022-09-01", "W012", "慈善捐款", 金额="50")
    add("2022-03-01", "W013", "志愿服务", 时长="6")
    add("2022-05-01", "W013", "志愿服务", 时长="8")
    add("2022-08-01", "W013", "志愿服务", 时长="12")
    add("2022-02-01", "W014", "不参加本期评价", 情形="正在上学")
    add("2022-03-01", "W014", "无偿献血")
    add("2020-05-01", "W015", "违法建设拒不拆除", 强制执行="是")
    add("2021-05-01", "W016", "违法建设拒不拆除", 强制执行="是")
    add("2022-05-01", "W016", "信用修复", 修复事项="降D级事项")
    add("2022-03-10", "W017", "受党纪处分", 处分="党内警告")
    add("2021-03-10", "W018", "慈善捐款", 金额="20000")
    add("2021-06-10", "W018", "慈善捐款", 金额="30000")
    add("2022-03-10", "W018", "慈善捐款", 金额="30000")
    add("2022-04-10", "W018", "慈善捐款", 金额="30000")
    add("2022-01-10", "W019", "参加文明实践培训")
    add("2022-02-10", "W019", "参加文明实践培训")
    add("2022-03-10", "W019", "参加文明实践培训")
    add("2022-04-10", "W019", "参加文明实践培训")
    add("2022-05-10", "W019", "邻里义务帮助", 使用车辆机械="否")
    add("2022-05-20", "W019", "邻里义务帮助", 使用车辆机械="是")
    add("2022-05-25", "W019", "邻里义务帮助", 使用车辆机械="是")
    add("2021-12-20", "W020", "受政务处分", 处分="记过")
    add("2022-11-20", "W020", "受政务处分", 处分="记过")

    # Repairs that find something to repair (a 降C级 item, then its repair).
    add("2021-03-01", "W200", "违法占用耕地", 情形="省挂牌督办")
    add("2022-04-01", "W200", "信用修复", 修复事项="降C级事项")

    # Background: every scoring clause's sample records, spread over residents W021–W240 and
    # the three years, plus a steady flow of common records.
    background = [f"W{i:03d}" for i in range(21, 241)]
    samples = []
    for c in clauses:
        samples.extend(c["samples"])
    samples += [("村级自设奖分", {"项目": "自设奖分一", "分值": "2"}),
                ("村级自设扣分", {"项目": "自设扣分二", "分值": "1.5"}),
                ("直接判级情形", {"情形": "篡改泄露买卖信用信息"}),
                ("拒不改正违法违规行为", {}),
                ("不参加本期评价", {"情形": "死亡"}),
                ("酒后驾驶", {}),
                ("信用修复", {"修复事项": "降C级事项"}), ("信用修复", {"修复事项": "降D级事项"}),
                ("受政务处分", {"处分": "警告"})]
    by_role = {}
    for r in residents[20:]:
        by_role.setdefault(r["职务"], []).append(r["编号"])
    for year in (2020, 2021, 2022):
        for event, fields in samples:
            fields = dict(fields)
            role = fields.pop("_职务", None)
            who = rng.choice(by_role[role] if role else background)
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            add(day.isoformat(), who, event, **fields)
    common = [s for s in samples if s[0] in (
        "志愿服务", "参加文明实践培训", "参加拥军优属活动", "邻里义务帮助", "乱堆乱倒", "无偿献血",
        "慈善捐款", "美在我家不达标", "获美在我家示范户", "房前屋后卫生不达标", "义务抢险救灾",
        "获得表彰奖励", "乱搭乱建", "合理化建议被采纳", "村民代表拒不参会")]
    for year in (2020, 2021, 2022):
        for _ in range(900):
            event, fields = rng.choice(common)
            who = rng.choice(background)
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            add(day.isoformat(), who, event, **fields)
    events.sort(key=lambda e: e[0])

    field_names = []
    for _, _, _, fields in events:
        for f in fields:
            if f not in field_names:
                field_names.append(f)
    with open(os.path.join(HERE, "户籍.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["户号", "户主"])
        w.writeheader()
        w.writerows(households)
    with open(os.path.join(HERE, "居民.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["编号", "姓名", "户号", "职务", "党员", "人员类别"])
        w.writeheader()
        w.writerows(residents)
    with open(os.path.join(HERE, "events.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "日期", "户号", "人员", "事项"] + field_names + ["审核"])
        for n, (date, who, event, fields) in enumerate(events, start=1):
            money = {"金额", "投资额"}
            row = [f"R{n:06d}", date, "", who, event]
            for name in field_names:
                value = fields.get(name, "")
                if value and name in money and not value.endswith("元"):
                    value += "元"
                row.append(value)
            row.append("通过")
            w.writerow(row)
    return len(events)


def coverage(clauses, articles_at, district):
    """The table part of docs/coverage/wendeng-2020.md: one line per table row."""
    by_row = {}
    grouped = set()
    for c in clauses:
        for r in c["rows"]:
            by_row[r] = c
        grouped.update(c["highest"])
    for c in clauses:
        if c["key"] in grouped:
            c["grouped"] = True
    lines = ["| 行 | 方向 | 层级 | 评价标准（摘） | 赋分 | 条 | 怎样表达 |", "|---|---|---|---|---|---|---|"]
    for n in range(1, 229):
        cells = ROWS[n - 1]
        direction, _, level, standard, score, note = cells
        std = standard if len(standard) <= 28 else standard[:27] + "…"
        if n in TABLE_ROWS_IN_ARTICLES:
            where = "第二十三条"
            how = "`加 0～2 分`／`扣 0～2 分`，项目为五项之一的选项（自设项至多 5 条）"
        else:
            c = by_row[n]
            where = f"第{cn(c['number'])}条"
            how = describe(c, n)
        lines.append(f"| {n} | {direction[:2]} | {level} | {std} | {score} | {where} | {how} |")
    return "\n".join(lines)


def describe(c, n):
    s = " ".join(c["stmts"])
    parts = []
    if "累计" in s:
        parts.append("累计阶梯（一档）")
    elif "按 「" in s:
        parts.append("分档表（一条）")
    elif "一票否决" in s:
        level = re.search(r"降为「(.)」", s).group(1)
        points = re.search(r"扣 (\d+) 分", s).group(1)
        parts.append(f"降{level}级：村级扣 {points} 分（第二十四条）且 信用等级 降为「{level}」")
    elif "每满" in s:
        parts.append("按金额每满若干元")
    else:
        parts.append("每次加/扣")
    if "有效" in s:
        m = re.search(r"有效 (\d) 年", s)
        parts.append(f"有效 {m.group(1)} 年")
    if "第二次起 加倍" in s:
        parts.append("第二次起加倍")
    if c["highest"] or c.get("grouped"):
        parts.append("与同一行为的其他行取最高")
    if c["excepts"]:
        parts.append("例外于上一行")
    if "至多" in s:
        parts.append(re.search(r"(每[年月季度]+ 至多 [扣 ]*\d+ 分)", s).group(1))
    if c.get("note"):
        parts.append(c["note"])
    return "；".join(parts)


if __name__ == "__main__":
    text, clauses, articles_at, district = build()
    with open(os.path.join(HERE, "wendeng-2020.xy"), "w", encoding="utf-8") as f:
        f.write(text)
    count = data(clauses)
    doc = os.path.join(ROOT, "docs", "coverage", "wendeng-2020.md")
    marker = "<!-- 以下各行由 compacts/wendeng-2020/generate.py 生成 -->"
    head = open(doc, encoding="utf-8").read().split(marker)[0] if os.path.exists(doc) else ""
    with open(doc, "w", encoding="utf-8") as f:
        f.write(head + marker + "\n\n" + coverage(clauses, articles_at, district) + "\n")
    print(f"{len(clauses)} table clauses, {count} records")
