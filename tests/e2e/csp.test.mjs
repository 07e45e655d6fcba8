// End-to-end test under a strict Content Security Policy and a sub-path: dist/ served at
// /some/sub/path/ with
//   Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:
// (no inline script or style, no style attribute, no eval). The app (the viewer, then the full
// app's editor, share, presenter and compare, and the Beyond view) and the example docs page
// (its widgets and iframe) play with no violation and no console error, and draw; its sizing
// widget runs its sweep in Web Workers and draws its chart.
// Violations are collected twice: Chromium's console reports and a securitypolicyviolation
// listener installed in every frame before its scripts run. Playwright's waitForFunction
// evaluates its predicate with eval, which this policy refuses (a violation of its own): the
// waits here poll page.evaluate instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serve, launch, shot } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";
const PRESET = 'mixed-subnets'; // a VPC (subnet buttons, attachment lines, paths), chapters and a variant
let server, browser, context;
/** Violations reported on the console, and console errors and page errors. */
const consoleViolations = [];
const errors = [];

before(async () => {
  // Under a sub-path, as a docs site would host it: every URL the app and the widgets use must
  // be relative (a request outside the sub-path is a 404, and fails the test).
  server = await serve(undefined, { 'content-security-policy': CSP }, '/some/sub/path/');
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective}: ${e.blockedURI || 'inline'} at ${e.sourceFile || '?'}:${e.lineNumber} ${JSON.stringify(e.sample)}`);
    });
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(where) {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) consoleViolations.push(m.text());
    else if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await page.goto(server.url + where);
  return page;
}

/** The violations every frame of `page` recorded. */
async function recorded(page) {
  const out = [];
  for (const f of page.frames()) out.push(...await f.evaluate(() => window.__cspViolations ?? []).catch(() => []));
  return out;
}

/** Fails on any violation or console error, naming the first few. */
async function assertClean(page, what) {
  const events = await recorded(page);
  const first = (list) => list.slice(0, 5).map((v) => '  ' + v.slice(0, 300)).join('\n');
  assert.equal(events.length + consoleViolations.length, 0,
    `${what}: ${events.length} securitypolicyviolation events, ${consoleViolations.length} console reports\n${first(events)}\n${first(consoleViolations)}`);
  assert.deepEqual(errors, [], `${what}: console errors`);
}

/** Polls `fn(arg)` in the page until it is truthy. */
async function until(page, what, fn, arg, timeout = 30000) {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > end) {
      const events = await recorded(page);
      throw new Error(`timed out waiting for ${what} (${events.length + consoleViolations.length} CSP violations so far: ${(events[0] ?? consoleViolations[0] ?? '').slice(0, 300)})`);
    }
    await page.waitForTimeout(100);
  }
}

/** Runs `body`; a failure says how many violations `page` had by then. */
async function reporting(page, what, body) {
  try {
    await body();
  } catch (e) {
    const events = await recorded(page).catch(() => []);
    e.message += `\n(${what}: ${events.length} securitypolicyviolation events and ${consoleViolations.length} console reports by then; first: ${(events[0] ?? consoleViolations[0] ?? 'none').slice(0, 300)})`;
    throw e;
  }
}

const simTime = () => Number(document.querySelector('[data-testid="sim-time"]')?.dataset.nowUs ?? NaN);

/** Drawn pixels (differing from the top left one) of each canvas matching `sel` in `root`
 * (the document, or a widget's shadow root named by its host's id). */
function drawnPixels(page, sel, host = null) {
  return page.evaluate(([sel, host]) => {
    const root = host ? document.getElementById(host).shadowRoot : document;
    return [...root.querySelectorAll(sel)].map((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) > 60) n++;
      }
      return n;
    });
  }, [sel, host]);
}

/** Elements given an inline style by data-css (in `host`'s shadow root, or the document) that
 * have none: the CSSOM did not set it. */
function unstyled(page, host = null) {
  return page.evaluate((host) => {
    const root = host ? document.getElementById(host).shadowRoot : document;
    const all = [...root.querySelectorAll('[data-css]')];
    return { count: all.length, missing: all.filter((e) => !e.getAttribute('style')).map((e) => e.outerHTML.slice(0, 120)) };
  }, host);
}

test('the app under a strict CSP: viewer, full app tools and the Beyond view', async () => {
  consoleViolations.length = errors.length = 0;
  const page = await open('');
  await reporting(page, 'the app', () => theApp(page));
});

async function theApp(page) {
  await page.waitForSelector('[data-testid="sim-time"]', { timeout: 30000 });
  const title = JSON.parse(fs.readFileSync(path.join(ROOT, 'www/scenarios', `${PRESET}.json`), 'utf8')).title;
  await page.selectOption('[data-testid="scenario-picker"]', PRESET);
  await until(page, 'the preset', (t) => document.querySelector('.scenario-title')?.textContent === t, title);
  await page.waitForSelector('[data-testid="dots-canvas"]');
  await page.click('[data-testid="play"]');
  await until(page, 'playback', () => Number(document.querySelector('[data-testid="sim-time"]').dataset.nowUs) > 0);
  await page.waitForTimeout(3000);
  assert.ok(await page.evaluate(simTime) > 0);
  // The pointer over a chart: its hover line and readout, with a colour swatch per series.
  const chart = page.locator('[data-testid="chart-0"] canvas');
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForSelector('.readout .swatch');
  assert.notEqual(await page.$eval('.readout .swatch', (s) => getComputedStyle(s).backgroundColor), 'rgba(0, 0, 0, 0)', 'the swatch has its colour');
  await shot(page, 'csp-01-app-playing');
  // It drew: the topology's structure, its subnet buttons where the subnets are, the charts.
  const svg = await page.evaluate(() => ({
    elements: document.querySelectorAll('.topology svg *').length,
    cards: [...document.querySelectorAll('rect.fn-card')].map((r) => getComputedStyle(r).stroke),
  }));
  assert.ok(svg.elements > 100, `the topology has ${svg.elements} SVG elements`);
  assert.ok(svg.cards.length > 0 && svg.cards.every((s) => s.startsWith('rgb(')), `function cards in their colours: ${svg.cards}`);
  const hit = await page.$eval('[data-testid="select-subnet-public-b"]', (b) => [b.offsetLeft, b.offsetTop, b.offsetWidth, getComputedStyle(b).position]);
  assert.ok(hit[0] > 0 && hit[1] > 0 && hit[2] >= 40 && hit[3] === 'absolute', `the subnet's button is placed: ${hit}`);
  const drawn = await drawnPixels(page, '[data-testid^="chart-"] canvas');
  assert.ok(drawn.length >= 4 && drawn.every((n) => n > 200), `chart pixels drawn: ${drawn}`);
  assert.ok((await drawnPixels(page, '[data-testid="dots-canvas"]'))[0] > 50, 'the environment dots are drawn');
  const u = await unstyled(page);
  assert.ok(u.count > 5 && u.missing.length === 0, `inline styles set through the CSSOM: ${JSON.stringify(u)}`);
  await page.click('[data-testid="play"]'); // pause

  // The full app's tools (loaded by the editor button).
  await page.click('[data-testid="editor-toggle"]');
  await page.waitForSelector('[data-testid="editor"]', { timeout: 30000 });
  await page.click('[data-testid="editor-toggle"]');
  await page.click('[data-testid="share-button"]');
  await page.waitForSelector('[data-testid="share-link"]');
  for (const b of ['export-json', 'export-png']) {
    const download = page.waitForEvent('download');
    await page.click(`[data-testid="${b}"]`);
    await download;
  }
  await page.selectOption('[data-testid="export-chart"]', 'throttles');
  await page.click('[data-testid="copy-link"]');
  await until(page, 'the link copied', () => document.querySelector('[data-testid="share-status"]')?.textContent.length > 0);
  const link = await page.inputValue('[data-testid="share-link"]');
  await shot(page, 'csp-02-share');
  await page.click('[data-testid="share-button"]');
  // The presenter: its pointer ring follows the mouse; chapter 2 marks the network chart.
  await page.click('[data-testid="present-button"]');
  await page.waitForSelector('[data-testid="presenter"]');
  await page.mouse.move(600, 400);
  await until(page, 'the pointer ring', () => getComputedStyle(document.querySelector('.pointer-ring')).opacity === '1');
  const chapter = (i) => until(page, `chapter ${i}`, (i) => document.querySelector('[data-testid="chapter-title"]')?.dataset.chapter === i, String(i));
  for (let i = 0; i < 6; i++) await page.keyboard.press('PageUp');
  await chapter(0);
  await page.keyboard.press('PageDown');
  await chapter(1);
  await until(page, 'the marked chart', () => getComputedStyle(document.querySelector('.charts .chart[data-chart="subnet-timeouts"]')).outlineWidth === '4px');
  await shot(page, 'csp-03-presenter');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="presenter"]', { state: 'detached' });
  // Compare: the scenario and its variant side by side, running.
  await page.click('[data-testid="compare-button"]');
  await page.waitForSelector('[data-testid="compare-side-1"]');
  await page.click('[data-testid="compare-play"]');
  await page.waitForTimeout(2000);
  await shot(page, 'csp-04-compare');
  await page.click('[data-testid="compare-button"]');
  // The Beyond scaling view (its own wasm module).
  await page.click('[data-testid="beyond-button"]');
  await page.waitForSelector('#beyond-title', { timeout: 30000 });
  await shot(page, 'csp-05-beyond');
  await page.click('[data-testid="beyond-button"]');
  await page.locator('[data-testid="beyond-view"]').waitFor({ state: 'detached' });

  // The share link opened: the chart it names is marked.
  const p2 = await open(link.slice(link.indexOf('#')));
  await p2.waitForSelector('[data-testid="sim-time"]', { timeout: 30000 });
  await until(p2, 'the linked chart', () => {
    const c = document.querySelector('.charts .chart[data-chart="throttles"]');
    return c && getComputedStyle(c).outlineWidth === '3px';
  });
  await assertClean(p2, 'the share link');
  await p2.close();
  await assertClean(page, 'the app');
  await page.close();
}

