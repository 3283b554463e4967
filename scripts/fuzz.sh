#!/usr/bin/env bash
# `make fuzz`: builds the cargo-fuzz targets in tests/fuzz (nightly, libFuzzer, debug assertions
# and overflow checks on, no sanitizer: the code is safe Rust), runs each for FUZZ_SECONDS, and
# prints the executions and the result per target. Exits 1 when any target crashed; the crashing
# input is kept in tests/fuzz/artifacts/<target>/ (replay: cargo +nightly fuzz run --fuzz-dir
# tests/fuzz <target> <file>). Corpora grow in tests/fuzz/corpus/ (not committed), seeded from
# tests/fixtures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SECONDS_EACH=${FUZZ_SECONDS:-30}
TARGETS=${FUZZ_TARGETS:-"event_decode wire_decode config compiled_model profile_decode profile_roundtrip read score_line ab_report"}
FLAGS=(--fuzz-dir tests/fuzz --sanitizer none --debug-assertions)
LOGS=tests/fuzz/logs
mkdir -p "$LOGS"

cargo +nightly fuzz build "${FLAGS[@]}"

# Seeds: the fixtures as whole files (the readers, ab-report) and as single lines (score).
seed() {
    local dir=tests/fuzz/corpus/$1
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir")" ] && return
    case "$1" in
        read)
            for f in tests/fixtures/*.jsonl tests/fixtures/*.csv tests/fixtures/uci/sessions.csv; do
                { printf '\0'; head -c 60000 "$f"; } >"$dir/$(basename "$f")"
            done ;;
        ab_report)
            for f in tests/fixtures/ab_*.jsonl; do head -c 60000 "$f" >"$dir/$(basename "$f")"; done ;;
        score_line)
            local n=0
            for f in tests/fixtures/worked_example.jsonl tests/fixtures/four_visitors.jsonl; do
                while IFS= read -r line; do n=$((n + 1)); printf '%s' "$line" >"$dir/line-$n"; done <"$f"
            done ;;
    esac
}

total=0
failed=0
printf '\n%-18s %14s %8s  %s\n' target executions seconds result
for t in $TARGETS; do
    seed "$t"
    mkdir -p "tests/fuzz/artifacts/$t"
    log="$LOGS/$t.log"
    status=0
    cargo +nightly fuzz run "${FLAGS[@]}" "$t" -- \
        -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    runs=${runs:-0}
    if [ "$status" = 0 ]; then
        result="0 crashes"
    else
        failed=1
        artifact=$(grep -o 'tests/fuzz/artifacts/[^ ]*' "$log" | tail -1 || true)
        result="CRASH (exit $status) ${artifact:-see $log}"
    fi
    total=$((total + runs))
    printf '%-18s %14s %8s  %s\n' "$t" "$runs" "$SECONDS_EACH" "$result"
done
printf '%-18s %14s\n' total "$total"
exit "$failed"
