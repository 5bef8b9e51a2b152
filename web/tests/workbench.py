"""Shared helpers for the workbench's browser tests: a headless Chromium (Debian's, driven by
the system chromedriver), the built page, the `xiangyue` binary, screenshots."""

import json
import os
import pathlib
import subprocess
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist" / "index.html"
SHOTS = ROOT / "target" / "web-screenshots"
SAMPLE = ROOT / "compacts" / "youxiqiao-demo"
XIANGYUE = os.environ.get("XIANGYUE", str(ROOT / "target" / "debug" / "xiangyue"))


def browser(width=1366, height=768):
    options = webdriver.ChromeOptions()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--lang=zh-CN",
        "--allow-file-access-from-files",
    ):
        options.add_argument(arg)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options
    )
    driver.set_script_timeout(120)
    return driver


def shot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"  截图 {path.relative_to(ROOT)}")
    return path


def wait_for(driver, script, timeout=30.0, what=""):
    """Polls `script` (JS returning a value) until it is truthy; returns the value."""
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"等待超时：{what or script}（最后的值：{value!r}）")


def errors_in_console(driver):
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
    ]


def cli_eval(village):
    """`xiangyue eval VILLAGE --format json`, as data."""
    out = subprocess.run(
        [XIANGYUE, "eval", str(village), "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def households(data):
    return {h["id"]: h for h in data["households"]}
