#!/usr/bin/env bash
# xiangyue eval against an equivalent DuckDB query on the same synthetic event log.
#
#   benches/compare/run.sh                      # 10,000,000 events, 200,000 households
#   EVENTS=1000000 HOUSEHOLDS=20000 benches/compare/run.sh
#
# Builds the release binary, generates the village once with `xiangyue synth` into
# target/bench-data/compare-EVENTS-HOUSEHOLDS/ (reused by later runs), installs DuckDB from PyPI
# into target/compare-venv, runs `xiangyue eval --format csv` and totals.sql (DuckDB with
# threads=1 and threads=2) under /usr/bin/time -v, checks that every household's total is the
# same, and prints wall time and peak memory of each. Documented in docs/performance.md.
set -euo pipefail

EVENTS=${EVENTS:-${1:-10000000}}
HOUSEHOLDS=${HOUSEHOLDS:-${2:-200000}}
SEED=${SEED:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/benches/compare"
DATA="$ROOT/target/bench-data/compare-$EVENTS-$HOUSEHOLDS"
VENV="$ROOT/target/compare-venv"
BIN="$ROOT/target/release/xiangyue"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

echo "== building the release binary" >&2
(cd "$ROOT" && cargo build --release --quiet)

if [ ! -f "$DATA/events.csv" ]; then
  echo "== generating $EVENTS events for $HOUSEHOLDS households" >&2
  rm -rf "$DATA"
  "$TIME" -f "synth: %e s, peak %M KB" "$BIN" synth "$HERE/compact.xy" \
    --households "$HOUSEHOLDS" --events "$EVENTS" --seed "$SEED" --out "$DATA"
fi
cp "$HERE/totals.sql" "$DATA/totals.sql.txt"

if [ ! -x "$VENV/bin/python" ]; then
  echo "== installing DuckDB into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check duckdb
fi
DUCKDB_VERSION=$("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')

# Runs a command under /usr/bin/time -v; prints "seconds kilobytes" of it.
measure() {
  local log
  log=$(mktemp)
  "$TIME" -v "$@" 2>"$log" >/dev/null || { cat "$log" >&2; rm -f "$log"; exit 1; }
  local wall kb
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  kb=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  rm -f "$log"
  # m:ss.cc or h:mm:ss → seconds
  python3 -c "import sys; p=[float(x) for x in sys.argv[1].split(':')]; s=0
for x in p: s=s*60+x
print(f'{s:.2f} {sys.argv[2]}')" "$wall" "$kb"
}

cd "$DATA"
RUNS=${RUNS:-3}
declare -A BEST PEAK
run() {  # name command…
  local name=$1; shift
  for _ in $(seq "$RUNS"); do
    read -r s kb < <(measure "$@")
    if [ -z "${BEST[$name]:-}" ] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$s" "${BEST[$name]}"; then
      BEST[$name]=$s
    fi
    PEAK[$name]=$(( kb > ${PEAK[$name]:-0} ? kb : ${PEAK[$name]:-0} ))
  done
}

echo "== timing (best of $RUNS)" >&2
run xiangyue env CI=1 "$BIN" eval . --format csv -o xiangyue-totals.csv
# One core: the process pinned to the first CPU (its thread count follows the CPUs it may use).
if command -v taskset >/dev/null; then
  run xiangyue-1 taskset -c 0 env CI=1 "$BIN" eval . --format csv -o xiangyue-totals-1.csv
  cmp -s xiangyue-totals.csv xiangyue-totals-1.csv || { echo "one core and all cores differ" >&2; exit 1; }
fi
for t in 1 2; do
  run "duckdb-$t" "$VENV/bin/python" -c "
import duckdb
con = duckdb.connect()
con.execute('SET threads = $t')
con.execute(open('totals.sql.txt', encoding='utf-8').read())
"
done

echo "== comparing per-household totals" >&2
python3 - <<'PY'
import csv, sys
from decimal import Decimal
def load(path, id_col, total_col):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return {r[id_col]: Decimal(r[total_col]) for r in csv.DictReader(f)}
x = load('xiangyue-totals.csv', '户号', '户积分')
d = load('duckdb-totals.csv', 'household', 'total')
if x.keys() != d.keys():
    sys.exit(f'different households: {len(x)} vs {len(d)}')
bad = [h for h in x if x[h] != d[h]]
if bad:
    sys.exit(f'{len(bad)} households differ, e.g. {bad[0]}: xiangyue {x[bad[0]]}, duckdb {d[bad[0]]}')
print(f'same totals for all {len(x)} households (sum {sum(x.values())})')
PY

SIZE=$(du -m events.csv | cut -f1)
printf '\n%s events, %s households, events.csv %s MB, DuckDB %s, %s cores\n' \
  "$EVENTS" "$HOUSEHOLDS" "$SIZE" "$DUCKDB_VERSION" "$(nproc)"
printf '%-40s %10s %16s %14s\n' "what" "wall (s)" "events/s (M)" "peak RSS (MB)"
for name in xiangyue xiangyue-1 duckdb-1 duckdb-2; do
  [ -n "${BEST[$name]:-}" ] || continue
  case $name in
    xiangyue) label="xiangyue eval --format csv, all cores";;
    xiangyue-1) label="xiangyue eval --format csv, one core";;
    duckdb-1) label="DuckDB totals.sql, threads=1";;
    duckdb-2) label="DuckDB totals.sql, threads=2";;
  esac
  rate=$(python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]) / 1e6:.2f}')" "$EVENTS" "${BEST[$name]}")
  printf '%-40s %10s %16s %14s\n' "$label" "${BEST[$name]}" "$rate" "$(( PEAK[$name] / 1024 ))"
done
