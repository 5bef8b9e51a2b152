#!/usr/bin/env bash
# Builds the browser workbench into web/dist/: index.html, workbench.css and one script
# (workbench.js, an IIFE with the WebAssembly core embedded) — open web/dist/index.html as a
# file, or serve the folder; nothing is fetched from the network when the page runs.
#
# Installs what it needs when missing: the wasm32 target (rustup), wasm-bindgen-cli at exactly
# the version web/core/Cargo.toml pins (cargo install --locked), the npm packages (npm ci).
# Checks web/core first: cargo fmt --check and clippy for wasm32 with warnings denied.
#   web/build.sh            build (release)
#   WEB_SKIP_LINT=1 web/build.sh   skip the formatting and clippy checks
set -euo pipefail
cd "$(dirname "$0")"
web="$(pwd)"
root="$(cd .. && pwd)"
target="$root/target/web"

say() { echo "web/build.sh: $*" >&2; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "安装 wasm32-unknown-unknown 目标"
    rustup target add wasm32-unknown-unknown
fi

pinned="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' core/Cargo.toml)"
if [ -z "$pinned" ]; then
    say "web/core/Cargo.toml 里没有写死 wasm-bindgen 的版本（wasm-bindgen = \"=x.y.z\"）"
    exit 2
fi
installed="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$installed" != "$pinned" ]; then
    say "安装 wasm-bindgen-cli $pinned（现有：${installed:-无}）"
    cargo install --locked wasm-bindgen-cli --version "$pinned"
fi

if ! command -v npm >/dev/null 2>&1; then
    say "没有 npm，用 apt 安装 nodejs 与 npm"
    as_root=""
    [ "$(id -u)" -eq 0 ] || as_root="sudo"
    $as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq nodejs npm
fi
if [ ! -x node_modules/.bin/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund
fi

if [ -z "${WEB_SKIP_LINT:-}" ]; then
    say "检查 web/core：cargo fmt --check，clippy（wasm32，警告即错误）"
    (cd core && cargo fmt --check)
    (cd core && cargo clippy --target wasm32-unknown-unknown --target-dir "$target" -- -D warnings)
fi

say "编译 web/core（release，wasm32）"
(cd core && cargo build --release --target wasm32-unknown-unknown --target-dir "$target")
rm -rf build/pkg
wasm-bindgen --target web --no-typescript --out-dir build/pkg \
    "$target/wasm32-unknown-unknown/release/xiangyue_web.wasm"

say "打包（esbuild）→ web/dist/"
rm -rf dist
mkdir -p dist
node_modules/.bin/esbuild src/main.js --bundle --format=iife --platform=browser \
    --target=es2022 --minify --charset=utf8 --legal-comments=none \
    --loader:.wasm=binary --loader:.xy=text --loader:.csv=text --loader:.txt=text \
    --log-override:empty-import-meta=silent \
    --outfile=dist/workbench.js
cp src/index.html dist/index.html
ls -l dist >&2
say "完成：用浏览器打开 $web/dist/index.html"
