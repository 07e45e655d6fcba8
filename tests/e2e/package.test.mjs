// End-to-end tests of the npm package of the widget (npm/lambdascape-widget, scripts/pack-widget.sh):
// packs it from the release build ($DIST_DIR or dist/), installs the tarball offline into an
// empty folder, then in Chromium
//   (1) a plain page that loads node_modules/lambdascape-widget/embed.js as a static file, and
//   (2) a page whose script esbuild bundled (`import 'lambdascape-widget'`, the runtime files
//       copied next to the bundle as the package README says),
// each served under a sub-path, each with three widgets (topology, chart, full with an inline
// scenario) that must draw and play and a sizing widget whose sweep must run (its module and
// Web Workers found in the package), with no console errors and no failed requests. The same pages
// under a strict Content-Security-Policy count its violations, and index.d.ts is type-checked
// with tsc (a good file passes, a wrong attribute value fails).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ROOT, ARTIFACTS, launch } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || path.join(ROOT, 'dist'));
const PREFIX = '/docs/sub/path/';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
const rootRequire = createRequire(path.join(ROOT, 'package.json'));

let tmp, tarball, site, bundleDir, browser;
const servers = [];

/** Serves `dir` under `prefix` only (anything else is a 404), with `headers` on every answer;
 * records each path asked for in `requested`. Resolves to the prefix's URL. */
