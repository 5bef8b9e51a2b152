#!/usr/bin/env python3
"""Writes xiangyue.tmLanguage.json. The keyword lists follow grammar/xiangyue.pest; words of the
pest grammar that no list names are added as control keywords. The test (test/grammar.test.js)
checks that every Chinese word of the pest grammar is here."""
import json, pathlib

# Words are tokens: they start after a line start, a space or a mark, and end before one, so
# that 为 in 见义勇为 or 户 in 党员户 stays part of the name.
B = r"(?<=^|[\s\u3000，,、：:；;。．（(）)｛{｝}「」“”『』\"])"
E = r"(?=$|[\s\u3000，,、：:；;。．.（(）)｛{｝}「」“”『』\"]|[0-9０-９])"
CN = "零〇一二两三四五六七八九十百千万亿廿卅壹贰叁肆伍陆柒捌玖拾佰仟"
NUM = rf"(?:[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿]?|[{CN}]+(?:点[{CN}]+)?)"

def words(*ws):
    return "|".join(sorted(set(ws), key=lambda w: (-len(w), w)))

DECL = words("乡约", "村规民约", "版本", "生效日期", "生效", "周期", "户籍", "名册", "账户", "事项",
             "示例", "本章", "原文", "模板", "依据", "参照", "自选加分项", "自选扣分项", "本条")
TYPES = words("整数", "数量", "小数", "金额", "文本", "是否", "日期", "分数", "分值", "选项")
CONTROL = words(
    "凡", "例外于", "取最高", "取其高", "取高", "不累加", "计入", "每户", "每名", "一票否决", "修复",
    "按", "累计", "满", "至多", "最多", "不超过", "有效", "连续", "无", "评定", "排名", "分别排",
    "不含", "被一票否决", "授予", "并列", "并列者", "均得", "均授予", "同得", "按户号", "先后", "顺序",
    "分红", "分配", "比例", "从", "支出", "应得", "分红基数", "分红资格", "评定资格", "资格", "取消",
    "清零", "降为", "判为", "其余", "其他", "默认", "属", "归", "需", "须", "每年", "每季度", "每季",
    "每月", "本期", "每期", "每次", "每", "每满", "自", "起", "四舍五入", "进一", "去尾", "取整", "保留",
    "位小数", "加倍", "减半", "倍", "以", "为准", "定", "本年度", "当年度", "本年", "当年", "户",
    "最低", "不计分", "不扣分", "不加分", "不计", "有", "的", "家庭", "人员", "者", "名", "之间",
    "与", "前", "第", "基础分", "分为", "各项", "扣完为止", "加满为止", "可选", "可选项", "每项",
    "只加不减", "累计不扣减", "不扣减", "余额结转", "结转下年", "自动清零", "自动",
    "积分有效期", "有效期", "积分", "先进先出", "过期作废",
    # Words of the grammar the JSON had and this list had lost.
    "不分", "不参与", "不足", "仅计一次", "以上", "倒扣", "及以上", "发放", "取整到", "只算一次", "只计一次",
    "同一", "归集体", "最大余数", "每人", "每分", "照扣", "留归集体", "的户", "计发", "负分", "限", "零头")
OPS = words("且", "并且", "或", "非", "未", "加", "扣", "减", "为", "是", "等于", "不等于", "不为",
            "不是", "不低于", "不少于", "不小于", "大于等于", "不高于", "不多于", "不大于", "小于等于",
            "低于", "少于", "小于", "高于", "多于", "大于", "超过", "不早于", "不晚于", "早于", "晚于",
            "在", "至", "到", "乘以", "乘", "负", "百分之")
UNITS = words("分", "元", "万元", "小时", "分钟", "天", "日", "次", "人", "亩", "年", "月", "个", "件",
              "岁", "平方米", "米", "斤", "公斤", "号", "条", "章", "位", "季度", "项")

# Every other Chinese word of the pest grammar is a control keyword, so that a construct added
# to the grammar is coloured without editing this file (the lists above give the finer scopes).
# Parts of numbers, dates and units stay out, as in the test's NOT_KEYWORDS.
import re
NOT_KEYWORDS = {"万", "亿", "点", "万元", "元", "年", "月", "日", "号", "分", "小时", "分钟", "天", "次",
                "人", "亩", "个", "件", "岁", "平方米", "米", "斤", "公斤", "位小数", "章", "条", "及以后",
                "以后", "角"}
_pest = (pathlib.Path(__file__).resolve().parents[3] / "grammar" / "xiangyue.pest").read_text("utf-8")
_pest_words = {
    m for line in _pest.splitlines()
    for m in re.findall(r'"([^"]+)"', line.split("//")[0])
    if re.fullmatch(r"[\u3400-\u9fff]+", m)
}
_listed = set("|".join((DECL, TYPES, CONTROL, OPS, UNITS)).split("|"))
_extra = sorted(_pest_words - _listed - NOT_KEYWORDS)
if _extra:
    CONTROL = words(*CONTROL.split("|"), *_extra)

