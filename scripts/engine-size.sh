#!/usr/bin/env bash
# What the browser's engine (pkg/shopper_intent_bg.wasm) spends its bytes on. The engine is
# built as shipped, then again without each part: the part's exports in src/web/mod.rs are left
# out of a copy of the crate (and its helpers return at once), so what only they use goes too.
# A part's share is the difference, in bytes of gzip -9. About 5 minutes; writes target/engine-size/.
#
#   bash scripts/engine-size.sh
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/wasm.sh

WORK=target/engine-size
mkdir -p "$WORK"

# Builds the engine without the functions named after $1 (a label); prints its gzip -9 size.
without() {
    local label=$1
    shift
    rm -rf "$WORK/crate"
    mkdir -p "$WORK/crate"
    cp -r Cargo.toml Cargo.lock src benches examples "$WORK/crate/"
    node -e '
        const fs = require("fs");
        const [file, ...names] = process.argv.slice(1);
        let s = fs.readFileSync(file, "utf8");
        for (const name of names) {
            const exported = `#[no_mangle]\npub extern "C" fn ${name}(`;
            if (s.includes(exported)) {
                s = s.replace(exported, "#[cfg(any())]\n" + exported);
                continue;
            }
            const at = s.indexOf(`fn ${name}(`);
            if (at < 0) throw new Error(`engine-size: no function ${name} in ${file}`);
            const body = s.indexOf("{", at) + 1;
            s = s.slice(0, body) + "\n    return;" + s.slice(body);
        }
        fs.writeFileSync(file, s);
    ' "$WORK/crate/src/web/mod.rs" "$@"
    # (Under the shipped file's name: gzip -9 stores it, as scripts/sizes.sh counts it.)
    mkdir -p "$WORK/$label"
    wasm_module "$WORK/crate" bundle shopper_intent "$WORK/target" "$WORK/glue" \
        "$WORK/$label/shopper_intent_bg.wasm" 2>/dev/null
    gzip -9c "$WORK/$label/shopper_intent_bg.wasm" | wc -c
}

# The scorer holds no nudge engine (that is pkg/shopper_intent_nudges_bg.wasm); these are the
# nudge parts it keeps: the gate, the triggers it watches, conversions and arms.
NUDGES=(write_gate si_wants_exit si_idle_ms write_conversions write_arms)
CODEC=(si_save si_load)
IDENTIFY=(si_identify)
STATE=(si_state)

# Each build in an assignment of its own, so that a failed one (an export renamed) stops the
# script instead of printing a share computed from nothing.
all=$(without engine)
no_nudges=$(without no-nudges "${NUDGES[@]}")
no_codec=$(without no-codec "${CODEC[@]}")
no_identify=$(without no-identify "${IDENTIFY[@]}")
no_state=$(without no-state "${STATE[@]}")
core=$(without core "${NUDGES[@]}" "${CODEC[@]}" "${IDENTIFY[@]}" "${STATE[@]}")
nudges=$((all - no_nudges)) codec=$((all - no_codec))
identify=$((all - no_identify)) state=$((all - no_state))

row() { printf '%-68s %7s %6s\n' "$@"; }
share() { awk -v p="$1" -v t="$all" 'BEGIN { printf "%.1f%%", 100 * p / t }'; }
row "part of the engine" "gzip-9" "share"
row "nudge parts at start: the gate, exit and idle wants, conversions, arms" "$nudges" "$(share "$nudges")"
row "profile storage: packing and the checks on load (si_save, si_load)" "$codec" "$(share "$codec")"
row "identify()" "$identify" "$(share "$identify")"
row "state() record" "$state" "$(share "$state")"
row "the rest: model, event decoding, scoring, visits (init, track, score)" "$core" "$(share "$core")"
row "the engine" "$all" "100%"
