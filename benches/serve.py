#!/usr/bin/env python3
"""Times `xiangyue serve` on the sample village (300 households, ~20,000 records): a book with
every record registered and approved, a 审核人 account; then sequential requests (one client,
keep-alive off, as a clerk's browser on the same machine) to the data API and the clerks'
pages. Prints the median and the requests per second of each. Run after `cargo build --release`:

    python3 benches/serve.py            # XIANGYUE_BIN overrides the binary
"""

import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.path.abspath(
    os.environ.get("XIANGYUE_BIN") or os.path.join(ROOT, "target", "release", "xiangyue")
)
ENV = dict(os.environ, XIANGYUE_TODAY="2024-12-31", XIANGYUE_NOW="2024-12-31 09:00:00")


def run(folder, *args, **extra):
    subprocess.run([BIN, *args], cwd=folder, env=dict(ENV, **extra), check=True,
                   capture_output=True)


def timed(opener, url, n, data=None):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        with opener.open(url, data=data) as answer:
            answer.read()
        times.append(time.perf_counter() - start)
    return statistics.median(times), n / sum(times)


def main():
    folder = tempfile.mkdtemp(prefix="xiangyue-serve-bench-")
    sample = os.path.join(ROOT, "compacts", "youxiqiao-demo")
    for name in ("youxiqiao.xy", "register.csv", "党员.csv", "分红.txt"):
        shutil.copy(os.path.join(sample, name), folder)
    run(folder, "init", ".", "--by", "张会计")
    run(folder, "record", ".", "--import", os.path.join(sample, "events.csv"), "--by", "李登记",
        "--reviewed-by", "王审核")
    run(folder, "user", "add", ".", "--name", "王审核", "--role", "审核人",
        XIANGYUE_PASSWORD="审核人的密码-很长很长")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([BIN, "serve", folder, sample, "--port", str(port)], env=ENV,
                              stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/villages")
                break
            except OSError:
                time.sleep(0.1)
        logins = []
        for _ in range(5):
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
            page = opener.open(base + "/v/0/login").read().decode()
            csrf = page.split('name="csrf" value="')[1][:64]
            body = urllib.parse.urlencode({"csrf": csrf, "name": "王审核",
                                           "password": "审核人的密码-很长很长"}).encode()
            start = time.perf_counter()
            opener.open(base + "/v/0/login", data=body).read()  # and the 待审 page it leads to
            logins.append(time.perf_counter() - start)
        login = statistics.median(logins)
        print(f"{'request':44} {'median':>10} {'per second':>12}")
        print(f"{'POST /v/0/login (Argon2id) + 待审 page':44} {login * 1000:8.1f} ms {'':>12}")
        for path, n in [("/api/villages", 200), ("/api/villages/1/compact", 200),
                        ("/api/villages/0/register", 100), ("/api/villages/1/events", 20),
                        ("/api/villages/0/events", 20), ("/v/0/publications", 100),
                        ("/v/0/pending", 50)]:
            median, rate = timed(opener, base + path, n)
            print(f"{'GET ' + path:44} {median * 1000:8.1f} ms {rate:10.1f}/s")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
