#!/usr/bin/env bash
# Sets up what a fresh machine lacks, then runs every Lambdascape test: the engine and CLI
# (unit, conformance, statistical and property tests), the committed schema check, the web
# app's component tests (wasm-bindgen-test) and the browser end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== engine and CLI tests"
cargo test --workspace --release
if [ -f index.html ]; then
  # src/wasm_tests.rs, in headless Chromium: the runner (wasm-bindgen-test-runner, from
  # wasm-bindgen-cli) is set in .cargo/config.toml, Chromium's flags in webdriver.json.
  echo "== web app component tests (wasm-bindgen-test, headless Chromium)"
  CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" PATH="$HOME/.cargo/bin:$PATH" \
    cargo test --target wasm32-unknown-unknown --bin lambdascape
  scripts/e2e.sh
fi
echo "== all tests passed"
