# The one way a wasm module of this crate is built (sourced by build-web.sh and engine-size.sh).
#
#   wasm_module CRATE FEATURE NAME TARGET_DIR GLUE_DIR OUT
#
# cargo builds the crate at CRATE (release, wasm32, `--features FEATURE`) in TARGET_DIR,
# wasm-bindgen writes the glue NAME.js and NAME_bg.wasm into GLUE_DIR, and wasm-opt writes the
# module to OUT.
wasm_module() {
    local crate=$1 feature=$2 name=$3 dir=$4 glue=$5 out=$6
    cargo build --lib --release --target wasm32-unknown-unknown --features "$feature" \
        --manifest-path "$crate/Cargo.toml" --target-dir "$dir" --quiet
    wasm-bindgen --target web --out-dir "$glue" --out-name "$name" \
        "$dir/wasm32-unknown-unknown/release/shopper_intent.wasm"
    # -ocimfs=0: do not inline functions that have one caller; then flatten, rebuild the control
    # flow (--rereloop) and optimize again (measured on the engine: 351 B raw, 79 B gzip less);
    # then once more knowing each function's side effects, until nothing changes (124 B gzip less).
    # --low-memory-unused: the low 1 KB of memory is never used (rust-lld puts the 1 MB stack
    # first, growing down from 1 MB, and the data above it), so offsets fold into loads and
    # stores (the scorer: 74 B gzip less). Last, -O3 then -Oz once more: the scorer and the one
    # with scorecards 46 B gzip less, the nudge engine +7 and the lazy compiler +85.
    # The engines the tag instantiates itself (feature `bundle`: src/web/js/engine.js) lose
    # wasm-bindgen's own exports first (`__wbindgen_start` and its externref table, the abort
    # globals), which only its glue uses: with them go their import and the table (the scorer
    # 112 B gzip less). The config compiler keeps them, since it runs through that glue.
    # Those engines also lose the data only a panic message reads (scripts/panic-data.mjs), which
    # --memory-packing then leaves out of the file; the compiler's messages print numbers.
    local opt=tests/node_modules/.bin/wasm-opt strip=(--strip-debug --strip-producers --strip-target-features)
    local passes=(--low-memory-unused -Oz -ocimfs=0 --flatten --rereloop -Oz
        --generate-global-effects -Oz --converge -O3 -Oz --converge)
    case ",$feature," in
    *,bundle,*)
        "$opt" --remove-exports --pass-arg='remove-exports@__*' "${passes[@]}" "$glue/${name}_bg.wasm" -o "$out"
        node scripts/panic-data.mjs "$out" >/dev/null
        "$opt" --memory-packing "${strip[@]}" "$out" -o "$out" ;;
    *) "$opt" "${passes[@]}" "${strip[@]}" "$glue/${name}_bg.wasm" -o "$out" ;;
    esac
}
