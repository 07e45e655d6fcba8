#!/usr/bin/env bash
# Installs what a fresh machine lacks for building, serving and testing Lambdascape, and skips
# whatever is already there. Safe to run again.
#   scripts/setup.sh          # everything (native + web + browser tests)
#   scripts/setup.sh native   # only the Rust toolchain pieces for the engine and CLI
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

if ! cargo clippy --version >/dev/null 2>&1; then
  log "adding clippy (scripts/test.sh checks the download-size rules with it)"
  rustup component add clippy
fi

if [ "$what" = native ]; then exit 0; fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (compiles for about 14 minutes)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/terser ] \
  || [ ! -d node_modules/esbuild ] || [ ! -d node_modules/typescript ]; then
  log "installing npm packages (binaryen for wasm-opt, terser for the release JS, playwright-core, esbuild and typescript for the widget package's tests)"
  npm ci --no-audit --no-fund
fi

if [ "$what" = all ] || [ "$what" = browser ]; then
  # chromium-driver (same Debian version as chromium, so both install together) lets
  # wasm-bindgen-test-runner drive Chromium for the web app's component tests.
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    log "installing Debian's chromium and chromium-driver for the browser tests"
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
log "ready"
