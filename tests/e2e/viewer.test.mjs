// End-to-end tests of the two builds of the app: the page starts with the viewer (the smaller
// download), which hands the scenario, the time and the play state to the full app the first
// time a tool is used; a share link opens in the full app directly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, serve, launch, openApp, shot, nowUs, pick, scrubTo, figure, linkOf, stateOf } from './harness.mjs';

let server, browser;
const VIEWER = /lambdascape-viewer_bg\.wasm$/;
const FULL = /\/lambdascape-app_bg\.wasm$/;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the app with a log of the wasm files it fetches. */
async function open(hash = '', context = undefined) {
  context ??= await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const wasm = [];
  const errors = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + (hash ? '#' + hash : ''));
  await page.waitForSelector('[data-testid="sim-time"]', { timeout: 30000 });
  return { page, context, wasm, errors };
}

/** A share link of `preset` at `seconds`, made in a page of its own (through the viewer's
 * Share button, so by the full app). */
async function shareLink(preset, seconds) {
  const { page, context } = await open();
  await pick(page, preset);
  await scrubTo(page, seconds);
  await page.click('[data-testid="share-button"]');
  await page.waitForSelector('[data-testid="share-link"]', { timeout: 30000 });
  const link = await page.inputValue('[data-testid="share-link"]');
  await context.close();
  return link;
}

