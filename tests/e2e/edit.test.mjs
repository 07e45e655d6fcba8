// End-to-end tests of the scenario editor: live edits that fix the mixed-subnet timeouts from
// a moment on, undo/redo, autosave across a reload, validation that refuses nonsense, hostile
// names shown as text, and a function's compute mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { serve, launch, openApp, shot, nowUs, waitForTime, scrubTo } from './harness.mjs';

let server, browser, app;
const S = 1_000_000;
const HASH = 'scenario=seed-mixed-subnets';
const FN = 'orders-api';
const real = (errors) => errors.filter((e) => !/status of 404/.test(e));

before(async () => {
  server = await serve();
  browser = await launch();
  app = await openApp(browser, server.url, { hash: HASH });
  app.dialogs = [];
  app.page.on('dialog', (d) => { app.dialogs.push(d.message()); d.dismiss(); });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const tid = (id) => `[data-testid="${id}"]`;


async function pause(page) {
  if ((await page.getAttribute(tid('play'), 'aria-pressed')) === 'true') await page.click(tid('play'));
}

/** Timeouts and successes per subnet, as the picture shows them. */
async function perSubnet(page) {
  return page.$$eval('[data-testid^="subnet-timeouts-"], [data-testid^="subnet-successes-"]', (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.testid.replace('subnet-', ''), Number(e.dataset.value)])));
}

async function openEditor(page) {
  if ((await page.getAttribute(tid('editor-toggle'), 'aria-expanded')) !== 'true') await page.click(tid('editor-toggle'));
  await page.waitForSelector(tid('editor'));
}

/** Types into a field and commits it (Enter fires change). */
async function typeField(page, key, text) {
  const sel = tid(`field-${key}`);
  await page.fill(sel, text);
  await page.press(sel, 'Enter');
}

let T, before_, endEdited;

test('the mixed-subnet scenario times out in the public subnet', async () => {
  const { page } = app;
  await page.waitForSelector(tid('subnet-timeouts-public-b'));
  await scrubTo(page, 600);
  T = await nowUs(page);
  before_ = await perSubnet(page);
  assert.ok(before_['timeouts-public-b'] > 0, `timeouts in public-b by 10:00: ${JSON.stringify(before_)}`);
  assert.equal(before_['timeouts-private-a'], 0);
});

test('a live edit at T moves the function to private subnets and adds a NAT gateway: timeouts stop from T', async () => {
  const { page } = app;
  await openEditor(page);
  await shot(page, 'edit-01-panel');
  // Detach public-b from the function (by clicking its chip), while paused at T.
  assert.equal(await page.getAttribute(tid('fn-subnet-public-b'), 'aria-pressed'), 'true');
  await page.click(tid('fn-subnet-public-b'));
  await page.waitForFunction(() => document.querySelector('[data-testid="fn-subnet-public-b"]')?.getAttribute('aria-pressed') === 'false');
  assert.equal(await nowUs(page), T, 'the edit keeps the current time');
  // Add a NAT gateway in public-b while playing.
  await page.click(tid('play'));
  await page.click('[data-testid="ed-subnet-public-b"] > summary');
  await page.click(tid('btn-subnet:public-b:addnat'));
  await page.waitForSelector('[data-testid="nat-nat-1"]');
  assert.equal(await page.getAttribute(tid('play'), 'aria-pressed'), 'true', 'still playing after an edit');
  await pause(page);
  // The narrative tells the change at T.
  const log = await page.$$eval('[data-testid="narrative"] li', (els) => els.map((e) => e.textContent));
  assert.ok(log.some((t) => /change: set subnets of orders-api to private-a/.test(t)), log.slice(-5).join('\n'));
  // From T on no new call times out: only calls already waiting at T (timeout 5 s) end so.
  await scrubTo(page, 610);
  const settled = await perSubnet(page);
  assert.ok(settled['timeouts-public-b'] - before_['timeouts-public-b'] <= 20, JSON.stringify(settled));
  await scrubTo(page, 1800);
  endEdited = await perSubnet(page);
  assert.equal(endEdited['timeouts-public-b'], settled['timeouts-public-b'], `no timeouts after T: ${JSON.stringify(endEdited)}`);
  assert.equal(endEdited['timeouts-private-a'], 0);
  assert.ok(endEdited['successes-private-a'] > before_['successes-private-a']);
  await shot(page, 'edit-02-after-fix');
});

