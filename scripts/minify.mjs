// Trunk's post_build hook (Trunk.toml): in release builds, minifies the JavaScript in the
// staging dir (the wasm-bindgen glue of each wasm module, its snippets and embed.js) with
// terser, so the downloads scripts/e2e.sh measures are what a host serves. Debug builds
// (`trunk serve`) stay readable. A file terser cannot read is left as it is, with a warning.
import fs from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir || process.env.TRUNK_PROFILE !== 'release') process.exit(0);

function* scripts(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) yield* scripts(p);
    else if (e.name.endsWith('.js')) yield p;
  }
}

let before = 0, after = 0;
for (const file of scripts(dir)) {
  const code = fs.readFileSync(file, 'utf8');
  try {
    const out = await minify(code, { module: true, compress: true, mangle: true });
    fs.writeFileSync(file, out.code);
    before += code.length;
    after += out.code.length;
  } catch (e) {
    console.warn(`minify: ${path.relative(dir, file)} left as it is: ${e.message}`);
  }
}
console.log(`minify: JavaScript ${before} -> ${after} bytes`);
