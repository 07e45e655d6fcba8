// Frame-time measurement: plays a scenario with 3,000+ live environments (dots on the canvas,
// charts, narrative) and prints the p50/p95 of the intervals between animation frames in
// Chromium. Three cases: the seed burst (one request per environment), Web Functions at scale
// (multi-concurrency environments drawn as rings filled to their load), opened by a share link,
// and 12,000 environments (each dot standing for several; its picture saved in the artifacts).
// Run by scripts/e2e.sh; alone: node tests/e2e/frame_times.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, waitForTime, linkOf, ARTIFACTS } from './harness.mjs';

/** Web Functions, 4 requests per environment, 4,000 requests/s of 3 s: about 3,600 environments. */
const WEB_AT_SCALE = {
  version: 1,
  name: 'frame-times-web',
  title: 'Web Functions at scale: 4 requests per environment, 4,000 requests/s',
  seed: 1,
  duration: '5m',
  sample_interval: '1s',
  functions: [{
    name: 'web-api',
    memory_mb: 1024,
    timeout: '10s',
    init: { type: 'constant', ms: 300 },
    duration: { type: 'lognormal', mean_ms: 3000, std_ms: 500 },
    web: { max_concurrency_per_environment: 4 },
    traffic: { type: 'constant', rate: 4000, arrivals: 'poisson' },
  }],
};

/** 12,000 single-request environments: 4,000 requests/s of 3 s with an account limit of
 * 15,000, reached after Lambda's scaling of 1,000 environments every 10 s. Drawn as dots
 * that each stand for several environments (a band of 1 px dots would show nothing). */
const TWELVE_THOUSAND = {
  version: 1,
  name: 'frame-times-12k',
  title: '12,000 environments: 4,000 requests/s of 3 s',
  seed: 1,
  duration: '5m',
  sample_interval: '1s',
  account: { concurrency_limit: 15000 },
  functions: [{
    name: 'api',
    memory_mb: 1024,
    timeout: '10s',
    init: { type: 'constant', ms: 300 },
    duration: { type: 'lognormal', mean_ms: 3000, std_ms: 500 },
    traffic: { type: 'constant', rate: 4000, arrivals: 'poisson' },
  }],
};

/** Plays from `at` s for a few seconds; prints and checks the frame times and environments
 * (at least `least`). */
async function measure(browser, url, label, hash = '', at = 60, least = 3000) {
  const { page, errors, context } = await openApp(browser, url, { width: 1440, height: 900, hash });
  await page.evaluate((at) => {
    const el = document.querySelector('[data-testid="scrub"]');
    el.value = String(at);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, at);
  await waitForTime(page, at * 1_000_000, 180000);
  const envs = Number(await page.getAttribute('[data-testid="environments"]', 'data-value'));
  // Speed as log10 of the factor (FRAME_SPEED_LOG=2 plays at 100x: more engine work per frame).
  const speedLog = process.env.FRAME_SPEED_LOG || '0';
  await page.evaluate((v) => {
    const el = document.querySelector('[data-testid="speed"]');
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, speedLog);
  await page.click('[data-testid="play"]');
  const seconds = Number(process.env.FRAME_SECONDS || 6);
  const frames = await page.evaluate((ms) => new Promise((resolve) => {
    const out = [];
    let last = performance.now();
    const t0 = last;
    function f(ts) {
      out.push(ts - last);
      last = ts;
      if (ts - t0 < ms) requestAnimationFrame(f); else resolve(out);
    }
    requestAnimationFrame(f);
  }), seconds * 1000);
  const sorted = frames.slice(1).sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(`${label}: frame times at ${(10 ** Number(speedLog)).toFixed(1)}x with ${envs} environments over ${sorted.length} frames: p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
  const real = errors.filter((e) => !/status of 404/.test(e)); // no scenarios/index.json yet: built-in presets
  if (real.length) {
    console.error(`${label}: console errors:`, errors);
    process.exitCode = 1;
  }
  if (envs < least) {
    console.error(`${label}: expected at least ${least} environments, got ${envs}`);
    process.exitCode = 1;
  }
  if (least >= 10000) {
    // The picture says what a dot stands for.
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('.topology-panel').screenshot({ path: path.join(ARTIFACTS, 'frame-times-12k.png') });
  }
  await context.close();
}

const server = await serve();
const browser = await launch();
try {
  await measure(browser, server.url, 'seed burst');
  await measure(browser, server.url, 'Web Functions', linkOf({ scenario: WEB_AT_SCALE, time_us: 0 }));
  await measure(browser, server.url, '12,000 environments', linkOf({ scenario: TWELVE_THOUSAND, time_us: 0 }), 180, 12000);
} finally {
  await browser.close();
  await server.close();
}