test('undo brings the timeouts back, redo removes them again (buttons and keys)', async () => {
  const { page } = app;
  await page.click(tid('undo')); // the NAT gateway
  await page.click(tid('undo')); // the subnets
  await waitForTime(page, 1800 * S);
  const undone = await perSubnet(page);
  assert.ok(undone['timeouts-public-b'] > before_['timeouts-public-b'], `timeouts again after undo: ${JSON.stringify(undone)}`);
  assert.equal(await page.getAttribute(tid('fn-subnet-public-b'), 'aria-pressed'), 'true');
  await page.focus(tid('play'));
  await page.keyboard.press('Control+Shift+Z');
  await page.keyboard.press('Control+y');
  await waitForTime(page, 1800 * S);
  await page.waitForSelector('[data-testid="nat-nat-1"]');
  assert.deepEqual(await perSubnet(page), endEdited);
});

test('reload restores the edited scenario (autosave)', async () => {
  const { page } = app;
  await page.reload();
  await page.waitForSelector(tid('subnet-timeouts-public-b'));
  await openEditor(page);
  assert.match(await page.textContent(tid('ed-status')), /restored/);
  // The edit is a change at T: before T the function is still in public-b, after it not.
  assert.equal(await page.getAttribute(tid('fn-subnet-public-b'), 'aria-pressed'), 'true');
  await scrubTo(page, 1800);
  assert.equal(await page.getAttribute(tid('fn-subnet-public-b'), 'aria-pressed'), 'false');
  assert.deepEqual(await perSubnet(page), endEdited);
  assert.equal(await page.isDisabled(tid('undo')), false, 'the undo history survives the reload');
});

test('an out-of-range reserved concurrency shows the error and changes nothing', async () => {
  const { page } = app;
  const undoBefore = await page.getAttribute(tid('undo'), 'aria-label');
  const shown = await perSubnet(page);
  const key = `fn:${FN}:reserved`;
  await page.fill(tid(`field-${key}`), '950');
  const err = page.locator(`.ed-field:has(${tid(`field-${key}`)}) ${tid('field-error')}`);
  await err.waitFor();
  assert.match(await err.textContent(), /950.*unreserved|unreserved.*950/);
  await page.press(tid(`field-${key}`), 'Enter');
  assert.equal(await page.getAttribute(tid(`field-${key}`), 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute(tid('undo'), 'aria-label'), undoBefore, 'nothing was recorded');
  assert.deepEqual(await perSubnet(page), shown, 'the last valid scenario keeps running');
  await shot(page, 'edit-03-invalid');
  // A valid value clears the error.
  await typeField(page, key, '10');
  await page.waitForFunction((k) => document.querySelector(`[data-testid="field-${k}"]`)?.getAttribute('aria-invalid') === 'false', key);
  await page.click(tid('undo'));
});

test('a name with markup is shown as text', async () => {
  const { page } = app;
  const hostile = '<img src=x onerror=alert(1)>';
  await page.click('[data-testid="ed-subnet-private-a"] > summary').catch(() => {});
  await typeField(page, 'subnet:private-a:addres', `${hostile}`);
  await page.waitForFunction((h) => document.body.textContent.includes(h), hostile);
  assert.equal(await page.$$eval('img', (els) => els.length), 0, 'no element created');
  assert.deepEqual(app.dialogs, [], 'no dialog');
  // A very long name is refused with a reason.
  await page.click('[data-testid="ed-vpc"] > summary');
  await typeField(page, 'az:add', 'x'.repeat(150));
  assert.match(await page.locator(`.ed-field:has(${tid('field-az:add')}) ${tid('field-error')}`).textContent(), /at most/);
  await shot(page, 'edit-04-hostile');
});

test('an advisor fix is one click and undoable; subnets can be picked on the picture', async () => {
  const { page } = app;
  await scrubTo(page, 0); // at 0 an edit changes the scenario itself
  await page.click(`${tid('ed-function')} > summary`).catch(() => {});
  if (!(await page.isVisible(tid('apply-fix')))) await page.click(`${tid('ed-function')} > summary`);
  const before = await page.getAttribute(tid('fn-subnet-public-b'), 'aria-pressed');
  const fix = page.locator(`${tid('ed-function')} ${tid('apply-fix')}`, { hasText: 'subnets' }).first();
  await fix.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="undo"]')?.getAttribute('aria-label').startsWith('Undo set subnets'));
  assert.equal(await page.getAttribute(tid('fn-subnet-public-b'), 'aria-pressed'), 'false');
  await page.click(tid('undo'));
  await page.waitForFunction((b) => document.querySelector('[data-testid="fn-subnet-public-b"]')?.getAttribute('aria-pressed') === b, before);
  // Pick mode: a click on a subnet in the picture attaches or detaches it.
  await page.click(tid('pick-subnets'));
  await page.click(tid('select-subnet-public-a'));
  await page.waitForFunction(() => document.querySelector('[data-testid="fn-subnet-public-a"]')?.getAttribute('aria-pressed') === 'true');
  await page.click(tid('pick-subnets'));
  await page.click(tid('undo'));
  await page.waitForFunction(() => document.querySelector('[data-testid="fn-subnet-public-a"]')?.getAttribute('aria-pressed') === 'false');
});

