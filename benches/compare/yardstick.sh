#!/usr/bin/env bash
# How fast is this machine, in the terms issue 3 set its targets in? On the sample compact's
# synthetic 10M-record log it times, side by side, best of RUNS (3):
#
#   - the hand-written loop of examples/hand_loop.rs (one thread: capped sums per household,
#     no validation) — the issue: "about 5.7 million rows per second";
#   - DuckDB with one thread counting and capping the same log per household and 事项
#     (yardstick.sql) — the issue: "about 2.4 million on one thread";
#   - xiangyue eval --format json on one core (taskset -c 0) and on all cores.
#
#   benches/compare/yardstick.sh            # needs target/bench-data/eval-synth-10000000-200000
#
# The village is made by `cargo run --release --example eval_throughput` when missing; DuckDB is
# the one benches/compare/run.sh installs into target/compare-venv (installed here if missing).
# Documented in docs/performance.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA="$ROOT/target/bench-data/eval-synth-10000000-200000"
VENV="$ROOT/target/compare-venv"
RUNS=${RUNS:-3}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

cd "$ROOT"
# The binary too: eval_throughput (which makes the village) and the timings below run it.
cargo build --release --quiet --bins --example hand_loop
[ -f "$DATA/events.csv" ] || cargo run --release --quiet --example eval_throughput
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check duckdb
fi

# Best wall time of RUNS runs of a command, in seconds; stops the script if it fails.
best() {
  local best="" s log
  log=$(mktemp)
  for _ in $(seq "$RUNS"); do
    "$TIME" -o "$log" -f '%e' "$@" >/dev/null 2>&1 || {
      echo "failed: $*" >&2
      rm -f "$log"
      exit 1
    }
    s=$(tail -1 "$log")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$s" "$best"; then
      best=$s
    fi
  done
  rm -f "$log"
  echo "$best"
}

ROWS=$(($(wc -l <"$DATA/events.csv") - 1))
printf '%s rows (%s MB), best of %s\n' "$ROWS" "$(du -m "$DATA/events.csv" | cut -f1)" "$RUNS"
printf '%-44s %9s %12s %18s\n' "what" "wall (s)" "rows/s (M)" "issue's machine"
line() {  # label seconds reference
  printf '%-44s %9s %12s %18s\n' "$1" "$2" \
    "$(python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]) / 1e6:.2f}')" "$ROWS" "$2")" "$3"
}
# Each time taken first (a failure stops the script), then printed. The loop prints its own
# in-process rate too; the wall time here includes reading the file.
LOOP=$(best "$ROOT/target/release/examples/hand_loop" "$DATA")
DUCKDB=$(cd "$DATA" && best "$VENV/bin/python" -c "
import duckdb
con = duckdb.connect()
con.execute('SET threads = 1')
con.execute(open('$ROOT/benches/compare/yardstick.sql', encoding='utf-8').read())
")
ONE=$(best taskset -c 0 env CI=1 "$ROOT/target/release/xiangyue" eval "$DATA" --format json -o /dev/null)
ALL=$(best env CI=1 "$ROOT/target/release/xiangyue" eval "$DATA" --format json -o /dev/null)
line "hand-written loop (examples/hand_loop.rs)" "$LOOP" "5.7 M/s"
line "DuckDB, threads=1 (yardstick.sql)" "$DUCKDB" "2.4 M/s"
line "xiangyue eval --format json, one core" "$ONE" "target 3 M/s"
line "xiangyue eval --format json, all cores" "$ALL" ""
