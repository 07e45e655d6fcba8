// End-to-end test of the sizing widget (`<lambdascape-widget view="sizing" sweep="…">`: www/embed.js
// fetches crates/sizing only for it). One page, served under a sub-path with a strict Content
// Security Policy, holds two sizing widgets (the sweep as the CLI's flags and as JSON), a normal
// widget and two with a bad sweep: both sweeps run in Web Workers once on screen and their points
// are `lambdascape sweep --json`'s, point by point; a click shows a point's figures; each bad
// sweep says what is wrong; no console error, no CSP violation. A page without a sizing widget
// does not fetch the sizing module.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ARTIFACTS, serve, launch, CLI, countWorkers, sizingRows, closeTo } from './harness.mjs';

const PREFIX = '/docs/lambdascape/';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";
const ID = 'pc-vs-cold-starts';
// The same two sweeps for the widgets and the CLI.
const A = { flags: '--vary provisioned=0..100:25 --seeds 2 --target-p99 1930 --max-throttles 0',
  cli: ['--vary', 'provisioned=0..100:25', '--seeds', '2', '--target-p99', '1930', '--max-throttles', '0'] };
const B = { json: '{"function":"checkout-api","axes":["memory=512,1024,2048,3008"],"seeds":2,"target":{"p99_ms":1500}}',
  cli: ['--function', 'checkout-api', '--vary', 'memory=512,1024,2048,3008', '--seeds', '2', '--target-p99', '1500'] };

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    <title>Two sizing widgets and a topology</title>
    <link rel="stylesheet" href="sizing-page.css" />
    <script type="module" src="embed.js"></script>
  </head>
  <body>
    <h1>Sizing provisioned concurrency</h1>
    <lambdascape-widget id="s1" scenario="presets/${ID}" view="sizing" sweep="${A.flags}"></lambdascape-widget>
    <lambdascape-widget id="w" scenario="presets/mixed-subnets" view="topology"></lambdascape-widget>
    <lambdascape-widget id="bad" scenario="presets/${ID}" view="sizing" sweep="--vary provisioned=0..100 --seeds 2"></lambdascape-widget>
    <lambdascape-widget id="bad-fn" scenario="presets/${ID}" view="sizing" sweep='{"function":"nope","axes":["memory=512"]}'></lambdascape-widget>
    <div class="spacer"></div>
    <lambdascape-widget id="s2" scenario="presets/${ID}" view="sizing" sweep='${B.json}' theme="dark"></lambdascape-widget>
  </body>
</html>`;
const PLAIN = `<!doctype html><html lang="en"><head><meta charset="utf-8" /><link rel="icon" href="data:," />
  <script type="module" src="embed.js"></script></head><body>
  <lambdascape-widget id="w" scenario="presets/mixed-subnets" view="topology"></lambdascape-widget></body></html>`;

let server, browser, context;
const errors = [];
const violations = [];
const requests = [];

before(async () => {
  server = await serve(undefined, { 'content-security-policy': CSP }, PREFIX);
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' });
  // The test pages, as if they were files next to embed.js, under the same policy.
  const html = (body) => (route) => route.fulfill({ body, headers: { 'content-type': 'text/html', 'content-security-policy': CSP } });
  await context.route(`${server.url}sizing-page.html`, html(PAGE));
  await context.route(`${server.url}plain-page.html`, html(PLAIN));
  await context.route(`${server.url}sizing-page.css`, (r) => r.fulfill({ body: 'body { font-family: Georgia, serif; max-width: 900px; margin: 0 auto; padding: 0 12px; } .spacer { height: 1400px; }', headers: { 'content-type': 'text/css' } }));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await context.addInitScript(countWorkers);
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

function open(file) {
  return context.newPage().then(async (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(server.url + file);
    return page;
  });
}

function cliSweep(args) {
  const out = execFileSync(CLI, ['sweep', path.join('www/scenarios', `${ID}.json`), ...args, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.toString());
}

/** A sizing widget's table rows. */
function rows(page, id) {
  return page.locator(`#${id} [data-testid="sz-table"] tbody tr`).evaluateAll(sizingRows);
}


