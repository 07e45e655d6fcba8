// End-to-end tests of the web app: the release build in Chromium, checked against the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, serve, launch, openApp, shot, nowUs, figure, waitForTime, pick, scrubTo, CLI, stateOf } from './harness.mjs';

let server, browser, app;
const S = 1_000_000;
/** Console errors, without the 404 of scenarios/index.json while the preset library is absent
 * (the app then keeps its built-in presets). */
const real = (errors) => errors.filter((e) => !/status of 404/.test(e));

before(async () => {
  server = await serve();
  browser = await launch();
  app = await openApp(browser, server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
});



async function pause(page) {
  if ((await page.getAttribute('[data-testid="play"]', 'aria-pressed')) === 'true') {
    await page.click('[data-testid="play"]');
  }
}

/** The figures shown, as numbers. */
async function figures(page) {
  const ids = ['concurrency', 'environments', 'busy', 'idle', 'initializing', 'throttles', 'cold-starts', 'cost'];
  const out = { time: await nowUs(page) };
  for (const id of ids) out[id] = await figure(page, id);
  out.log = await page.$$eval('[data-testid="narrative"] li', (els) => els.length);
  return out;
}

test('the page loads with no console errors', async () => {
  const { page, errors } = app;
  await page.waitForSelector('[data-testid="dots-canvas"]');
  assert.equal(await nowUs(page), 0);
  await shot(page, '01-initial');
  assert.deepEqual(real(errors), []);
});

test('play advances the time and the counters', async () => {
  const { page } = app;
  await page.click('[data-testid="play"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="sim-time"]').dataset.nowUs) > 8e6, null, { timeout: 30000 });
  await pause(page);
  const f = await figures(page);
  assert.ok(f.time > 8 * S, `time ${f.time}`);
  assert.ok(f.concurrency > 1000, `concurrency ${f.concurrency}`);
  assert.ok(f['cold-starts'] > 1000);
  assert.ok(f.log > 0, 'the narrative tells what happened');
  await shot(page, '02-playing');
});

test('the charts draw non-blank pixels', async () => {
  const { page } = app;
  await scrubTo(page, 150);
  await page.waitForTimeout(300);
  const counts = await page.$$eval('[data-testid^="chart-"] canvas', (canvases) => canvases.map((c) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    const [r0, g0, b0] = [data[0], data[1], data[2]];
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r0) + Math.abs(data[i + 1] - g0) + Math.abs(data[i + 2] - b0) > 60) n++;
    }
    return n;
  }));
  assert.equal(counts.length, 5, 'five charts: concurrency, throttles, cold starts, latency, cost');
  for (const [i, n] of counts.entries()) assert.ok(n > 500, `chart ${i} has only ${n} drawn pixels`);
  const dots = await page.$eval('[data-testid="dots-canvas"]', (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
  assert.ok(dots > 1000, `environment dots drawn: ${dots} pixels`);
  await shot(page, '03-charts-150s');
});

test('step back then forward returns the same state', async () => {
  const { page } = app;
  await pause(page);
  await scrubTo(page, 95);
  const a = await figures(page);
  await page.click('[data-testid="step-back"]');
  await waitForTime(page, 94 * S);
  const b = await figures(page);
  assert.notDeepEqual(b, a, 'stepping back changes what is shown');
  await page.click('[data-testid="step-forward"]');
  await waitForTime(page, 95 * S);
  assert.deepEqual(await figures(page), a);
});

