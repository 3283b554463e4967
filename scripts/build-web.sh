#!/usr/bin/env bash
# Builds what a store downloads into pkg/ (see README, "Building"):
#   shopper-intent.js              the tag: loader and runtime (it instantiates the engines itself, without wasm-bindgen glue)
#   shopper_intent_bg.wasm         the engine (no_std: core + the boundary of src/web/mod.rs), without nudges or scorecards
#   shopper_intent_card_bg.wasm    the same with scorecards, loaded instead for a model with one
#   shopper_intent_nudges_bg.wasm  the engine with nudges, loaded when a nudge could first be decided
#   shopper-intent.model.bin       the default model, compiled (`shopper-intent compile`; bytes, see `model_file` in src/core/config/mod.rs)
#   render-*.js                    the built-in nudge renderer, loaded on the first nudge a page leaves to it
#   shopify-*.js                   the Shopify adapter, loaded at start on a Shopify storefront only
#   triggers-*.js                  the idle and exit-intent watchers, loaded at start for a model with rules on them only
#   errors-*.js                    the words of the engine's refusals, loaded on the first one
#   compiler-*.js, shopper_intent_compiler_bg.wasm   the config compiler, loaded for a plain JSON config only
#   intent-panel.js                the debug panel (?intent-debug)
#   shopper-intent.css             the nudge's styles, for stores whose CSP refuses inline styles
#   shopper-intent.d.ts            the types of window.shopperIntent
#   compile.mjs, package.json, README.md   the npm package (npx shopper-intent-compile)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=tests/node_modules/.bin
OUT=pkg
GLUE=target/web
mkdir -p "$OUT" "$GLUE"

# Four builds of the same crate: separate target dirs, since cargo names cdylibs without a hash.
source scripts/wasm.sh
wasm() { # $1 build name, $2 features, $3 output name
    wasm_module . "$2" "$3" "target/wasm-$1" "$GLUE/$1" "$OUT/$3_bg.wasm"
}
wasm bundle bundle shopper_intent
wasm card bundle,scorecard shopper_intent_card
wasm nudges bundle,nudges shopper_intent_nudges
wasm compiler compiler shopper_intent_compiler

rm -f "$OUT/shopper-intent.model.json" # the JSON model file of earlier versions
cargo run --quiet --bin shopper-intent -- compile --out "$OUT/shopper-intent.model.bin"

# Internal members of the tag's own classes and records, renamed short by esbuild across the tag
# and its chunks (one build, so consistently). Only names that are never a key of the API's
# results, an event's detail, a data layer entry, a beacon, the model's header or a stored
# profile, nor a member of a browser object the tag uses (so not `warn`, `now`, `remove`, `push`,
# `encode`, `apply`). Not `idle`, `exit`, `dwell`: nudger.js reads its TRIGGER keys by string.
internal=(
    # Scorer (runtime.js)
    engine opts rt work warned store layer triggers tab seq pending clock synced syncedOurs writtenSeq
    dirty saveTimer changedAt lastPath recent starting queued pageChanged last nudger waiting nudgesFailed
    log guard listen persists start loadWithInbox pageView op changed emit announce send
    sameAction watchTriggers run inFlight loadNudges stop scheduleSave saveNow recheck adopt
    load save otherTabWrote forgetVisitor consentChanged googleConsent
    recheckShopify consentApi
    # pending operations (runtime.js, nudger.js); the model file as read (index.js)
    bytes facts
    # Engine, Out (engine.js), Buf (wire.js)
    w buf kept mem input inputText out init fresh conversions why verdict mayNudge u8b str opt text f64 u32 u16 room byte dv u8 at
    # identify's facts (facts.js)
    opens lastOpen yesNo purchase purchaseTime
    # Store (storage.js)
    opened area read write takeInbox
    # Consent and its says (consent.js)
    require gpc google api allowed refused granted chosen
    # DataLayer (datalayer.js)
    s watched own array watch peekConsent
    # Triggers (triggers.js)
    watchIdle watchExit cancelAll
    # Nudger, Dwell (nudger.js)
    shown deliver dismissed timer armAt cancel
)
INTERNAL="^($(IFS='|'; echo "${internal[*]}"))$"
find "$OUT" -maxdepth 1 \( -name 'render-*.js' -o -name 'triggers-*.js' -o -name 'shopify-*.js' -o -name 'errors-*.js' -o -name 'compiler-*.js' -o -name 'nudges-*.js' -o -name 'chunk-*.js' \) -delete
"$BIN/esbuild" src/web/js/index.js src/web/js/intent-panel.js \
    --bundle --format=esm --splitting --minify --target=es2020 --outdir="$OUT" \
    --entry-names='[name]' --chunk-names='[name]-[hash]' --log-level=warning --mangle-props="$INTERNAL" \
    --alias:shopper-intent-compiler="./$GLUE/compiler/shopper_intent_compiler.js"
mv "$OUT/index.js" "$OUT/shopper-intent.js"
# Then terser's compressor, twice over, on each browser file esbuild wrote: it folds what esbuild's
# minifier leaves (measured on the tag: 9,107 -> 8,867 B gzip). Safe transforms only (no `unsafe`).
for js in "$OUT"/*.js; do
    "$BIN/terser" "$js" --module --compress passes=2 --mangle --output "$js"
done
# V8's explicit compile hint (Chromium 136+; other engines read a comment): almost every function
# of the tag runs at start, so V8 compiles them all on the script-streaming thread instead of each
# on the main thread at its first call (the bench's trace of the start: V8.ParseFunction,
# V8.CompileCode and V8.CompileIgnition were 6.6 ms of main-thread time; after, none is in its top ten).
{ echo '//# allFunctionsCalledOnLoad'; cat "$OUT/shopper-intent.js"; } > "$OUT/tag.js"
mv "$OUT/tag.js" "$OUT/shopper-intent.js"
# The package's config compiler for Node (npx shopper-intent-compile), beside the compiler wasm.
"$BIN/esbuild" src/web/js/compile-cli.js --bundle --format=esm --platform=node --minify --log-level=warning \
    --banner:js='#!/usr/bin/env node' --outfile="$OUT/compile.mjs" \
    --alias:shopper-intent-compiler="./$GLUE/compiler/shopper_intent_compiler.js"
chmod +x "$OUT/compile.mjs"
# The npm package: what a store installs instead of building (npm pack pkg/).
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
sed "s/@VERSION@/$version/" src/web/package/package.json > "$OUT/package.json"
cp src/web/package/README.md "$OUT/README.md"
node -e 'import("./src/web/js/render.js").then((m) => process.stdout.write(m.CSS))' > "$OUT/shopper-intent.css"
cp src/web/js/shopper-intent.d.ts "$OUT/shopper-intent.d.ts"
