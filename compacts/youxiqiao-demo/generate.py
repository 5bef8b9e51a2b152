#!/usr/bin/env python3
"""Writes the demo village's register, party-member roster and event log (deterministic).

    python3 compacts/youxiqiao-demo/generate.py

300 households, 60 party members, about 20,000 event records in 2024 exercising every clause of
youxiqiao.xy (plus a few hundred in 2022 and 2023, so that the 连续三年 streak can be judged).
The figures are invented for the demonstration; see README.md.
"""
import csv
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20240101)

GROUPS = ["一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组"]
households = []
for i in range(1, 301):
    hid = f"A{i:03d}"
    population = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[4, 12, 22, 26, 20, 11, 5])[0]
    party = rng.random() < 0.22
    poor = rng.random() < 0.08
    kind = rng.choices(["一类户", "二类户", "三类户"], weights=[2, 5, 3])[0]
    forest = rng.choice([0, 0, 0, 0, 1, 1.5, 2, 3, 4.5, 6, 8, 10])
    households.append(
        {
            "户号": hid,
            "户主": "",
            "人口": population,
            "村民小组": GROUPS[(i - 1) // 38],
            "党员户": "是" if party else "否",
            "脱贫户": "是" if poor else "否",
            "类别": kind,
            "入股山林": forest,
        }
    )
SURNAMES = "彭刘李张王陈杨赵黄周吴徐孙胡朱高林何郭马"
GIVEN = "建国明华红兵伟芳秀英丽强军平刚桂兰德福文武春生"
for h in households:
    h["户主"] = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)

party_households = [h["户号"] for h in households if h["党员户"] == "是"]
members = []
duties = ["书记", "主任"] + ["委员"] * 5
for i in range(1, 61):
    members.append(
        {
            "编号": f"P{i:03d}",
            "姓名": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "户号": party_households[(i - 1) % len(party_households)],
            "职务": duties[i - 1] if i <= len(duties) else "党员",
        }
    )

FIELDS = ["天数", "金额", "级别", "类型", "评定分", "时长", "等次", "当场改正", "所用积分"]
EVIDENCE = ["证书", "证明", "签字"]
records = []


def day_in(year, start=(1, 1), end=(12, 31)):
    a = datetime.date(year, *start)
    b = datetime.date(year, *end)
    return a + datetime.timedelta(days=rng.randrange((b - a).days + 1))


def add(date, item, household="", person="", **fields):
    r = {"日期": date, "户号": household, "人员": person, "事项": item}
    r.update(fields)
    records.append(r)


def some_household(weights=None):
    return rng.choice(households)["户号"]


# Busy and quiet households: a few do most of the volunteering.
activity = {h["户号"]: rng.paretovariate(1.6) for h in households}
active = sorted(activity, key=activity.get, reverse=True)


def active_household():
    return rng.choices(active, weights=[activity[a] for a in active])[0]


