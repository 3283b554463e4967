# shopper-intent: `make help` lists the targets. Tools install themselves (scripts/install-deps.sh).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:
.PHONY: help install-deps build wasm-pkg demo test lint fmt-check clippy test-native test-datafusion test-wasm size-check e2e bench bench-warehouse fuzz clean

# cargo and wasm-bindgen live in ~/.cargo/bin, which CI's PATH may lack.
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

PORT     ?= 8080

# Browser tests: wasm-bindgen-test-runner (the runner in .cargo/config.toml) starts chromedriver,
# which starts Debian's Chromium with the flags in scripts/webdriver.json (headless, no sandbox as
# root, no background networking on this closed network). Tests run in the browser, not Node.
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON ?= $(CURDIR)/scripts/webdriver.json
export WASM_BINDGEN_USE_BROWSER ?= 1
export WASM_BINDGEN_TEST_TIMEOUT ?= 60

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-13s %s\n", $$1, $$2 }'

install-deps: ## install the wasm target, chromium, wasm-bindgen-cli, tests/node_modules (skips what is there)
	@bash scripts/install-deps.sh

build: wasm-pkg ## the tag, the engine, the default model and the lazy files -> pkg/ (scripts/build-web.sh); prints sizes
	@bash scripts/sizes.sh

wasm-pkg:
	@bash scripts/install-deps.sh rust bindgen npm
	@bash scripts/build-web.sh

demo: build ## build, then serve the demo store (www/) at http://127.0.0.1:8080 (PORT=... to change)
	@echo
	@echo "Demo store: http://127.0.0.1:$(PORT)/   (Ctrl-C stops it)"
	@echo "Try this:"
	@echo "  1. accept the cookie banner: before consent nothing is remembered, and no nudge shows"
	@echo "  2. open one product 3 times, add it to the cart and start checkout"
	@echo "  3. come back after 30 min; add ?intent-debug to any URL to watch the panel"
	@echo "Nudges run in a holdout: 20% of visitors (the control arm) see none. To be sure to see them,"
	@echo "start at http://127.0.0.1:$(PORT)/?arm=treatment (?arm=control shows the other side)."
	@echo
	PORT=$(PORT) node www/serve.mjs

test: install-deps lint test-native test-datafusion test-wasm size-check e2e ## everything CI runs, in this order, stopping at the first failure

lint: fmt-check clippy ## rustfmt check + clippy (native and wasm32), warnings are errors

fmt-check:
	cargo fmt --check

clippy:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --tests --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test

# DataFusion and Ballista are heavy: their own target directory, so neither build invalidates
# the other's dependencies (feature unification differs).
test-datafusion: ## intent() in DataFusion SQL and on Ballista against the CLI (target/datafusion)
	CARGO_TARGET_DIR=$${CARGO_TARGET_DIR:-target}/datafusion cargo test --features datafusion --test datafusion

test-wasm:
	cargo test --target wasm32-unknown-unknown

size-check: wasm-pkg ## fail if what the tag loads at start, or a part loaded later, gzips to more than its ceiling in tests/size-budget; reports the goal and aim
	@bash scripts/sizes.sh tests/size-budget

e2e: wasm-pkg ## node --test tests/e2e/*.test.mjs, and the bench's arithmetic (tests/bench/*.test.mjs)
	@if compgen -G 'tests/e2e/*.test.mjs' >/dev/null; then cd tests && node --test e2e/*.test.mjs bench/*.test.mjs; \
	else echo "e2e: no tests/e2e/*.test.mjs yet, skipped"; fi

bench: $(if $(wildcard tests/bench/run.mjs),wasm-pkg) ## cargo bench, the warehouse replay table, then node tests/bench/run.mjs (the side-by-side in Chromium; BENCH_RUNS=3 BENCH_EVENT_RUNS=1 for a quick one)
	cargo bench
	bash scripts/bench-warehouse.sh
	@if [ -f tests/bench/run.mjs ]; then set -x; node tests/bench/run.mjs; fi

bench-warehouse: ## the replay table alone: 10,000,000 events over 200,000 visitors, JSONL and GA4 Parquet
	bash scripts/bench-warehouse.sh

fuzz: ## cargo-fuzz targets (nightly), each FUZZ_SECONDS (default 30) s; prints executions per target; not in `make test`
	@bash scripts/install-deps.sh fuzz
	@bash scripts/fuzz.sh

clean: ## remove target/ and the pkg/ outputs (keeps tests/node_modules)
	cargo clean
	find pkg -mindepth 1 ! -name .gitkeep -delete