test('traffic: a pattern with a live preview, and a CSV of (time, rate) from a file', async () => {
  const { page } = app;
  const kind = tid(`field-fn:${FN}:traffic:kind`);
  await page.selectOption(kind, 'constant');
  await page.waitForSelector(tid(`field-fn:${FN}:traffic:rate`));
  const d0 = await page.getAttribute(`${tid('traffic-preview')} path.ed-curve`, 'd');
  await typeField(page, `fn:${FN}:traffic:rate`, '-3');
  assert.match(await page.locator(`.ed-field:has(${tid(`field-fn:${FN}:traffic:rate`)}) ${tid('field-error')}`).textContent(), /rate/);
  await typeField(page, `fn:${FN}:traffic:rate`, '2');
  await page.waitForFunction(() => /set traffic of orders-api to 2\/s/.test(document.querySelector('[data-testid="undo"]').getAttribute('aria-label')));
  await page.setInputFiles(tid('traffic-csv'), { name: 'rates.csv', mimeType: 'text/csv', buffer: Buffer.from('time_s,rate\n0,1\n600,8\n1200,0\n') });
  await page.waitForFunction(() => document.querySelector('[data-testid="field-fn:orders-api:traffic:kind"]')?.value === 'points');
  const d1 = await page.getAttribute(`${tid('traffic-preview')} path.ed-curve`, 'd');
  assert.notEqual(d1, d0, 'the preview follows the traffic');
  // Draw a curve with the mouse over the preview.
  await page.locator(tid('traffic-preview')).scrollIntoViewIfNeeded();
  const b = await page.locator(tid('traffic-preview')).boundingBox();
  await page.mouse.move(b.x + 5, b.y + b.height - 10);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(b.x + 5 + (b.width - 10) * i / 20, b.y + b.height - 10 - (b.height - 20) * Math.sin(Math.PI * i / 20));
  await page.mouse.up();
  await page.waitForFunction(() => /set traffic of orders-api to a curve of \d+ points/.test(document.querySelector('[data-testid="undo"]').getAttribute('aria-label')));
  await shot(page, 'edit-05-traffic');
  for (let i = 0; i < 4; i++) await page.click(tid('undo'));
});

/** The JSON inside a share link (`#s=v1.<base64url(zlib(JSON))>.<crc32>`, crates/engine/src/share.rs). */
function stateOf(link) {
  const [, data] = /#s=v1\.([A-Za-z0-9_-]+)\.[0-9a-f]{8}$/.exec(link);
  return JSON.parse(zlib.inflateSync(Buffer.from(data, 'base64url')).toString());
}

