#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (git-ignored).

Seeds come from the repository: the compacts in compacts/, the diagnostic fixtures in
tests/ui/ and tests/fixtures/, and the data files of compacts/youxiqiao-demo/ and
tests/data-ui/ (also turned into JSON Lines, XLSX and GB18030). Also writes fuzz/xiangyue.dict,
the language's words for libFuzzer's -dict. Needs only Python's standard library.

    python3 fuzz/make_seeds.py      (from the repository root or from fuzz/)
"""

import csv
import hashlib
import io
import json
import pathlib
import zipfile
from xml.sax.saxutils import escape

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
CORPUS = FUZZ / "corpus"
SAMPLE = ROOT / "compacts" / "youxiqiao-demo"

# read_data's first byte: format (0 CSV, 1 JSON Lines, 2 XLSX) + 3 * role (0 register,
# 1 the 党员 roster, 2 event log) + 9 * encoding (0 auto, 1 UTF-8, 2 GB18030); see
# read_data_choice in src/harness.rs.
CSV, JSONL, XLSX = 0, 1, 2
REGISTER, ROSTER, EVENTS = 0, 1, 2
AUTO, UTF8, GB18030 = 0, 1, 2


def put(target, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    (folder / name).write_bytes(data)


def compacts():
    paths = sorted(ROOT.glob("compacts/*/*.xy"))
    paths += sorted((ROOT / "tests" / "ui").glob("*.xy"))
    paths += sorted((ROOT / "tests" / "fixtures").glob("*.xy"))
    return [p.read_bytes() for p in paths]


def rows_of(text):
    return list(csv.reader(io.StringIO(text)))


def to_jsonl(text):
    rows = rows_of(text)
    if not rows:
        return b""
    header, out = rows[0], []
    for row in rows[1:]:
        out.append(json.dumps({k: v for k, v in zip(header, row) if v != ""}, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode()


def column(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def to_xlsx(text):
    """A minimal workbook with one sheet of inline strings."""
    rows = rows_of(text)
    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{column(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(row) if v != "")
        sheet.append(f'<row r="{r}">{cells}</row>')
    sheet.append("</sheetData></worksheet>")
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>',
        "xl/worksheets/sheet1.xml": "".join(sheet),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, body)
    return out.getvalue()


def head(path, lines):
    text = path.read_text(encoding="utf-8-sig")
    return "".join(text.splitlines(keepends=True)[:lines])


def data_seeds():
    tables = [
        (REGISTER, head(SAMPLE / "register.csv", 30)),
        (ROSTER, head(SAMPLE / "党员.csv", 20)),
        (EVENTS, head(SAMPLE / "events.csv", 60)),
    ]
    for role, text in tables:
        put("read_data", bytes([CSV + 3 * role + 9 * AUTO]) + text.encode())
        put("read_data", bytes([CSV + 3 * role + 9 * UTF8]) + b"\xef\xbb\xbf" + text.encode())
        put("read_data", bytes([CSV + 3 * role + 9 * AUTO]) + text.encode("gb18030"))
        put("read_data", bytes([CSV + 3 * role + 9 * GB18030]) + text.encode("gb18030"))
        put("read_data", bytes([JSONL + 3 * role + 9 * AUTO]) + to_jsonl(text))
        put("read_data", bytes([XLSX + 3 * role]) + to_xlsx(text))
    # The data diagnostics' fixtures: files that go wrong in every way the reader reports.
    for path in sorted((ROOT / "tests" / "data-ui").glob("*/*")):
        ext = path.suffix.lower()
        fmt = {".csv": CSV, ".jsonl": JSONL}.get(ext)
        if fmt is None:
            continue
        stem = path.stem
        role = REGISTER if stem in ("register", "户籍", "花名册") else (
            EVENTS if stem in ("events", "事项记录") else ROSTER)
        put("read_data", bytes([fmt + 3 * role]) + path.read_bytes())


def example_seeds():
    # The first two bytes choose the compact (of the six in src/harness.rs) and the example;
    # the rest are mutations.
    for c in range(6):
        for e in range(8):
            put("eval_examples", bytes([c, e]))
            put("eval_examples", bytes([c, e, 2, 0, 200, 1, 3, 0, 0, 2, 5, 7]))
            put("eval_examples", bytes([c, e, 1, 0, 3, 1, 1, 0, 4, 2, 2, 7, 0, 3, 9]))


def diff_seeds(texts):
    sample = (SAMPLE / "youxiqiao.xy").read_bytes()
    later = (ROOT / "compacts" / "youxiqiao-demo-2025" / "youxiqiao-2025.xy").read_bytes()
    put("diff_mutation", sample + b"\0" + later)
    put("diff_mutation", later + b"\0" + sample)
    for text in texts:
        put("diff_mutation", text)
        lines = text.split(b"\n")
        # A neighbour: one line dropped from the middle.
        if len(lines) > 4:
            mid = len(lines) // 2
            put("diff_mutation", text + b"\0" + b"\n".join(lines[:mid] + lines[mid + 1:]))


WORDS = """乡约 版本 生效 周期 每年 自 起 户籍 名册 账户 事项 默认 属 归 需 整数 数量 金额 文本 是否 日期 分数
选项 第一章 第二章 第一条 第二条 第三条 本章 原文 例外于 与 取最高 计入 每户 每名 党员 凡 且 或 非 未 为
不为 不低于 高于 低于 在 至 每次 每天 每满 每 加 扣 分 元 天 小时 按 累计 满 从 支出 不计分 不扣分 一票否决
取消 分红资格 清零 加倍 减半 倍 至多 最多 最低 本年第一次 第三次起 前两次 连续 年 无 评定 其余 排名 前 名
授予 并列 均得 按户号 分红 比例 分配 的 示例 应得 户 人口 有效 修复 降为 「 」 ， 。 ； ： 、 （ ） ｛ ｝ ～ ×
＃ 　 十二 二点五 百分之五 2024年3月1日 6月1日
余额结转 只加不减 每年 1月10日 积分有效期 先进先出 同一 只计一次 每人 每户 活动编号 （按 50%）
基础分 分为 各项 扣完为止 加满为止 兑换 物品 每季度 每月 本季度 本月 不上榜 不公布姓名 四个季度 均为
登上 达 次 以上 及以上 （不含） 以上 — （限 类别 每分 计发 不足 不参与 取整到 角 零头 负分 模板 依据
自选加分项 自选扣分项 项 每项 本条 可选""".split()


def dictionary():
    def entry(word):
        return '"' + "".join(
            chr(b) if 32 < b < 127 and chr(b) not in '"\\' else f"\\x{b:02X}"
            for b in word.encode()) + '"'
    lines = ["# The compact language's words, for libFuzzer's -dict (made by make_seeds.py)."]
    lines += [entry(w) for w in WORDS + ["\n", "\n  ", "{", "}", "(", ")", "#"]]
    (FUZZ / "xiangyue.dict").write_text("\n".join(lines) + "\n")


def main():
    texts = compacts()
    for target in ("parse_check", "fmt_roundtrip"):
        for text in texts:
            put(target, text)
    data_seeds()
    example_seeds()
    diff_seeds(texts)
    dictionary()
    for folder in sorted(CORPUS.iterdir()):
        print(f"{folder.name}: {len(list(folder.iterdir()))} seeds")


if __name__ == "__main__":
    main()
