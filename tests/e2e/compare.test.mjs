// End-to-end test of compare mode with more than two runs: the compute-modes preset (the
// scenario on demand and four variants: provisioned concurrency, SnapStart, Managed Instances,
// Web Functions) opened by a share link in compare mode, run to the end on one timeline, its
// table checked against the CLI's `compare --json`, then a variant left out (and kept in the
// share link).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch, linkOf, stateOf, CLI } from './harness.mjs';

let server, browser;
const ID = 'compute-modes-spiky-api';
const real = (errors) => errors.filter((e) => !/status of 404/.test(e));
const MODES = ['on-demand', 'SnapStart', 'Lambda Managed Instances', 'Lambda Web Functions'];

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The preset as the app serves it (the same bytes the app runs). */
async function served() {
  const res = await fetch(`${server.url}scenarios/${ID}.json`);
  assert.equal(res.status, 200);
  return await res.json();
}

/** The CLI's `compare --json` rows for `spec`. */
function cliCompare(spec) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ls-compare-')), `${ID}.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
  return JSON.parse(execFileSync(CLI, ['compare', file, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }).toString());
}

/** Opens a share link (`hash`) in compare mode: the full app loads, then the compare view. */
async function openCompare(hash, { width = 1440, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}#${hash}`);
  await page.waitForSelector('[data-testid="compare-table"]', { timeout: 60000 });
  return { page, context, errors };
}

/** The table's rows: name, compute mode (the CLI's and as shown) and each figure. */
async function tableRows(page) {
  return page.$$eval('[data-testid="compare-row"]', (trs) => trs.map((tr) => {
    const out = { name: tr.dataset.name, compute: tr.dataset.compute, shown: tr.querySelector('td.mode').textContent, best: [] };
    for (const td of tr.querySelectorAll('td[data-col]')) {
      out[td.dataset.col] = Number(td.dataset.value);
      out[`${td.dataset.col}_text`] = td.textContent;
      if (td.classList.contains('best')) out.best.push(td.dataset.col);
    }
    return out;
  }));
}

async function runToEnd(page, horizonUs) {
  await page.click('[data-testid="compare-end"]');
  await page.waitForFunction((h) => document.querySelector('[data-testid="compare-time"]')?.dataset.nowUs === String(h)
    && document.querySelector('[data-testid="compare-table"]')?.dataset.done === 'true', horizonUs, { timeout: 120000 });
}