test('compute mode: refused with provisioned concurrency, then Web Functions with 8 per environment, in the picture and the share link', async () => {
  // A page of its own (the preset with provisioned concurrency), so the story above is untouched.
  const { page, context, errors } = await openApp(browser, server.url, { hash: 'scenario=pc-vs-cold-starts' });
  const fn = 'checkout-api';
  const mode = tid(`field-fn:${fn}:compute`);
  const errorOf = (sel) => page.locator(`.ed-field:has(${sel}) ${tid('field-error')}`);
  const undoIs = (re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid="undo"]')?.getAttribute('aria-label') ?? ''), re.source);
  await openEditor(page);
  await page.waitForSelector(mode);
  assert.equal(await page.inputValue(mode), 'on_demand');
  const undoBefore = await page.getAttribute(tid('undo'), 'aria-label');

  // With provisioned concurrency 100: SnapStart and Web Functions are refused with the reason;
  // nothing is recorded and the select goes back to the mode in force.
  await page.selectOption(mode, 'snapstart:java');
  await errorOf(mode).waitFor();
  assert.match(await errorOf(mode).textContent(), /SnapStart cannot be combined with provisioned concurrency/);
  await page.waitForFunction((sel) => document.querySelector(sel)?.value === 'on_demand', mode);
  await page.selectOption(mode, 'web');
  await page.waitForFunction((sel) => /provisioned concurrency applies to on-demand functions only/.test(
    document.querySelector(`.ed-field:has(${sel}) [data-testid="field-error"]`)?.textContent ?? ''), mode);
  assert.equal(await page.getAttribute(mode, 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute(tid('undo'), 'aria-label'), undoBefore, 'nothing was recorded');
  await shot(page, 'edit-08-compute-refused');

  // Remove provisioned concurrency, then switch to Web Functions: its settings appear.
  await typeField(page, `fn:${fn}:pc`, '');
  await undoIs(/^Undo remove provisioned concurrency of checkout-api$/);
  await page.selectOption(mode, 'web');
  await undoIs(/^Undo switch checkout-api to Lambda Web Functions$/);
  const per = tid(`field-fn:${fn}:web:concurrency`);
  await page.waitForSelector(per);
  assert.equal(await page.inputValue(per), '64', "AWS's default maxConcurrencyPerEnvironment");
  assert.equal(await page.getAttribute(mode, 'aria-invalid'), 'false');
  // Out of AWS's 1–128: the field says so as typed, and Enter records nothing.
  await typeField(page, `fn:${fn}:web:concurrency`, '200');
  await errorOf(per).waitFor();
  assert.match(await errorOf(per).textContent(), /200 is outside AWS's 1–128/);
  await typeField(page, `fn:${fn}:web:concurrency`, '8');
  await undoIs(/^Undo set the concurrency per environment of checkout-api to 8$/);
  assert.equal(await page.getAttribute(per, 'aria-invalid'), 'false');

  // The run: in the first rush (5:00–7:00) every environment serves up to 8 requests.
  await scrubTo(page, 360);
  const slots = await page.textContent(tid('fn-slots'));
  const m = /of ([\d,]+) slots/.exec(slots);
  assert.ok(m, slots);
  const capacity = Number(m[1].replace(/,/g, ''));
  assert.ok(capacity > 0 && capacity % 8 === 0, `slots in whole environments of 8: ${slots}`);
  // During the run the mode cannot change: the error points to time 0.
  await page.selectOption(mode, 'on_demand');
  await page.waitForFunction((sel) => /during a run.*time 0/.test(
    document.querySelector(`.ed-field:has(${sel}) [data-testid="field-error"]`)?.textContent ?? ''), mode);
  await page.waitForFunction((sel) => document.querySelector(sel)?.value === 'web', mode);
  await shot(page, 'edit-09-web-functions');

  // The share link carries the edited function.
  await page.click(tid('share-button'));
  await page.waitForFunction(() => /#s=v1\./.test(document.querySelector('[data-testid="share-link"]')?.value ?? ''));
  const shared = stateOf(await page.inputValue(tid('share-link'))).scenario.functions[0];
  assert.equal(shared.name, fn);
  assert.equal(shared.web.max_concurrency_per_environment, 8);
  assert.equal(shared.provisioned, undefined);
  assert.deepEqual(real(errors), []);
  await context.close();
});

test("a function's CPU work: shown as typed, refused out of range, removed and restored by undo", async () => {
  const { page, context, errors } = await openApp(browser, server.url, { hash: 'scenario=pc-vs-cold-starts' });
  const cpu = tid('field-fn:checkout-api:cpu');
  const errorOf = page.locator(`.ed-field:has(${cpu}) ${tid('field-error')}`);
  await openEditor(page);
  await page.waitForSelector(cpu);
  assert.equal(await page.inputValue(cpu), '50% at 1024 MB', "the preset's cpu_bound");
  const undoBefore = await page.getAttribute(tid('undo'), 'aria-label');
  await typeField(page, 'fn:checkout-api:cpu', '150% at 1024 MB');
  await errorOf.waitFor();
  assert.match(await errorOf.textContent(), /^✕ 1\.5 is not a share between 0 and 1$/);
  assert.equal(await page.getAttribute(tid('undo'), 'aria-label'), undoBefore, 'nothing was recorded');
  await typeField(page, 'fn:checkout-api:cpu', '');
  await page.waitForFunction(() => /remove CPU work of checkout-api/.test(document.querySelector('[data-testid="undo"]')?.getAttribute('aria-label') ?? ''));
  assert.equal(await page.inputValue(cpu), '');
  await page.click(tid('undo'));
  await page.waitForFunction((sel) => document.querySelector(sel)?.value === '50% at 1024 MB', cpu);
  assert.deepEqual(real(errors), []);
  await context.close();
});

test('reset to preset drops the edits; narrow and dark layouts stack the panel', async () => {
  const { page, errors } = app;
  await page.click(tid('reset-preset'));
  await page.waitForFunction(() => document.querySelector('[data-testid="fn-subnet-public-b"]')?.getAttribute('aria-pressed') === 'true');
  assert.equal(await page.isDisabled(tid('undo')), true);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.click(tid('theme-toggle'));
  await shot(page, 'edit-06-dark');
  await page.setViewportSize({ width: 420, height: 900 });
  await page.waitForTimeout(200);
  await shot(page, 'edit-07-narrow');
  const box = await page.locator(tid('editor')).boundingBox();
  assert.ok(box.width <= 420, `the panel fits a narrow screen: ${box.width}`);
  assert.deepEqual(real(errors), []);
});
