import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * Key rotation from the keys page in headless Chromium against a real server: the new secret is shown once and works,
 * the old one ends when the chosen grace says (at once, or later), the old row names its successor; rotating the key the
 * console signed in with moves the console to the new secret without signing it out.
 */

let server: TestServer;
let browser: Browser;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();

async function status(key: string): Promise<number> {
  const res = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  await res.body?.cancel();
  return res.status;
}

/** A bearer key of the administrator, made through the API, as a program's key would be. */
async function adminKey(name: string): Promise<{ keyId: string; apiKey: string }> {
  const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
  const me = (await (await fetch(`${server.url}/quarry/iam/whoami`, { headers: auth })).json()) as { user: { userName: string } };
  const res = await fetch(`${server.url}/quarry/iam/users/${encodeURIComponent(me.user.userName)}/keys`, { method: 'POST', headers: auth, body: JSON.stringify({ name }) });
  assert.equal(res.status, 201);
  return ((await res.json()) as { key: { keyId: string; apiKey: string } }).key;
}

describe('API key rotation in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startTestServer('models: []\n'), launchChromium()]);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a key is rotated: the new secret is shown once and works, the old one stops or keeps working as chosen', async () => {
    const { context, page } = await openConsolePage(browser, pageErrors);
    const bot = await adminKey('deploy-bot');
    const slow = await adminKey('nightly-job');
    await page.goto(`${server.url}/console/keys`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const keys = page.locator('section[data-page="keys"]');
    const table = keys.getByRole('table', { name: 'API keys' });
    const row = table.locator(`tr[data-key="${bot.keyId}"]`);
    await row.waitFor();

    // Cancelled: nothing changes.
    await row.getByRole('button', { name: 'Rotate deploy-bot' }).click();
    await row.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await status(bot.apiKey), 200);

    await row.getByRole('button', { name: 'Rotate deploy-bot' }).click();
    // The question takes the keyboard's focus, so the grace is chosen and confirmed without a pointer.
    const grace = row.getByLabel('Old secret of deploy-bot');
    assert.ok(await grace.evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement), 'the grace select has the focus');
    assert.equal(await grace.inputValue(), '1d', 'a day of grace unless told otherwise');
    await grace.selectOption('now');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await keys.getByRole('heading', { name: 'Key deploy-bot rotated' }).waitFor();
    const secret = await keys.getByLabel('API key', { exact: true }).inputValue();
    assert.match(secret, /^qk-/);
    assert.notEqual(secret, bot.apiKey);
    assert.equal(await shown(keys.getByTestId('old-secret-ends')), 'The old secret has stopped working.');
    assert.equal(await status(secret), 200, 'the new secret works');
    assert.equal(await status(bot.apiKey), 401, 'the old one does not');

    // The list names the successor on the old row, which can no longer be rotated; the successor can.
    const newId = (await table.locator('tr', { hasText: 'deploy-bot' }).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).find((id) => id !== bot.keyId);
    assert.ok(newId, 'the new key is listed');
    await row.getByText(`rotated to ${newId}`).waitFor();
    assert.match(await shown(row), /expired/);
    assert.equal(await row.getByRole('button', { name: 'Rotate deploy-bot' }).count(), 0);
    assert.equal(await table.locator(`tr[data-key="${newId}"]`).getByRole('button', { name: 'Rotate deploy-bot' }).count(), 1);
    assert.ok(!(await shown(table)).includes(secret), 'the list never shows a secret');
    await shootBothThemes(page, 'keys-rotated');
    await keys.getByRole('button', { name: 'I have saved it' }).click();
    assert.equal(await keys.getByLabel('API key', { exact: true }).count(), 0, 'once dismissed the secret is gone from the page');

    // With a grace, the old secret keeps working, and the page says until when.
    const slowRow = table.locator(`tr[data-key="${slow.keyId}"]`);
    await slowRow.getByRole('button', { name: 'Rotate nightly-job' }).click();
    await slowRow.getByLabel('Old secret of nightly-job').selectOption('1h');
    await shootBothThemes(page, 'keys-rotate-confirm');
    await slowRow.getByRole('button', { name: 'Yes, rotate' }).click();
    await keys.getByRole('heading', { name: 'Key nightly-job rotated' }).waitFor();
    assert.match(await shown(keys.getByTestId('old-secret-ends')), /^The old secret keeps working until /);
    assert.equal(await status(slow.apiKey), 200);
    assert.equal(await status(await keys.getByLabel('API key', { exact: true }).inputValue()), 200);
    assert.match(await shown(slowRow), /active[\s\S]*rotated to /);
    await context.close();
    assert.deepEqual(pageErrors, []);
  });

  test('rotating the key this console signed in with moves the console to the new secret', async () => {
    const { context, page } = await openConsolePage(browser, pageErrors);
    const own = await adminKey('my-console');
    await page.goto(`${server.url}/console/keys`);
    await page.getByLabel('API key').fill(own.apiKey);
    await page.getByLabel('API key').press('Enter');
    const keys = page.locator('section[data-page="keys"]');
    const row = keys.locator(`tr[data-key="${own.keyId}"]`);
    await row.getByText('this console').waitFor();
    await row.getByRole('button', { name: 'Rotate my-console' }).click();
    await row.getByText('This console signed in with it and switches to the new secret.').waitFor();
    await row.getByLabel('Old secret of my-console').selectOption('now');
    await row.getByRole('button', { name: 'Yes, rotate' }).click();
    await keys.getByRole('heading', { name: 'Key my-console rotated' }).waitFor();
    const secret = await keys.getByLabel('API key', { exact: true }).inputValue();
    assert.equal(await status(own.apiKey), 401);
    // Still signed in, now with the new secret: the list reloads with it and marks the new key as this console's.
    const successor = keys.locator('tr', { hasText: 'this console' });
    await successor.waitFor();
    assert.notEqual(await successor.getAttribute('data-key'), own.keyId);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('quarry.apiKey')), secret);
    await keys.getByRole('button', { name: 'Reload' }).click();
    await row.getByText(/rotated to /).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 1, 'not signed out (the sign-in page has no navigation)');
    await context.close();
    assert.deepEqual(pageErrors, []);
  });

  test("an administrator sees every user's keys with their owners, narrows them to one user and disables another user's key; a user without that right sees only their own", async () => {
    const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
    const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${server.url}${path}`, { method, headers: auth, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      assert.ok(res.ok, text);
      return (text ? JSON.parse(text) : {}) as T;
    };
    await admin('POST', '/quarry/iam/users', { userName: 'dana' });
    await admin('POST', '/quarry/iam/policies', {
      policyName: 'own-keys',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JavaScript template
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'quarry:*ApiKey*', Resource: 'arn:aws:bedrock:*:*:user/${aws:username}' }] }),
    });
    await admin('PUT', '/quarry/iam/users/dana/policies/own-keys');
    const dana = (await admin<{ key: { keyId: string; apiKey: string } }>('POST', '/quarry/iam/users/dana/keys', { name: 'dana-laptop' })).key;
    const mine = await adminKey('ops-dashboard');

    const { context, page } = await openConsolePage(browser, pageErrors);
    await page.goto(`${server.url}/console/keys`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const keys = page.locator('section[data-page="keys"]');
    const table = keys.getByRole('table', { name: 'API keys' });
    const danaRow = table.locator(`tr[data-key="${dana.keyId}"]`);
    await danaRow.waitFor();
    await keys.getByRole('heading', { name: 'All keys' }).waitFor();
    assert.deepEqual(await table.locator('thead th').allInnerTexts().then((h) => h.slice(0, 3)), ['Key', 'Owner', 'Kind']);
    assert.equal(await shown(danaRow.locator('td').nth(1)), 'dana');
    assert.match(await shown(table.locator(`tr[data-key="${mine.keyId}"] td`).nth(1)), /\(you\)/);

    // Narrowed to dana, by keyboard: only her key is left.
    const filter = keys.getByLabel('Show keys of');
    await filter.focus();
    await filter.selectOption('dana');
    await keys.getByRole('heading', { name: 'Keys of dana' }).waitFor();
    assert.deepEqual(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))), [dana.keyId]);
    await shootBothThemes(page, 'keys-admin-filtered');

    // Another user's key is named with its owner; disabling it stops it at once.
    await danaRow.getByRole('button', { name: 'Disable dana-laptop of dana' }).click();
    await danaRow.getByText('disabled', { exact: true }).waitFor();
    assert.equal(await status(dana.apiKey), 401);
    await danaRow.getByRole('button', { name: 'Enable dana-laptop of dana' }).click();
    await danaRow.getByRole('button', { name: 'Disable dana-laptop of dana' }).waitFor();
    assert.equal(await status(dana.apiKey), 200);
    await filter.selectOption('');
    await keys.getByRole('heading', { name: 'All keys' }).waitFor();
    await shootBothThemes(page, 'keys-admin-all');
    await context.close();

    // Dana may list only her own keys: the page shows those, with no owner column or filter.
    const own = await openConsolePage(browser, pageErrors);
    await own.page.goto(`${server.url}/console/keys`);
    await own.page.getByLabel('API key').fill(dana.apiKey);
    await own.page.getByLabel('API key').press('Enter');
    const ownKeys = own.page.locator('section[data-page="keys"]');
    await ownKeys.locator(`tr[data-key="${dana.keyId}"]`).waitFor();
    await ownKeys.getByRole('heading', { name: 'Your keys' }).waitFor();
    assert.deepEqual(await ownKeys.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))), [dana.keyId]);
    assert.equal(await ownKeys.getByLabel('Show keys of').count(), 0);
    assert.ok(!(await ownKeys.locator('thead th').allInnerTexts()).includes('Owner'));
    assert.match(await shown(ownKeys.locator('.page-header')), /Keys of dana, the user this console is signed in as/);
    await shootBothThemes(own.page, 'keys-own-only');
    await own.context.close();
    assert.deepEqual(pageErrors, []);
  });
});
