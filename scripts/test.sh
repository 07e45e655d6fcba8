#!/usr/bin/env bash
# Sets up what a fresh machine lacks, then runs every Lambdascape test: the engine and CLI
# (unit, conformance, statistical and property tests), the committed schema check, and the
# browser end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== engine and CLI tests"
cargo test --workspace --release
if [ -f index.html ]; then
  scripts/e2e.sh
fi
echo "== all tests passed"
