#!/usr/bin/env bash
# Builds the npm package of the embeddable widget (lambdascape-widget) from a release build:
# npm/lambdascape-widget/ (package.json, types, README) with the widget's files of the dist dir
# (embed.js, the wasm and its JS glue, the sizing module that view="sizing" widgets fetch with its
# glue, the snippets each glue imports, the preset scenarios),
# staged in a temporary folder, then `npm pack`. Prints the tarball's path (the last line).
#   scripts/pack-widget.sh                    # from dist/ into target/npm/
#   scripts/pack-widget.sh /path/to/dist out/ # from another dist, into out/
# The package's major version is the scenario format's version (FORMAT_VERSION in
# crates/engine/src/share.rs): this fails when they differ.
set -euo pipefail
cd "$(dirname "$0")/.."
dist="$(realpath "${1:-dist}")"
out="${2:-target/npm}"
mkdir -p "$out"
out="$(realpath "$out")"
src=npm/lambdascape-widget

for f in embed.js lambdascape-embed.js lambdascape-embed_bg.wasm lambdascape-sizing.js lambdascape-sizing_bg.wasm; do
  [ -f "$dist/$f" ] || { echo "pack-widget: $dist/$f is missing: build first (trunk build --release)" >&2; exit 1; }
done

format=$(sed -n 's/^pub const FORMAT_VERSION: u32 = \([0-9]*\);.*/\1/p' crates/engine/src/share.rs)
version=$(node -p "require('./$src/package.json').version")
if [ "${version%%.*}" != "$format" ]; then
  echo "pack-widget: $src/package.json has version $version, but the scenario format is v$format: the major version must be $format (see $src/README.md)" >&2
  exit 1
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
pkg="$stage/lambdascape-widget"
mkdir -p "$pkg/scenarios"
cp "$src/package.json" "$src/README.md" "$src/react.d.ts" "$pkg/"
cp "$dist/embed.js" "$dist/lambdascape-embed.js" "$dist/lambdascape-embed_bg.wasm" \
  "$dist/lambdascape-sizing.js" "$dist/lambdascape-sizing_bg.wasm" "$pkg/"
# The JS snippets the glues import (wasm-bindgen's inline_js / module imports), at the same
# relative paths (the sizing module's Web Workers find it three folders up from theirs).
for s in $(grep -ho "snippets/[^'\"]*\.js" "$dist/lambdascape-embed.js" "$dist/lambdascape-sizing.js" | sort -u); do
  mkdir -p "$pkg/$(dirname "$s")"
  cp "$dist/$s" "$pkg/$s"
done
cp "$dist"/scenarios/*.json "$pkg/scenarios/"
# The preset names, for completion of scenario="presets/<name>" (any URL still type-checks).
presets=$(for f in "$pkg"/scenarios/*.json; do n=$(basename "$f" .json); [ "$n" = index ] || printf "'%s' | " "$n"; done)
sed "s#^export type LambdascapePreset = string;.*#export type LambdascapePreset = ${presets% | };#" \
  "$src/index.d.ts" >"$pkg/index.d.ts"
grep -q "^export type LambdascapePreset = '" "$pkg/index.d.ts" || { echo "pack-widget: could not write the preset names into index.d.ts" >&2; exit 1; }

(cd "$pkg" && npm pack --silent --pack-destination "$out" >/dev/null)
tarball="$out/lambdascape-widget-$version.tgz"
[ -f "$tarball" ] || { echo "pack-widget: npm pack made no $tarball" >&2; exit 1; }
echo "$tarball"
