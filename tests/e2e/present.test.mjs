// End-to-end tests of share links, presenter mode, compare mode and exports (the scenarios
// issue): the release build in Chromium, compare figures checked against the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import path from 'node:path';
import { ROOT, serve, launch, openApp, shot, nowUs, waitForTime, pick, scrubTo, CLI } from './harness.mjs';

let server, browser;
const S = 1_000_000;
const preset = (id) => JSON.parse(fs.readFileSync(path.join(ROOT, 'www/scenarios', `${id}.json`), 'utf8'));
const real = (errors) => errors.filter((e) => !/status of 404/.test(e));
/** A scenario duration ("3s", "2m", "1h", "500ms") in microseconds. */
const micros = (d) => {
  const [, n, u] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(d);
  return Math.round(Number(n) * { ms: 1e3, s: 1e6, m: 60e6, h: 3600e6, d: 86400e6 }[u]);
};
/** The preset whose story the presenter tests step through (chapters at 0s, 3s, 20s, 52s). */
const STORY = 'legacy-vs-current';

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});



/** RFC 7386 JSON merge patch (what ScenarioSpec::variant applies). */
function mergePatch(target, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = (target && typeof target === 'object' && !Array.isArray(target)) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]; else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function cliSummary(spec) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ls-cmp-')), 'scenario.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return JSON.parse(execFileSync(CLI, ['simulate', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }).toString());
}

test('a share link survives a round trip: same scenario, time and view in a fresh browser', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await pick(page, 'current-two-functions');
  await scrubTo(page, 23);
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="speed"]');
    el.value = '2'; // 100x
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.click('[data-testid="share-button"]');
  await page.selectOption('[data-testid="export-chart"]', 'throttles');
  await page.click('[data-testid="copy-link"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="share-status"]')?.textContent.length > 0);
  const link = await page.inputValue('[data-testid="share-link"]');
  assert.match(link, /#s=v1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
  const speed = await page.textContent('[data-testid="speed-value"]');
  await shot(page, 'present-01-share-panel');
  assert.deepEqual(real(errors), []);
  await context.close();

  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await ctx2.newPage();
  await p2.goto(link);
  await p2.waitForSelector('[data-testid="sim-time"]');
  await waitForTime(p2, 23 * S);
  assert.equal(await p2.textContent('.scenario-title'), preset('current-two-functions').title);
  assert.equal(await p2.textContent('[data-testid="speed-value"]'), speed);
  assert.equal(await p2.getAttribute('html', 'data-share-chart'), 'throttles');
  await shot(p2, 'present-02-link-opened');
  await ctx2.close();
});

