#!/usr/bin/env bash
# Sets up what a fresh machine lacks, then runs every Lambdascape test: the engine and CLI
# (unit, conformance, statistical and property tests), the committed schema check, the crate
# structure and the download-size rules, the web
# app's component tests (wasm-bindgen-test) and the browser end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== engine and CLI tests"
cargo test --workspace --release
echo "== structure: the widget's graph has no yew and no plotters; the download-size rules (clippy.toml)"
widget_graph=$(cargo tree -p lambdascape-embed --target wasm32-unknown-unknown -e normal --prefix none)
if grep -qE '^(yew|plotters)' <<<"$widget_graph"; then
  echo "test: FAIL the widget's dependency graph holds yew or plotters:" >&2
  grep -E '^(yew|plotters)' <<<"$widget_graph" | sort -u >&2
  exit 1
fi
# Only the size rules are denied here (other lints are for review, not for CI to fail on). The
# CLI runs natively only and is left out; the wasm-only crates are linted for wasm32.
lint=(-- -A clippy::all -D clippy::disallowed_methods)
cargo clippy -q --workspace --exclude lambdascape-cli "${lint[@]}"
cargo clippy -q --target wasm32-unknown-unknown -p lambdascape-engine -p lambdascape-ui -p lambdascape-embed \
  -p lambdascape-beyond -p lambdascape-sizing -p lambdascape --features lambdascape/tools "${lint[@]}"
if [ -f index.html ]; then
  # src/wasm_tests.rs, in headless Chromium: the runner (wasm-bindgen-test-runner, from
  # wasm-bindgen-cli) is set in .cargo/config.toml, Chromium's flags in webdriver.json.
  echo "== web app component tests (wasm-bindgen-test, headless Chromium)"
  CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" PATH="$HOME/.cargo/bin:$PATH" \
    cargo test --target wasm32-unknown-unknown -p lambdascape --lib --features tools
  scripts/e2e.sh
fi
echo "== all tests passed"
