"""The workbench in a real browser (headless Chromium), from a file:// URL, as a drafter uses
it: type an error and see it, apply the fix, load the sample village, check a household
against `xiangyue eval`, explain it, change a value and see the new total and the vote report,
measure keystroke → results latency (the sample, and 200,000 records made by `xiangyue synth`),
load a GB18030 register through the file picker, check a village against its township's
template loaded beside it, and look at a phone's width.

Run by web/test.sh (which builds the page and the binary first); each step saves a screenshot
under target/web-screenshots/ and the latencies go to target/web-screenshots/latency.txt."""

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from workbench import (  # noqa: E402
    DIST,
    ROOT,
    SAMPLE,
    SHOTS,
    XIANGYUE,
    browser,
    cli_eval,
    errors_in_console,
    households,
    shot,
    wait_for,
    write_xlsx,
)

TYPED = "乡约「试用」\n事项 义务投工 { 天数：数量（天） }\n第一条 投工\n凡 义务投功，每天 加 2 分。"

LATENCY = {}


def results_version(driver):
    return driver.execute_script("return window.workbench.resultsVersion")


def table_total(driver, household):
    """The household's total (default account) as the results table shows it."""
    return driver.execute_script(
        "const r = document.querySelector(`#households tr[data-id='${arguments[0]}']`);"
        "if (!r) return null; const c = r.querySelector('td[data-total]');"
        "return c ? c.textContent : null;",
        household,
    )


def select_text(driver, needle, occurrence_offset=0, length=None):
    """Selects `needle` (or `length` characters of it from `occurrence_offset`) in the editor."""
    found = driver.execute_script(
        "const view = window.workbench.view;"
        "const text = view.state.doc.toString(); const at = text.indexOf(arguments[0]);"
        "if (at < 0) return false; const from = at + arguments[1];"
        "const to = from + (arguments[2] == null ? arguments[0].length : arguments[2]);"
        "view.focus(); view.dispatch({selection: {anchor: from, head: to}}); return true;",
        needle,
        occurrence_offset,
        length,
    )
    assert found, f"编辑区里没有「{needle}」"


def keystroke_latency(driver, keys):
    """Sends each key to the focused editor; returns two lists of latencies (ms), measured by
    the page from the key's keydown: to the results in the page (the table's cells changed),
    and to the start of the next frame after that."""
    updated, painted = [], []
    for key in keys:
        # Each key replaces the base points' multiplier (人口 × N 分), so that every keystroke
        # changes every household's total.
        driver.execute_script(
            "const v = window.workbench.view; const m = /人口 × (\\d+) 分/.exec(v.state.doc.toString());"
            "const from = m.index + m[0].indexOf(m[1]);"
            "v.focus(); v.dispatch({selection: {anchor: from, head: from + m[1].length}});"
        )
        before = results_version(driver)
        driver.switch_to.active_element.send_keys(key)
        wait_for(
            driver,
            f"return window.workbench.resultsVersion > {before} && window.workbench.lastPainted",
            timeout=60,
            what="结果更新",
        )
        updated.append(driver.execute_script("return window.workbench.lastLatency"))
        painted.append(driver.execute_script("return window.workbench.lastPainted"))
        time.sleep(0.15)
    return updated, painted