function serveUnder(dir, prefix, headers = {}, requested = []) {
  const srv = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requested.push(p);
    if (!p.startsWith(prefix)) { res.writeHead(404, headers).end('outside the sub-path'); return; }
    let file = path.normalize(path.join(dir, p.slice(prefix.length)));
    if (!file.startsWith(dir)) { res.writeHead(403, headers).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, headers).end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store', ...headers });
      res.end(data);
    });
  });
  servers.push(srv);
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${srv.address().port}${prefix}`)));
}

/** The widgets of both pages: no inline style or script (the CSP forbids them), all on
 * screen in a tall viewport so they all play. */
const WIDGETS = `
    <h1>Three Lambdascape figures</h1>
    <lambdascape-widget id="w-topology" scenario="presets/mixed-subnets" view="topology" autoplay speed="20"></lambdascape-widget>
    <lambdascape-widget id="w-chart" scenario="presets/seed-burst-5000" view="chart" chart="concurrency" autoplay speed="30" height="300"></lambdascape-widget>
    <lambdascape-widget id="w-full" view="full" autoplay speed="20" theme="dark">
      <script type="application/json">
        {"version": 1, "name": "inline-reserved", "title": "Reserved concurrency keeps 200 for payments",
         "seed": 5, "duration": "5m", "sample_interval": "1s",
         "account": {"region": "us-east-1", "concurrency_limit": 1000, "scaling_model": "current"},
         "functions": [
           {"name": "payments", "reserved_concurrency": 200, "timeout": "10s",
            "duration": {"type": "lognormal", "mean_ms": 1000, "std_ms": 200},
            "traffic": {"type": "constant", "rate": 120}},
           {"name": "batch", "timeout": "60s",
            "duration": {"type": "lognormal", "mean_ms": 2000, "std_ms": 400},
            "traffic": {"type": "constant", "rate": 600}}
         ]}
      </script>
    </lambdascape-widget>
    <lambdascape-widget id="w-sizing" scenario="presets/pc-vs-cold-starts" view="sizing" sweep="--vary provisioned=0..100:50 --seeds 1"></lambdascape-widget>`;

const page = (title, script) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    <title>${title}</title>
    <script type="module" src="${script}"></script>
  </head>
  <body>${WIDGETS}
  </body>
</html>
`;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdascape-package-'));
  // Pack: the script prints the tarball's path last.
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/pack-widget.sh'), DIST, path.join(tmp, 'npm')], { cwd: ROOT }).toString().trim();
  tarball = out.split('\n').pop();
  // Install it into an empty site, offline (no dependencies).
  site = path.join(tmp, 'site');
  fs.mkdirSync(site);
  fs.writeFileSync(path.join(site, 'package.json'), JSON.stringify({ name: 'docs-site', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: site, stdio: 'pipe' });
  // (1) The plain page, next to node_modules/.
  fs.writeFileSync(path.join(site, 'plain.html'), page('Plain page: lambdascape-widget from node_modules', 'node_modules/lambdascape-widget/embed.js'));
  // (2) The bundled page, built as the README says: esbuild, then the runtime files next to
  // the bundle.
  fs.mkdirSync(path.join(site, 'src'));
  fs.writeFileSync(path.join(site, 'src/page.js'), "import 'lambdascape-widget';\ndocument.documentElement.dataset.bundled = 'yes';\n");
  bundleDir = path.join(site, 'public');
  fs.mkdirSync(bundleDir);
  fs.writeFileSync(path.join(bundleDir, 'index.html'), page('Bundled page: import "lambdascape-widget" through esbuild', 'assets/page.js'));
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs the README's esbuild build (once). */
let built;
function buildBundle() {
  built ??= (async () => {
    const esbuild = rootRequire('esbuild');
    const outdir = path.join(bundleDir, 'assets');
    const result = await esbuild.build({
      absWorkingDir: site,
      entryPoints: ['src/page.js'],
      bundle: true,
      format: 'esm',
      outdir,
      logLevel: 'silent',
    });
    const pkg = path.dirname(createRequire(path.join(site, 'package.json')).resolve('lambdascape-widget/package.json'));
    for (const f of ['lambdascape-embed.js', 'lambdascape-embed_bg.wasm', 'lambdascape-sizing.js', 'lambdascape-sizing_bg.wasm', 'snippets', 'scenarios']) {
      fs.cpSync(path.join(pkg, f), path.join(outdir, f), { recursive: true });
    }
    return result;
  })();
  return built;
}

function tarList(file) {
  return execFileSync('tar', ['tzf', file]).toString().trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
}

test("the tarball holds the widget's files and nothing else, and installs offline", (t) => {
  const files = tarList(tarball);
  // The widget's and the sizing module's (fetched by view="sizing" widgets only).
  const glue = ['lambdascape-embed.js', 'lambdascape-sizing.js'].map((f) => fs.readFileSync(path.join(DIST, f), 'utf8')).join('\n');
  const snippets = [...new Set(glue.match(/snippets\/[^'"]*\.js/g) ?? [])];
  const scenarios = fs.readdirSync(path.join(DIST, 'scenarios')).filter((f) => f.endsWith('.json')).map((f) => `scenarios/${f}`);
  const runtime = ['embed.js', 'lambdascape-embed.js', 'lambdascape-embed_bg.wasm', 'lambdascape-sizing.js', 'lambdascape-sizing_bg.wasm'];
  const expected = ['README.md', 'package.json', 'index.d.ts', 'react.d.ts', ...runtime, ...snippets, ...scenarios].sort();
  assert.deepEqual(files, expected);
  // The runtime files are the release build's, byte for byte.
  const installed = path.join(site, 'node_modules/lambdascape-widget');
  for (const f of [...runtime, ...snippets]) {
    assert.ok(fs.readFileSync(path.join(installed, f)).equals(fs.readFileSync(path.join(DIST, f))), `${f} as in ${DIST}`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const format = /pub const FORMAT_VERSION: u32 = (\d+);/.exec(fs.readFileSync(path.join(ROOT, 'crates/engine/src/share.rs'), 'utf8'))[1];
  assert.equal(pkg.version.split('.')[0], format, 'the major version is the format version');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.exports['.'].default, './embed.js');
  assert.equal(pkg.exports['.'].types, './index.d.ts');
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no dependencies');
  const kb = (fs.statSync(tarball).size / 1024).toFixed(0);
  t.diagnostic(`${path.basename(tarball)}: ${files.length} files, ${kb} KB`);
});

/** A page's console errors, failed requests and CSP violations, and every path it asked for. */
async function open(url, { csp = false } = {}) {
  browser ??= await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 2600 }, deviceScaleFactor: 1, colorScheme: 'light' });
  const p = await context.newPage();
  const log = { errors: [], failures: [], csp: [], requests: [] };
  p.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
    if (m.text().includes('Content Security Policy')) log.csp.push(`console: ${m.text()}`);
  });
  p.on('pageerror', (e) => log.errors.push(String(e)));
  p.on('response', (r) => { if (r.status() >= 400) log.failures.push(`${r.status()} ${r.url()}`); });
  p.on('requestfailed', (r) => log.failures.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
  p.on('request', (r) => log.requests.push(r.url()));
  if (csp) {
    await p.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} ${e.blockedURI || ''} at ${(e.sourceFile || '').replace(/^.*\//, '')}:${e.lineNumber}`);
      }, true);
    });
  }
  await p.goto(url);
  return { p, context, log };
}

