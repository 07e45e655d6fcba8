// Shared helpers for the browser tests: a static server for dist/ on loopback and Debian's
// Chromium driven by playwright-core.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'tests/e2e/artifacts');
/** The CLI the tests compare the app's figures with (scripts/e2e.sh builds it): $LAMBDASCAPE_CLI,
 * else the release build in $CARGO_TARGET_DIR or target/. */
export const CLI = process.env.LAMBDASCAPE_CLI
  || [process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'release/lambdascape'), path.join(ROOT, 'target/release/lambdascape')]
    .filter(Boolean).find((p) => fs.existsSync(p))
  || path.join(ROOT, 'target/release/lambdascape');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

/** Serves `dir` (default dist/) on 127.0.0.1 at a free port; resolves to { url, close }.
 * `headers` (optional) are added to every file's response (e.g. a Content-Security-Policy);
 * with `prefix` (e.g. '/some/sub/path/') it is served under that sub-path only. */
export function serve(dir = process.env.DIST_DIR || path.join(ROOT, 'dist'), headers = {}, prefix = '/') {
  const server = http.createServer((req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    // Served under `prefix` (a sub-path such as /some/sub/path/): nothing outside it exists.
    if (!full.startsWith(prefix)) { res.writeHead(404).end('not found'); return; }
    const rel = '/' + full.slice(prefix.length);
    let file = path.normalize(path.join(dir, rel));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    // The test fixtures (tests/scenarios/) are served as library presets too, where the
    // library has no file of that name: a test opens one by its id (#scenario=<id>).
    const fixture = /^\/scenarios\/([\w-]+\.json)$/.exec(rel);
    if (fixture && !fs.existsSync(file)) file = path.join(ROOT, 'tests/scenarios', fixture[1]);
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store', ...headers });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => new Promise((r) => server.close(r)) });
  }));
}

/** Launches headless Chromium. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the app and collects console errors and page errors into `errors`; `init`, a function,
 * runs in the page before its own scripts. `shown: false` waits for the app's timeline to be in
 * the page, not on screen (a link that opens a panel over it). */
export async function openApp(browser, url, { width = 1440, height = 900, colorScheme = 'light', hash = '', init, shown = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + (hash ? '#' + hash : ''));
  await page.waitForSelector('[data-testid="sim-time"]', { timeout: 30000, state: shown ? 'visible' : 'attached' });
  return { page, context, errors };
}

export async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png') });
}

/** Current simulated time in microseconds. */
export async function nowUs(page) {
  return Number(await page.getAttribute('[data-testid="sim-time"]', 'data-now-us'));
}

/** Raw value of a figure. */
export async function figure(page, id) {
  return Number(await page.getAttribute(`[data-testid="${id}"]`, 'data-value'));
}

/** Waits until the simulated time equals `us` (seeks forward run over several frames). */
export async function waitForTime(page, us, timeout = 60000) {
  await page.waitForFunction((t) => document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-now-us') === String(t), us, { timeout });
}

/** Picks a preset and waits until it is loaded (presets are fetched) and standing at 0. */
export async function pick(page, id) {
  const title = JSON.parse(fs.readFileSync(path.join(ROOT, 'www/scenarios', `${id}.json`), 'utf8')).title;
  await page.selectOption('[data-testid="scenario-picker"]', id);
  await page.waitForFunction((t) => document.querySelector('.scenario-title')?.textContent === t, title, { timeout: 60000 });
  await waitForTime(page, 0);
}

/** Runs in the page (`page.evaluate(countWorkers)` or `context.addInitScript(countWorkers)`):
 * counts the Web Workers the page starts and terminates, in `window.workerCount`. */
export function countWorkers() {
  const W = window.Worker;
  window.workerCount = { started: 0, terminated: 0 };
  window.Worker = class extends W {
    constructor(...a) { super(...a); window.workerCount.started++; }
    terminate() { window.workerCount.terminated++; super.terminate(); }
  };
}

/** Runs in the page on a sizing table's rows (`[data-testid="sz-table"] tbody tr`): each row's
 * exact figures from its data attributes, and its cells' text. */
export function sizingRows(trs) {
  return trs.map((tr) => ({
    point: Number(tr.dataset.point),
    levels: tr.dataset.levels,
    runs: Number(tr.dataset.runs),
    cost: Number(tr.dataset.cost),
    p50: Number(tr.dataset.p50),
    p99: Number(tr.dataset.p99),
    throttles: Number(tr.dataset.throttles),
    cold: Number(tr.dataset.cold),
    pareto: tr.dataset.pareto === 'true',
    meets: tr.dataset.meets === 'true',
    cheapest: tr.dataset.cheapest === 'true',
    text: [...tr.cells].map((c) => c.textContent.trim()),
  }));
}

/** Two figures equal but for floating-point rounding (relative 1e-9). */
export const closeTo = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** Moves the scrub bar to `seconds` the way a user drag does (input event). */
export async function scrubTo(page, seconds) {
  await page.evaluate((s) => {
    const el = document.querySelector('[data-testid="scrub"]');
    el.value = String(s);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, seconds);
  await waitForTime(page, seconds * 1_000_000);
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xEDB88320 & -(c & 1));
  }
  return (~c >>> 0).toString(16).padStart(8, '0');
}

/** A v1 share link fragment (`s=v1.…`) for `state`, as crates/engine/src/share.rs writes it. */
export function linkOf(state) {
  const json = Buffer.from(JSON.stringify(state));
  return `s=v1.${zlib.deflateSync(json, { level: 9 }).toString('base64url')}.${crc32(json)}`;
}

/** The JSON inside a share link. */
export function stateOf(link) {
  const [, data] = /#s=v1\.([A-Za-z0-9_-]+)\.[0-9a-f]{8}$/.exec(link);
  return JSON.parse(zlib.inflateSync(Buffer.from(data, 'base64url')).toString());
}
