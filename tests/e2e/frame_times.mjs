// Frame-time measurement: plays a scenario with 3,000+ live environments (dots on the canvas,
// charts, narrative) and prints the p50/p95 of the intervals between animation frames in
// Chromium. Two cases: the seed burst (one request per environment) and Web Functions at scale
// (multi-concurrency environments drawn as rings filled to their load), opened by a share link.
// Run by scripts/e2e.sh; alone: node tests/e2e/frame_times.mjs.
import { serve, launch, openApp, waitForTime, linkOf } from './harness.mjs';

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

/** Plays from 60 s for a few seconds; prints and checks the frame times and environments. */
async function measure(browser, url, label, hash = '') {
  const { page, errors, context } = await openApp(browser, url, { width: 1440, height: 900, hash });
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="scrub"]');
    el.value = '60';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await waitForTime(page, 60_000_000);
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
  if (envs < 3000) {
    console.error(`${label}: expected at least 3,000 environments, got ${envs}`);
    process.exitCode = 1;
  }
  await context.close();
}

const server = await serve();
const browser = await launch();
try {
  await measure(browser, server.url, 'seed burst');
  await measure(browser, server.url, 'Web Functions', linkOf({ scenario: WEB_AT_SCALE, time_us: 0 }));
} finally {
  await browser.close();
  await server.close();
}
