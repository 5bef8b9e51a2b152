#!/usr/bin/env bash
# The whole test suite, as README's second command and .ci/run run it:
#   1. cargo test — every Rust test (unit, CLI, snapshots, the book, the language server);
#   2. the pure core built alone for WebAssembly, warnings denied (no files, threads or native
#      crates: docs/ARCHITECTURE.md, "The pure core");
#   3. the VS Code package's grammar test (editors/vscode: every compact tokenized);
#   4. the browser workbench (web/test.sh: web/core linted and built, the page in headless
#      Chromium).
# Installs what it needs and is missing: the wasm32 target (rustup) and Node.js with npm (apt).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test

rustup target add wasm32-unknown-unknown
RUSTFLAGS="-D warnings" cargo build --lib --no-default-features --target wasm32-unknown-unknown

if ! command -v npm >/dev/null 2>&1; then
    echo "tests/all.sh: 没有 npm，用 apt 安装 nodejs 与 npm" >&2
    as_root=""
    [ "$(id -u)" -eq 0 ] || as_root="sudo"
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq nodejs npm
fi
(cd editors/vscode && npm ci --no-audit --no-fund && npm test)

# The browser workbench (web/): its wasm crate checked and built, the page bundled, and its
# tests run in headless Chromium (web/test.sh installs chromium, chromium-driver and
# python3-selenium with apt when missing).
web/test.sh
