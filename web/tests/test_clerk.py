#!/usr/bin/env python3
"""The clerks' pages of `xiangyue serve` in a real browser (headless Debian chromium driven by
selenium through /usr/bin/chromedriver): a 登记员 logs in, tries to approve a record and sees
the 403 page naming the role needed; a 审核人 logs in and approves it; the record is then no
longer 待审. A screenshot of each step goes to target/web-screenshots/clerk-*.png.

Self-contained: it prepares a copy of the sample village (init, a few records registered, two
accounts), starts `xiangyue serve` (target/release, or target/debug when that one is newer;
XIANGYUE_BIN overrides) on a free port, and stops it at the end. Run: python3 web/tests/test_clerk.py
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    # Debian's python3-selenium is in the system python; another python3 may come first.
    if __name__ == "__main__" and sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    raise

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHOTS = os.path.join(ROOT, "target", "web-screenshots")
TODAY = "2022-07-01"
REVIEWER = ("王审核", "审核人的密码-很长很长")
REGISTRAR = ("李登记", "登记员的密码-也很长")


def binary():
    given = os.environ.get("XIANGYUE_BIN")
    if given:
        return given
    # The release binary if there is one, unless the debug one is newer (built after a change).
    found = [
        os.path.join(ROOT, "target", profile, "xiangyue") for profile in ("release", "debug")
    ]
    found = [p for p in found if os.path.isfile(p)]
    if not found:
        raise SystemExit("没有找到 xiangyue：先运行 cargo build（或用 XIANGYUE_BIN 指明）")
    release = found[0]
    newest = max(found, key=os.path.getmtime)
    return release if os.path.getmtime(release) >= os.path.getmtime(newest) else newest


def env(**extra):
    e = dict(os.environ)
    e.update({"XIANGYUE_TODAY": TODAY, "XIANGYUE_NOW": TODAY + " 09:00:00"})
    e.update(extra)
    return e


def run(folder, *args, **extra):
    done = subprocess.run(
        [binary(), *args], cwd=folder, env=env(**extra), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise AssertionError(f"xiangyue {' '.join(args)}: {done.stdout}{done.stderr}")
    return done.stdout


def prepare(folder):
    sample = os.path.join(ROOT, "compacts", "youxiqiao-demo")
    for name in ("youxiqiao.xy", "register.csv", "党员.csv", "分红.txt"):
        shutil.copy(os.path.join(sample, name), folder)
    with open(os.path.join(sample, "events.csv"), encoding="utf-8") as f:
        lines = f.read().splitlines()[:11]
    with open(os.path.join(folder, "a.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    run(folder, "init", ".", "--by", "张会计")
    run(folder, "record", ".", "--import", "a.csv", "--by", "李登记")
    for (name, password), role in ((REVIEWER, "审核人"), (REGISTRAR, "登记员")):
        run(folder, "user", "add", ".", "--name", name, "--role", role,
            XIANGYUE_PASSWORD=password)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ClerkPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(SHOTS, exist_ok=True)
        cls.folder = tempfile.mkdtemp(prefix="xiangyue-clerk-")
        prepare(cls.folder)
        cls.port = free_port()
        cls.server = subprocess.Popen(
            [binary(), "serve", cls.folder, "--port", str(cls.port)],
            env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        cls.base = f"http://127.0.0.1:{cls.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(cls.base + "/api/villages", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=zh-CN"):
            options.add_argument(arg)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        options.binary_location = chromium
        cls.browser = webdriver.Chrome(
            service=Service("/usr/bin/chromedriver"), options=options
        )
        cls.browser.set_page_load_timeout(60)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.server.terminate()
        cls.server.wait(timeout=10)
        shutil.rmtree(cls.folder, ignore_errors=True)

    def shot(self, name):
        self.browser.save_screenshot(os.path.join(SHOTS, f"clerk-{name}.png"))

    def click(self, element):
        """Clicks a button that submits a form, and waits for the next page."""
        page = self.browser.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.browser, 30).until(expected_conditions.staleness_of(page))

    def see(self, text):
        source = self.browser.page_source
        if text not in source:
            main = self.browser.find_element(By.TAG_NAME, "main").text
            self.fail(f"「{text}」不在页面上（{self.browser.current_url}）：{main[:600]}")

    def login(self, name, password):
        b = self.browser
        b.get(self.base + "/v/0/login")
        b.find_element(By.ID, "name").send_keys(name)
        b.find_element(By.ID, "password").send_keys(password)
        return b

    def row_of(self, record):
        for row in self.browser.find_elements(By.CSS_SELECTOR, "tbody tr"):
            cells = row.find_elements(By.TAG_NAME, "td")
            if cells and cells[0].text == str(record):
                return row
        return None

    def test_a_registrar_cannot_approve_and_a_reviewer_can(self):
        b = self.browser
        # Anyone reads the 公示 page without logging in.
        b.get(self.base + "/v/0/")
        self.assertIn("油溪桥村", b.title)
        self.shot("1-home")

        self.login(*REGISTRAR)
        self.shot("2-login-registrar")
        self.click(b.find_element(By.CSS_SELECTOR, "form[action$='/login'] button"))
        self.assertIn("/v/0/pending", b.current_url)
        self.see("待审的记录 10 条")
        self.see("通过、驳回要由审核人或管理员来做")
        self.shot("3-pending-as-registrar")

        self.click(self.row_of(3).find_element(By.CSS_SELECTOR, "button[value='通过']"))
        self.see("E0403")
        self.see("审核记录（通过、驳回）要由审核人或管理员来做")
        self.see("账号「李登记」是登记员")
        self.shot("4-registrar-refused-403")

        # Log out (keyboard: the button is reachable and pressed like any other).
        b.get(self.base + "/v/0/pending")
        self.assertIsNotNone(self.row_of(3), "record 3 is still 待审")
        self.click(b.find_element(By.CSS_SELECTOR, "form[action$='/logout'] button"))
        self.see("登录")

        self.login(*REVIEWER)
        # Enter in the password field submits, as with the keyboard alone.
        password = b.find_element(By.ID, "password")
        page = b.find_element(By.TAG_NAME, "html")
        password.send_keys("\n")
        WebDriverWait(b, 30).until(expected_conditions.staleness_of(page))
        self.assertIn("/v/0/pending", b.current_url)
        self.shot("5-pending-as-reviewer")
        self.click(self.row_of(3).find_element(By.CSS_SELECTOR, "button[value='通过']"))
        self.see("已审核：通过 1 条，驳回 0 条（审核人 王审核")
        self.assertIsNone(self.row_of(3), "record 3 is no longer 待审")
        self.see("待审的记录 9 条")
        self.shot("6-reviewer-approved")

        # The 审核人 publishes the month; the 公示表 is the one `xiangyue publish` writes.
        b.get(self.base + "/v/0/publish")
        through = b.find_element(By.ID, "through")
        b.execute_script("arguments[0].value = '2022-06-30'", through)
        self.shot("8-publish-form")
        self.click(b.find_element(By.CSS_SELECTOR, "form[action$='/publish'] button"))
        self.see("已公示第 1 期")
        self.see("封存（SHA-256）")
        self.shot("9-published")
        self.click(b.find_element(By.CSS_SELECTOR, "form[action$='/logout'] button"))

        # A villager, not logged in, reads the 公示 but sees no clerk's page.
        b.get(self.base + "/v/0/publications")
        self.see("第 1 期")
        self.shot("10-publications-villager")
        b.get(self.base + "/v/0/publications/1")
        self.see("积分公示（第 1 期）")
        self.shot("11-publication-page")
        b.get(self.base + "/v/0/pending")
        self.see("E0407")

        # The 登记员 at the 积分超市: an overdraft is refused with the balance.
        self.login(*REGISTRAR)
        self.click(b.find_element(By.CSS_SELECTOR, "form[action$='/login'] button"))
        b.get(self.base + "/v/0/redeem")
        b.find_element(By.ID, "household").send_keys("A089")
        b.find_element(By.ID, "points").send_keys("500")
        b.find_element(By.ID, "item").send_keys("电饭锅")
        self.click(b.find_element(By.CSS_SELECTOR, "form[action$='/redeem'] button"))
        self.see("E0309")
        self.see("余额")
        self.shot("12-redeem-overdraft")

        # A phone's width: the table scrolls inside its box, the page does not.
        self.click(b.find_element(By.CSS_SELECTOR, "form[action$='/logout'] button"))
        self.login(*REVIEWER)
        self.click(b.find_element(By.CSS_SELECTOR, "form[action$='/login'] button"))
        b.set_window_size(390, 844)
        b.get(self.base + "/v/0/pending")
        width = b.execute_script("return document.documentElement.scrollWidth")
        self.assertLessEqual(width, 400)
        self.shot("7-pending-phone")
        b.set_window_size(1366, 900)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
