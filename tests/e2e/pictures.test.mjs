// Every preset's picture, at a desktop (1440×900) and a phone (390×844) size, light and dark:
// saved to tests/e2e/artifacts/pictures/ (look at them) and checked in the browser: no text of
// the topology leaves the picture, and the picture is never wider than its box (it may scroll
// down, never sideways).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ARTIFACTS, serve, launch, openApp, pick, scrubTo } from './harness.mjs';

const PRESETS = JSON.parse(fs.readFileSync(path.join(ROOT, 'www/scenarios/index.json'), 'utf8')).presets.map((p) => p.id);
const OUT = path.join(ARTIFACTS, 'pictures');
let server, browser;

before(async () => {
  server = await serve();
  browser = await launch();
  fs.mkdirSync(OUT, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Texts of the topology outside its picture, and how much wider the picture is than its box. */
function overflow(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('.topology-svg');
    const box = document.querySelector('[data-testid="topology"]');
    if (!svg || !box) return { missing: true };
    const pic = svg.getBoundingClientRect();
    const out = [];
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < pic.left - 1 || r.right > pic.right + 1 || r.top < pic.top - 1 || r.bottom > pic.bottom + 1) {
        out.push(`"${t.textContent}" at ${Math.round(r.left - pic.left)},${Math.round(r.top - pic.top)} (${Math.round(r.width)} wide) outside ${Math.round(pic.width)}×${Math.round(pic.height)}`);
      }
    }
    return { out, wider: box.scrollWidth - box.clientWidth };
  });
}

for (const [w, h] of [[1440, 900], [390, 844]]) {
  for (const theme of ['light', 'dark']) {
    test(`every preset at ${w}×${h}, ${theme}: saved, no text outside the picture`, async () => {
      const { page, context, errors } = await openApp(browser, server.url, { width: w, height: h, colorScheme: theme });
      const problems = [];
      for (const id of PRESETS) {
        await pick(page, id);
        await scrubTo(page, 60);
        await page.waitForTimeout(150);
        const o = await overflow(page);
        if (o.missing) problems.push(`${id}: no topology`);
        else {
          for (const t of o.out) problems.push(`${id}: ${t}`);
          if (o.wider > 1) problems.push(`${id}: the picture is ${o.wider}px wider than its box`);
        }
        await page.screenshot({ path: path.join(OUT, `${id}-${w}x${h}-${theme}.png`) });
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), []);
      await context.close();
    });
  }
}

// A phone: the picture comes first and the controls stay within reach. At 390×844 the header
// and the figures are compact, the topology starts in the first screen and fills it down to the
// timeline, a bar at the bottom that covers none of it (and none of the page's end when scrolled
// down), and every control of the header can be brought into view and clicked.
test('a phone (390×844): the picture in the first screen, the timeline beside it, every header control reachable', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { width: 390, height: 844 });
  await pick(page, 'mixed-subnets');
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = (sel) => page.$eval(sel, (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height };
  });
  const topo = await box('[data-testid="topology"]');
  const panel = await box('.topology-panel');
  const timeline = await box('.timeline');
  const header = await box('.header');
  const figures = await box('.figures');
  const note = JSON.stringify({ header, figures, topo, timeline });
  // the timeline: a bar of at most two rows at the bottom of the screen
  assert.ok(timeline.bottom <= 844 + 0.5 && timeline.bottom >= 844 - 8, `the timeline sits at the bottom: ${note}`);
  assert.ok(timeline.height <= 120, `the timeline is ${timeline.height}px tall`);
  // the picture starts in the first screen, above the timeline, and most of the screen is picture
  assert.ok(header.height <= 120, `the header is ${header.height}px tall`);
  assert.ok(figures.height <= 140, `the figures are ${figures.height}px tall`);
  assert.ok(topo.top < timeline.top - 300, `the topology starts at ${topo.top}, the timeline at ${timeline.top}`);
  assert.ok(panel.bottom <= timeline.top + 0.5, `the timeline covers the picture's panel: ${note}`);
  assert.ok(Math.min(topo.bottom, timeline.top) - topo.top >= 0.45 * 844, `the picture shows ${Math.round(timeline.top - topo.top)}px: ${note}`);
  // nothing scrolls sideways
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the page scrolls sideways');
  // the timeline's controls: in the screen, large enough to touch, not covered
  const hit = (sel) => page.$eval(sel, (el) => {
    const r = el.getBoundingClientRect();
    const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { ok: el === at || el.contains(at), left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height, width: r.width };
  });
  for (const id of ['home', 'step-back', 'play', 'step-forward', 'end', 'scrub', 'speed']) {
    const h = await hit(`.timeline [data-testid="${id}"]`);
    assert.ok(h.ok && h.left >= 0 && h.right <= 390 && h.bottom <= 844, `${id} is hidden: ${JSON.stringify(h)}`);
    assert.ok(h.height >= 32, `${id} is ${h.height}px tall`);
  }
  // every control of the header: scrolled into view (the tools row scrolls sideways), in the
  // screen, large enough to touch, hit by a tap at its centre, and clickable when enabled
  const controls = await page.$$eval('.header button, .header select', (els) => els.map((e) => e.dataset.testid));
  for (const t of ['scenario-picker', 'share-button', 'present-button', 'compare-button', 'beyond-button', 'editor-toggle', 'undo', 'redo', 'embed-button', 'theme-toggle']) {
    assert.ok(controls.includes(t), `the header has ${t}: ${controls}`);
  }
  for (const id of controls) {
    assert.ok(id, 'a header control without a test id');
    const sel = `.header [data-testid="${id}"]`;
    await page.locator(sel).scrollIntoViewIfNeeded();
    const h = await hit(sel);
    assert.ok(h.ok && h.left >= -0.5 && h.right <= 390.5 && h.top >= -0.5 && h.bottom <= 844, `${id} cannot be reached: ${JSON.stringify(h)}`);
    assert.ok(h.height >= 34 && h.width >= 34, `${id} is ${Math.round(h.width)}×${Math.round(h.height)}`);
    if (await page.locator(sel).isEnabled()) await page.locator(sel).click({ trial: true, timeout: 5000 });
  }
  await page.locator('.header [data-testid="theme-toggle"]').click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  // the page's end scrolls clear of the timeline
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForTimeout(100);
  const end = await page.evaluate(() => Math.max(...[...document.querySelector('.app').children]
    .filter((el) => !el.matches('.timeline') && getComputedStyle(el).position !== 'fixed')
    .map((el) => el.getBoundingClientRect().bottom)));
  const bar = await box('.timeline');
  assert.ok(end <= bar.top + 0.5, `the page's end (${end}) stays under the timeline (${bar.top})`);
  await page.screenshot({ path: path.join(OUT, 'phone-layout-390x844.png') });
  assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), []);
  await context.close();
});
