#!/usr/bin/env bash
# Installs what `make build` / `make test` need. Idempotent: each part is skipped
# when already present, so a second run takes about a second.
#
#   scripts/install-deps.sh                 # everything
#   scripts/install-deps.sh rust bindgen npm  # only some parts
#
# Parts:
#   rust     rustup target wasm32-unknown-unknown
#   browser  Debian chromium + chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)
#   bindgen  wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
#   npm      tests/node_modules (binaryen for wasm-opt, playwright-core) from tests/package-lock.json
#   fuzz     the nightly toolchain and cargo-fuzz, for `make fuzz` only (not in the default set)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# cargo/rustup may be missing from PATH in CI's environment.
if [ -f "${CARGO_HOME:-$HOME/.cargo}/env" ]; then
    # shellcheck disable=SC1091
    . "${CARGO_HOME:-$HOME/.cargo}/env"
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '[install-deps] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_rust_target() {
    if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "ok    rustup target wasm32-unknown-unknown"
    else
        say "add   rustup target wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
}

install_browser() {
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
        say "ok    chromium + chromedriver ($(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2))"
        return
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt/dpkg (e.g. unattended upgrades) instead of failing on its lock.
    local apt=(apt-get -y -q -o DPkg::Lock::Timeout=600)
    if ! apt-cache policy chromium chromium-driver 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        say "run   apt-get update (package lists lack chromium)"
        as_root "${apt[@]}" update
    fi
    say "apt   install chromium chromium-driver"
    if ! as_root "${apt[@]}" install chromium chromium-driver; then
        say "run   apt-get update (package lists may be stale), then retry"
        as_root "${apt[@]}" update
        as_root "${apt[@]}" install chromium chromium-driver
    fi
}

install_bindgen() {
    local want have
    want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
    if [ -z "$want" ]; then
        say "error: no wasm-bindgen entry in Cargo.lock" >&2
        exit 1
    fi
    have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
    if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null; then
        say "ok    wasm-bindgen-cli $want"
        return
    fi
    # `--locked` does not resolve on this registry; default features are not needed.
    say "build wasm-bindgen-cli $want (was: ${have:-none}; takes ~3 min)"
    cargo install wasm-bindgen-cli --version "$want" --no-default-features --force
}

install_npm() {
    local stamp=tests/node_modules/.install-stamp
    if [ -f "$stamp" ] && [ -f tests/package-lock.json ] &&
        [ "$stamp" -nt tests/package.json ] && [ "$stamp" -nt tests/package-lock.json ]; then
        say "ok    tests/node_modules"
        return
    fi
    if [ -f tests/package-lock.json ]; then
        say "npm   ci (tests/)"
        (cd tests && npm ci --no-audit --no-fund)
    else
        say "npm   install (tests/; writes package-lock.json)"
        (cd tests && npm install --no-audit --no-fund)
    fi
    touch "$stamp"
}

install_fuzz() {
    if rustup toolchain list | grep -q '^nightly'; then
        say "ok    rust nightly toolchain"
    else
        say "add   rust nightly toolchain (minimal profile)"
        rustup toolchain install nightly --profile minimal
    fi
    if command -v cargo-fuzz >/dev/null; then
        say "ok    $(cargo-fuzz --version)"
    else
        say "build cargo-fuzz (takes ~1 min)"
        cargo install cargo-fuzz
    fi
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(rust browser bindgen npm)
for part in "${parts[@]}"; do
    case "$part" in
        rust) install_rust_target ;;
        browser) install_browser ;;
        bindgen) install_bindgen ;;
        npm) install_npm ;;
        fuzz) install_fuzz ;;
        *) say "unknown part '$part' (rust, browser, bindgen, npm, fuzz)" >&2; exit 2 ;;
    esac
done