g = {
    "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    "name": "乡约 xiangyue",
    "scopeName": "source.xiangyue",
    "fileTypes": ["xy"],
    "patterns": [
        {"include": "#prose"},
        {"include": "#comment"},
        {"include": "#heading"},
        {"include": "#string"},
        {"include": "#date"},
        {"include": "#clause-ref"},
        {"include": "#count"},
        {"include": "#number"},
        {"include": "#keyword"},
        {"include": "#punctuation"},
    ],
    "repository": {
        "comment": {"name": "comment.line.number-sign.xiangyue", "match": "[#＃].*$"},
        "prose": {
            "comment": "原文：the text voted on, verbatim to the end of the line (a # in it is text).",
            "match": r"^\s*(原文)\s*([:：])\s*(.*)$",
            "captures": {
                "1": {"name": "keyword.other.declaration.xiangyue"},
                "2": {"name": "punctuation.separator.colon.xiangyue"},
                "3": {"name": "string.unquoted.prose.xiangyue"},
            },
        },
        "heading": {
            "comment": "第三章 奖励分 / 第十二条 义务投工（例外于第四条）: a head starts its line.",
            "match": rf"^\s*(第\s*{NUM}\s*[章条])[ \t\u3000]*((?:(?![#＃。]|[（(]\s*(?:例外于|与\s*第)).)*)",
            "captures": {
                "1": {"name": "keyword.control.heading.xiangyue"},
                "2": {"name": "entity.name.section.xiangyue"},
            },
        },
        "string": {
            "patterns": [
                {"name": "string.quoted.other.corner.xiangyue", "match": "「[^」\\n]*」"},
                {"name": "string.quoted.double.xiangyue", "match": "“[^”\\n]*”"},
                {"name": "string.quoted.other.white-corner.xiangyue", "match": "『[^』\\n]*』"},
                {"name": "string.quoted.double.ascii.xiangyue", "match": "\"[^\"\\n]*\""},
            ]
        },
        "date": {
            "name": "constant.numeric.date.xiangyue",
            "match": rf"(?:{NUM}\s*年\s*)?{NUM}\s*月\s*{NUM}\s*[日号]|[0-9０-９]{{4}}[-/－／.][0-9０-９]{{1,2}}[-/－／.][0-9０-９]{{1,2}}",
        },
        "clause-ref": {
            "name": "constant.other.clause-ref.xiangyue",
            "match": rf"第\s*{NUM}\s*条",
        },
        "count": {
            "comment": "本年第一次 / 第三次起 / 前两次",
            "name": "keyword.control.count.xiangyue",
            "match": rf"(?:本年度|当年度|本年|当年|本期)?\s*(?:第\s*{NUM}\s*次\s*(?:及以后|以后|起)?|前\s*{NUM}\s*次)",
        },
        "number": {
            "patterns": [
                {"name": "constant.numeric.percent.xiangyue",
                 "match": rf"百分之\s*{NUM}|{NUM}\s*[%％]"},
                {"name": "constant.numeric.xiangyue",
                 "match": rf"[-－]?[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿]?"},
                {"name": "constant.numeric.chinese.xiangyue",
                 "match": rf"{B}负?[{CN}]+(?:点[{CN}]+)?(?=\s|[{UNITS.replace('|', '')}%％、，,。；;：:）)]|$)"},
                {"name": "keyword.other.unit.xiangyue", "match": rf"(?<=[0-9０-９{CN}\s])(?:{UNITS}){E}"},
            ]
        },
        "keyword": {
            "patterns": [
                {"name": "keyword.other.declaration.xiangyue", "match": rf"{B}(?:{DECL}){E}"},
                {"name": "storage.type.xiangyue", "match": rf"{B}(?:{TYPES}){E}"},
                {"name": "keyword.operator.xiangyue", "match": rf"{B}(?:{OPS}){E}"},
                {"name": "constant.language.boolean.xiangyue", "match": rf"{B}否{E}"},
                {"name": "keyword.control.xiangyue", "match": rf"{B}(?:{CONTROL}){E}"},
                {"comment": "每天 / 每小时 / 每满 100 元: the 每 of a per-unit award.",
                 "name": "keyword.control.per-unit.xiangyue", "match": rf"{B}每满?(?=\S)"},
                {"name": "keyword.operator.symbol.xiangyue", "match": r"[×＊*]|[<>]=?|＜＝?|＞＝?|[≥≤=＝～~〜—–]"},
            ]
        },
        "punctuation": {
            "patterns": [
                {"name": "punctuation.section.braces.xiangyue", "match": "[{}｛｝]"},
                {"name": "punctuation.section.parens.xiangyue", "match": "[()（）]"},
                {"name": "punctuation.separator.xiangyue", "match": "[，,、：:；;]"},
                {"name": "punctuation.terminator.xiangyue", "match": "[。．]"},
            ]
        },
    },
}
out = pathlib.Path(__file__).with_name("xiangyue.tmLanguage.json")
out.write_text(json.dumps(g, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
