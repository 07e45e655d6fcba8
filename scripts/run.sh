#!/usr/bin/env bash
# Sets up what a fresh machine lacks, builds the web app and serves it on
# http://127.0.0.1:8080 (Ctrl+C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk builds --offline: fetch the locked crates first (a no-op once they are here).
cargo fetch --locked
exec trunk serve --offline --release --address 127.0.0.1 --port 8080
