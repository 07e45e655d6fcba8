#!/usr/bin/env bash
# The README's pictures (docs/img/), from the release build: builds it with Trunk (unless
# SKIP_BUILD=1 and dist/ exists), then takes them in headless Chromium (scripts/screenshots.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh browser
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ -z "${SKIP_BUILD:-}" ] || [ ! -f dist/index.html ]; then
  trunk build --offline --release
fi
node scripts/screenshots.mjs dist