def year_of_events(year, scale):
    for _ in range(int(4300 * scale)):
        add(day_in(year), "义务投工", active_household(), 天数=rng.choice([0.5, 1, 1, 1, 1.5, 2, 2, 3, 5]))
    for _ in range(int(500 * scale)):
        add(day_in(year, (6, 1), (8, 31)), "防汛抢险", some_household(), 天数=rng.choice([1, 1, 2, 3]))
    for _ in range(int(150 * scale)):
        add(day_in(year), "防汛抢险", some_household(), 天数=rng.choice([1, 2]))
    for _ in range(int(800 * scale)):
        add(day_in(year), "公益捐款", active_household(), 金额=rng.choice([50, 100, 100, 200, 250, 500, 880, 1000, 2000]))
    for _ in range(int(110 * scale)):
        level = rng.choices(["县级", "市级", "省级", "国家级"], weights=[60, 25, 10, 2])[0]
        kind = "见义勇为" if rng.random() < 0.12 else "综合"
        proof = "" if rng.random() < 0.05 else f"证书{rng.randrange(1000, 9999)}号"
        add(day_in(year), "获得表彰", some_household(), 级别=level, 类型=kind, 证书=proof)
    for _ in range(int(900 * scale)):
        score = rng.choice([5, 6, 7, 8, 8, 9, 10])
        if rng.random() < 0.01:
            score = 12  # outside 5～10: refused by the rule
        proof = "" if rng.random() < 0.03 else "村委会证明"
        add(day_in(year), "好人好事", active_household(), 评定分=score, 证明=proof)
    for _ in range(int(20 * scale)):
        add(day_in(year), "见义勇为", some_household(), 证明="派出所证明")
    for _ in range(int(1000 * scale)):
        add(day_in(year), "调解纠纷", active_household(), 签字="双方签字")
    for _ in range(int(5600 * scale)):
        add(day_in(year), "志愿服务", active_household(), 时长=rng.choice([1, 2, 2, 3, 4, 4, 6, 8]))
    for quarter_end in [(3, 31), (6, 30), (9, 30), (12, 31)]:
        if scale < 1:
            continue
        for h in households:
            grade = rng.choices(["优", "良", "差"], weights=[30, 55, 15])[0]
            add(datetime.date(year, *quarter_end), "环境卫生评比", h["户号"], 等次=grade)
    for _ in range(int(1500 * scale)):
        add(day_in(year), "乱倒垃圾", some_household(), 当场改正=rng.choice(["是", "否", "否"]))
    for _ in range(int(60 * scale)):
        add(day_in(year), "乱搭乱建", some_household())
    for month in range(1, 13):
        if scale < 1:
            break
        for h in households:
            if rng.random() < 0.25:
                add(datetime.date(year, month, 15), "缺席村民会议", h["户号"])
    for _ in range(int(700 * scale)):
        add(day_in(year, (4, 1), (12, 31)), "积分兑换", active_household(), 所用积分=rng.choice([5, 5, 10, 10, 20, 30, 50]))
    for _ in range(int(300 * scale)):
        add(day_in(year), "党员缺会", person=rng.choice(members)["编号"])
    for _ in range(int(1300 * scale)):
        add(day_in(year), "党员公益活动", person=rng.choice(members)["编号"], 时长=rng.choice([1, 2, 3, 4]))


year_of_events(2024, 1.0)
# Serious misconduct: a few households in each year (the streak needs 2022 and 2023).
for year, count in [(2022, 6), (2023, 5), (2024, 4)]:
    for _ in range(count):
        add(day_in(year), "违法犯罪", some_household())
add(datetime.date(2024, 9, 12), "拒不拆除违建", "A217")
add(datetime.date(2024, 10, 3), "拒不拆除违建", "A042")
# Some history, so that 2022 and 2023 are covered by the log.
year_of_events(2022, 0.01)
year_of_events(2023, 0.01)

records.sort(key=lambda r: r["日期"])
for n, r in enumerate(records, 1):
    r["编号"] = f"R{n:06d}"
    roll = rng.random()
    r["审核"] = "待审" if roll < 0.02 else ("驳回" if roll < 0.03 else "通过")
    r["日期"] = r["日期"].isoformat()
    r["备注"] = ""

with open(os.path.join(HERE, "register.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=["户号", "户主", "人口", "村民小组", "党员户", "脱贫户", "类别", "入股山林"])
    w.writeheader()
    w.writerows(households)
with open(os.path.join(HERE, "党员.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=["编号", "姓名", "户号", "职务"])
    w.writeheader()
    w.writerows(members)
with open(os.path.join(HERE, "events.csv"), "w", newline="", encoding="utf-8") as f:
    columns = ["编号", "日期", "户号", "人员", "事项"] + FIELDS + EVIDENCE + ["审核", "备注"]
    w = csv.DictWriter(f, fieldnames=columns, restval="")
    w.writeheader()
    w.writerows(records)
print(f"{len(households)} households, {len(members)} members, {len(records)} records")
