// The README's pictures, taken from a release build so they show the product as it is:
//   node scripts/screenshots.mjs [dist]   (scripts/screenshots.sh builds first)
// Writes docs/img/app-light.png and app-dark.png (the app at 1440x900 on a preset, stopped at a
// moment where its story shows) and docs/img/widget-docs.png (the example docs page with a live
// widget). Run it after a change to what the app or the widget draws, and commit the pictures.
import path from 'node:path';
import fs from 'node:fs';
import { serve, launch, openApp, pick, scrubTo, ROOT } from '../tests/e2e/harness.mjs';

const dist = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));
const out = path.join(ROOT, 'docs/img');
fs.mkdirSync(out, { recursive: true });
// The preset and moment the app's pictures show: a function in a VPC over two AZs, two minutes
// into its run (a whole number of the scrub bar's steps): busy and idle environments in both
// zones, the narrative, the charts.
const PRESET = 'multi-az-outage';
const AT_S = 120;

const server = await serve(dist);
const browser = await launch();
try {
  for (const theme of ['light', 'dark']) {
    const { page, context, errors } = await openApp(browser, server.url, { width: 1440, height: 900, colorScheme: theme });
    await pick(page, PRESET);
    await scrubTo(page, AT_S);
    await page.waitForTimeout(800);
    if (errors.length) throw new Error(`the app reported errors: ${errors.join('; ')}`);
    const file = path.join(out, `app-${theme}.png`);
    await page.screenshot({ path: file });
    console.log(`screenshots: ${path.relative(ROOT, file)}`);
    await context.close();
  }
  // A widget on the example docs page: the whole-picture widget (topology, charts, controls),
  // playing, in the article around it.
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(new URL('examples/docs.html', server.url).href);
  const widget = page.locator('#w-full');
  await widget.scrollIntoViewIfNeeded();
  // Let the simulation reach a moment with environments on screen.
  await page.waitForFunction(() => {
    const w = document.querySelector('#w-full')?.shadowRoot?.querySelector('[data-testid="widget"]');
    return Number(w?.dataset.nowUs ?? 0) >= 60e6;
  }, null, { timeout: 60000 });
  await page.evaluate(() => window.scrollTo(0, Math.max(0, document.querySelector('#w-full').getBoundingClientRect().top + window.scrollY - 90)));
  await page.waitForTimeout(500);
  const file = path.join(out, 'widget-docs.png');
  await page.screenshot({ path: file });
  console.log(`screenshots: ${path.relative(ROOT, file)}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