test('scrubbing shows the same concurrency as the CLI at that time', async () => {
  const { page } = app;
  const csv = path.join(os.tmpdir(), `lambdascape-e2e-${process.pid}.csv`);
  execFileSync(CLI, ['simulate', 'www/scenarios/seed-burst-5000.json', '--series', csv],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const [header, ...rows] = fs.readFileSync(csv, 'utf8').trim().split('\n');
  const cols = header.split(',');
  const ti = cols.indexOf('time_s');
  const ci = cols.indexOf('concurrency');
  const cli = new Map(rows.map((r) => r.split(',')).map((c) => [Number(c[ti]), Number(c[ci])]));
  fs.rmSync(csv, { force: true });
  for (const t of [10, 121, 180, 250, 61]) {
    await scrubTo(page, t);
    const shown = await figure(page, 'concurrency');
    assert.equal(shown, cli.get(t), `concurrency at ${t}s: app ${shown}, CLI ${cli.get(t)}`);
  }
});

test('keyboard controls work', async () => {
  const { page } = app;
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Home');
  await waitForTime(page, 0);
  await page.keyboard.press('ArrowRight');
  await waitForTime(page, 1 * S);
  await page.keyboard.press('ArrowRight');
  await waitForTime(page, 2 * S);
  await page.keyboard.press('ArrowLeft');
  await waitForTime(page, 1 * S);
  await page.keyboard.press(' ');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="sim-time"]').dataset.nowUs) > 3e6);
  assert.equal(await page.getAttribute('[data-testid="play"]', 'aria-pressed'), 'true');
  await page.keyboard.press('.');
  assert.equal(await page.getAttribute('[data-testid="play"]', 'aria-pressed'), 'false');
  const t = await nowUs(page);
  await page.waitForTimeout(300);
  assert.equal(await nowUs(page), t, 'paused: time stands still');
  await page.keyboard.press('End');
  await waitForTime(page, 360 * S);
  // Every control has an accessible name.
  const unnamed = await page.$$eval('button, input, select', (els) => els.filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim())).length);
  assert.equal(unnamed, 0);
});

