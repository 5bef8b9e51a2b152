#!/usr/bin/env bash
# A county in one run, timed as whole processes of the release binary: xiangyue synth writes a
# county of VILLAGES villages (the sample compact, compacts/youxiqiao-demo: 29 clauses, a 党员
# roster, a dividend) in VILLAGES / 20 townships, HOUSEHOLDS households and HOUSEHOLDS × PER
# records each; then `xiangyue eval COUNTY` gives the summary table, and `eval COUNTY --format
# json -o OUT` writes every village's JSON and the summaries. Wall time and peak memory
# (/usr/bin/time's maximum resident set) go to stdout; docs/performance.md keeps the measured
# ones. Usage: benches/county.sh [VILLAGES] [HOUSEHOLDS] [PER] (default 1000 300 50: 300,000
# households, 15 million records).
set -euo pipefail
cd "$(dirname "$0")/.."
VILLAGES=${1:-1000}
HOUSEHOLDS=${2:-300}
PER=${3:-50}
cargo build --release --quiet
X=$PWD/target/release/xiangyue
WORK=$PWD/target/bench-data/county-$VILLAGES-$HOUSEHOLDS-$PER
export XIANGYUE_NOW="2025-01-15T09:30+08:00"

timed() { # label, command…
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$WORK.time" "$@" > "$WORK.out" 2> "$WORK.err" || {
    code=$?; [ $code -eq 1 ] || { cat "$WORK.err"; exit 1; }; }
  end=$(date +%s.%N)
  read -r rss user sys < "$WORK.time"
  printf '%-52s %7.2f s wall  %6.2f s user  %5d MB peak\n' "$label" "$(echo "$end - $start" | bc)" "$user" "$(( rss / 1024 ))"
}

if [ ! -d "$WORK/county" ]; then
  mkdir -p "$WORK"
  timed "synth: $VILLAGES villages × $HOUSEHOLDS households × $PER" \
    "$X" synth compacts/youxiqiao-demo --county "$VILLAGES" --households "$HOUSEHOLDS" \
    --records-per-household "$PER" --last-year 2024 --out "$WORK/county"
fi
du -sh "$WORK/county" | awk '{print "county folder: " $1}'
timed "eval county (summary table to stdout)" "$X" eval "$WORK/county"
rm -rf "$WORK/out"
timed "eval county --format json -o OUT (every village)" "$X" eval "$WORK/county" --format json -o "$WORK/out"
du -sh "$WORK/out" | awk '{print "outputs: " $1}'
