// End-to-end test of the sizing panel (crates/sizing, src/components/sizing.rs): a sweep of
// provisioned concurrency on the pc-vs-cold-starts preset run in Web Workers, its table checked
// point by point against the CLI's `lambdascape sweep --json`, its chart's dots, front and
// cheapest mark against the CLI's flags; a bigger sweep cancelled (the workers go at once) and
// run again; a point clicked, and the app then plays that configuration; a share link made with
// the panel open keeps its sweep, and opens on it, run at once. The 50-point sweep of
// scripts/bench_compare.sh (one hour at 100 requests/s) is timed from a link, then run again:
// figures printed, not limits (the browser's side of that benchmark). Served with the strict
// Content Security Policy of csp.test.mjs: the workers and the chart run under it (a violation
// is a console error, which fails the test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, ARTIFACTS, serve, launch, openApp, pick, shot, CLI, linkOf, stateOf, countWorkers, sizingRows, closeTo } from './harness.mjs';

const ID = 'pc-vs-cold-starts';
const AXIS = 'provisioned=0..100:25';
const SEEDS = 2;
const TARGET_P99 = 1930;
const MAX_THROTTLES = 0;
const real = (errors) => errors.filter((e) => !/status of 404/.test(e));
const tid = (id) => `[data-testid="${id}"]`;
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";

let server, browser, page, context, errors;

