#!/usr/bin/env bash
# Prints raw / gzip -9 / brotli sizes of what a store downloads from pkg/: first what the tag
# loads at start (the tag, the engine, the default model), with their total, the same with the
# scorer for models with a scorecard, then each part loaded later or only on some pages (the nudge
# engine, the words, the renderer, the config compiler, the panel, the Shopify adapter, the idle
# and exit-intent watchers).
#
#   scripts/sizes.sh                        # tables only
#   scripts/sizes.sh tests/size-budget      # tables, then fail if the start total or a part (gzip)
#                                           # is over its ceiling there
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

budget_file=${1:-}
start=(pkg/shopper-intent.js pkg/shopper_intent_bg.wasm pkg/shopper-intent.model.bin)
# A store whose model has a scorecard loads the scorer with scorecards instead.
card=(pkg/shopper-intent.js pkg/shopper_intent_card_bg.wasm pkg/shopper-intent.model.bin)
# The parts fetched after the start or only on some pages, each the files fetched together: a
# name (its `part-ceiling` in the budget file), when it loads, then its files (chunk names carry a
# hash; the shared chunk, with the words, is a static import of the nudge chunk too, so in both).
parts=(
    "nudges|loaded only when needed|pkg/nudges-*.js pkg/chunk-*.js pkg/shopper_intent_nudges_bg.wasm"
    "words|loaded only when needed|pkg/errors-*.js pkg/chunk-*.js"
    "render|loaded only when needed|pkg/render-*.js"
    "compiler|loaded only when needed|pkg/compiler-*.js pkg/shopper_intent_compiler_bg.wasm"
    "panel|loaded only when needed|pkg/intent-panel.js"
    "shopify|loaded at start too, on a Shopify storefront|pkg/shopify-*.js"
    "triggers|loaded at start too, for a model with idle or exit-intent rules|pkg/triggers-*.js"
)

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
declare -A part_gz
shopt -s nullglob
for p in "${parts[@]}"; do
    IFS='|' read -r name when globs <<<"$p"
    # shellcheck disable=SC2206 # the globs expand here, on purpose
    files=($globs)
    if [ ${#files[@]} -eq 0 ]; then
        echo "sizes: no file of part '$name' ($globs); run 'make build' first" >&2
        exit 1
    fi
    table "$name: $when" "${files[@]}"
    part_gz[$name]=$total_gz
done
shopt -u nullglob

[ -n "$budget_file" ] || exit 0
# The budget file: '#' comments, then 'ceiling N' and 'card-ceiling N' (enforced), 'goal N' and
# 'aim N' (reported), and one 'part-ceiling NAME N' per part (enforced, below).
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
# Each later part under a ceiling of its own ('part-ceiling NAME BYTES'), so that what moves out of
# the start cannot grow unseen; a part without one fails, as a missing ceiling does.
over=0
for p in "${parts[@]}"; do
    name=${p%%|*}
    n=$(awk -v k="$name" '$1 == "part-ceiling" && $2 == k && $3 ~ /^[0-9]+$/ { print $3; c++ } END { exit c == 1 ? 0 : 1 }' "$budget_file") || {
        echo "size-check: $budget_file must hold one line 'part-ceiling $name <bytes>'" >&2
        exit 1
    }
    if [ "${part_gz[$name]}" -gt "$n" ]; then
        echo "size-check: FAIL: part '$name' is ${part_gz[$name]} bytes gzipped, over its part-ceiling of $n bytes ($budget_file) by $((part_gz[$name] - n))." >&2
        over=1
    fi
done
[ "$over" -eq 0 ] || exit 1
echo "size-check: ok: what the tag loads at start is $start_gz bytes gzipped, within the ceiling of $ceiling bytes ($((ceiling - start_gz)) to spare)."
echo "size-check: ok: with a scorecard, $card_gz bytes, within the card-ceiling of $card_ceiling bytes ($((card_ceiling - card_gz)) to spare)."
echo "size-check: ok: every later part within its part-ceiling ($(for p in "${parts[@]}"; do name=${p%%|*}; printf '%s %s, ' "$name" "${part_gz[$name]}"; done | sed 's/, $//'))."
