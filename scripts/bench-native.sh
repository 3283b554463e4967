#!/usr/bin/env bash
# Native replay speed and peak memory of the CLI on a generated 1,000,000-event log.
#
#   bash scripts/bench-native.sh [EVENTS] [VISITORS]
#
# Writes a REES46-style and a Taobao-style CSV (time-ordered, like the REES46 export) to a temp
# directory, builds the CLI with opt-level 3 (`--profile native`; the release profile is tuned
# for wasm size), and runs `evaluate` on each under /usr/bin/time -v: wall time, events per
# second (two passes over the file, the second through the core) and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${1:-1000000}
VISITORS=${2:-20000}

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (for peak RSS)" >&2
    apt-get install -y -qq time >/dev/null
fi

cargo build --quiet --profile native --bin shopper-intent
BIN=target/native/shopper-intent
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

# Same shape as benches/replay.rs: 90% views, 6% carts, 2% removals (favs in Taobao), 2%
# purchases; 10 rows a second; 5,000 products. awk's srand(42) makes it the same log every run.
TZ=UTC awk -v n="$EVENTS" -v users="$VISITORS" -v dir="$DIR" 'BEGIN {
    srand(42);
    r = dir "/rees46.csv"; t6 = dir "/taobao.csv";
    print "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session" > r;
    print "user_id,item_id,category_id,behavior_type,timestamp" > t6;
    start = 1569888000;
    for (i = 0; i < n; i++) {
        user = 500000000 + int(rand() * users); product = 1000000 + int(rand() * 5000); roll = rand();
        kind = roll < 0.90 ? "view" : roll < 0.96 ? "cart" : roll < 0.98 ? "remove_from_cart" : "purchase";
        behavior = roll < 0.90 ? "pv" : roll < 0.96 ? "cart" : roll < 0.98 ? "fav" : "buy";
        t = start + int(i / 10);
        printf "%s,%s,%d,2053013555631882655,electronics.smartphone,acme,%d.%02d,%d,%x-%d\n",
            strftime("%Y-%m-%d %H:%M:%S UTC", t), kind, product, 20 + product % 900, product % 100, user, int(t / 1800), user > r;
        printf "%d,%d,%d,%s,%d\n", user, product, product % 300, behavior, t > t6;
    }
}'

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "log: $EVENTS events, $VISITORS visitors; $(du -h "$DIR/rees46.csv" | cut -f1) (rees46), $(du -h "$DIR/taobao.csv" | cut -f1) (taobao)"
for format in rees46 taobao; do
    /usr/bin/time -v "$BIN" evaluate --format "$format" --json "$DIR/$format.csv" \
        >"$DIR/out.json" 2>"$DIR/time.txt" || { cat "$DIR/time.txt" >&2; exit 1; }
    wall=$(grep 'Elapsed (wall clock)' "$DIR/time.txt" | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$DIR/time.txt")
    rss=$(grep 'Maximum resident set size' "$DIR/time.txt" | awk '{print $NF}')
    secs=$(awk -v w="$wall" 'BEGIN { n = split(w, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
    # CPU time is the one-core figure; wall time also counts waiting for a shared machine.
    printf '%-7s evaluate: %5.2f s wall, %5.2f s CPU = %7.0f events per CPU-second (both passes), peak RSS %5.1f MB\n' \
        "$format" "$secs" "$cpu" "$(awk -v e="$EVENTS" -v s="$cpu" 'BEGIN { print e / s }')" \
        "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
done