test('clicking a dot inspects an environment, a narrative entry seeks to its time', async () => {
  const { page } = app;
  await scrubTo(page, 30);
  const box = await page.$eval('[data-testid="dots-canvas"]', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  // The first function's dot grid starts under its card header (see view::layout_topology).
  let found = false;
  for (let dy = 90; dy < 200 && !found; dy += 8) {
    await page.mouse.click(box.x + box.w * 0.5, box.y + dy);
    found = (await page.textContent('[data-testid="inspector"]')).includes('Environment #');
  }
  assert.ok(found, 'an environment is inspected');
  assert.match(await page.textContent('[data-testid="inspector"]'), /invocations served/);
  await shot(page, '04-inspect-environment');
  const entry = page.locator('[data-testid="narrative"] li button').nth(1);
  await entry.click();
  const label = await entry.getAttribute('aria-label');
  const [h, m, s] = label.slice(0, 8).split(':').map(Number);
  await waitForTime(page, (h * 3600 + m * 60 + s) * S);
  await shot(page, '05-narrative-entry');
});

test('other presets, the dark theme and a narrow screen render', async () => {
  const { page, errors } = app;
  await pick(page, 'reserved-protects-critical');
  await scrubTo(page, 100);
  await page.click('[aria-label="Inspect function batch"]');
  assert.match(await page.textContent('[data-testid="inspector"]'), /Why calls fail/);
  await shot(page, '06-reserved-preset');
  await page.click('[data-testid="theme-toggle"]');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  await page.waitForTimeout(200);
  await shot(page, '07-dark');
  await pick(page, 'current-two-functions');
  await scrubTo(page, 40);
  await shot(page, '08-current-model-dark');
  await page.click('[data-testid="theme-toggle"]');
  const narrow = await openApp(browser, server.url, { width: 390, height: 844 });
  await scrubTo(narrow.page, 70);
  await shot(narrow.page, '09-narrow');
  await narrow.page.screenshot({ path: path.join(ROOT, 'tests/e2e/artifacts/10-narrow-full.png'), fullPage: true });
  assert.deepEqual(real(narrow.errors), []);
  await narrow.context.close();
  assert.deepEqual(real(errors), []);
});

/** The CLI's JSON summary of a scenario file. */
function cliSummary(file) {
  const out = execFileSync(CLI, ['simulate', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.toString());
}

test('mixed subnets: timeouts in the public subnet only, as the CLI counts them; a subnet explains its path', async () => {
  const vpc = await openApp(browser, server.url, { hash: 'scenario=seed-mixed-subnets' });
  const { page } = vpc;
  await page.waitForSelector('[data-testid="vpc-view"]');
  assert.ok(await page.$('[data-testid="subnet-public-b"]'), 'the public subnet is drawn');
  assert.ok(await page.$('[data-testid="igw"]'), 'the internet gateway is drawn');
  assert.ok(await page.$('[data-testid="chip-NAT-nat-a"]'), 'the NAT gateway is drawn');
  assert.ok((await page.$$('[data-testid="advice-badge"]')).length > 0, 'the advisor flags the mixed subnets');
  // Midway: calls travel while playing, the failing path is drawn to the gateway.
  await scrubTo(page, 320);
  assert.ok(await page.$('[data-testid="path-public-b-0"].failing'), 'the public subnet path fails');
  assert.ok(await page.$('[data-testid="path-private-a-0"].ok'), 'the private subnet path works');
  await page.click('[data-testid="select-subnet-public-b"]');
  const text = await page.textContent('[data-testid="inspector"]');
  assert.match(text, /Subnet public-b/);
  assert.match(text, /internet gateway igw-1/);
  assert.match(text, /unreachable/);
  assert.match(text, /public IP/);
  await shot(page, '11-vpc-mixed-subnets');
  await page.click('[data-testid="select-subnet-private-a"]');
  assert.match(await page.textContent('[data-testid="inspector"]'), /reachable[\s\S]*NAT gateway nat-a/);
  // At the end, per-subnet timeouts equal the CLI's.
  await page.keyboard.press('End');
  await waitForTime(page, 1800 * S);
  const shown = {};
  for (const el of await page.$$('[data-testid^="subnet-timeouts-"]')) {
    shown[(await el.getAttribute('data-testid')).replace('subnet-timeouts-', '')] = Number(await el.getAttribute('data-value'));
  }
  const cli = cliSummary('tests/scenarios/seed-mixed-subnets.json').timeouts_by_subnet;
  assert.deepEqual(shown, cli);
  assert.ok(shown['public-b'] > 0, 'the public subnet times out');
  for (const [name, n] of Object.entries(shown)) if (name !== 'public-b') assert.equal(n, 0, `${name} has no timeouts`);
  assert.ok(await page.$('[data-chart="subnet-timeouts"]'), 'the timeouts-per-subnet chart is shown');
  assert.equal(await page.$('[data-chart="pc"]'), null, 'no PC chart without provisioned concurrency');
  await shot(page, '12-vpc-mixed-subnets-end');
  assert.deepEqual(real(vpc.errors), []);
  await vpc.context.close();
});

test('a provisioned-concurrency scenario shows the PC charts', async () => {
  // A test fixture, served as a library preset (harness.mjs) and opened by its id in the URL.
  const pc = await openApp(browser, server.url, { hash: 'scenario=pc-target-tracking' });
  await pc.page.waitForSelector('[data-chart="pc"]', { timeout: 30000 });
  assert.ok(await pc.page.$('[data-chart="pc-utilization"]'));
  assert.equal(await pc.page.$('[data-chart="subnet-timeouts"]'), null, 'no subnet chart without a VPC');
  await pc.page.keyboard.press('End');
  await pc.page.waitForTimeout(500);
  await pc.page.$eval('[data-chart="pc"]', (el) => el.scrollIntoView());
  await shot(pc.page, '13-pc-charts');
  await pc.context.close();
});

test('a crash (a bug) shows the crash panel with a reset, never a blank page', async () => {
  const c = await openApp(browser, server.url);
  await c.page.evaluate(() => { try { window.wasmBindings.crash_for_tests(); } catch (e) { /* the trap */ } });
  const panel = c.page.locator('[data-testid="crash-panel"]');
  await panel.waitFor();
  assert.match(await panel.innerText(), /Lambdascape stopped/);
  assert.match(await panel.innerText(), /a crash asked for by a test/);
  assert.equal(await c.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Reset the app');
  await shot(c.page, '14-crash-panel');
  // Reset reloads the app, which works again.
  await c.page.click('[aria-label="Reset the app"]');
  await c.page.waitForSelector('[data-testid="app"]');
  await c.page.waitForSelector('[data-testid="play"]');
  await c.context.close();
});

/** Opens a library preset by its id in the URL and waits until it is loaded. */
async function openPreset(id) {
  const title = JSON.parse(fs.readFileSync(path.join(ROOT, 'www/scenarios', `${id}.json`), 'utf8')).title;
  const opened = await openApp(browser, server.url, { hash: `scenario=${id}` });
  await opened.page.waitForFunction((t) => document.querySelector('.scenario-title')?.textContent === t, title, { timeout: 60000 });
  return opened;
}

test('compute modes: the latency chart, Managed Instances in their subnets, a Web Function queue', async () => {
  const mi = await openPreset('managed-instances-doubling');
  try {
    const { page } = mi;
    await page.waitForSelector('[data-chart="latency"]', { timeout: 30000 });
    // 22 min: the traffic jumped, three instances launching next to the three ready ones.
    await scrubTo(page, 1320);
    await page.waitForTimeout(400);
    const boxes = page.locator('[data-testid="instance"]');
    assert.ok(await boxes.count() >= 4, `instances drawn: ${await boxes.count()}`);
    assert.ok(await page.locator('.instance.launching').count() >= 1, 'a launching instance is dashed');
    // The account's concurrency limit is not this function's: the inspector says so.
    const account = await page.textContent('[data-testid="inspector"]');
    assert.match(account, /concurrency limitdoes not apply: Managed Instances and Web Functions run outside/);
    assert.doesNotMatch(account, /scaling(current|legacy)/);
    await page.click('[aria-label="Inspect function api"]');
    await page.waitForSelector('[data-testid="fn-latency"]');
    assert.match(await page.textContent('[data-testid="fn-latency"]'), /^p50 \d+ ms, p99 \d+ ms, max /);
    assert.match(await page.textContent('[data-testid="inspector"]'), /Lambda Managed Instances/);
    await shot(page, '20-managed-instances');
    assert.deepEqual(real(mi.errors), []);
  } finally {
    await mi.context.close();
  }
  const web = await openPreset('web-functions-queue');
  try {
    const { page } = web;
    await page.waitForSelector('[data-chart="latency"]', { timeout: 30000 });
    // Just after 2:00 traffic is 15 times higher and, for a second or so, requests wait for new
    // environments: played at 0.1x from 2:00 and paused while they wait.
    await scrubTo(page, 120);
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="speed"]');
      el.value = '-1';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('[data-testid="play"]');
    await page.waitForSelector('[data-testid="queue-badge"]', { timeout: 60000 });
    await page.waitForTimeout(3000);
    await pause(page);
    await page.waitForTimeout(300);
    const badge = page.locator('[data-testid="queue-badge"]');
    assert.ok(Number(await badge.getAttribute('data-value')) > 0, 'the queue is shown');
    assert.match(await badge.textContent(), /\d+ waiting/);
    await shot(page, '21-web-functions-queue');
    await scrubTo(page, 300);
    await page.waitForTimeout(400);
    await page.$eval('[data-chart="latency"]', (el) => el.scrollIntoView());
    await shot(page, '22-web-functions-latency');
    assert.deepEqual(real(web.errors), []);
  } finally {
    await web.context.close();
  }
});

/** Each chart's plot edges in page pixels: { id, left, right } (from its canvas's data-plot). */
async function plots(page) {
  return page.$$eval('[data-testid^="chart-"] canvas[data-plot]', (cs) => cs.map((c) => {
    const [l, r, t, b] = c.dataset.plot.split(' ').map(Number);
    const box = c.getBoundingClientRect();
    return { id: c.closest('[data-chart]').dataset.chart, x: Math.round(box.left), left: box.left + l, right: box.left + r, top: box.top + t, bottom: box.top + b };
  }));
}

test('the charts show a long run up to now, zoom to a dragged range, and a share link keeps it', async () => {
  const opened = await openPreset('pc-target-tracking-daily');
  try {
    const { page } = opened;
    await page.waitForSelector('[data-testid="range-fit"]', { timeout: 30000 });
    // Two hours into a day: "up to now" is the default, the time axis ends a little after now.
    await scrubTo(page, 7200);
    await page.waitForTimeout(400);
    assert.equal(await page.getAttribute('[data-testid="range-fit"]', 'aria-pressed'), 'true');
    // Every chart of a column has the same plot edges: one time axis.
    const cols = {};
    for (const p of await plots(page)) (cols[p.x] ??= []).push(p);
    assert.ok(Object.values(cols).some((ps) => ps.length >= 2), 'stacked charts');
    for (const ps of Object.values(cols)) {
      for (const p of ps) assert.ok(Math.abs(p.left - ps[0].left) < 0.6 && Math.abs(p.right - ps[0].right) < 0.6, JSON.stringify(ps));
    }
    // Drag across the concurrency chart from 20% to 60% of its plot: every chart shows that range.
    const conc = (await plots(page)).find((p) => p.id === 'concurrency');
    const y = (conc.top + conc.bottom) / 2;
    const at = (f) => conc.left + f * (conc.right - conc.left);
    await page.mouse.move(at(0.2), y);
    await page.mouse.down();
    await page.mouse.move(at(0.4), y, { steps: 4 });
    await page.mouse.move(at(0.6), y, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid="range-window"]');
    const shown = await page.textContent('[data-testid="range-window"]');
    const m = shown.match(/(\d+):(\d\d):(\d\d) – (\d+):(\d\d):(\d\d)/);
    assert.ok(m, shown);
    const secs = (h, mi, s) => Number(h) * 3600 + Number(mi) * 60 + Number(s);
    const [from, to] = [secs(m[1], m[2], m[3]), secs(m[4], m[5], m[6])];
    // "Up to now" at 2:00:00 ends at 2:30:00: 20% and 60% of it.
    assert.ok(Math.abs(from - 0.2 * 9000) <= 60 && Math.abs(to - 0.6 * 9000) <= 60, `${from}-${to}`);
    await shot(page, '30-chart-range');
    // The share link keeps the range; opened, it shows the same.
    await page.click('[data-testid="share-button"]');
    await page.waitForFunction(() => /#s=v1\./.test(document.querySelector('[data-testid="share-link"]')?.value ?? ''));
    const link = await page.inputValue('[data-testid="share-link"]');
    assert.equal(stateOf(link).view.range, `${from}-${to}`);
    const again = await openApp(browser, server.url, { hash: link.slice(link.indexOf('#') + 1) });
    try {
      await again.page.waitForSelector('[data-testid="range-window"]', { timeout: 60000 });
      assert.equal(await again.page.textContent('[data-testid="range-window"]'), shown);
      assert.deepEqual(real(again.errors), []);
    } finally {
      await again.context.close();
    }
    // Zoom out, then the whole run.
    await page.click('[data-testid="share-button"]');
    await page.click('[data-testid="range-reset"]');
    await page.waitForSelector('[data-testid="range-window"]', { state: 'detached' });
    await page.click('[data-testid="range-whole"]');
    assert.equal(await page.getAttribute('[data-testid="range-whole"]', 'aria-pressed'), 'true');
    assert.deepEqual(real(opened.errors), []);
  } finally {
    await opened.context.close();
  }
});