function sameAsCli(got, cli, id) {
  assert.equal(got.length, cli.points.length, `${id}: points`);
  for (const [i, c] of cli.points.entries()) {
    const r = got[i];
    const name = `${id} point ${i} (${r.levels})`;
    assert.equal(r.levels, c.levels.join(','), name);
    assert.equal(r.runs, c.runs, name);
    for (const [k, f] of [['cost', 'cost_usd'], ['p50', 'latency_p50_ms'], ['p99', 'latency_p99_ms'], ['throttles', 'throttles'], ['cold', 'cold_starts']]) {
      assert.ok(closeTo(r[k], c[f].mean), `${name}: ${f} widget ${r[k]}, CLI ${c[f].mean}`);
    }
    assert.equal(r.pareto, c.pareto, `${name}: front`);
    assert.equal(r.meets, c.meets_target, `${name}: meets the target`);
    assert.equal(r.cheapest, cli.cheapest === i, `${name}: cheapest`);
  }
}

const widget = (id, state) => `#${id} [data-testid="widget"]${state ? `[data-state="${state}"]` : ''}`;

test('two sizing widgets and a topology on one page: each sweep is the CLI\'s, run once on screen', async () => {
  const page = await open('sizing-page.html');
  // The normal widget draws; the first sweep runs (on screen) and shows its progress.
  await page.locator('#w svg.topology-svg').waitFor({ timeout: 30000 });
  await page.locator(`${widget('s1', 'running')} [data-testid="sz-progress"]`).waitFor({ timeout: 60000 });
  // The second is below the fold: it waits, saying so, and starts no worker of its own.
  await page.locator(widget('s2', 'waiting')).waitFor();
  assert.match(await page.locator('#s2 [data-testid="sz-waiting"]').textContent(), /The sweep's 8 runs start when this figure is on screen/);
  await page.locator(widget('s1', 'done')).waitFor({ timeout: 120000 });
  sameAsCli(await rows(page, 's1'), cliSweep(A.cli), 's1');
  assert.equal(await page.locator(widget('s2', 'waiting')).count(), 1, 's2 still waits off screen');
  await page.locator('#s1').screenshot({ path: path.join(ARTIFACTS, 'sizing-widget-01-light.png') });
  await page.locator('#s2').scrollIntoViewIfNeeded();
  await page.locator(widget('s2', 'done')).waitFor({ timeout: 120000 });
  const cliB = cliSweep(B.cli);
  sameAsCli(await rows(page, 's2'), cliB, 's2');
  assert.equal(await page.locator('#s2 [data-testid="sz-chart"] .sz-dot').count(), cliB.points.filter((p) => !p.error).length);
  // Its note (2,048 and 3,008 MB: one thread's CPU work is no faster above one vCPU) is the CLI's.
  assert.equal(cliB.notes.length, 1);
  assert.match(cliB.notes[0], /2048 MB and 3008 MB/);
  assert.deepEqual(await page.locator('#s2 [data-testid="sz-note"]').allTextContents(), cliB.notes);
  assert.equal(await page.locator('#s2 [data-testid="widget"]').getAttribute('data-theme'), 'dark');
  await page.locator('#s2').screenshot({ path: path.join(ARTIFACTS, 'sizing-widget-02-dark.png') });
  // Every worker let go once its table was made; at most 4 per sweep.
  // (Polled with page.evaluate: waitForFunction evals its predicate, which the policy refuses.)
  for (let k = 0; ; k++) {
    const c = await page.evaluate(() => window.workerCount);
    if (c.started > 0 && c.started === c.terminated) break;
    assert.ok(k < 100, `workers left running: ${JSON.stringify(c)}`);
    await page.waitForTimeout(100);
  }
  assert.ok(await page.evaluate(() => window.workerCount.started) <= 8);
  // The sizing module was fetched from next to embed.js (under the sub-path): its wasm once, by
  // the page, which hands the workers the compiled module; its JS by the page and each worker.
  const workers = await page.evaluate(() => window.workerCount.started);
  const fetched = requests.filter((u) => /sizing/.test(u)).join(', ');
  assert.equal(requests.filter((u) => u === `${PREFIX}lambdascape-sizing_bg.wasm`).length, 1, fetched);
  assert.equal(requests.filter((u) => u === `${PREFIX}lambdascape-sizing.js`).length, 1 + workers, fetched);
  assert.deepEqual(requests.filter((u) => !u.startsWith(PREFIX)), [], 'nothing outside the sub-path');
  // The bad sweeps say what and where, in their own widgets.
  const bad = await page.locator('#bad [data-testid="widget-error"]').textContent();
  assert.match(bad, /This widget's attributes are not valid/);
  assert.match(bad, /sweep="--vary provisioned=0\.\.100 --seeds 2": --vary provisioned: a range needs a step/);
  const badFn = await page.locator('#bad-fn [data-testid="widget-error"]').textContent();
  assert.match(badFn, /sweep: .*nope/);
  await page.locator('#bad').screenshot({ path: path.join(ARTIFACTS, 'sizing-widget-03-bad.png') });
  assert.deepEqual(errors, []);
  assert.deepEqual(violations, []);
  await page.close();
});

test('a click on a point shows its figures; a narrow widget keeps the essential columns', async () => {
  const page = await open('sizing-page.html');
  await page.locator(widget('s1', 'done')).waitFor({ timeout: 120000 });
  const cli = cliSweep(A.cli);
  const i = cli.points.findIndex((p) => p.levels[0] === 50);
  await page.locator(`#s1 [data-testid="sz-chart"] g.sz-pt[data-point="${i}"] .sz-dot`).click({ force: true });
  const picked = page.locator('#s1 [data-testid="sz-picked"]');
  await picked.waitFor();
  assert.equal(await picked.getAttribute('data-picked'), String(i));
  assert.match(await picked.textContent(), /^provisioned=50: \d+\.\d{4}/);
  assert.equal(await page.locator(`#s1 tr.picked[data-point="${i}"]`).count(), 1);
  // A row picks too.
  await page.locator('#s1 [data-testid="sz-table"] tbody tr[data-point="0"]').click();
  await page.locator('#s1 [data-testid="sz-picked"][data-picked="0"]').waitFor();
  await page.locator('#s1').screenshot({ path: path.join(ARTIFACTS, 'sizing-widget-04-picked.png') });
  // At phone width: no column cut, the chart fits.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const fit = await page.locator('#s1').evaluate((el) => {
    const root = el.shadowRoot;
    const wrap = root.querySelector('.sz-table-wrap');
    const chart = root.querySelector('.sz-figure.narrow .sz-chart').getBoundingClientRect();
    return { wrap: [wrap.scrollWidth, wrap.clientWidth], chart: chart.width, host: el.getBoundingClientRect().width,
      hidden: [...root.querySelectorAll('.sz-table thead th')].filter((th) => getComputedStyle(th).display === 'none').length };
  });
  assert.ok(fit.wrap[0] <= fit.wrap[1] + 1, `the table fits: ${JSON.stringify(fit)}`);
  assert.ok(fit.chart > 200 && fit.chart <= fit.host, `the narrow chart shows and fits: ${JSON.stringify(fit)}`);
  assert.equal(await page.locator('#s1 .sz-figure.wide').isVisible(), false, 'the wide chart gives way');
  assert.equal(fit.hidden, 3, 'p50, cold starts and the notes give way');
  await page.locator('#s1').screenshot({ path: path.join(ARTIFACTS, 'sizing-widget-05-phone.png') });
  assert.deepEqual(errors, []);
  assert.deepEqual(violations, []);
  await page.close();
});

test('a page without a sizing widget does not fetch the sizing module', async () => {
  requests.length = 0;
  const page = await open('plain-page.html');
  await page.locator('#w svg.topology-svg').waitFor({ timeout: 30000 });
  await page.waitForTimeout(300);
  assert.deepEqual(requests.filter((u) => /sizing/.test(u)), []);
  assert.deepEqual(errors, []);
  await page.close();
});

fs.mkdirSync(ARTIFACTS, { recursive: true });
