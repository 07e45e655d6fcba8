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