/** Polls `fn` in the page (no eval in the page: the CSP page forbids it) until it is truthy. */
async function until(p, fn, arg, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await p.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const nowUs = (p, id) => p.evaluate((id) => Number(document.getElementById(id)?.shadowRoot?.querySelector('[data-testid="widget"]')?.dataset.nowUs ?? NaN), id);

/** A canvas's pixels as the wasm drew them: how many are painted, how many colours. */
function canvasPixels(locator) {
  return locator.evaluate((c) => {
    if (!c.width || !c.height) return { painted: 0, colours: 0 };
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    let painted = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]) painted++;
      colours.add((d[i] << 24) ^ (d[i + 1] << 16) ^ (d[i + 2] << 8) ^ d[i + 3]);
    }
    return { painted, colours: colours.size };
  });
}

/** An element's pixels on screen (a screenshot decoded in the page): how many colours. */
async function screenColours(p, locator) {
  const png = (await locator.screenshot()).toString('base64');
  return p.evaluate(async (b64) => {
    const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
    const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d');
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return { width: bmp.width, height: bmp.height, colours: colours.size };
  }, png);
}

/** The three widgets draw (topology svg, chart canvases with pixels) and play. */
async function drawsAndPlays(p, name) {
  const ids = ['w-topology', 'w-chart', 'w-full'];
  for (const id of ids) {
    await until(p, (id) => {
      const w = document.getElementById(id)?.shadowRoot?.querySelector('[data-testid="widget"]');
      const bad = document.getElementById(id)?.shadowRoot?.querySelector('[data-testid="widget-error"]');
      if (bad) return `error: ${bad.textContent}`;
      return w && !w.classList.contains('lsw-loading') && !w.classList.contains('lsw-failed');
    }, id, `${id} to load`).then((v) => assert.equal(v, true, `${id}: ${v}`));
  }
  // Topology: the svg with its functions, and it shows on screen.
  const svg = p.locator('#w-topology svg.topology-svg');
  await svg.waitFor({ timeout: 30000 });
  assert.ok(await svg.evaluate((s) => s.querySelectorAll('rect, path, line, circle, text').length) > 5, 'the topology svg has shapes');
  const svgPixels = await screenColours(p, svg);
  assert.ok(svgPixels.width > 100 && svgPixels.height > 50 && svgPixels.colours > 3, `the topology svg shows: ${JSON.stringify(svgPixels)}`);
  assert.equal(await p.locator('#w-full svg.topology-svg').count(), 1, 'the full view has the topology');
  // Charts: canvases the wasm has painted (a plot has more than its background colour).
  assert.equal(await p.locator('#w-chart figure.chart[data-chart="concurrency"]').count(), 1);
  for (const [id, min] of [['w-chart', 1], ['w-full', 4]]) {
    const canvases = p.locator(`#${id} .chart-canvas canvas`);
    assert.ok(await canvases.count() >= min, `${id}: ${min}+ chart canvases`);
    await until(p, (id) => [...document.getElementById(id).shadowRoot.querySelectorAll('.chart-canvas canvas')].every((c) => c.width > 0), id, `${id}'s canvases to be sized`);
    const px = await canvasPixels(canvases.first());
    assert.ok(px.painted > 1000 && px.colours > 2, `${id}: the chart canvas is painted: ${JSON.stringify(px)}`);
  }
  // Play: all three are on screen with autoplay; simulated time advances in each.
  const t0 = {};
  for (const id of ids) t0[id] = await nowUs(p, id);
  for (const id of ids) {
    await until(p, ([id, t]) => Number(document.getElementById(id).shadowRoot.querySelector('[data-testid="widget"]').dataset.nowUs) > t + 2e6, [id, t0[id]], `${id} to play`);
  }
  // The sizing widget: its module and Web Workers found in the package (or next to the bundle),
  // its sweep run to a chart with one dot per point.
  await p.locator('#w-sizing').scrollIntoViewIfNeeded();
  await p.locator('#w-sizing [data-testid="widget"][data-state="done"]').waitFor({ timeout: 120000 });
  assert.equal(await p.locator('#w-sizing [data-testid="sz-chart"] .sz-dot').count(), 3);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await p.screenshot({ path: path.join(ARTIFACTS, `package-${name}.png`) });
}

