#!/usr/bin/env bash
# The replay table at warehouse scale, in one run:
#
#   bash scripts/bench-warehouse.sh [EVENTS] [VISITORS]     (make bench runs it; default 10M, 200k)
#
# Writes the synthetic log (`shopper-intent synth`: canonical JSONL and GA4's BigQuery schema in
# Parquet, the same events) to target/bench-warehouse/ unless it is there, builds the CLI with
# opt-level 3 (`--profile native`), then measures on one thread and on all cores, each under
# /usr/bin/time -v for peak RSS: the core replaying decoded events (`synth --replay`, the time
# inside Profile::track only), and `evaluate` end to end (both passes: read, parse, replay) on
# the JSONL and on the Parquet. With --features datafusion built (SQL=1), also intent() through
# DataFusion and Ballista standalone on the Parquet.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${1:-10000000}
VISITORS=${2:-200000}
TARGET=${CARGO_TARGET_DIR:-target}
DIR=target/bench-warehouse/${EVENTS}x${VISITORS}
CORES=$(nproc)

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (for peak RSS)" >&2
    apt-get install -y -qq time >/dev/null
fi
cargo build --quiet --profile native --bin shopper-intent
BIN=$TARGET/native/shopper-intent
if [[ ! -s $DIR/events.parquet ]]; then
    mkdir -p "$DIR"
    "$BIN" synth --events "$EVENTS" --visitors "$VISITORS" --out "$DIR"
fi

echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "log: $EVENTS events over $VISITORS visitors; $(du -h "$DIR/events.jsonl" | cut -f1) JSONL, $(du -h "$DIR/events.parquet" | cut -f1) Parquet"

TIME_OUT=$(mktemp)
trap 'rm -f "$TIME_OUT"' EXIT
# Runs a command under GNU time; sets WALL (s) and RSS (MB); its stdout goes to $OUT.
measure() {
    /usr/bin/time -v "$@" >"$TIME_OUT.out" 2>"$TIME_OUT" || { cat "$TIME_OUT" >&2; exit 1; }
    WALL=$(awk '/Elapsed \(wall clock\)/ { n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$TIME_OUT")
    RSS=$(awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$TIME_OUT")
    CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$TIME_OUT")
    OUT=$(cat "$TIME_OUT.out")
}

# events/s: over wall time (the core row: over the time inside Profile::track only);
# per CPU-second: over user + system time of the whole process, which a busy machine inflates less.
printf '\n| what | threads | events/s | events/s per thread | events per CPU-second | peak RSS, MB |\n|---|--:|--:|--:|--:|--:|\n'
for threads in 1 "$CORES"; do
    measure "$BIN" synth --replay --events "$EVENTS" --visitors "$VISITORS" --threads "$threads"
    rate=$(sed -E 's/.* = ([0-9]+) events\/s.*/\1/' <<<"$OUT")
    per_cpu=$(awk -v e="$EVENTS" -v s="$CPU" 'BEGIN { printf "%.0f", e / s }')
    printf '| core replay of decoded events (generating them included in CPU) | %s | %s | %s | %s | %s |\n' "$threads" "$rate" "$((rate / threads))" "$per_cpu" "$RSS"
    REST=$(sed -E 's/.*at rest: //' <<<"$OUT")
done
for file in events.jsonl events.parquet; do
    for threads in 1 "$CORES"; do
        measure "$BIN" evaluate --json --threads "$threads" "$DIR/$file"
        rate=$(awk -v e="$EVENTS" -v s="$WALL" 'BEGIN { printf "%.0f", e / s }')
        per_cpu=$(awk -v e="$EVENTS" -v s="$CPU" 'BEGIN { printf "%.0f", e / s }')
        printf '| evaluate end to end, %s | %s | %s | %s | %s | %s |\n' "${file#events.}" "$threads" "$rate" "$((rate / threads))" "$per_cpu" "$RSS"
    done
done
echo
echo "core replay at rest: $REST"
echo "(evaluate reads the input twice, parsing it both times; all $VISITORS visitors are live at the end; load after: $(cut -d' ' -f1-3 /proc/loadavg))"

if [[ ${SQL:-0} == 1 ]]; then
    CARGO_TARGET_DIR=$TARGET/datafusion cargo build --quiet --profile sql --features datafusion --example sql
    measure "$TARGET/datafusion/sql/examples/sql" "$DIR/events.parquet"
    echo "$OUT" | sed 's/^/  /'
    echo "  (both in one process: peak RSS $RSS MB)"
fi