test('presenter view travels in the link too', async () => {
  const { page, context } = await openApp(browser, server.url);
  await pick(page, STORY);
  const chapters = preset(STORY).chapters;
  await page.click('[data-testid="present-button"]');
  // The presenter comes with the full app, which the viewer loads first.
  await page.waitForSelector('[data-testid="presenter"]', { timeout: 30000 });
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  const title = chapters[2].title;
  await page.waitForFunction((t) => document.querySelector('[data-testid="chapter-title"]')?.textContent === t, title, { timeout: 30000 });
  await waitForTime(page, micros(chapters[2].at));
  await page.click('[data-testid="share-button"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  await context.close();
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p2 = await ctx2.newPage();
  await p2.goto(link);
  await p2.waitForSelector('[data-testid="presenter"]', { timeout: 30000 });
  await waitForTime(p2, micros(chapters[2].at));
  await p2.waitForFunction((t) => document.querySelector('[data-testid="chapter-title"]')?.textContent === t, title);
  assert.equal(await p2.getAttribute('html', 'data-mode'), 'present');
  await ctx2.close();
});

test('a link in the older v0 format opens, migrated (time in ms, no scenario version)', async () => {
  const { version, ...scenario } = preset('current-two-functions');
  assert.equal(version, 1);
  const v0 = { scenario, time_ms: 17000, view: { view: 'full', speed: 100 } };
  const data = zlib.deflateSync(Buffer.from(JSON.stringify(v0)), { level: 9 }).toString('base64url');
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(`${server.url}#s=v0.${data}`);
  await p.waitForSelector('[data-testid="sim-time"]');
  await waitForTime(p, 17 * S);
  assert.equal(await p.textContent('.scenario-title'), scenario.title);
  assert.equal(await p.$('[data-testid="share-error"]'), null);
  await ctx.close();
});

test('a truncated or damaged link shows why, and the current work stays', async () => {
  const { page, context } = await openApp(browser, server.url);
  await pick(page, 'current-two-functions');
  await page.click('[data-testid="share-button"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  await context.close();
  const cases = [
    [link.slice(0, link.length - 40), /cut short/],
    [link.slice(0, -12) + '!!' + link.slice(-10), /damaged/],
    [link.replace('#s=v1.', '#s=v7.'), /newer Lambdascape/],
  ];
  for (const [bad, why] of cases) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const p = await ctx.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(bad);
    await p.waitForSelector('[data-testid="share-error"]', { timeout: 30000 });
    assert.match(await p.textContent('[data-testid="share-error"]'), why);
    // The app is still there, with a scenario running (the autosaved work or the first preset).
    await p.waitForSelector('[data-testid="sim-time"]');
    assert.ok((await p.textContent('.scenario-title')).length > 0);
    await p.waitForSelector('[data-testid="dots-canvas"]');
    if (why.source === 'cut short') await shot(p, 'present-03-bad-link');
    await p.keyboard.press('Enter'); // the focus is on "Close and keep working"
    await p.waitForSelector('[data-testid="share-error"]', { state: 'detached' });
    assert.ok(!(await p.evaluate(() => location.hash)).includes('s='), 'the bad link leaves the address bar');
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test('presenter keys move between chapters, forwards and back, in large type', async () => {
  const { page, context } = await openApp(browser, server.url);
  await pick(page, STORY);
  const chapters = preset(STORY).chapters;
  await page.click('[data-testid="present-button"]');
  await page.waitForSelector('[data-testid="presenter"]');
  const expectChapter = async (i) => {
    await page.waitForFunction((t) => document.querySelector('[data-testid="chapter-title"]')?.textContent === t, chapters[i].title, { timeout: 30000 });
    await waitForTime(page, micros(chapters[i].at));
  };
  await expectChapter(0); // the story starts at 0 s
  await page.keyboard.press('PageDown');
  await expectChapter(1);
  await page.keyboard.press('PageDown');
  await expectChapter(2);
  await page.keyboard.press('.');
  await expectChapter(3);
  const size = await page.$eval('.chapter-text', (el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 24, `chapter text ${size}px`);
  const label = await page.$eval('.figure-label', (el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(label >= 24, `figure labels ${label}px`);
  await page.mouse.move(500, 300);
  await page.waitForTimeout(300);
  await shot(page, 'present-04-presenter');
  await page.keyboard.press('PageUp');
  await expectChapter(2);
  await page.keyboard.press('b');
  await expectChapter(1);
  await page.click('[data-testid="chapter-next"]');
  await expectChapter(2);
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="presenter"]', { state: 'detached' });
  assert.equal(await page.getAttribute('html', 'data-mode'), null);
  await context.close();
});

test('compare shows the scenario and its variant, with a row each equal to the CLI', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  const id = 'current-two-functions';
  await pick(page, id);
  await page.click('[data-testid="compare-button"]');
  await page.waitForSelector('[data-testid="compare-side-1"]');
  await page.click('[data-testid="compare-end"]');
  const spec = preset(id);
  const horizon = 60 * S;
  await page.waitForFunction((h) => document.querySelector('[data-testid="compare-time"]')?.dataset.nowUs === String(h), horizon, { timeout: 60000 });
  const base = cliSummary(spec);
  const variant = mergePatch({ ...spec, variants: [], checks: [] }, spec.variants[0].patch);
  const other = cliSummary(variant);
  // compare.test.mjs checks every figure against the CLI's `compare`; here each run's against `simulate`.
  for (const k of ['invocations', 'cold_starts', 'throttles']) {
    const [a, b] = await page.$$eval(`[data-testid="compare-row"] td[data-col="${k}"]`, (tds) => tds.map((td) => Number(td.dataset.value)));
    assert.equal(a, base[k], `${k} of the scenario: app ${a}, CLI ${base[k]}`);
    assert.equal(b, other[k], `${k} of the variant: app ${b}, CLI ${other[k]}`);
  }
  const cost = Number(await page.getAttribute('[data-testid="compare-row"] td[data-col="cost_usd"]', 'data-value'));
  assert.ok(Math.abs(cost - base.cost_usd) < 1e-9 * Math.max(1, base.cost_usd), `cost ${cost} vs ${base.cost_usd}`);
  assert.ok(await page.isVisible('[data-testid="compare-side-0"]'));
  await shot(page, 'present-05-compare');
  assert.deepEqual(real(errors), []);
  await context.close();
});

test('export CSV downloads the metrics with time_s and concurrency columns', async () => {
  const { page, context } = await openApp(browser, server.url);
  await scrubTo(page, 12);
  await page.click('[data-testid="share-button"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
  const file = await download.path();
  const text = fs.readFileSync(file, 'utf8');
  const header = text.split('\n')[0].split(',');
  assert.equal(header[0], 'time_s');
  assert.ok(header.includes('concurrency'), header.join(','));
  assert.ok(text.trim().split('\n').length >= 12, 'one row per sample so far');
  assert.match(download.suggestedFilename(), /\.csv$/);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-svg"]')]);
  assert.match(fs.readFileSync(await svg.path(), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-png"]')]);
  assert.equal(fs.readFileSync(await png.path()).subarray(1, 4).toString(), 'PNG');
  await context.close();
});

test('importing an invalid scenario lists its errors with field paths and keeps the current one', async () => {
  const { page, context } = await openApp(browser, server.url);
  const before = await page.textContent('.scenario-title');
  await page.click('[data-testid="share-button"]');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ls-imp-')), 'broken.json');
  const spec = preset('current-two-functions');
  spec.functions[0].memory_mb = 5;
  fs.writeFileSync(file, JSON.stringify(spec));
  await page.setInputFiles('[data-testid="import-file"]', file);
  await page.waitForSelector('[data-testid="share-error"]');
  assert.match(await page.textContent('[data-testid="share-error"]'), /functions\[0\]\.memory_mb/);
  assert.equal(await page.textContent('.scenario-title'), before);
  await page.click('[data-testid="share-error-close"]');
  spec.functions[0].memory_mb = 512;
  fs.writeFileSync(file, JSON.stringify(spec));
  await page.setInputFiles('[data-testid="import-file"]', file);
  await page.waitForFunction((t) => document.querySelector('.scenario-title')?.textContent === t, spec.title);
  await context.close();
});
