#!/usr/bin/env bash
# Prints raw / gzip -9 / brotli sizes of what a store downloads from pkg/: first what the tag
# loads at start (the tag, the engine, the default model), with their total, the same with the
# scorer for models with a scorecard, then the files
# loaded only when needed (renderer, config compiler, intent panel).
#
#   scripts/sizes.sh                        # tables only
#   scripts/sizes.sh tests/size-budget      # tables, then fail if the start total (gzip) > budget
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

budget_file=${1:-}
start=(pkg/shopper-intent.js pkg/shopper_intent_bg.wasm pkg/shopper-intent.model.bin)
# A store whose model has a scorecard loads the scorer with scorecards instead.
card=(pkg/shopper-intent.js pkg/shopper_intent_card_bg.wasm pkg/shopper-intent.model.bin)
mapfile -t lazy < <(ls pkg/render-*.js pkg/errors-*.js pkg/chunk-*.js pkg/compiler-*.js pkg/nudges-*.js pkg/shopper_intent_nudges_bg.wasm pkg/shopper_intent_compiler_bg.wasm pkg/intent-panel.js 2>/dev/null)

for f in "${start[@]}" "${card[@]}"; do
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

row() { printf '%-40s %9s %9s %9s\n' "$@"; }
table() { # $1 title, then files; prints the rows and sets total_gz
    row "$1" raw gzip-9 brotli
    local f raw gz br total_raw=0 total_br=0
    total_gz=0
    shift
    for f in "$@"; do
        raw=$(wc -c <"$f") gz=$(gzip -9c "$f" | wc -c) br=$(brotli_size "$f")
        row "  $f" "$raw" "$gz" "$br"
        total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
    done
    row "  total" "$total_raw" "$total_gz" "$total_br"
}
table "loaded at start" "${start[@]}"
start_gz=$total_gz
table "loaded at start instead, for a model with a scorecard" "${card[@]}"
card_gz=$total_gz
mapfile -t shopify < <(ls pkg/shopify-*.js 2>/dev/null)
if [ ${#shopify[@]} -gt 0 ]; then table "loaded at start too, on a Shopify storefront" "${shopify[@]}"; fi
if [ ${#lazy[@]} -gt 0 ]; then table "loaded only when needed" "${lazy[@]}"; fi

[ -n "$budget_file" ] || exit 0
# The budget file: '#' comments, then 'ceiling N' (enforced), 'goal N' and 'aim N' (reported).
limit() { awk -v k="$1" '$1 == k && $2 ~ /^[0-9]+$/ { print $2; n++ } END { exit n == 1 ? 0 : 1 }' "$budget_file"; }
for k in ceiling card-ceiling goal aim; do
    if ! limit "$k" >/dev/null; then
        echo "size-check: $budget_file must hold one line '$k <bytes>'" >&2
        exit 1
    fi
done
ceiling=$(limit ceiling) card_ceiling=$(limit card-ceiling) goal=$(limit goal) aim=$(limit aim)
for k in goal aim; do
    n=${!k}
    if [ "$start_gz" -le "$n" ]; then echo "size-check: the $k ($n bytes) is met."
    else echo "size-check: the $k ($n bytes) is missed by $((start_gz - n)) bytes."; fi
done
if [ "$start_gz" -gt "$ceiling" ]; then
    echo "size-check: FAIL: what the tag loads at start is $start_gz bytes gzipped, over the ceiling of $ceiling bytes ($budget_file) by $((start_gz - ceiling))." >&2
    exit 1
fi
if [ "$card_gz" -gt "$card_ceiling" ]; then
    echo "size-check: FAIL: what the tag loads at start for a model with a scorecard is $card_gz bytes gzipped, over the card-ceiling of $card_ceiling bytes ($budget_file) by $((card_gz - card_ceiling))." >&2
    exit 1
fi
echo "size-check: ok: what the tag loads at start is $start_gz bytes gzipped, within the ceiling of $ceiling bytes ($((ceiling - start_gz)) to spare)."
echo "size-check: ok: with a scorecard, $card_gz bytes, within the card-ceiling of $card_ceiling bytes ($((card_ceiling - card_gz)) to spare)."