test('compare runs the scenario and four compute-mode variants on one timeline, its table equal to the CLI', async () => {
  const spec = await served();
  assert.equal(spec.variants.length, 4);
  const horizon = 30 * 60 * 1_000_000;
  assert.equal(spec.duration, '30m');
  const hash = linkOf({ scenario: spec, time_us: 0, view: { view: 'compare', speed: 10 } });
  const { page, context, errors } = await openCompare(hash);
  await page.waitForSelector('[data-testid="compare-side-4"]', { timeout: 30000 });
  assert.equal(await page.getAttribute('html', 'data-mode'), 'compare');
  await runToEnd(page, horizon);

  const rows = await tableRows(page);
  const cli = cliCompare(spec);
  assert.equal(rows.length, 5);
  assert.equal(cli.length, 5);
  // The five compute modes: the CLI's four labels (provisioned concurrency is on demand) and,
  // as shown, five different ones.
  assert.deepEqual([...new Set(rows.map((r) => r.compute))].sort(), [...MODES].sort());
  assert.equal(new Set(rows.map((r) => r.shown)).size, 5, rows.map((r) => r.shown).join(' | '));
  assert.ok(rows.some((r) => /^on-demand \+ provisioned concurrency \d+$/.test(r.shown)), 'provisioned concurrency is named');
  const figures = ['invocations', 'throttles', 'cold_starts', 'restores', 'latency_p50_ms', 'latency_p99_ms', 'latency_max_ms', 'cost_usd'];
  rows.forEach((r, i) => {
    const c = cli[i];
    assert.equal(r.name, c.name);
    assert.equal(r.compute, c.compute);
    for (const f of figures) {
      assert.ok(Number.isFinite(r[f]), `${r.name}: ${f} is ${r[f]}`);
      assert.match(r[`${f}_text`], /\d/, `${r.name}: ${f} shows "${r[`${f}_text`]}"`);
      assert.equal(r[f], c[f], `${r.name}: ${f} app ${r[f]}, CLI ${c[f]}`);
    }
  });
  // The lowest of each marked column is marked, and only it; a cost at placeholder rates (Web
  // Functions) is never compared.
  for (const f of ['throttles', 'latency_p99_ms', 'latency_max_ms', 'cost_usd']) {
    const comparable = rows.filter((r, i) => !(f === 'cost_usd' && cli[i].placeholder_cost));
    const lo = Math.min(...comparable.map((r) => r[f]));
    const differ = comparable.some((r) => r[f] !== lo);
    for (const r of rows) assert.equal(r.best.includes(f), comparable.includes(r) && differ && r[f] === lo, `${f} of ${r.name}`);
  }
  // The marks and their notes, as the CLI prints them: * on the placeholder cost, † on the
  // latency of a run that throttled while another did not.
  const web = cli.findIndex((c) => c.placeholder_cost);
  assert.equal(cli[web].compute, 'Lambda Web Functions');
  assert.match(rows[web].cost_usd_text, /\*/);
  rows.forEach((r, i) => {
    const partial = cli[i].throttles > 0 && cli.some((c) => c.throttles !== cli[i].throttles);
    assert.equal(r.latency_p99_ms_text.includes('†'), partial, `† on ${r.name}'s p99`);
  });
  const notes = await page.$$eval('[data-testid="compare-note"]', (ps) => ps.map((p) => p.textContent));
  assert.equal(notes.length, 2, notes.join('\n'));
  assert.match(notes[0], /^\* .*placeholder rates/);
  assert.match(notes[1], /^† latency of the requests served only/);
  // Each run has its concurrency and throttles charts drawn.
  for (let i = 0; i < 5; i++) {
    const kinds = await page.$$eval(`[data-testid="compare-side-${i}"] .chart`, (els) => els.map((e) => e.dataset.chart));
    assert.deepEqual(kinds, ['concurrency', 'throttles']);
  }
  await page.evaluate(() => document.querySelector('[data-testid="compare"]').scrollTo(0, 0));
  await page.waitForTimeout(300);
  const box = await page.$eval('[data-testid="compare-table"]', (t) => t.getBoundingClientRect().bottom);
  assert.ok(box <= 900, `the table ends at ${box}px: the whole comparison fits 1440×900`);
  await page.screenshot({ path: path.join(ROOT, 'tests/e2e/artifacts/compare-five.png') });

  // Leave one variant out: four rows, and the share link keeps the choice.
  const snap = await page.$('[data-testid="compare-variant-1"]');
  assert.equal(await snap.getAttribute('data-name'), 'SnapStart');
  await snap.uncheck();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="compare-row"]').length === 4);
  await runToEnd(page, horizon);
  const four = await tableRows(page);
  assert.deepEqual(four.map((r) => r.name), cli.filter((c) => c.name !== 'SnapStart').map((c) => c.name));
  four.forEach((r) => assert.equal(r.cost_usd, cli.find((c) => c.name === r.name).cost_usd));
  await page.click('[data-testid="share-button"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  const st = stateOf(link);
  assert.equal(st.view.view, 'compare');
  assert.deepEqual(st.view.variants, [0, 2, 3]);
  assert.deepEqual(real(errors), []);
  await context.close();

  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await ctx2.newPage();
  await p2.goto(link);
  await p2.waitForSelector('[data-testid="compare-side-3"]', { timeout: 30000 });
  assert.equal(await p2.$('[data-testid="compare-side-4"]'), null);
  assert.equal(await p2.isChecked('[data-testid="compare-variant-1"]'), false);
  assert.equal(await p2.isChecked('[data-testid="compare-variant-2"]'), true);
  assert.equal(await p2.$$eval('[data-testid="compare-row"]', (r) => r.length), 4);
  await ctx2.close();
});

test('an older link naming one variant opens compare with that variant', async () => {
  const spec = await served();
  const hash = linkOf({ scenario: spec, time_us: 0, view: { view: 'compare', speed: 10, variant: 2 } });
  const { page, context, errors } = await openCompare(hash);
  await page.waitForSelector('[data-testid="compare-side-1"]', { timeout: 30000 });
  const names = await page.$$eval('[data-testid="compare-row"]', (r) => r.map((x) => x.dataset.name));
  assert.deepEqual(names, ['as written', spec.variants[2].name]);
  assert.deepEqual(real(errors), []);
  await context.close();
});

test('on a phone the runs scroll sideways and the table stays readable', async () => {
  const spec = await served();
  const hash = linkOf({ scenario: spec, time_us: 0, view: { view: 'compare', speed: 10 } });
  const { page, context, errors } = await openCompare(hash, { width: 390, height: 844 });
  await page.waitForSelector('[data-testid="compare-side-4"]', { timeout: 30000 });
  await runToEnd(page, 30 * 60 * 1_000_000);
  const sides = await page.$eval('.compare-sides', (el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(sides.scroll > sides.client, 'the columns scroll sideways');
  const col = await page.$eval('[data-testid="compare-side-0"]', (el) => el.getBoundingClientRect().width);
  assert.ok(col >= 220, `a column is ${col}px wide`);
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(pageWidth <= 390, `the page itself is ${pageWidth}px wide`);
  await page.screenshot({ path: path.join(ROOT, 'tests/e2e/artifacts/compare-phone.png'), fullPage: true });
  assert.deepEqual(real(errors), []);
  await context.close();
});