test('the example docs page under a strict CSP: every widget and the iframe', async () => {
  consoleViolations.length = errors.length = 0;
  const page = await open('examples/docs.html');
  await reporting(page, 'the docs page', () => theDocs(page));
});

async function theDocs(page) {
  const ready = (id) => page.locator(`#${id} [data-testid="widget"]:not(.lsw-loading):not(.lsw-failed)`).waitFor({ timeout: 30000 });
  /** Whether widget `id` has played past `us` (its simulated time). */
  const past = ([id, us]) => Number(document.getElementById(id)?.shadowRoot?.querySelector('[data-testid="widget"]')?.dataset.nowUs) > us;
  await ready('w-topology');
  await until(page, 'the topology widget playing', past, ['w-topology', 2e6]);
  const topo = await page.evaluate(() => document.getElementById('w-topology').shadowRoot.querySelectorAll('svg *').length);
  assert.ok(topo > 50, `the topology widget has ${topo} SVG elements`);
  for (const id of ['w-chart', 'w-full']) {
    await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'center' }), id);
    await ready(id);
    if (id === 'w-chart') await page.locator(`#${id} [data-testid="play"]`).click(); // w-full plays by itself
    await until(page, `${id} playing`, past, [id, 1e6]);
    const canvas = page.locator(`#${id} figure.chart canvas`).first();
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await page.locator(`#${id} .readout .swatch`).first().waitFor();
    const drawn = await drawnPixels(page, 'figure.chart canvas', id);
    assert.ok(drawn.length > 0 && drawn.every((n) => n > 200), `${id} chart pixels drawn: ${drawn}`);
    const u = await unstyled(page, id);
    assert.ok(u.count > 2 && u.missing.length === 0, `${id}: inline styles set through the CSSOM: ${JSON.stringify(u)}`);
    await shot(page, `csp-06-docs-${id}`);
  }
  await page.locator('#iframe-widget').scrollIntoViewIfNeeded();
  await page.frameLocator('#iframe-widget').locator('[data-testid="widget"] figure.chart[data-chart="throttles"]').waitFor({ timeout: 30000 });
  const frame = await page.$eval('#iframe-widget', (f) => [f.offsetWidth, f.offsetHeight, getComputedStyle(f).borderTopWidth]);
  assert.deepEqual(frame.slice(1), [320, '0px'], `the iframe's size and frame: ${frame}`);
  await page.evaluate(() => document.getElementById('w-compare').scrollIntoView({ block: 'center' }));
  await page.locator('#w-compare .lsw-compare table').waitFor({ timeout: 60000 });
  await shot(page, 'csp-07-docs-compare');
  // The sizing sweep: its module, its Web Workers and its chart under the same policy.
  await page.evaluate(() => document.getElementById('w-sizing').scrollIntoView({ block: 'center' }));
  await page.locator('#w-sizing [data-testid="widget"][data-state="done"] [data-testid="sz-chart"]').waitFor({ timeout: 120000 });
  assert.equal(await page.locator('#w-sizing [data-testid="sz-chart"] .sz-dot').count(), 5);
  await page.evaluate(() => document.getElementById('w-sizing').scrollIntoView({ block: 'start' }));
  await shot(page, 'csp-08-docs-sizing');
  await page.waitForTimeout(500);
  await assertClean(page, 'the docs page');
  await page.close();
}
