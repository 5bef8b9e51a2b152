#!/usr/bin/env bash
# The village's book, timed as whole processes of the release binary:
#   1. the sample village (300 households, 19,720 records): import all (keeping the log's own
#      审核 column), review the rest, publish through 2024-03-31, verify;
#   2. a synthetic village of 200,000 households (xiangyue synth, 2,400,000 records in 2024,
#      about 200,000 a month): import January–February, review, publish through 2024-02-29
#      (the first publication: every record of the year so far is new on it); then a month:
#      import March, review, publish through 2024-03-31; verify (recomputes both).
# Figures go to stdout; docs/performance.md keeps the measured ones. Usage: benches/book.sh
# [HOUSEHOLDS] [EVENTS]. (The sample log has 日期 in its second column, synth logs in the first.)
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-200000}
EVENTS=${2:-2400000}
cargo build --release --quiet
X=$PWD/target/release/xiangyue
WORK=$PWD/target/bench-data/book
rm -rf "$WORK" && mkdir -p "$WORK"
export XIANGYUE_TODAY=2024-04-01 XIANGYUE_NOW="2024-04-01 09:00:00"

timed() { # label, command…
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/rss" "$@" > "$WORK/out" 2> "$WORK/err" || { cat "$WORK/err"; exit 1; }
  end=$(date +%s.%N)
  printf '%-46s %8.2f s  %7d MB\n' "$label" "$(echo "$end - $start" | bc)" "$(( $(cat "$WORK/rss") / 1024 ))"
}

echo "== sample village (compacts/youxiqiao-demo)"
S=$WORK/sample && mkdir -p "$S"
cp compacts/youxiqiao-demo/{youxiqiao.xy,register.csv,党员.csv,分红.txt} "$S/"
timed "init" "$X" init "$S" --by 张会计
timed "import 19,720 records" "$X" record "$S" --import compacts/youxiqiao-demo/events.csv --by 李登记 --reviewed-by 王审核 --allow-future
timed "review all" "$X" review "$S" --approve 全部 --by 王审核
timed "publish through 2024-03-31 (300 households)" "$X" publish "$S" --through 2024-03-31 --by 张会计 -o "$WORK/sample.html"
timed "verify" "$X" verify "$S"

echo "== synthetic village: $HOUSEHOLDS households, $EVENTS records in 2024"
V=$WORK/synth
"$X" synth compacts/youxiqiao-demo/youxiqiao.xy --households "$HOUSEHOLDS" --events "$EVENTS" --last-year 2024 --out "$V" > /dev/null
mv "$V/events.csv" "$WORK/all.csv"
awk -F, 'NR == 1 || $1 <  "2024-03-01"' "$WORK/all.csv" > "$WORK/jan-feb.csv"
awk -F, 'NR == 1 || ($1 >= "2024-03-01" && $1 <= "2024-03-31")' "$WORK/all.csv" > "$WORK/march.csv"
march=$(($(wc -l < "$WORK/march.csv") - 1))
timed "init" "$X" init "$V" --by 张会计
timed "import January–February ($(($(wc -l < "$WORK/jan-feb.csv") - 1)))" "$X" record "$V" --import "$WORK/jan-feb.csv" --by 李登记
timed "review all" "$X" review "$V" --approve 全部 --by 王审核
timed "first publication, through 2024-02-29" "$X" publish "$V" --through 2024-02-29 --by 张会计 -o "$WORK/synth-feb.html"
timed "import March ($march records)" "$X" record "$V" --import "$WORK/march.csv" --by 李登记
timed "review all" "$X" review "$V" --approve 全部 --by 王审核
timed "a month's publication, through 2024-03-31" "$X" publish "$V" --through 2024-03-31 --by 张会计 -o "$WORK/synth.html"
timed "verify (recomputes both publications)" "$X" verify "$V"
ls -la "$V/积分账本.db" | awk '{printf "book: %d MB\n", $5 / 1048576}'
