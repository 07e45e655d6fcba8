// End-to-end tests of the "Beyond scaling" view (src/components/beyond/): cross-account access
// evaluated as you type, configuration limits, storage choices and authorization messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, openApp, shot, ARTIFACTS } from './harness.mjs';

let server, browser, page, context, errors;
const real = (errs) => errs.filter((e) => !/status of 404/.test(e));
/** Screenshot of the whole cross-account panel (taller than the window). */
async function panelShot(name) {
  await page.setViewportSize({ width: 1440, height: 1600 });
  await page.locator('[data-testid="panel-cross-account"]').screenshot({ path: path.join(ARTIFACTS, name + '.png') });
  await page.setViewportSize({ width: 1440, height: 900 });
}
const status = (id) => page.getAttribute(`[data-testid="${id}"]`, 'data-status');

before(async () => {
  server = await serve();
  browser = await launch();
  ({ page, context, errors } = await openApp(browser, server.url));
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

test('the header opens the view; the seed allows every hop', async () => {
  const button = page.getByRole('button', { name: 'Beyond scaling' });
  await button.click();
  await page.waitForSelector('[data-testid="beyond-view"]');
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  // The view is its own wasm module, fetched on first open; then it takes the focus.
  await page.waitForSelector('#beyond-title');
  await page.waitForFunction(() => document.activeElement?.id === 'beyond-title');
  assert.equal(await page.locator('.bx-loading').count(), 0);
  for (const hop of ['hop-exec', 'hop-trust', 'hop-assumed', 'hop-bucket']) assert.equal(await status(hop), 'allowed', hop);
  assert.match(await page.textContent('[data-testid="xa-summary"]'), /Allowed: my-lambda-execution-role may assume role-on-source-account/);
  // The simulation is hidden while the view is open.
  assert.equal(await page.isVisible('.topology-panel'), false);
  await shot(page, 'beyond-01-seed');
});

test("the view's controls never run the app's own handlers (two yew apps on one page)", async () => {
  // The view is a second wasm module with its own yew, numbering its listeners like the app's:
  // a click in it must reach the view's handler only (it once toggled the app's theme).
  const app = () => page.evaluate(() => [
    document.documentElement.dataset.theme,
    document.querySelector('[data-testid="beyond-button"]')?.getAttribute('aria-pressed'),
    localStorage.getItem('lambdascape-theme'),
  ]);
  const before = await app();
  for (const b of await page.locator('[data-testid="beyond-view"] button:not([data-testid="beyond-close"])').all()) {
    await b.click();
  }
  await page.fill('[data-testid="authz-input"]', '');
  assert.deepEqual(await app(), before);
  await page.click('[data-testid="authz-sample"]');
  await page.locator('[data-testid="authz-explanation"]').waitFor();
  await page.click('[data-testid="xa-reset"]');
});

test('a trust policy that names another role turns the B hop red, and back', async () => {
  const trust = page.locator('[data-testid="policy-trust"]');
  const seed = await trust.inputValue();
  await trust.fill(seed.replace('my-lambda-execution-role', 'some-other-role'));
  await page.waitForFunction(() => document.querySelector('[data-testid="hop-trust"]')?.dataset.status === 'denied');
  assert.equal(await status('hop-exec'), 'allowed');
  assert.equal(await status('node-b'), 'denied');
  assert.equal(await page.textContent('[data-testid="xa-summary"]'),
    '✕ AccessDenied: the trust policy of role-on-source-account does not name arn:aws:iam::111111111111:role/my-lambda-execution-role as a principal');
  const stroke = await page.$eval('[data-testid="hop-trust"] line', (l) => getComputedStyle(l).stroke);
  assert.equal(stroke, 'rgb(213, 94, 0)', 'vermillion in the light theme');
  await panelShot('beyond-02-trust-denied');
  await trust.fill(seed);
  await page.waitForFunction(() => document.querySelector('[data-testid="hop-trust"]')?.dataset.status === 'allowed');
  assert.equal(await page.$eval('[data-testid="hop-trust"] line', (l) => getComputedStyle(l).stroke), 'rgb(0, 158, 115)');
  assert.match(await page.textContent('[data-testid="xa-summary"]'), /^✓ Allowed/);
});

test('malformed JSON shows its line and column and marks the hop invalid', async () => {
  const trust = page.locator('[data-testid="policy-trust"]');
  const seed = await trust.inputValue();
  // Drop the comma after "Version": line 3 starts where a `,` or `}` was expected.
  await trust.fill(seed.replace('"2012-10-17",', '"2012-10-17"'));
  const err = page.locator('[data-testid="policy-error-trust"]');
  await err.waitFor();
  assert.match(await err.textContent(), /line 3, column 3/);
  assert.equal(await status('hop-trust'), 'invalid');
  assert.equal(await trust.getAttribute('aria-invalid'), 'true');
  assert.equal(await trust.getAttribute('aria-describedby'), 'xa-trust-error');
  await panelShot('beyond-03-malformed');
  await trust.fill(seed);
  await err.waitFor({ state: 'detached' });
  assert.equal(await status('hop-trust'), 'allowed');
});

test('a 60 MB zip is a limits finding with the ways around it', async () => {
  assert.equal(await page.isVisible('[data-testid="limits-none"]'), true);
  await page.fill('[data-testid="lim-zip_mb"]', '60');
  const finding = page.locator('[data-testid="limit-finding"][data-field="zip_size_mb"]');
  await finding.waitFor();
  const text = await finding.textContent();
  assert.match(text, /Deployment package \(zipped, direct upload\)/);
  assert.match(text, /60 MB/);
  assert.match(text, /S3/);
  assert.match(text, /EFS/);
  assert.match(text, /container image/);
  await finding.scrollIntoViewIfNeeded();
  await shot(page, 'beyond-04-limits');
  await page.fill('[data-testid="lim-zip_mb"]', 'sixty');
  await page.locator('[data-testid="limits-error-zip_mb"]').waitFor();
  await page.fill('[data-testid="lim-zip_mb"]', '60');
});

test('the storage table marks EFS as fitting for shared persistent data', async () => {
  await page.check('[data-testid="st-persist"]');
  await page.check('[data-testid="st-shared"]');
  await page.selectOption('[data-testid="st-latency"]', 'low');
  const fits = (o) => page.getAttribute(`[data-testid="storage-row-${o}"]`, 'data-fits');
  await page.waitForFunction(() => document.querySelector('[data-testid="storage-row-tmp"]')?.dataset.fits === 'false');
  assert.equal(await fits('efs'), 'true');
  assert.equal(await fits('tmp'), 'false');
  assert.equal(await fits('layers'), 'false');
  assert.equal(await fits('s3'), 'false', 'S3 is not low-latency');
  assert.match(await page.textContent('[data-testid="st-verdict"]'), /Fits: Amazon EFS\./);
  await page.locator('[data-testid="panel-storage"]').scrollIntoViewIfNeeded();
  await shot(page, 'beyond-05-storage');
});

test('an authorization message is explained; malformed input gives its position', async () => {
  await page.click('[data-testid="authz-sample"]');
  await page.locator('[data-testid="authz-explanation"]').waitFor();
  assert.equal(await page.getAttribute('[data-testid="authz-explanation"]', 'data-verdict'), 'Explicit deny');
  assert.match(await page.textContent('[data-testid="authz-headline"]'), /DenyLargeInstances/);
  await page.locator('[data-testid="authz-explanation"]').scrollIntoViewIfNeeded();
  await shot(page, 'beyond-06-authz');
  await page.fill('[data-testid="authz-input"]', '{\n  "allowed": false\n  "explicitDeny": true\n}');
  const err = page.locator('[data-testid="authz-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /line 3, column 3/);
});

test('dark theme, keyboard, and back to the simulation', async () => {
  await page.click('[data-testid="theme-toggle"]');
  await page.evaluate(() => document.querySelector('.beyond').scrollTo(0, 0));
  const bg = await page.$eval('.bx-panel', (e) => getComputedStyle(e).backgroundColor);
  assert.equal(bg, 'rgb(24, 28, 34)');
  await shot(page, 'beyond-07-dark');
  await page.click('[data-testid="theme-toggle"]');
  // Escape closes the view and gives focus back to the header button.
  await page.focus('[data-testid="policy-exec"]');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="beyond-view"]').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'beyond-button');
  assert.equal(await page.isVisible('.topology-panel'), true);
  assert.deepEqual(real(errors), []);
});

test('if the view cannot be fetched it says so, and opening it again retries', async () => {
  const c = await openApp(browser, server.url);
  await c.page.route('**/lambdascape-beyond.js', (r) => r.fulfill({ status: 503, body: 'unavailable' }));
  await c.page.click('[data-testid="beyond-button"]');
  const failed = c.page.locator('.bx-loading.error');
  await failed.waitFor();
  assert.match(await failed.textContent(), /could not load/);
  assert.equal(await c.page.locator('#beyond-title').count(), 0);
  // The simulation is not broken: close, let the module through, open again.
  await c.page.click('[data-testid="beyond-button"]');
  await c.page.locator('[data-testid="beyond-view"]').waitFor({ state: 'detached' });
  await c.page.unroute('**/lambdascape-beyond.js');
  await c.page.click('[data-testid="beyond-button"]');
  await c.page.waitForSelector('#beyond-title');
  assert.equal(await c.page.locator('.bx-loading').count(), 0);
  await c.context.close();
});