class Workbench(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        assert DIST.exists(), "先运行 web/build.sh"
        cls.driver = browser()
        cls.driver.get(DIST.as_uri())
        wait_for(cls.driver, "return !!(window.workbench && document.querySelector('.cm-content'))")
        cls.sample = households(cli_eval(SAMPLE))

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def test_1_page_error_fix_sample_explain_change_compare(self):
        d = self.driver
        print("\n1. 打开页面（file://）")
        self.assertEqual(d.title, "乡约工作台")
        self.assertIn("载入示例村", d.find_element(By.ID, "load-sample").text)
        # Served from a file: no server villages, no clerk link.
        self.assertFalse(d.find_element(By.ID, "server-villages").is_displayed())
        self.assertFalse(d.find_element(By.ID, "clerk-link").is_displayed())
        shot(d, "01-page")

        print("2. 输入一处错误，看到诊断")
        editor = d.find_element(By.CSS_SELECTOR, ".cm-content")
        editor.click()
        editor.send_keys(TYPED)
        problems = wait_for(
            d,
            "const p = document.getElementById('problems').innerText;"
            "return p.includes('E0101') ? p : null;",
            what="诊断 E0101",
        )
        self.assertIn("义务投功", problems)
        wait_for(d, "return document.querySelector('.cm-lintRange-error')", what="编辑区里的波浪线")
        shot(d, "02-diagnostic")

        print("3. 一键改正")
        fix = d.find_element(By.XPATH, "//div[@id='problems']//button[contains(., '改为「义务投工」')]")
        fix.click()
        wait_for(d, "return document.getElementById('problems').innerText.includes('没有发现问题')")
        text = d.execute_script("return window.workbench.view.state.doc.toString()")
        self.assertIn("凡 义务投工，每天", text)
        self.assertNotIn("义务投功", text)
        shot(d, "03-fixed")

        print("4. 载入示例村")
        d.find_element(By.ID, "load-sample").click()
        wait_for(d, "return document.querySelectorAll('#households tbody tr').length === 300", what="300 户")
        summary = d.find_element(By.ID, "summary-line").text
        self.assertIn("2024年度", summary)
        self.assertIn("300 户", summary)
        shot(d, "04-sample")

        print("5. 与 xiangyue eval 的结果核对")
        for household in ("A001", "A150", "A300"):
            expected = self.sample[household]
            self.assertEqual(table_total(d, household), expected["total"], household)
            row = d.find_element(By.CSS_SELECTOR, f"#households tr[data-id='{household}']").text
            self.assertIn(expected["name"], row)
            self.assertIn(f"{expected['dividend_fen'] / 100:.2f}", row)
        results = d.execute_script("return window.workbench.results")
        browser_totals = {h["id"]: h["total"] for h in results["households"]}
        self.assertEqual(browser_totals, {k: v["total"] for k, v in self.sample.items()})
        self.assertEqual(
            {h["id"]: h["dividend_fen"] for h in results["households"]},
            {k: v["dividend_fen"] for k, v in self.sample.items()},
        )
        # Sorting by the total puts the highest first.
        d.find_element(By.CSS_SELECTOR, "#households th button[data-key='t:户积分']").click()
        first = d.find_element(By.CSS_SELECTOR, "#households tbody tr").get_attribute("data-id")
        highest = max(self.sample.values(), key=lambda h: float(h["total"]))
        self.assertEqual(float(self.sample[first]["total"]), float(highest["total"]))

        print("6. 说明一户")
        household = "A001"
        d.find_element(By.CSS_SELECTOR, f"#households tr[data-id='{household}'] button.hh").click()
        title = wait_for(d, "const t = document.getElementById('explain-title'); return t && t.innerText;")
        self.assertIn(household, title)
        self.assertIn(self.sample[household]["name"], title)
        totals = d.find_element(By.ID, "explain-totals").text
        self.assertIn(f"户积分 {self.sample[household]['total']} 分", totals)
        entries = d.find_elements(By.CSS_SELECTOR, "#panel-explain .entries li")
        self.assertGreater(len(entries), 3)
        records = d.find_elements(By.CSS_SELECTOR, "#panel-explain .record")
        self.assertTrue(any("events.csv 第" in r.text for r in records))
        # A clause link selects that clause's head in the editor.
        link = d.find_element(By.CSS_SELECTOR, "#panel-explain button.clause")
        clause = link.text.split()[0]
        link.click()
        selected = d.execute_script(
            "const v = window.workbench.view;"
            "const s = v.state.selection.main; return v.state.sliceDoc(s.from, s.to);"
        )
        self.assertTrue(selected.startswith(clause), (selected, clause))
        shot(d, "05-explain")

        print("7. 改一个数，看这一户的新总分和表决用的比较")
        select_text(d, "人口 × 10 分", occurrence_offset=len("人口 × "), length=2)
        before = results_version(d)
        d.switch_to.active_element.send_keys("12")
        wait_for(d, f"return window.workbench.resultsVersion > {before}")
        # The same change evaluated by the binary.
        with tempfile.TemporaryDirectory() as tmp:
            village = pathlib.Path(tmp) / "village"
            shutil.copytree(SAMPLE, village)
            xy = village / "youxiqiao.xy"
            xy.write_text(xy.read_text(encoding="utf-8").replace("人口 × 10 分", "人口 × 12 分"), encoding="utf-8")
            changed = households(cli_eval(village))
        self.assertNotEqual(changed[household]["total"], self.sample[household]["total"])
        wait_for(
            d,
            f"return document.querySelector(\"#households tr[data-id='{household}'] td[data-total]\").textContent"
            f" === '{changed[household]['total']}'",
            what="新的总分",
        )
        self.assertEqual(table_total(d, "A150"), changed["A150"]["total"])
        d.find_element(By.ID, "tab-results").click()
        shot(d, "06-changed")
        d.find_element(By.ID, "tab-compare").click()
        counts = wait_for(d, "const c = document.getElementById('compare-counts'); return c && c.innerText;")
        self.assertIn("1", counts)
        summary = d.find_element(By.ID, "compare-summary").text
        self.assertIn("分红", summary)
        report = d.execute_script("return window.workbench.compare")
        self.assertFalse(report["equivalent"])
        html = report["html"]
        self.assertIn("从宽", html)
        self.assertIn("<svg", html)  # the histogram
        self.assertIn(household, html)
        moved = {h["id"]: h for h in report["json"]["households"]}
        self.assertEqual(moved[household]["old_total"], self.sample[household]["total"])
        self.assertEqual(moved[household]["new_total"], changed[household]["total"])
        self.assertEqual(moved[household]["new_dividend_fen"], changed[household]["dividend_fen"])
        shot(d, "07-compare")
        self.assertEqual(errors_in_console(d), [])

    def test_2_latency_sample(self):
        d = self.driver
        print("8. 示例村：按键到结果更新的时间")
        d.find_element(By.ID, "tab-results").click()
        d.find_element(By.ID, "load-sample").click()
        wait_for(d, "return document.querySelectorAll('#households tbody tr').length === 300")
        figures, painted = keystroke_latency(d, list("1234567890") * 2)
        median = statistics.median(figures)
        LATENCY["sample"] = (median, max(figures), statistics.median(painted), len(figures))
        print(f"   示例村（300 户，约 2 万条）：中位数 {median:.1f} 毫秒，最长 {max(figures):.1f} 毫秒；"
              f"到下一帧 {statistics.median(painted):.1f} 毫秒")
        # The last key made it 人口 × 0 分: each household lost its 人口 × 10 base points.
        import csv

        with open(SAMPLE / "register.csv", encoding="utf-8", newline="") as f:
            people = {row["户号"]: int(row["人口"]) for row in csv.DictReader(f)}
        for household in ("A001", "A002"):
            expected = int(self.sample[household]["total"]) - 10 * people[household]
            self.assertEqual(table_total(d, household), str(max(expected, 0)))
        shot(d, "08-latency-sample")
        # The target is 100 ms (written to latency.txt with the figures); the assertion allows
        # for a machine shared with other builds, and still fails on a real slowdown.
        self.assertLess(median, 250, figures)

    def test_3_latency_200k_via_file_picker(self):
        d = self.driver
        print("9. 20 万条记录（xiangyue synth），经文件选择框载入：按键到结果更新的时间")
        with tempfile.TemporaryDirectory() as tmp:
            out = pathlib.Path(tmp) / "big"
            subprocess.run(
                [XIANGYUE, "synth", str(SAMPLE / "youxiqiao.xy"), "--households", "3000",
                 "--events", "200000", "--out", str(out)],
                check=True,
                capture_output=True,
            )
            expected = households(cli_eval(out))
            files = [out / "register.csv", out / "events.csv", out / "党员.csv"]
            d.find_element(By.ID, "load-sample").click()
            wait_for(d, "return document.querySelectorAll('#households tbody tr').length === 300")
            d.find_element(By.ID, "open-files").send_keys("\n".join(str(f) for f in files))
            wait_for(d, "const r = window.workbench.results; return r && r.households.length === 3000",
                     timeout=120, what="3000 户")
        self.assertIn("共 3000 户", d.find_element(By.ID, "shown").text)
        results = d.execute_script("return window.workbench.results")
        self.assertEqual(results["records"] + results["rejected_count"], 200000)
        self.assertEqual(results["rejected_count"], 0)
        # The pool differs (分红.txt was not loaded): compare the points.
        self.assertEqual({h["id"]: h["total"] for h in results["households"]},
                         {k: v["total"] for k, v in expected.items()})
        figures, painted = keystroke_latency(d, list("1234567890"))
        median = statistics.median(figures)
        LATENCY["200k"] = (median, max(figures), statistics.median(painted), len(figures))
        print(f"   20 万条（3000 户）：中位数 {median:.1f} 毫秒，最长 {max(figures):.1f} 毫秒；"
              f"到下一帧 {statistics.median(painted):.1f} 毫秒")
        shot(d, "09-latency-200k")
        # The target is 1 s; see the sample's test for the allowance.
        self.assertLess(median, 2000, figures)

    def test_4_gb18030_register_and_rejected_rows(self):
        d = self.driver
        print("10. GB18030 的户籍，一条有误的记录（列出，不悄悄丢掉）")
        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp)
            register = folder / "户籍.csv"
            register.write_bytes((SAMPLE / "register.csv").read_text(encoding="utf-8").encode("gb18030"))
            events = (SAMPLE / "events.csv").read_text(encoding="utf-8").splitlines()
            bad_line = len(events) + 1
            events.append("R999999,2024-05-05,A999,,义务投工,2,,,,,,,,,,,,通过,")
            (folder / "事项记录.csv").write_text("\n".join(events) + "\n", encoding="utf-8")
            (folder / "党员.csv").write_bytes((SAMPLE / "党员.csv").read_bytes())
            d.find_element(By.ID, "load-sample").click()
            wait_for(d, "return document.querySelectorAll('#households tbody tr').length === 300")
            d.execute_script("window.workbench.results = null")
            d.find_element(By.ID, "open-files").send_keys(
                "\n".join(str(folder / f) for f in ("户籍.csv", "事项记录.csv", "党员.csv"))
            )
            count = wait_for(d, "const r = document.getElementById('rejected-count'); return r && r.innerText;")
        self.assertIn("1 条记录有误", count)
        d.find_element(By.ID, "rejected-count").click()
        listed = d.find_element(By.ID, "rejected").text
        self.assertIn(f"事项记录.csv 第 {bad_line} 行", listed)
        self.assertIn("A999", listed)
        # Names decoded from GB18030.
        row = d.find_element(By.CSS_SELECTOR, "#households tr[data-id='A001']").text
        self.assertIn(self.sample["A001"]["name"], row)
        self.assertEqual(table_total(d, "A001"), self.sample["A001"]["total"])
        shot(d, "10-gb18030-rejected")

    def test_4b_xlsx_register(self):
        d = self.driver
        print("10b. Excel 的户籍（.xlsx，经 SheetJS 读出，交给同一个读表程序）")
        import csv

        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp)
            with open(SAMPLE / "register.csv", encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            write_xlsx(folder / "户籍.xlsx", rows)
            d.find_element(By.ID, "load-sample").click()
            wait_for(d, "return document.querySelectorAll('#households tbody tr').length === 300")
            d.find_element(By.ID, "open-files").send_keys(str(folder / "户籍.xlsx"))
            wait_for(d, "return JSON.parse(window.workbench.loaded()).register === '户籍.xlsx'",
                     what="户籍.xlsx 载入")
            wait_for(d, "const r = window.workbench.results; return r && r.ok && r.households.length === 300")
        results = d.execute_script("return window.workbench.results")
        self.assertEqual(results["rejected_count"], 0)
        self.assertEqual({h["id"]: h["total"] for h in results["households"]},
                         {k: v["total"] for k, v in self.sample.items()})
        self.assertEqual({h["id"]: h["name"] for h in results["households"]},
                         {k: v["name"] for k, v in self.sample.items()})

    def test_4c_village_on_a_township_template(self):
        d = self.driver
        print("10c. 依据镇模板的村：先只有村的乡约（找不到模板），再载入镇模板")
        zetou = ROOT / "compacts" / "zetou-demo"
        village = zetou / "dongshan"
        expected = households(cli_eval(village))
        d.find_element(By.ID, "load-sample").click()
        wait_for(d, "return document.querySelectorAll('#households tbody tr').length === 300")
        d.execute_script("window.workbench.results = null")
        d.find_element(By.ID, "open-files").send_keys(
            "\n".join(str(village / f) for f in ("dongshan.xy", "register.csv", "events.csv"))
        )
        problems = wait_for(
            d,
            "const p = document.getElementById('problems').innerText;"
            "return p.includes('E0147') ? p : null;",
            what="诊断 E0147（模板找不到）",
        )
        self.assertIn("泽头镇农村居民信用积分模板", problems)
        self.assertFalse(d.execute_script("return window.workbench.results.ok"))

        d.find_element(By.ID, "open-files").send_keys(str(zetou / "镇模板.xy"))
        wait_for(d, "return document.getElementById('problems').innerText.includes('没有发现问题')",
                 what="载入模板后没有问题")
        wait_for(d, "const r = window.workbench.results; return r && r.ok && r.households.length > 0",
                 what="依据模板的村算出结果")
        # (The data pane is folded after the sample: its text is read, not looked at.)
        loaded = d.execute_script("return document.getElementById('loaded').textContent")
        self.assertIn("模板「泽头镇农村居民信用积分模板」：镇模板.xy", loaded)
        # The editor still holds the village's compact, not the template.
        text = d.execute_script("return window.workbench.view.state.doc.toString()")
        self.assertIn("依据「泽头镇农村居民信用积分模板」", text)
        results = d.execute_script("return window.workbench.results")
        self.assertEqual({h["id"]: h["total"] for h in results["households"]},
                         {k: v["total"] for k, v in expected.items()})
        headers = [th.text for th in d.find_elements(By.CSS_SELECTOR, "#households thead th")]
        self.assertNotIn("分红（元）", headers, "东山村 pays no dividend")
        self.assertIn("星级", headers)
        shot(d, "10c-template")

        # Widening a range the template sets is refused in the editor, as `xiangyue check` does.
        select_text(d, "每次 加 5～8 分", occurrence_offset=len("每次 加 5～"), length=1)
        d.switch_to.active_element.send_keys("12")
        problems = wait_for(
            d,
            "const p = document.getElementById('problems').innerText;"
            "return p.includes('E0143') ? p : null;",
            what="诊断 E0143（超出模板的范围）",
        )
        self.assertIn("好人好事", problems)
        shot(d, "10d-template-widened")

    def test_5_render_phone_keyboard(self):
        d = self.driver
        d.find_element(By.ID, "load-sample").click()
        wait_for(d, "return document.querySelectorAll('#households tbody tr').length === 300")
        print("11a. 生成模拟村（同 xiangyue synth）")
        d.execute_script("document.getElementById('data-pane').open = true; document.getElementById('synth').open = true")
        for field, value in (("synth-households", "120"), ("synth-events", "3000")):
            box = d.find_element(By.ID, field)
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(value)
            self.assertEqual(box.get_attribute("value"), value)
        d.find_element(By.ID, "synth-run").click()
        wait_for(d, "const r = window.workbench.results; return r && r.ok && r.households.length === 120",
                 what="120 户的模拟村")
        results = d.execute_script("return window.workbench.results")
        self.assertEqual(results["records"] + results["rejected_count"], 3000)
        self.assertEqual(results["rejected_count"], 0)

        print("11. 文本预览（打印）")
        d.find_element(By.ID, "tab-render").click()
        html = wait_for(d, "return document.getElementById('render-frame').srcdoc")
        self.assertIn("油溪桥村", html)
        self.assertIn("第一条", html)
        self.assertIn("@media print", html)
        shot(d, "11-render")

        print("12. 键盘：Tab 走到各个按钮，焦点看得见；方向键切换标签页")
        # From the skip link at the top of the page.
        d.execute_script("document.querySelector('.skip').focus()")
        self.assertEqual(d.switch_to.active_element.text, "跳到乡约编辑区")
        seen = []
        for _ in range(8):
            ActionChains(d).send_keys(Keys.TAB).perform()
            active = d.switch_to.active_element
            seen.append(active.get_attribute("id") or active.tag_name)
        self.assertEqual(seen[0], "load-sample", seen)
        self.assertIn("open-files", seen)
        self.assertIn("format", seen)
        tab = d.find_element(By.ID, "tab-results")
        tab.click()
        ActionChains(d).send_keys(Keys.ARROW_RIGHT).perform()
        self.assertEqual(d.switch_to.active_element.get_attribute("id"), "tab-explain")
        self.assertEqual(d.find_element(By.ID, "tab-explain").get_attribute("aria-selected"), "true")
        outline = d.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
        self.assertNotEqual(outline, "none")
        d.find_element(By.ID, "tab-results").click()

        print("13. 手机宽度（390 像素）")
        d.set_window_size(390, 844)
        time.sleep(0.3)
        width = d.execute_script("return document.documentElement.scrollWidth")
        self.assertLessEqual(width, 400, "页面不应横向溢出")
        shot(d, "12-phone")
        d.execute_script("document.getElementById('panel-results').scrollIntoView()")
        shot(d, "13-phone-results")
        d.set_window_size(1366, 768)


def tearDownModule():
    SHOTS.mkdir(parents=True, exist_ok=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"# 按键到结果更新的时间（浏览器中测得；headless Chromium；{os.cpu_count()} 核，测时负载 {load}）"]
    names = {"sample": "示例村 300 户、约 2 万条记录", "200k": "xiangyue synth 3000 户、20 万条记录"}
    lines.append("（按键 keydown → 各户结果写进页面；括号里是到其后下一帧开始）")
    targets = {"sample": 100, "200k": 1000}
    for key, (median, longest, painted, n) in LATENCY.items():
        met = "达到" if median < targets[key] else "未达到"
        lines.append(
            f"{names[key]}: 中位数 {median:.1f} ms，最长 {longest:.1f} ms"
            f"（到下一帧：中位数 {painted:.1f} ms；{n} 次按键）；目标 < {targets[key]} ms：{met}"
        )
    text = "\n".join(lines) + "\n"
    (SHOTS / "latency.txt").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
