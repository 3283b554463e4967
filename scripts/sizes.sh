#!/usr/bin/env bash
# Prints raw / gzip -9 / brotli sizes of what a store downloads from pkg/, and the total.
#
#   scripts/sizes.sh                        # table only
#   scripts/sizes.sh tests/size-budget      # table, then fail if total gzip > the budget (bytes)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

budget_file=${1:-}
files=()
[ -f pkg/shopper-intent.js ] && files+=(pkg/shopper-intent.js) # the one-tag loader
files+=(pkg/shopper_intent.js pkg/shopper_intent_bg.wasm)        # wasm-bindgen glue + module

for f in "${files[@]}"; do
    if [ ! -f "$f" ]; then
        echo "sizes: $f is missing; run 'make build' first" >&2
        exit 1
    fi
done

brotli_size() {
    if command -v brotli >/dev/null; then
        brotli -c -q 11 "$1" | wc -c
    else
        node -e 'const z = require("zlib"); const b = require("fs").readFileSync(process.argv[1]);
            console.log(z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length)' "$1"
    fi
}

row() { printf '%-28s %9s %9s %9s\n' "$@"; }
row file raw gzip-9 brotli
total_raw=0 total_gz=0 total_br=0
for f in "${files[@]}"; do
    raw=$(wc -c <"$f") gz=$(gzip -9c "$f" | wc -c) br=$(brotli_size "$f")
    row "$f" "$raw" "$gz" "$br"
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
done
row total "$total_raw" "$total_gz" "$total_br"

[ -n "$budget_file" ] || exit 0
budget=$(tr -d '[:space:]' <"$budget_file")
if ! [[ "$budget" =~ ^[0-9]+$ ]]; then
    echo "size-check: $budget_file must hold one number (bytes), found '$budget'" >&2
    exit 1
fi
if [ "$total_gz" -gt "$budget" ]; then
    echo "size-check: FAIL: total gzip -9 is $total_gz bytes, over the budget of $budget bytes ($budget_file) by $((total_gz - budget))." >&2
    exit 1
fi
echo "size-check: ok: total gzip -9 is $total_gz bytes, within the budget of $budget bytes ($((budget - total_gz)) to spare)."
