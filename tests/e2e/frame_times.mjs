// Frame-time measurement: plays the seed burst scenario with 3,000+ live environments (dots on
// the canvas, charts, narrative) and prints the p50/p95 of the intervals between animation
// frames in Chromium. Run by scripts/e2e.sh; alone: node tests/e2e/frame_times.mjs.
import { serve, launch, openApp, waitForTime } from './harness.mjs';

const server = await serve();
const browser = await launch();
try {
  const { page, errors } = await openApp(browser, server.url, { width: 1440, height: 900 });
  // Seed burst at 60 s: about 3,500 environments; play at 1x so the dots keep changing.
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
  console.log(`frame times at ${(10 ** Number(speedLog)).toFixed(1)}x with ${envs} environments over ${sorted.length} frames: p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
  const real = errors.filter((e) => !/status of 404/.test(e)); // no scenarios/index.json yet: built-in presets
  if (real.length) {
    console.error('console errors:', errors);
    process.exitCode = 1;
  }
  if (envs < 3000) {
    console.error(`expected at least 3,000 environments, got ${envs}`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await server.close();
}
