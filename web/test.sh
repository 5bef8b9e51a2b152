#!/usr/bin/env bash
# The workbench's browser tests, in a real browser: Debian's chromium, driven headless by the
# system chromedriver through python3-selenium (no browser download). Installs the three with
# apt-get when missing, builds the page (web/build.sh: fmt and clippy of web/core, the wasm,
# the bundle) and the `xiangyue` binary (to compare with `xiangyue eval` and to make a
# 200,000-record village with `xiangyue synth`), then runs every web/tests/test_*.py.
# Screenshots and the latencies measured go to target/web-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

say() { echo "web/test.sh: $*" >&2; }

python=/usr/bin/python3
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ -x "$python" ] && "$python" -c "import selenium" >/dev/null 2>&1 || missing+=(python3-selenium)
if [ "${#missing[@]}" -gt 0 ]; then
    say "用 apt-get 安装 ${missing[*]}"
    as_root=""
    [ "$(id -u)" -eq 0 ] || as_root="sudo"
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends \
        chromium chromium-driver python3-selenium fonts-noto-cjk
fi

web/build.sh

say "web/core 的单元测试（示例村与 eval 的结果相同，有误的记录列出，说明与比较）"
(cd web/core && cargo test --target-dir "$root/target/web")

say "编译 xiangyue（对照 eval、用 synth 生成 20 万条记录）"
cargo build --bin xiangyue
export XIANGYUE="$root/target/debug/xiangyue"

rm -rf target/web-screenshots
mkdir -p target/web-screenshots
status=0
ran=0
for test in web/tests/test_*.py; do
    say "运行 $test"
    ran=$((ran + 1))
    "$python" "$test" || status=1
done
if [ "$ran" -eq 0 ]; then
    say "没有找到 web/tests/test_*.py"
    exit 1
fi
say "截图和时间：target/web-screenshots/"
[ -f target/web-screenshots/latency.txt ] && cat target/web-screenshots/latency.txt
exit "$status"
