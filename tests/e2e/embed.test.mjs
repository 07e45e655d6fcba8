// End-to-end tests of the embeddable widget (www/embed.js, crates/embed): the dist built by
// scripts/e2e.sh, served under a sub-path (/lambdascape/) to prove relative URLs, with the example
// docs page (www/examples/docs.html: three widgets, an iframe, hostile page CSS, and a compare
// table of the compute modes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, ARTIFACTS, launch, CLI } from './harness.mjs';

const PREFIX = '/lambdascape/';
const DIST = process.env.DIST_DIR || path.join(ROOT, 'dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
let server, base, browser, context, page;
/** Console errors and HTTP failures of the docs page, and every path requested. */
const errors = [];
const failures = [];
const requested = [];
/** Paths the docs page itself (not its iframe, a document of its own) requested. */
const mainFrameRequests = [];

/** Serves dist/ under /lambdascape/ only: anything outside the sub-path is a 404. */
function serveSubPath() {
  const srv = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requested.push(p);
    if (!p.startsWith(PREFIX)) { res.writeHead(404).end('outside the sub-path'); return; }
    let file = path.normalize(path.join(DIST, p.slice(PREFIX.length)));
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(data);
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

async function shot(p, name, opts = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await p.screenshot({ path: path.join(ARTIFACTS, name + '.png'), ...opts });
}

/** A widget's simulated time (µs), read in its shadow root. */
function timeOf(p, id) {
  return p.evaluate((id) => Number(document.getElementById(id)?.shadowRoot?.querySelector('[data-testid="widget"]')?.dataset.nowUs ?? NaN), id);
}

async function waitTime(p, id, pred, timeout = 20000) {
  await p.waitForFunction(([id, src]) => {
    const t = Number(document.getElementById(id)?.shadowRoot?.querySelector('[data-testid="widget"]')?.dataset.nowUs ?? NaN);
    return new Function('t', `return ${src}`)(t);
  }, [id, pred], { timeout });
}

/** Presses a widget's play button if it is paused. */
async function playIfPaused(p, id) {
  if (await p.locator(`#${id} [data-testid="play"][aria-pressed="false"]`).count()) await p.locator(`#${id} [data-testid="play"]`).click();
}

/** Waits until a widget shows its simulation (not loading, not an error). */
async function ready(p, id) {
  await p.locator(`#${id} [data-testid="widget"]:not(.lsw-loading):not(.lsw-failed)`).waitFor({ timeout: 30000 });
}

before(async () => {
  server = await serveSubPath();
  base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`); });
  page.on('request', (r) => { if (r.frame() === page.mainFrame()) mainFrameRequests.push(new URL(r.url()).pathname); });
  await page.goto(base + 'examples/docs.html');
});

after(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

test('the three widgets render from a sub-path, each its own app in a shadow root', async () => {
  for (const id of ['w-topology', 'w-chart', 'w-full']) await ready(page, id);
  assert.ok(await page.locator('#w-topology [data-testid="dots-canvas"]').count() === 1, 'topology view draws the dots');
  assert.equal(await page.locator('#w-chart figure.chart').count(), 1, 'chart view shows one chart');
  assert.equal(await page.locator('#w-chart figure.chart').getAttribute('data-chart'), 'concurrency');
  assert.ok(await page.locator('#w-full figure.chart').count() >= 4, 'full view shows the charts');
  assert.equal(await page.locator('#w-full [data-testid="narrative"]').count(), 1, 'full view shows the narrative');
  assert.equal(await page.locator('#w-full .lsw-root').getAttribute('data-theme'), 'dark', 'theme="dark"');
  assert.equal(await page.locator('#w-topology .lsw-root').getAttribute('data-theme'), 'light', 'theme auto follows the light page');
  // Fetched and compiled once for the page, all from the sub-path.
  const wasmLoads = mainFrameRequests.filter((p) => p.endsWith('lambdascape-embed_bg.wasm'));
  assert.equal(wasmLoads.length, 1, `the wasm is fetched once for the three widgets: ${wasmLoads}`);
  assert.deepEqual(requested.filter((p) => !p.startsWith(PREFIX)), [], 'nothing is requested outside the sub-path');
  await shot(page, 'embed-01-docs-top');
});

test('a widget below the fold does not run until scrolled to, and pauses when it leaves', async () => {
  await waitTime(page, 'w-topology', 't > 2e6'); // autoplay, on screen
  await page.waitForTimeout(1200);
  assert.equal(await timeOf(page, 'w-full'), 0, 'the widget below the fold stays at 0');
  await page.locator('#w-full').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('w-full').scrollIntoView({ block: 'center' }));
  await waitTime(page, 'w-full', 't > 1e6');
  // The topology widget is now off screen: paused.
  const t1 = await timeOf(page, 'w-topology');
  await page.waitForTimeout(800);
  assert.equal(await timeOf(page, 'w-topology'), t1, 'off screen, the topology widget is paused');
  await shot(page, 'embed-02-full-widget');
});

test('widgets play independently: playing one leaves the others as they were', async () => {
  await page.evaluate(() => document.getElementById('w-chart').scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(300);
  const before = { topo: await timeOf(page, 'w-topology'), chart: await timeOf(page, 'w-chart') };
  assert.equal(before.chart, 0, 'the chart widget has no autoplay');
  await page.locator('#w-chart [data-testid="play"]').click();
  await waitTime(page, 'w-chart', 't > 3e6');
  await page.locator('#w-chart [data-testid="play"]').click(); // pause
  const t = { topo: await timeOf(page, 'w-topology'), chart: await timeOf(page, 'w-chart'), full: await timeOf(page, 'w-full') };
  assert.ok(t.chart > 3e6, `chart ${t.chart}`);
  assert.equal(new Set([t.topo, t.chart, t.full]).size, 3, `three different times: ${JSON.stringify(t)}`);
  await page.waitForTimeout(500);
  assert.equal(await timeOf(page, 'w-chart'), t.chart, 'paused stays paused');
  await shot(page, 'embed-03-chart-played');
});

test("a widget's controls, chart readout and narrative work, and it keeps its elements while it plays", async () => {
  // The full widget's timeline: step, home, the scrub bar.
  await page.evaluate(() => document.getElementById('w-full').scrollIntoView({ block: 'center' }));
  const full = page.locator('#w-full');
  if (await full.locator('[data-testid="play"][aria-pressed="true"]').count()) await full.locator('[data-testid="play"]').click();
  await full.locator('[data-testid="home"]').click();
  await waitTime(page, 'w-full', 't === 0');
  await full.locator('[data-testid="step-forward"]').click();
  await waitTime(page, 'w-full', 't > 0');
  await full.locator('[data-testid="scrub"]').fill('30');
  await waitTime(page, 'w-full', 't === 30e6');
  // A narrative entry shows its moment.
  const entry = full.locator('.log-entry button').first();
  const label = await entry.getAttribute('aria-label');
  await entry.click();
  await full.locator('.log-entry.selected').waitFor();
  const [h, m, sec] = label.slice(0, 8).split(':').map(Number);
  assert.ok(Math.abs((await timeOf(page, 'w-full')) - (h * 3600 + m * 60 + sec) * 1e6) < 1e6, `seeks to ${label}`);
  // The mouse over a chart reads its values (up to now); off it, the readout goes.
  await full.locator('[data-testid="scrub"]').fill('240');
  await waitTime(page, 'w-full', 't === 240e6');
  const canvas = full.locator('.chart-canvas').first();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await full.locator('.readout').waitFor();
  assert.match(await full.locator('.readout').textContent(), /sim/);
  await page.mouse.move(box.x - 40, box.y - 40);
  await full.locator('.readout').waitFor({ state: 'detached' });
  // While it plays, the picture is updated in place: its elements stay (animations and hover
  // carry on), only what changed is rewritten.
  await full.locator('[data-testid="play"]').click();
  await full.evaluate((w) => { w.shadowRoot.querySelector('svg.topology-svg').kept = 'yes'; });
  const t0 = await timeOf(page, 'w-full');
  await waitTime(page, 'w-full', `t > ${t0} + 2e6`);
  assert.equal(await full.evaluate((w) => w.shadowRoot.querySelector('svg.topology-svg')?.kept), 'yes', 'the same svg element');
  await full.locator('[data-testid="play"]').click();
});

test('a paused widget draws again at its new size when the page is resized', async () => {
  await page.evaluate(() => document.getElementById('w-topology').scrollIntoView({ block: 'center' }));
  const topo = page.locator('#w-topology');
  if (await topo.locator('[data-testid="play"][aria-pressed="true"]').count()) await topo.locator('[data-testid="play"]').click();
  const width = () => topo.evaluate((w) => Number(w.shadowRoot.querySelector('svg.topology-svg')?.getAttribute('width')));
  const before = await width();
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 700, height: viewport.height });
  await page.waitForFunction((b) => {
    const w = Number(document.getElementById('w-topology').shadowRoot.querySelector('svg.topology-svg')?.getAttribute('width'));
    return w > 0 && w < b - 100;
  }, before);
  await page.setViewportSize(viewport);
  await page.waitForFunction((b) => Number(document.getElementById('w-topology').shadowRoot.querySelector('svg.topology-svg')?.getAttribute('width')) === b, before);
});

test("the page's hostile CSS does not change a widget", async () => {
  // The page's CSS is in force outside the widgets...
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('p')).fontSize), '40px');
  // ...and the same widget on a clean page looks the same.
  const measure = (p) => p.evaluate(() => {
    const sr = document.getElementById('w-chart').shadowRoot;
    const root = sr.querySelector('.lsw-root').getBoundingClientRect();
    const cs = (sel) => { const el = sr.querySelector(sel); const s = getComputedStyle(el); return [s.fontSize, s.fontFamily, s.display, s.letterSpacing, s.color, s.borderTopWidth]; };
    const canvas = sr.querySelector('canvas').getBoundingClientRect();
    return { root: [Math.round(root.width), Math.round(root.height)], canvas: [Math.round(canvas.width), Math.round(canvas.height)],
      title: cs('.chart-title'), time: cs('.tl-time'), play: cs('[data-testid="play"]'), div: cs('.lsw-body') };
  });
  const width = await page.evaluate(() => document.getElementById('w-chart').getBoundingClientRect().width);
  const clean = await context.newPage();
  const cleanErrors = [];
  clean.on('console', (m) => { if (m.type() === 'error') cleanErrors.push(m.text()); });
  await clean.goto(base + 'embed.html'); // an origin for the clean page; then replace its content
  await clean.setContent(`<!doctype html><html><head><link rel="icon" href="data:,"><script type="module" src="${base}embed.js"></script></head>
    <body style="margin:0"><section style="width:${width}px"><lambdascape-widget id="w-chart" scenario="presets/seed-burst-5000" view="chart" chart="concurrency" speed="30"></lambdascape-widget></section></body></html>`);
  await ready(clean, 'w-chart');
  await clean.waitForTimeout(300);
  // Compare with the docs page's chart widget at the same instant (0).
  await page.locator('#w-chart').evaluate((w) => w.setAttribute('start', '0'));
  const hostile = await measure(page);
  const calm = await measure(clean);
  assert.deepEqual(hostile, calm, 'computed styles and sizes inside the widget');
  assert.equal(hostile.title[0], '14px');
  await clean.locator('#w-chart').screenshot({ path: path.join(ARTIFACTS, 'embed-04-clean-page-widget.png') });
  await page.locator('#w-chart').screenshot({ path: path.join(ARTIFACTS, 'embed-04-hostile-page-widget.png') });
  assert.deepEqual(cleanErrors, []);
  await clean.close();
});

test('attribute changes update the widget without restarting it', async () => {
  await page.evaluate(() => document.getElementById('w-topology').scrollIntoView({ block: 'center' }));
  await waitTime(page, 'w-topology', 't > 4e6');
  const w = page.locator('#w-topology');
  await w.evaluate((el) => el.setAttribute('theme', 'dark'));
  await page.locator('#w-topology .lsw-root[data-theme="dark"]').waitFor();
  const t = await timeOf(page, 'w-topology');
  await w.evaluate((el) => el.setAttribute('view', 'chart'));
  await page.locator('#w-topology .lsw-view-chart figure.chart').waitFor();
  assert.ok(await timeOf(page, 'w-topology') >= t, 'the simulation carried on');
  await shot(page, 'embed-05-attribute-changed');
  await w.evaluate((el) => { el.setAttribute('view', 'topology'); el.setAttribute('theme', 'auto'); });
  await page.locator('#w-topology .lsw-view-topology[data-theme="light"]').waitFor();
});

test('a broken scenario or attribute shows its error in that widget only; the others still play', async () => {
  await page.locator('#w-chart').evaluate((el) => el.setAttribute('scenario', 'presets/nope'));
  const err = page.locator('#w-chart [data-testid="widget-error"]');
  await err.waitFor();
  assert.match(await err.innerText(), /scenario 'presets\/nope' not found \(404\)/);
  // An invalid scenario (validation errors name field paths) and a bad attribute, added now.
  await page.evaluate(() => {
    const bad = document.createElement('lambdascape-widget');
    bad.id = 'w-invalid';
    bad.innerHTML = '<script type="application/json">{"version":1,"name":"x","title":"x","seed":1,"duration":"1m","sample_interval":"1s","account":{"concurrency_limit":1000},"functions":[{"name":"f","reserved_concurrency":5000,"timeout":"10s","duration":{"type":"lognormal","mean_ms":100,"std_ms":10},"traffic":{"type":"constant","rate":-3}}]}</script>';
    const attr = document.createElement('lambdascape-widget');
    attr.id = 'w-badattr';
    attr.setAttribute('scenario', 'presets/seed-burst-5000');
    attr.setAttribute('view', 'map');
    attr.setAttribute('speed', 'fast');
    document.getElementById('w-chart').after(bad, attr);
  });
  const invalid = page.locator('#w-invalid [data-testid="widget-error"]');
  await invalid.waitFor();
  const invalidText = await invalid.innerText();
  assert.match(invalidText, /not valid/);
  assert.match(invalidText, /functions\[0\]\.reserved_concurrency: 5000 leaves fewer than 100 unreserved/, invalidText);
  assert.match(invalidText, /functions\[0\]\.traffic\.rate: -3 is not a rate/, invalidText);
  const badAttr = page.locator('#w-badattr [data-testid="widget-error"]');
  await badAttr.waitFor();
  assert.match(await badAttr.innerText(), /view="map": expected one of topology, chart, timeline, full/);
  assert.match(await badAttr.innerText(), /speed="fast"/);
  await page.evaluate(() => document.getElementById('w-chart').scrollIntoView({ block: 'start' }));
  await shot(page, 'embed-06-errors');
  // The other two still play.
  for (const id of ['w-topology', 'w-full']) {
    await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'center' }), id);
    await page.waitForTimeout(400); // back on screen: a widget that was playing when it left resumes
    const t0 = await timeOf(page, id);
    await playIfPaused(page, id);
    // (a widget that reached its end starts again from 0 on play)
    await waitTime(page, id, `Math.abs(t - ${t0}) > 1e6`);
  }
  // And a fixed attribute brings the widget back.
  await page.locator('#w-chart').evaluate((el) => el.setAttribute('scenario', 'presets/seed-burst-5000'));
  await ready(page, 'w-chart');
});

test('prefers-reduced-motion: no autoplay; theme="auto" follows a dark page; start seeks', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1, colorScheme: 'dark', reducedMotion: 'reduce' });
  const p = await ctx.newPage();
  const errs = [];
  p.on('console', (m) => { if (m.type() === 'error') errs.push(m.text()); });
  await p.goto(base + 'examples/docs.html');
  await ready(p, 'w-topology');
  assert.equal(await p.locator('#w-topology .lsw-root').getAttribute('data-theme'), 'dark', 'auto follows the dark preference');
  await p.waitForTimeout(1000);
  assert.equal(await timeOf(p, 'w-topology'), 0, 'autoplay is off under prefers-reduced-motion');
  // The page's own switch wins over the preference.
  await p.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await p.locator('#w-topology .lsw-root[data-theme="light"]').waitFor();
  // start="1m": the widget opens at 1 minute.
  await p.locator('#w-chart').evaluate((el) => el.setAttribute('start', '1m'));
  await waitTime(p, 'w-chart', 't === 60e6', 30000);
  await shot(p, 'embed-09-reduced-motion-start');
  assert.deepEqual(errs, []);
  await ctx.close();
});

test('a crash (a bug) takes out its own widget only; the others play on', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 2400 }, deviceScaleFactor: 1 });
  const p = await ctx.newPage();
  const errs = [];
  p.on('console', (m) => { if (m.type() === 'error') errs.push(m.text()); });
  await p.goto(base + 'examples/docs.html');
  for (const id of ['w-topology', 'w-full']) await ready(p, id);
  // Both play (autoplay, on screen); crash the topology widget on its next action.
  for (const id of ['w-full', 'w-topology']) {
    await p.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'center' }), id);
    await playIfPaused(p, id);
    await waitTime(p, id, 't > 0');
  }
  // The next action: a frame while it plays, or (if it has reached its end meanwhile) a click.
  await p.locator('#w-topology').evaluate((el) => {
    el.failNextActionForTests();
    el.shadowRoot.querySelector('[data-testid="play"]')?.click();
  });
  const box = p.locator('#w-topology [data-testid="widget-error"]');
  await box.waitFor();
  assert.match(await box.innerText(), /stopped after an internal error/);
  assert.match(await box.innerText(), /a crash asked for by a test/);
  assert.ok(errs.some((e) => /Lambdascape widget crashed/.test(e)), 'the crash is on the console');
  // The others go on: the full widget resumes when scrolled back to, the chart one plays.
  for (const id of ['w-full', 'w-chart']) {
    await p.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'center' }), id);
    await ready(p, id);
    await p.waitForTimeout(300);
    await playIfPaused(p, id);
    const t0 = await timeOf(p, id);
    await waitTime(p, id, `t > ${t0} + 1e6`);
  }
  // A crash while drawing (a paused widget redrawn for a new height) is contained the same way.
  await p.locator('#w-chart [data-testid="play"]').click(); // pause
  await p.locator('#w-chart').evaluate((el) => {
    el.failNextActionForTests();
    el.setAttribute('height', '320');
  });
  await p.locator('#w-chart [data-testid="widget-error"]').waitFor();
  await p.evaluate(() => document.getElementById('w-full').scrollIntoView({ block: 'center' }));
  await p.waitForTimeout(300);
  await playIfPaused(p, 'w-full'); // (it may have reached its end meanwhile)
  const t1 = await timeOf(p, 'w-full');
  await waitTime(p, 'w-full', `t > ${t1} + 1e6`);
  await p.evaluate(() => document.getElementById('w-topology').scrollIntoView({ block: 'start' }));
  await shot(p, 'embed-10-crash-contained');
  await ctx.close();
});

test('the iframe form renders', async () => {
  await page.locator('#iframe-widget').scrollIntoViewIfNeeded();
  const frame = page.frameLocator('#iframe-widget');
  await frame.locator('[data-testid="widget"] figure.chart[data-chart="throttles"]').waitFor({ timeout: 30000 });
  await shot(page, 'embed-07-iframe');
});

test('no console errors except the intentional 404', async () => {
  const not404 = errors.filter((e) => !/status of 404/.test(e));
  assert.deepEqual(not404, [], 'console errors');
  assert.deepEqual(failures.map((f) => f.replace(base, '')), ['404 scenarios/nope.json'], 'HTTP failures');
});

test("the app's embed button gives both snippets, and they work", async () => {
  const app = await context.newPage();
  const appErrors = [];
  app.on('console', (m) => { if (m.type() === 'error') appErrors.push(m.text()); });
  await app.goto(base);
  await app.waitForSelector('[data-testid="sim-time"]', { timeout: 30000 });
  await app.click('[data-testid="embed-button"]');
  await app.selectOption('[data-testid="embed-view"]', 'chart');
  const script = await app.inputValue('[data-testid="embed-script"]');
  const iframe = await app.inputValue('[data-testid="embed-iframe"]');
  assert.match(script, new RegExp(`<script type="module" src="${base}embed.js"></script>`));
  assert.match(script, /<lambdascape-widget scenario="presets\/[\w-]+" view="chart" autoplay><\/lambdascape-widget>/);
  assert.match(iframe, /<iframe src="[^"]+embed\.html\?scenario=presets\/[\w-]+&amp;view=chart/);
  await shot(app, 'embed-08-app-embed-panel');
  // The iframe's address, opened: the widget renders.
  const src = /src="([^"]+)"/.exec(iframe)[1].replaceAll('&amp;', '&');
  await app.goto(src);
  await app.locator('[data-testid="widget"] figure.chart').waitFor({ timeout: 30000 });
  assert.deepEqual(appErrors.filter((e) => !/status of 404/.test(e)), []);
  await app.close();
});

test('a compare widget shows the compute modes side by side with the CLI\'s figures and marks', async () => {
  await page.evaluate(() => document.getElementById('w-compare').scrollIntoView({ block: 'center' }));
  await page.locator('#w-compare [data-testid="compare-table"]').waitFor({ timeout: 60000 });
  // Locators reach into the widget's (open) shadow root.
  const rows = await page.locator('#w-compare [data-testid="compare-row"]').evaluateAll((trs) => trs.map((tr) => {
    const out = { name: tr.dataset.name, compute: tr.dataset.compute, best: [] };
    for (const td of tr.querySelectorAll('td[data-col]')) {
      out[td.dataset.col] = Number(td.dataset.value);
      out[`${td.dataset.col}_text`] = td.textContent;
      if (td.classList.contains('best')) out.best.push(td.dataset.col);
    }
    return out;
  }));
  const cli = JSON.parse(execFileSync(CLI, ['compare', 'www/scenarios/compute-modes-spiky-api.json', '--json'], { cwd: ROOT }).toString());
  assert.equal(rows.length, 5);
  rows.forEach((r, i) => {
    assert.equal(r.name, cli[i].name);
    assert.equal(r.compute, cli[i].compute);
    for (const f of ['invocations', 'throttles', 'cold_starts', 'restores', 'latency_p50_ms', 'latency_p99_ms', 'cost_usd']) {
      assert.equal(r[f], cli[i][f], `${r.name}: ${f} widget ${r[f]}, CLI ${cli[i][f]}`);
    }
  });
  const web = cli.findIndex((c) => c.placeholder_cost);
  assert.match(rows[web].cost_usd_text, /\*/, 'the placeholder cost is marked');
  assert.ok(!rows[web].best.includes('cost_usd'), 'and never called the lowest');
  const notes = await page.locator('#w-compare [data-testid="compare-note"]').allTextContents();
  assert.equal(notes.length, 2, notes.join('\n'));
  assert.equal(await page.locator('#w-compare [data-testid="play"]').count(), 0, 'a table has nothing to play');
  assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), [], 'no console errors but the intentional 404');
  await page.locator('#w-compare').screenshot({ path: path.join(ARTIFACTS, 'embed-05-compare.png') });
});