test('the page starts with the viewer; Edit loads the full app at the same scenario, time and selection', async () => {
  const { page, context, wasm, errors } = await open();
  await pick(page, 'mixed-subnets');
  await scrubTo(page, 120);
  await page.click('[data-testid="select-subnet-public-b"]');
  await page.waitForSelector('[data-testid="inspected-subnet"]');
  const before = { now: await nowUs(page), environments: await figure(page, 'environments') };
  assert.ok(wasm.some((u) => VIEWER.test(u)), wasm.join('\n'));
  assert.ok(!wasm.some((u) => FULL.test(u)), 'the full app is not fetched before a tool is used');

  await page.click('[data-testid="editor-toggle"]');
  await page.waitForSelector('[data-testid="editor"]', { timeout: 30000 });
  assert.ok(wasm.some((u) => FULL.test(u)), 'the full app is fetched when the editor opens');
  await page.waitForFunction((t) => document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-now-us') === String(t), before.now);
  assert.equal(await page.inputValue('[data-testid="scenario-picker"]'), 'mixed-subnets');
  assert.equal(await figure(page, 'environments'), before.environments, 'the same figures at the same time');
  assert.equal(await page.getAttribute('[data-testid="editor-toggle"]', 'aria-expanded'), 'true');
  assert.match(await page.textContent('[data-testid="inspected-subnet"]'), /^Subnet public-b/, 'the selection is handed over');
  assert.equal(await page.locator('[data-testid="app"]').count(), 1, 'the viewer is gone, one app on the page');
  await shot(page, 'viewer-handover-editor');

  // The viewer's keyboard listeners went with it: space toggles play once.
  await page.click('.brand');
  await page.keyboard.press(' ');
  await page.waitForFunction((t) => Number(document.querySelector('[data-testid="sim-time"]').getAttribute('data-now-us')) > t, before.now);
  assert.deepEqual(errors, []);
  await context.close();
});

test('pointing at a tool fetches the full app ahead of the click, without starting it', async () => {
  const { page, context, wasm, errors } = await open();
  await page.hover('[data-testid="editor-toggle"]');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/lambdascape-app_bg\.wasm$/.test(e.name)));
  assert.ok(wasm.some((u) => FULL.test(u)), wasm.join('\n'));
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.lambdascapeHandover), undefined, 'nothing handed over yet');
  assert.equal(await page.getAttribute('[data-testid="editor-toggle"]', 'aria-expanded'), 'false');
  await page.click('[data-testid="editor-toggle"]');
  await page.waitForSelector('[data-testid="editor"]', { timeout: 30000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link opens in the full app without fetching the viewer', async () => {
  const link = await shareLink('current-two-functions', 30);
  const hash = link.slice(link.indexOf('#') + 1);
  const { page, context, wasm, errors } = await open(hash);
  await page.waitForFunction(() => document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-now-us') === '30000000');
  assert.ok(wasm.some((u) => FULL.test(u)), wasm.join('\n'));
  assert.ok(!wasm.some((u) => VIEWER.test(u)), 'the viewer is not fetched for a share link');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a shared scenario that is not a preset is named so in the picker, not shown as the first preset', async () => {
  const link = await shareLink('current-two-functions', 20);
  const state = stateOf(link);
  state.scenario.name = 'my-own-scenario';
  state.scenario.title = 'My own scenario';
  const { page, context, errors } = await open(linkOf(state));
  await page.waitForFunction(() => document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-now-us') === '20000000', null, { timeout: 30000 });
  assert.equal(await page.inputValue('[data-testid="scenario-picker"]'), '');
  assert.equal(await page.textContent('[data-testid="scenario-picker"] option:checked'), 'Custom scenario');
  // Beside the picker, the scenario's own title (the picker does not say it).
  assert.equal(await page.isVisible('.scenario-title'), true);
  assert.equal(await page.textContent('.scenario-title'), 'My own scenario');
  assert.equal(await page.locator('[data-testid="scenario-summary"]').count(), 0);
  // A preset picked from there loads, and the picker names it; beside it, what the library says
  // the preset shows instead of its title again.
  await pick(page, 'current-two-functions');
  assert.equal(await page.inputValue('[data-testid="scenario-picker"]'), 'current-two-functions');
  assert.equal(await page.locator('[data-testid="not-a-preset"]').count(), 0);
  const listed = JSON.parse(readFileSync(path.join(ROOT, 'www/scenarios/index.json'), 'utf8')).presets
    .find((p) => p.id === 'current-two-functions');
  assert.equal(await page.textContent('[data-testid="scenario-summary"]'), listed.summary);
  assert.equal(await page.isVisible('.scenario-title'), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link pasted into the address bar of the viewer opens in the full app', async () => {
  const link = await shareLink('current-two-functions', 40);

  const { page, context, wasm, errors } = await open();
  await scrubTo(page, 10);
  await page.evaluate((h) => { location.hash = h; }, link.slice(link.indexOf('#')));
  await page.waitForFunction(() => document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-now-us') === '40000000', null, { timeout: 30000 });
  assert.ok(wasm.some((u) => FULL.test(u)), wasm.join('\n'));
  assert.equal(await page.inputValue('[data-testid="scenario-picker"]'), 'current-two-functions');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a preset edited earlier in this browser opens in the full app, edits restored', async () => {
  const first = await open('scenario=seed-mixed-subnets');
  await first.page.click('[data-testid="editor-toggle"]');
  await first.page.waitForSelector('[data-testid="editor"]', { timeout: 30000 });
  const field = '[data-testid="field-fn:orders-api:reserved"]';
  await first.page.fill(field, '10');
  await first.page.press(field, 'Enter');
  await first.page.waitForFunction(() => !document.querySelector('[data-testid="undo"]').disabled);
  await first.page.close();

  // Same browser storage, new page: the viewer sees the saved edits and hands over at once.
  const { page, context, wasm, errors } = await open('scenario=seed-mixed-subnets', first.context);
  await page.waitForFunction(() => document.querySelector('[data-testid="undo"]') && !document.querySelector('[data-testid="undo"]').disabled, null, { timeout: 30000 });
  assert.ok(wasm.some((u) => FULL.test(u)), wasm.join('\n'));
  assert.match(await page.getAttribute('[data-testid="undo"]', 'aria-label'), /reserved/);
  assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), []);
  await context.close();
});

test('if the full app cannot be fetched, the viewer says so and keeps running; the next click retries', async () => {
  const { page, context, errors } = await open();
  let block = true;
  await page.route(/\/lambdascape-app_bg\.wasm$/, (route) => (block ? route.fulfill({ status: 503, body: 'down' }) : route.continue()));
  await page.click('[data-testid="share-button"]');
  const box = page.locator('[data-testid="load-problem"]');
  await box.waitFor({ timeout: 30000 });
  assert.match(await box.textContent(), /could not be loaded.*503/);
  assert.equal(await page.getAttribute('html', 'data-loading'), null);
  await shot(page, 'viewer-load-problem');
  // The viewer still plays.
  const t0 = await nowUs(page);
  await page.click('[data-testid="play"]');
  await page.waitForFunction((t) => Number(document.querySelector('[data-testid="sim-time"]').getAttribute('data-now-us')) > t, t0);
  await page.click('[data-testid="load-problem"] button');
  block = false;
  await page.click('[data-testid="share-button"]');
  await page.waitForSelector('[data-testid="share-link"]', { timeout: 30000 });
  assert.ok(errors.some((e) => /could not be loaded/.test(e)), 'the failure is on the console');
  await context.close();
});

test('if the app cannot be fetched at all, the page says so instead of staying blank', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  const page = await context.newPage();
  await page.route(/lambdascape-viewer_bg\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(server.url);
  const alert = page.locator('body > p[role="alert"]');
  await alert.waitFor({ timeout: 30000 });
  assert.match(await alert.textContent(), /could not start/);
  await context.close();
});