before(async () => {
  server = await serve(undefined, { 'content-security-policy': CSP });
  browser = await launch();
  ({ page, context, errors } = await openApp(browser, server.url));
  // Count the workers the panel starts and terminates.
  await page.evaluate(countWorkers);
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** The CLI's sweep of the preset as JSON. */
function cliSweep(axis, seeds) {
  const file = path.join('www/scenarios', `${ID}.json`);
  const out = execFileSync(CLI, ['sweep', file, '--vary', axis, '--seeds', String(seeds),
    '--target-p99', String(TARGET_P99), '--max-throttles', String(MAX_THROTTLES), '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.toString());
}

/** Fills the form and presses Run. */
async function run(axis, seeds) {
  await page.fill(tid('sz-axis0'), axis);
  await page.fill(tid('sz-seeds'), String(seeds));
  await page.fill(tid('sz-p99'), String(TARGET_P99));
  await page.fill(tid('sz-throttles'), String(MAX_THROTTLES));
  await page.click(tid('sz-run'));
}

/** The table's rows as the panel wrote them. */
function rows() {
  return page.$$eval(`${tid('sz-table')} tbody tr`, sizingRows);
}


test('the header opens the sizing panel (the viewer loads the full app for it)', async () => {
  await pick(page, ID);
  await page.click(tid('sizing-button'));
  await page.waitForSelector(tid('sizing-panel'), { timeout: 60000 });
  assert.equal(await page.getAttribute(tid('sizing-button'), 'aria-pressed'), 'true');
  assert.equal(await page.isVisible('.topology-panel'), false, 'the panel takes the simulation\'s place');
  assert.equal(await page.inputValue(tid('sz-function')), 'checkout-api');
  // A bad axis says why under its field and Run waits; nothing panics.
  await page.fill(tid('sz-axis0'), 'provisioned=0..100');
  await page.waitForSelector(tid('sz-axis0-msg'));
  assert.match(await page.textContent(tid('sz-axis0-msg')), /a range needs a step/);
  assert.equal(await page.isDisabled(tid('sz-run')), true);
  await page.fill(tid('sz-axis0'), 'colour=1,2');
  assert.match(await page.textContent(tid('sz-axis0-msg')), /not a setting a sweep varies/);
  // A preset of the setting fills the field.
  await page.fill(tid('sz-axis0'), 'provisioned=1');
  await page.click('.sz-chip[data-text="provisioned=0..200:25"]');
  assert.equal(await page.inputValue(tid('sz-axis0')), 'provisioned=0..200:25');
  assert.equal(await page.isDisabled(tid('sz-run')), false);
  assert.deepEqual(real(errors), []);
});

test('a sweep run in workers is the CLI\'s, point by point; the chart marks its front and cheapest', async () => {
  const cli = cliSweep(AXIS, SEEDS);
  await run(AXIS, SEEDS);
  await page.waitForSelector(tid('sz-table'), { timeout: 120000 });
  const got = await rows();
  assert.equal(got.length, cli.points.length);
  for (const [i, c] of cli.points.entries()) {
    const r = got[i];
    const name = `point ${i} (${r.levels})`;
    assert.equal(r.levels, c.levels.join(','), name);
    assert.equal(r.runs, c.runs, name);
    for (const [k, f] of [['cost', 'cost_usd'], ['p50', 'latency_p50_ms'], ['p99', 'latency_p99_ms'], ['throttles', 'throttles'], ['cold', 'cold_starts']]) {
      assert.ok(closeTo(r[k], c[f].mean), `${name}: ${f} app ${r[k]}, CLI ${c[f].mean}`);
    }
    assert.equal(r.pareto, c.pareto, `${name}: front`);
    assert.equal(r.meets, c.meets_target, `${name}: meets the target`);
    assert.equal(r.cheapest, cli.cheapest === i, `${name}: cheapest`);
  }
  // The table's text is the CLI's (mean ± half the interval, the same digits).
  const c0 = cli.points[0];
  assert.equal(got[0].text[1], `${c0.cost_usd.mean.toFixed(4)} ±${(c0.cost_usd.hi - c0.cost_usd.mean).toFixed(4)}`);
  // The chart: one dot per point that ran, the front's dots and the ringed cheapest as flagged.
  const ran = cli.points.filter((p) => !p.error).length;
  assert.equal(await page.locator(`${tid('sz-chart')} .sz-dot`).count(), ran);
  const front = await page.$$eval(`${tid('sz-chart')} g.sz-pt.front`, (gs) => gs.map((g) => Number(g.dataset.point)));
  assert.deepEqual(front, cli.points.flatMap((p, i) => (p.pareto ? [i] : [])));
  assert.equal(await page.getAttribute(tid('sz-front'), 'data-points'), String(front.length));
  assert.notEqual(cli.cheapest, null, 'a point meets the target');
  {
    assert.equal(Number(await page.getAttribute(tid('sz-cheapest'), 'data-point')), cli.cheapest);
    assert.match(await page.textContent(`${tid('sz-chart')} .sz-cheapest-label`), new RegExp(`provisioned=${cli.points[cli.cheapest].levels[0]}`));
  }
  // Every worker was let go once the table was made.
  await page.waitForFunction(() => window.workerCount.started > 0 && window.workerCount.started === window.workerCount.terminated);
  assert.equal(page.workers().length, 0);
  await page.setViewportSize({ width: 1440, height: 1500 });
  await page.locator(tid('sizing-view')).screenshot({ path: path.join(ARTIFACTS, 'sizing-01-table.png') });
  await page.click(tid('theme-toggle'));
  await page.locator(tid('sizing-view')).screenshot({ path: path.join(ARTIFACTS, 'sizing-05-dark.png') });
  await page.click(tid('theme-toggle'));
  await page.setViewportSize({ width: 1440, height: 900 });
  await shot(page, 'sizing-02-panel');
  assert.deepEqual(real(errors), []);
});

test('a bigger sweep is cancelled at once, and a new run works', async () => {
  const before = await page.evaluate(() => window.workerCount.started);
  await run('provisioned=0..200:1', 10);
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('value')) >= 2, tid('sz-progress'), { timeout: 60000 });
  await shot(page, 'sizing-03-running');
  const total = Number(await page.getAttribute(tid('sz-progress'), 'max'));
  assert.equal(total, 201 * 10);
  await page.click(tid('sz-cancel'));
  await page.waitForSelector(tid('sz-cancelled'));
  const done = Number(await page.getAttribute(tid('sz-cancelled'), 'data-done'));
  assert.ok(done > 0 && done < total, `${done} of ${total} runs had finished`);
  assert.match(await page.textContent(tid('sz-cancelled')), new RegExp(`Cancelled: ${done} of ${total} runs had finished`));
  const counts = await page.evaluate(() => window.workerCount);
  assert.ok(counts.started > before && counts.started <= before + 4, `at most 4 workers: ${JSON.stringify(counts)}`);
  assert.equal(counts.terminated, counts.started, 'every worker terminated');
  // Nothing moves after Cancel.
  await page.waitForTimeout(1000);
  assert.equal(await page.$(tid('sz-progress')), null);
  assert.equal(Number(await page.getAttribute(tid('sz-cancelled'), 'data-done')), done);
  assert.equal(page.workers().length, 0);
  // A new run starts afresh and finishes.
  await run(AXIS, SEEDS);
  await page.waitForSelector(tid('sz-table'), { timeout: 120000 });
  assert.equal((await rows()).length, 5);
  assert.deepEqual(real(errors), []);
});

test('clicking a point plays that configuration', async () => {
  const cli = cliSweep(AXIS, SEEDS);
  const i = cli.points.findIndex((p) => p.levels[0] === 50);
  await page.click(`${tid('sz-chart')} g.sz-pt[data-point="${i}"] .sz-dot`, { force: true });
  await page.waitForSelector(tid('sizing-view'), { state: 'detached' });
  assert.equal(await page.getAttribute(tid('sizing-button'), 'aria-pressed'), 'false');
  await page.waitForSelector('.topology-panel');
  // The point's scenario is the one loaded: 50 provisioned environments, where the preset
  // has 100, and it plays.
  await page.waitForFunction(() => document.querySelector('[data-testid="play"]')?.getAttribute('aria-pressed') === 'true');
  await page.click(tid('play')); // paused, so the editor shows the scenario as loaded
  await page.click(tid('editor-toggle'));
  await page.waitForSelector(tid('field-fn:checkout-api:pc'));
  assert.equal(await page.inputValue(tid('field-fn:checkout-api:pc')), '50');
  await page.click(tid('editor-toggle'));
  await shot(page, 'sizing-04-point-playing');
  // The panel opens again on the last sweep.
  await page.click(tid('sizing-button'));
  await page.waitForSelector(tid('sizing-panel'));
  assert.equal(await page.inputValue(tid('sz-axis0')), 'provisioned=0,25,50,75,100');
  await page.keyboard.press('Escape');
  await page.waitForSelector(tid('sizing-view'), { state: 'detached' });
  assert.deepEqual(real(errors), []);
});

/** The share link the Share menu makes now. */
async function shareLink(p) {
  await p.click(tid('share-button'));
  await p.waitForSelector('#share-link');
  const link = await p.inputValue('#share-link');
  await p.click(tid('share-button'));
  return link;
}

test('a share link made with the panel open keeps its sweep and opens on it, run at once', async () => {
  await page.click(tid('sizing-button'));
  await page.waitForSelector(tid('sizing-panel'));
  await run(AXIS, SEEDS);
  await page.waitForSelector(tid('sz-table'), { timeout: 120000 });
  const shown = await rows();
  const link = await shareLink(page);
  const sweep = stateOf(link).view.sweep;
  assert.deepEqual(sweep, {
    function: 'checkout-api', axes: ['provisioned=0,25,50,75,100'], seeds: SEEDS,
    target: { p99_ms: TARGET_P99, max_throttles: MAX_THROTTLES },
  });
  await page.click(tid('sizing-close'));
  await page.waitForSelector(tid('sizing-view'), { state: 'detached' });
  // The panel closed: a link has no sweep.
  assert.equal(stateOf(await shareLink(page)).view.sweep, undefined);

  // Opened in a new tab: the scenario, then the panel on the sweep, run without a click.
  const other = await openApp(browser, server.url, { hash: link.slice(link.indexOf('#')), shown: false });
  await other.page.waitForSelector(tid('sz-table'), { timeout: 120000 });
  assert.equal(await other.page.getAttribute(tid('sizing-button'), 'aria-pressed'), 'true');
  assert.equal(await other.page.inputValue(tid('sz-axis0')), 'provisioned=0,25,50,75,100');
  const opened = await other.page.$$eval(`${tid('sz-table')} tbody tr`, (trs) => trs.map((tr) => tr.dataset.levels + ' ' + tr.dataset.cost + ' ' + tr.dataset.p99));
  assert.deepEqual(opened, shown.map((r) => `${r.levels} ${r.cost} ${r.p99}`));
  assert.deepEqual(real(other.errors), []);

  // A link whose sweep names a function the scenario lacks says so in the panel.
  const bad = stateOf(link);
  bad.view.sweep.function = 'no-such-function';
  await other.page.evaluate((h) => { location.hash = h; }, `#${linkOf(bad)}`);
  await other.page.waitForSelector(tid('sz-refused'), { timeout: 60000 });
  assert.match(await other.page.textContent(tid('sz-refused')), /varies function "no-such-function", which this scenario does not have/);
  assert.deepEqual(real(other.errors), []);
  await other.context.close();
  assert.deepEqual(real(errors), []);
});

test('benchmark: a 50-point sweep of one hour at 100 requests/s, opened from a link', async () => {
  const scenario = JSON.parse(readFileSync(path.join(ROOT, 'crates/engine/benches/sweep-hour-100rps.json'), 'utf8'));
  const state = {
    scenario, time_us: 0, view: { view: 'full', speed: 1,
      sweep: { function: 'api', axes: ['provisioned=0..245:5'], seeds: 1, target: {} } },
  };
  // Timed in the page, from the progress bar's appearing to the table's (Playwright's waits poll
  // every half second or so once a wait is long: they would add up to that).
  const watch = () => {
    const shown = { progress: false, table: false };
    window.sizingTimes = [];
    new MutationObserver(() => {
      for (const k of ['progress', 'table']) {
        const now = !!document.querySelector(`[data-testid="sz-${k}"]`);
        if (now && !shown[k]) window.sizingTimes.push([k, performance.now()]);
        shown[k] = now;
      }
    }).observe(document, { subtree: true, childList: true });
  };
  const other = await openApp(browser, server.url, { hash: `#${linkOf(state)}`, init: watch, shown: false });
  const p = other.page;
  const sweepSeconds = async (k) => {
    const times = await p.evaluate(() => window.sizingTimes);
    const from = times.filter(([what]) => what === 'progress')[k][1];
    const to = times.filter(([what, t]) => what === 'table' && t > from)[0][1];
    return (to - from) / 1000;
  };
  await p.waitForSelector(tid('sz-table'), { timeout: 300000 });
  const seconds = await sweepSeconds(0);
  const n = await p.locator(`${tid('sz-table')} tbody tr`).count();
  assert.equal(n, 50);
  const cores = await p.evaluate(() => navigator.hardwareConcurrency);
  console.log(`sizing benchmark: 50 points x 1 seed of one hour at 100 req/s in ${seconds.toFixed(2)} s in the browser (${cores} cores; workers: min(cores, 4))`);
  // Run again: V8 has optimised the engine's code by now.
  await p.click(tid('sz-run'));
  await p.waitForSelector(tid('sz-progress'), { timeout: 120000 });
  assert.equal(await p.locator(tid('sz-table')).count(), 0, 'the last table goes while the sweep runs');
  await p.waitForSelector(tid('sz-table'), { timeout: 300000 });
  const again = await sweepSeconds(1);
  assert.equal(await p.locator(`${tid('sz-table')} tbody tr`).count(), 50);
  console.log(`sizing benchmark: the same sweep run again in ${again.toFixed(2)} s`);
  assert.deepEqual(real(other.errors), []);
  await other.context.close();
});
