"""The workbench served over HTTP, as `xiangyue serve` will serve it: the same files, plus the
villages API (a stand-in here, following the contract in docs/workbench.md: /api/villages and
/api/villages/{id}/compact|register|events|adopted|rosters|pool|templates). The page offers the
server's villages, loads one — a village built on its township's template with the template the
API gives — and links to the clerks' pages; with no API (404) the choice stays hidden."""

import functools
import http.server
import json
import pathlib
import shutil
import sys
import tempfile
import threading
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from workbench import DIST, ROOT, SAMPLE, browser, cli_eval, households, shot, wait_for  # noqa: E402

ADOPTED = (SAMPLE / "youxiqiao.xy").read_text(encoding="utf-8")
# The version in force differs from the adopted one, so that the comparison has something.
IN_FORCE = ADOPTED.replace("每户 加 人口 × 10 分", "每户 加 人口 × 11 分")
# A second village, built on its township's template (compacts/zetou-demo).
ZETOU = ROOT / "compacts" / "zetou-demo"
DONGSHAN = ZETOU / "dongshan"


class Handler(http.server.SimpleHTTPRequestHandler):
    api = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/api/"):
            if not self.api:
                self.send_error(404)
                return
            routes = {
                "/api/villages": ("application/json", json.dumps(
                    [{"id": "0", "name": "油溪桥村", "has_book": True},
                     {"id": "1", "name": "东山村", "has_book": False}], ensure_ascii=False)),
                "/api/villages/0/compact": ("text/plain", IN_FORCE),
                "/api/villages/0/adopted": ("text/plain", ADOPTED),
                "/api/villages/0/register": ("text/csv", (SAMPLE / "register.csv").read_text(encoding="utf-8")),
                "/api/villages/0/events": ("text/csv", (SAMPLE / "events.csv").read_text(encoding="utf-8")),
                "/api/villages/0/rosters": ("application/json", json.dumps(
                    {"党员": (SAMPLE / "党员.csv").read_text(encoding="utf-8")}, ensure_ascii=False)),
                "/api/villages/0/pool": ("text/plain", (SAMPLE / "分红.txt").read_text(encoding="utf-8")),
                "/api/villages/0/templates": ("application/json", "{}"),
                "/api/villages/1/compact": ("text/plain", (DONGSHAN / "dongshan.xy").read_text(encoding="utf-8")),
                "/api/villages/1/adopted": ("text/plain", (DONGSHAN / "dongshan.xy").read_text(encoding="utf-8")),
                "/api/villages/1/register": ("text/csv", (DONGSHAN / "register.csv").read_text(encoding="utf-8")),
                "/api/villages/1/events": ("text/csv", (DONGSHAN / "events.csv").read_text(encoding="utf-8")),
                "/api/villages/1/rosters": ("application/json", "{}"),
                "/api/villages/1/pool": ("text/plain", ""),
                "/api/villages/1/templates": ("application/json", json.dumps(
                    {"泽头镇农村居民信用积分模板": (ZETOU / "镇模板.xy").read_text(encoding="utf-8")},
                    ensure_ascii=False)),
            }
            if self.path not in routes:
                self.send_error(404)
                return
            kind, text = routes[self.path]
            body = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def serve(api):
    handler = type("H", (Handler,), {"api": api})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(DIST.parent))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Served(unittest.TestCase):
    def test_server_villages_and_clerk_link(self):
        server = serve(api=True)
        driver = browser()
        try:
            driver.get(f"http://127.0.0.1:{server.server_port}/index.html")
            wait_for(driver, "return !document.getElementById('server-villages').hidden", what="服务器上的村")
            link = driver.find_element(By.ID, "clerk-link")
            self.assertTrue(link.is_displayed())
            self.assertEqual(link.text, "办事（登记、审核、公示）")
            self.assertTrue(link.get_attribute("href").endswith("/clerk/"))
            options = [o.text for o in driver.find_elements(By.CSS_SELECTOR, "#server-village option")]
            self.assertEqual(options, ["油溪桥村", "东山村"])
            driver.find_element(By.ID, "load-server-village").click()
            wait_for(driver, "return document.querySelectorAll('#households tbody tr').length === 300")
            text = driver.execute_script("return window.workbench.view.state.doc.toString()")
            self.assertIn("人口 × 11 分", text)
            # The totals are those of the version in force, computed with the roster and the
            # pool the API gives: every household's total and dividend equal eval's on the same
            # files, no record listed as bad.
            results = driver.execute_script("return window.workbench.results")
            in_force = tempfile.TemporaryDirectory()
            folder = pathlib.Path(in_force.name)
            for name in ["register.csv", "events.csv", "党员.csv", "分红.txt"]:
                shutil.copy(SAMPLE / name, folder / name)
            (folder / "youxiqiao.xy").write_text(IN_FORCE, encoding="utf-8")
            expected = households(cli_eval(folder))
            got = {h["id"]: h for h in results["households"]}
            self.assertEqual(len(got), len(expected))
            for hid, want in expected.items():
                self.assertEqual(got[hid]["total"], want["total"], hid)
                self.assertEqual(got[hid]["dividend_fen"], want["dividend_fen"], hid)
            self.assertEqual(results.get("rejected_count", 0), 0)
            in_force.cleanup()
            driver.find_element(By.ID, "tab-compare").click()
            counts = wait_for(driver, "const c = document.getElementById('compare-counts'); return c && c.innerText;")
            self.assertIn("修改 1 条", counts)
            shot(driver, "14-served")

            # 东山村 stands on 泽头镇's template: the page holds the template the API gives,
            # checks the compact against it (no E0147) and computes what eval computes.
            Select(driver.find_element(By.ID, "server-village")).select_by_visible_text("东山村")
            driver.find_element(By.ID, "load-server-village").click()
            expected = households(cli_eval(DONGSHAN))
            wait_for(driver, f"return document.querySelectorAll('#households tbody tr').length === {len(expected)}",
                     what="东山村的各户")
            wait_for(driver, "return document.getElementById('problems').innerText.includes('没有发现问题')",
                     what="依据模板的乡约没有问题")
            results = driver.execute_script("return window.workbench.results")
            self.assertEqual({h["id"]: h["total"] for h in results["households"]},
                             {k: v["total"] for k, v in expected.items()})
            loaded = driver.execute_script("return document.getElementById('loaded').textContent")
            self.assertIn("模板「泽头镇农村居民信用积分模板」", loaded)
        finally:
            driver.quit()
            server.shutdown()
            server.server_close()

    def test_without_the_api_the_choice_stays_hidden(self):
        server = serve(api=False)
        driver = browser()
        try:
            driver.get(f"http://127.0.0.1:{server.server_port}/index.html")
            wait_for(driver, "return !!window.workbench")
            driver.find_element(By.ID, "load-sample").click()
            wait_for(driver, "return document.querySelectorAll('#households tbody tr').length === 300")
            self.assertFalse(driver.find_element(By.ID, "server-villages").is_displayed())
            self.assertTrue(driver.find_element(By.ID, "clerk-link").is_displayed())
        finally:
            driver.quit()
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