/** No console errors, no failed requests, nothing asked for outside the sub-path. */
function clean(log, base) {
  assert.deepEqual(log.errors, [], 'console errors');
  assert.deepEqual(log.failures, [], 'failed requests');
  assert.deepEqual(log.requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:')), [], 'requests outside the sub-path');
}

test('a plain page loading node_modules/lambdascape-widget/embed.js under a sub-path: widgets draw and play, a sizing sweep runs', async () => {
  const base = await serveUnder(site, PREFIX);
  const { p, context, log } = await open(base + 'plain.html');
  await drawsAndPlays(p, 'plain');
  clean(log, base);
  const pkg = `${base}node_modules/lambdascape-widget/`;
  assert.equal(log.requests.filter((u) => u === `${pkg}lambdascape-embed_bg.wasm`).length, 1, 'the wasm, once, from the package folder');
  assert.ok(log.requests.includes(`${pkg}scenarios/mixed-subnets.json`), 'presets from the package folder');
  await context.close();
});

test("an esbuild bundle of `import 'lambdascape-widget'` under a sub-path: widgets draw and play, a sizing sweep runs", async () => {
  const result = await buildBundle();
  assert.deepEqual([...result.errors, ...result.warnings], [], 'esbuild: no errors or warnings');
  const bundle = fs.readFileSync(path.join(bundleDir, 'assets/page.js'), 'utf8');
  assert.match(bundle, /customElements\.define\("lambdascape-widget"/, "embed.js's code is in the bundle");
  assert.match(bundle, /import\.meta\.url/, 'it finds its files through the import.meta.url of the bundle');
  const base = await serveUnder(bundleDir, PREFIX);
  const { p, context, log } = await open(base);
  assert.equal(await p.evaluate(() => document.documentElement.dataset.bundled), 'yes', 'the bundle ran');
  await drawsAndPlays(p, 'esbuild');
  clean(log, base);
  assert.ok(!log.requests.some((u) => u.endsWith('/embed.js')), 'embed.js itself is not loaded: it is in the bundle');
  assert.equal(log.requests.filter((u) => u === `${base}assets/lambdascape-embed_bg.wasm`).length, 1, 'the wasm, once, from next to the bundle');
  assert.ok(log.requests.includes(`${base}assets/scenarios/seed-burst-5000.json`), 'presets from next to the bundle');
  await context.close();
});

test('under a strict Content-Security-Policy (both pages): no violations', async (t) => {
  await buildBundle();
  const counts = {};
  const failures = [];
  for (const [name, dir, file] of [['plain', site, 'plain.html'], ['esbuild', bundleDir, '']]) {
    const base = await serveUnder(dir, PREFIX, { 'content-security-policy': CSP });
    const start = Date.now();
    const { p, context, log } = await open(base + file, { csp: true });
    try {
      await drawsAndPlays(p, `${name}-csp`);
    } catch (e) {
      failures.push(`${name}: ${e.message}`);
    }
    const events = await p.evaluate(() => window.__csp ?? []);
    counts[name] = { events: events.length, console: log.csp.length };
    const kinds = [...new Set(events)].slice(0, 6);
    const said = [...new Set(log.csp.map((m) => m.slice(0, 160)))].slice(0, 3);
    const line = `CSP ${name}: ${events.length} violations in about ${Math.round((Date.now() - start) / 1000)} s of loading and playing, ${log.csp.length} console messages; ${JSON.stringify(kinds)}; console: ${JSON.stringify(said)}`;
    t.diagnostic(line);
    await context.close();
  }
  assert.deepEqual(failures, [], 'the widgets draw and play under the CSP');
  for (const [name, c] of Object.entries(counts)) assert.deepEqual(c, { events: 0, console: 0 }, `${name}: CSP violations`);
});

test('index.d.ts type-checks (tsc): the element, its attributes and JSX; wrong values fail', async (t) => {
  let tsc;
  try {
    tsc = path.join(path.dirname(rootRequire.resolve('typescript/package.json')), 'bin/tsc');
  } catch {
    t.skip('typescript is not installed (npm ci)');
    return;
  }
  const dir = path.join(site, 'types');
  fs.mkdirSync(dir, { recursive: true });
  // A stand-in for @types/react 19's JSX layout (JSX in the React namespace, re-exported by
  // react/jsx-runtime), for the 'lambdascape-widget/react' entry; no network for the real one.
  const react = path.join(site, 'node_modules/react');
  fs.mkdirSync(react, { recursive: true });
  fs.writeFileSync(path.join(react, 'package.json'), JSON.stringify({ name: 'react', version: '0.0.0-stub', types: 'index.d.ts' }));
  fs.writeFileSync(path.join(react, 'index.d.ts'), `export = React;
export as namespace React;
declare namespace React {
  type Key = string | number | bigint;
  interface Attributes { key?: Key | null | undefined }
  interface RefAttributes<T> extends Attributes { ref?: ((instance: T | null) => void) | { current: T | null } | null }
  interface ClassAttributes<T> extends RefAttributes<T> {}
  interface CSSProperties { color?: string; display?: string }
  interface ReactElement { type: unknown; props: unknown; key: string | null }
  type ReactNode = string | number | boolean | null | undefined | ReactElement | Iterable<ReactNode>;
  interface DOMAttributes<T> { children?: ReactNode; onClick?: (event: { currentTarget: T }) => void }
  interface HTMLAttributes<T> extends DOMAttributes<T> { className?: string; id?: string; style?: CSSProperties; title?: string; hidden?: boolean; slot?: string }
  type DetailedHTMLProps<E extends HTMLAttributes<T>, T> = ClassAttributes<T> & E;
  namespace JSX {
    interface Element extends ReactElement {}
    interface ElementChildrenAttribute { children: {} }
    interface IntrinsicAttributes extends Attributes {}
    interface IntrinsicElements { div: DetailedHTMLProps<HTMLAttributes<HTMLDivElement>, HTMLDivElement> }
  }
}
`);
  fs.writeFileSync(path.join(react, 'jsx-runtime.d.ts'), `import * as React from './';
export namespace JSX {
  interface Element extends React.JSX.Element {}
  interface ElementChildrenAttribute extends React.JSX.ElementChildrenAttribute {}
  interface IntrinsicAttributes extends React.JSX.IntrinsicAttributes {}
  interface IntrinsicElements extends React.JSX.IntrinsicElements {}
}
export function jsx(type: unknown, props: unknown, key?: React.Key): React.ReactElement;
export function jsxs(type: unknown, props: unknown, key?: React.Key): React.ReactElement;
`);
  const files = {
    'good.ts': `import 'lambdascape-widget';
import type { LambdascapeWidget, LambdascapeWidgetAttributes, LambdascapeView } from 'lambdascape-widget';
const found: LambdascapeWidget | null = document.querySelector('lambdascape-widget');
found?.refreshOptions();
const made = document.createElement('lambdascape-widget');
made.refreshOptions();
const Ctor = customElements.get('lambdascape-widget');
if (Ctor) {
  const w: LambdascapeWidget = new Ctor();
  console.log(w, Ctor.observedAttributes.includes('view'));
}
const views: LambdascapeView[] = ['topology', 'chart', 'timeline', 'full', 'compare', 'sizing'];
const all: LambdascapeWidgetAttributes = {
  scenario: 'presets/mixed-subnets', view: 'chart', chart: 'cold-starts', autoplay: true,
  speed: '10x', start: '1m30s', controls: 'minimal', theme: 'auto', height: '60vh',
};
const others: LambdascapeWidgetAttributes[] = [
  { scenario: '../scenarios/mine.json', speed: 10, start: '01:30', height: 420, controls: 'none', theme: 'dark' },
  { scenario: 'https://example.org/s.json', speed: '0.5', start: 90, height: '420px', controls: 'full', theme: 'light', autoplay: 'false' },
  { start: '2m' }, { start: '500ms' }, { start: '1:00:00' }, { start: '1h' }, { height: '30em' }, { chart: 'subnet-timeouts' },
  { view: 'sizing', sweep: '--vary provisioned=0..100:10 --seeds 3 --target-p99 200' },
  { view: 'sizing', sweep: '{"axes":["memory=512,1024"],"seeds":2}' },
];
for (const [k, v] of Object.entries(all)) made.setAttribute(k, String(v));
console.log(views, others);
`,
    'good.tsx': `import 'lambdascape-widget';
declare global { namespace JSX { interface Element {} } } // the framework's element type
export const figures = [
  <lambdascape-widget scenario="presets/mixed-subnets" view="topology" autoplay speed="20" />,
  <lambdascape-widget scenario="presets/seed-burst-5000" view="chart" chart="concurrency" controls="none" theme="dark" height={320} start="2m" />,
  <lambdascape-widget id="inline" className="figure" data-note="any data-* attribute" aria-label="a figure" view="full" autoplay={false} speed={20}>{'{"version": 1}'}</lambdascape-widget>,
  <lambdascape-widget scenario="presets/pc-vs-cold-starts" view="sizing" sweep="--vary provisioned=0..100:25 --seeds 3" />,
];
`,
    'good-react.tsx': `import type {} from 'lambdascape-widget/react';
export const a = <lambdascape-widget scenario="presets/mixed-subnets" view="compare" className="x" style={{ display: 'block' }} onClick={(e) => e.currentTarget.refreshOptions()} />;
export const b = <div><lambdascape-widget view="timeline" theme="auto" height="60vh" /></div>;
`,
    'bad.tsx': `import 'lambdascape-widget';
declare global { namespace JSX { interface Element {} } }
export const bad = <lambdascape-widget scenario="presets/mixed-subnets" view="map" />;
`,
    'bad.ts': `import type { LambdascapeWidgetAttributes } from 'lambdascape-widget';
export const a: LambdascapeWidgetAttributes = { theme: 'blue' };
export const b: LambdascapeWidgetAttributes = { controls: 'some' };
export const c: LambdascapeWidgetAttributes = { height: 'tall' };
export const d: LambdascapeWidgetAttributes = { sweep: 'provisioned=0..100:10' };
`,
    'bad-react.tsx': `import type {} from 'lambdascape-widget/react';
export const bad = <lambdascape-widget view="chart" chart="pie" />;
`,
  };
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  const options = { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'dom.iterable'], skipLibCheck: false, types: [] };
  const check = (name, files, jsx) => {
    fs.writeFileSync(path.join(dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...options, jsx }, files }));
    const r = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${name}.json`, '--pretty', 'false'], { cwd: dir });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const good = check('good', ['good.ts', 'good.tsx'], 'preserve');
  assert.equal(good.status, 0, `good.ts and good.tsx type-check:\n${good.out}`);
  const goodReact = check('good-react', ['good-react.tsx'], 'react-jsx');
  assert.equal(goodReact.status, 0, `good-react.tsx type-checks:\n${goodReact.out}`);
  const bad = check('bad-jsx', ['bad.tsx'], 'preserve');
  assert.notEqual(bad.status, 0, 'view="map" fails');
  assert.match(bad.out, /bad\.tsx.*"map"/s, bad.out);
  const badTs = check('bad-ts', ['bad.ts'], 'preserve');
  assert.notEqual(badTs.status, 0);
  for (const v of ['blue', 'some', 'tall', 'provisioned=0..100:10']) assert.match(badTs.out, new RegExp(`"${v}"`), badTs.out);
  const badReact = check('bad-react', ['bad-react.tsx'], 'react-jsx');
  assert.notEqual(badReact.status, 0, 'chart="pie" fails');
  assert.match(badReact.out, /"pie"/, badReact.out);
});
