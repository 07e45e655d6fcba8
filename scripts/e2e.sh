#!/usr/bin/env bash
# Browser end-to-end tests: builds the release web app with Trunk into dist/, serves it on a
# loopback port (tests/e2e/harness.mjs), drives Debian's Chromium with playwright-core and
# saves screenshots to tests/e2e/artifacts/. Fails on any failure.
#   scripts/e2e.sh            # build, then run every test
#   E2E_SKIP_BUILD=1 scripts/e2e.sh   # reuse dist/
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ -z "${E2E_SKIP_BUILD:-}" ]; then
  # A clean clone after scripts/setup.sh has the tools but maybe not the crates: fetch them
  # (a no-op when cached; trunk's --offline only stops it downloading tools).
  cargo fetch --locked -q 2>/dev/null || echo "e2e: cargo fetch failed (offline?); building with what is cached" >&2
  echo "== building the web app (trunk, release)"
  trunk build --offline --release
  echo "== building the CLI (the tests compare the app's figures with it)"
  cargo build --release -p lambdascape-cli
fi

# Each download's gzipped size against its budget: over budget fails the run.
#   the viewer (lambdascape-viewer*, with the JS snippets): what the page loads first;
#   the full app (lambdascape-app*: editor, share, present, compare), loaded by the viewer when
#     one of those is first used or a share link is opened;
#   the Beyond scaling view (lambdascape-beyond*), loaded when the view first opens;
#   the sizing panel (lambdascape-sizing*, also its Web Workers' module), loaded when it first opens;
#   the widget (lambdascape-embed*: its wasm with its CSS inside, its JS with the snippets it
#     imports such as crates/ui/src/morph.js, and the embed.js loader).
# The budgets are the sizes at the last change that grew or shrank them, rounded up to the next
# KB: a change that adds to a download raises its budget here, in review.
gz() { gzip -9 -c "$1" | wc -c; }
gz_all() { cat /dev/null "$@" | gzip -9 -c | wc -c; }
snippets() { grep -o "snippets/[^'\"]*\.js" "$1" | sort -u | sed 's|^|dist/|'; }
over=0
budget() { # name, bytes, budget in KB
  echo "== size: $1 $(( $2 / 1024 )) KB gzipped (budget $3 KB)"
  if [ "$2" -gt $(( $3 * 1024 )) ]; then
    echo "e2e: FAIL $1 is $(( $2 / 1024 )) KB gzipped, over its $3 KB budget" >&2
    over=1
  fi
}
budget "viewer (first load)" $(( $(gz dist/lambdascape-viewer_bg.wasm) + $(gz dist/lambdascape-viewer.js) + $(gz_all $(snippets dist/lambdascape-viewer.js)) )) 406
budget "full app (on demand)" $(( $(gz dist/lambdascape-app_bg.wasm) + $(gz dist/lambdascape-app.js) + $(gz_all $(snippets dist/lambdascape-app.js)) )) 573
budget "Beyond scaling view (on demand)" $(( $(gz dist/lambdascape-beyond_bg.wasm) + $(gz dist/lambdascape-beyond.js) + $(gz_all $(snippets dist/lambdascape-beyond.js)) )) 153
budget "widget" $(( $(gz dist/lambdascape-embed_bg.wasm) + $(gz dist/lambdascape-embed.js) + $(gz_all $(snippets dist/lambdascape-embed.js)) + $(gz dist/embed.js) )) 295
budget "sizing panel and its workers (on demand)" $(( $(gz dist/lambdascape-sizing_bg.wasm) + $(gz dist/lambdascape-sizing.js) + $(gz_all $(snippets dist/lambdascape-sizing.js)) )) 314
if [ "$over" = 1 ]; then
  exit 1
fi

echo "== browser tests"
mkdir -p tests/e2e/artifacts
node --test --test-concurrency=1 tests/e2e/app.test.mjs tests/e2e/viewer.test.mjs tests/e2e/present.test.mjs tests/e2e/compare.test.mjs tests/e2e/beyond.test.mjs tests/e2e/sizing.test.mjs
echo "== editor tests"
node --test --test-concurrency=1 tests/e2e/edit.test.mjs
echo "== every preset's picture at 1440x900 and 390x844, light and dark (tests/e2e/artifacts/pictures/)"
node --test --test-concurrency=1 tests/e2e/pictures.test.mjs tests/e2e/geometry.test.mjs
echo "== frame times (3,000+ environments)"
node tests/e2e/frame_times.mjs
echo "== embeddable widget (dist served under /lambdascape/, the example docs page)"
node --test --test-concurrency=1 tests/e2e/embed.test.mjs tests/e2e/sizing-widget.test.mjs tests/e2e/csp.test.mjs
echo "== the npm widget package (npm pack, a plain page and an esbuild bundle, under a sub-path)"
node --test tests/e2e/package.test.mjs
