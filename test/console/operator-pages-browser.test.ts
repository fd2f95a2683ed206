import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * The operator pages in headless Chromium against a real server: an API key created (its secret shown once, and
 * working), disabled, deleted; the audit trail showing those calls, filtered, and its chain verified; a budget refused
 * with the server's own message, then created, edited and deleted from the usage page; the operations page with
 * routing's deployments (one drained and restored) and a keyring rotation. Any script error or CSP violation in the page fails the run.
 */

const ECHO = 'scripted.echo-v1:0';
const YAML = `models:
  - id: ${ECHO}
    provider: scripted
    upstreamModel: echo
deployments:
  - { id: echo-east, model: "${ECHO}", provider: scripted, region: us-east-1 }
  - { id: echo-west, model: "${ECHO}", provider: scripted, region: us-west-2, priority: 1 }
`;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const section = (name: string) => page.locator(`section[data-page="${name}"]`);
const shoot = (name: string) => shootBothThemes(page, name);
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** Whether a located element has the keyboard focus (the page's DOM types are not in this file's lib). */
const hasFocus = (el: unknown) => el === (el as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement;

/** Polls what the page shows until `ok` holds: a reload may not have begun when the click that asked for it returns. */
async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; !(await ok()); i++) {
    assert.ok(i < 100, `timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function api(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.body?.cancel();
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
}

async function status(key: string): Promise<number> {
  const res = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  await res.body?.cancel();
  return res.status;
}

describe('API keys, audit log, budgets and operations consoles in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A rotation waits for other replicas to see the new key; this server is alone, so it need not wait.
    [server, browser] = await Promise.all([startTestServer(YAML, { keyring: { refreshMs: 0, rotation: { settleMs: 0 } } }), launchChromium()]);
    ({ context, page } = await openConsolePage(browser, pageErrors));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  test('a key is created with its secret shown once, works, is disabled, and is deleted', async () => {
    await page.goto(`${server.url}/console/keys`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const keys = section('keys');
    const table = keys.getByRole('table', { name: 'API keys' });
    // The bootstrap key this console signed in with is listed and marked.
    await table.getByText('this console').waitFor();
    assert.equal(await page.title(), 'API keys · Quarry');

    // The server's refusal, in its words, and nothing created.
    await keys.getByLabel('Name').fill('x'.repeat(129));
    await keys.getByRole('button', { name: 'Create key' }).click();
    assert.match(await shown(keys.getByRole('alert')), /validation error.*CreateApiKey request.*name/);
    assert.equal(await table.locator('tbody tr').count(), 2);

    await keys.getByLabel('Name').fill('ci-pipeline');
    await keys.getByLabel('Expires after').selectOption('30d');
    await keys.getByRole('button', { name: 'Create key' }).click();
    const secretBox = keys.getByLabel('API key', { exact: true });
    await secretBox.waitFor();
    await keys.getByText('Copy this secret now: it will not be shown again.').waitFor();
    const secret = await secretBox.inputValue();
    assert.match(secret, /^qk-/);
    await keys.getByRole('button', { name: 'Copy' }).click();
    await keys.getByText(/Copied to the clipboard|press Ctrl\+C/).waitFor();
    assert.equal(await status(secret), 200);

    const row = table.locator('tr', { hasText: 'ci-pipeline' });
    await row.waitFor();
    assert.match(await shown(row), /ci-pipeline[\s\S]*Bearer\s+active/);
    assert.ok(!(await shown(table)).includes(secret), 'the list never shows a secret');
    await shoot('keys-created');
    await keys.getByRole('button', { name: 'I have saved it' }).click();
    assert.equal(await secretBox.count(), 0, 'once dismissed the secret is gone from the page');

    await row.getByRole('button', { name: 'Disable ci-pipeline' }).click();
    await row.getByText('disabled').waitFor();
    assert.equal(await status(secret), 401);

    await row.getByRole('button', { name: 'Delete ci-pipeline' }).click();
    await row.getByText('Calls with it will be refused at once. Delete?').waitFor();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal(await table.locator('tr', { hasText: 'ci-pipeline' }).count(), 0);
  });

  test('the audit log shows those calls, filters them, and verifies the chain', async () => {
    await nav('Audit log').click();
    const audit = section('audit');
    const events = audit.getByRole('table', { name: 'Audit events' });
    // The audit writer batches events, so the last call may land a moment after the page first reads the trail.
    const rows = (selector = 'tbody tr') => events.locator(selector).count();
    await events.waitFor();
    for (let tries = 0; (await rows('tr[data-action="quarry:DeleteApiKey"]')) === 0; tries++) {
      assert.ok(tries < 50, 'DeleteApiKey was never recorded');
      await new Promise((r) => setTimeout(r, 200));
      await audit.getByRole('button', { name: 'Reload' }).click();
      await audit.getByText('Loading audit events').waitFor({ state: 'detached' });
    }
    // The last Reload's own render may still come (its click can return before the list empties): the rows are read
    // once they hold still.
    const listed = async () => [await rows('tr[data-action="quarry:CreateApiKey"]'), await rows('tr[data-action="quarry:UpdateApiKey"]')].join();
    await until('the key calls are listed once each', async () => (await listed()) === '1,1');

    // A bad range is named before any call.
    await audit.getByLabel('From').fill('2027-02-01T00:00');
    await audit.getByLabel('Until').fill('2027-01-01T00:00');
    await audit.getByRole('button', { name: 'Apply filters' }).click();
    await audit.getByText('"From" must be before "Until".').waitFor();

    await audit.getByRole('button', { name: 'Clear filters' }).click();
    await audit.getByLabel('Action or event').fill('quarry:DeleteApiKey');
    await audit.getByRole('button', { name: 'Apply filters' }).click();
    await until('only the deletion is listed', async () => (await rows()) === 1 && (await rows('tr[data-action="quarry:DeleteApiKey"]')) === 1);
    assert.match(await shown(events.locator('tbody tr')), /DeleteApiKey[\s\S]*succeeded/);

    await audit.getByLabel('Action or event').fill('quarry:NoSuchAction');
    await audit.getByRole('button', { name: 'Apply filters' }).click();
    await audit.getByText('No events match these filters').waitFor();
    await audit.getByRole('button', { name: 'Clear filters' }).click();
    await events.waitFor();

    // More events than a page: "Load more" appends the next one.
    for (let i = 0; i < 50; i++) await api('GET', '/quarry/budgets');
    await api('POST', '/quarry/audit/verify'); // which first writes what the audit writer still holds
    await audit.getByRole('button', { name: 'Reload' }).click();
    await until('a full page of 50 events is listed', async () => (await rows()) === 50);
    await audit.getByRole('button', { name: 'Load more' }).click();
    await events.locator('tbody tr').nth(50).waitFor();
    const ids = await events.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
    assert.equal(new Set(ids).size, ids.length, 'the second page continues the first, without repeats');
    assert.equal(await events.locator('tr[data-action="quarry:CreateApiKey"]').count(), 1, 'and reaches back to the key created first');

    await audit.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = audit.getByTestId('verify-result');
    await verdict.getByText('Chain intact.').waitFor();
    assert.match(await shown(verdict), /Chain intact\. \d+ events? in 1 account checked/);
    await shoot('audit-log');
  });

  test('a budget is refused with the server’s message, then created, edited and deleted', async () => {
    await nav('Usage & cost').click();
    const usage = section('usage');
    await usage.getByText('No budgets yet').waitFor();
    await usage.getByRole('button', { name: 'New budget' }).click();
    const form = usage.getByRole('form', { name: 'New budget' });
    await form.getByLabel('Name').fill('team cap');
    await form.getByLabel('Amount (USD)').fill('abc');
    await form.getByRole('button', { name: 'Create budget' }).click();
    await form.getByText('Amount: enter the budget in US dollars').waitFor();

    // The server's own validation, in its words.
    await form.getByLabel('Amount (USD)').fill('50');
    await form.getByRole('button', { name: 'Create budget' }).click();
    await form.getByRole('alert').getByText(/name/).waitFor();
    assert.match(await shown(form.getByRole('alert')), /validation error.*CreateBudget request/);

    await form.getByLabel('Name').fill('team-cap');
    await form.getByLabel('When used up').selectOption('ROUTE');
    await form.getByRole('button', { name: 'Create budget' }).click();
    await form.getByRole('alert').getByText(/routeModelId/).waitFor();
    await form.getByLabel('Model to route to').fill(ECHO);
    await form.getByLabel('Counts spend of').selectOption('tag');
    await form.getByLabel('Tag key').fill('team');
    await form.getByLabel('Tag value').fill('search');
    await form.getByRole('button', { name: 'Create budget' }).click();
    const row = usage.locator('tr[data-budget="team-cap"]');
    await row.waitFor();
    assert.match(await shown(row), /team-cap\s+Tag team=search\s+Monthly\s+\$0 of \$50\.00[\s\S]*Routes to another model/);
    await shoot('budgets-created');

    await row.getByRole('button', { name: 'Edit team-cap' }).click();
    const edit = usage.getByRole('form', { name: 'Edit budget team-cap' });
    assert.equal(await edit.getByLabel('Amount (USD)').inputValue(), '50');
    assert.equal(await edit.getByLabel('Model to route to').inputValue(), ECHO);
    await edit.getByLabel('Amount (USD)').fill('75.5');
    await edit.getByLabel('Period').selectOption('DAILY');
    await edit.getByLabel('When used up').selectOption('DENY');
    await shoot('budgets-editing');
    await edit.getByRole('button', { name: 'Save budget' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText('$75.50').waitFor();
    assert.match(await shown(row), /Daily[\s\S]*Refuses calls when used up/);

    await row.getByRole('button', { name: 'Delete team-cap' }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await usage.getByText('No budgets yet').waitFor();
  });

  test('the operations page shows the deployments', async () => {
    await nav('Operations').click();
    const ops = section('operations');
    const deployments = ops.getByRole('table', { name: 'Deployments' });
    await deployments.locator('tr[data-deployment="echo-east"]').waitFor();
    assert.match(await shown(deployments.locator('tr[data-deployment="echo-east"]')), new RegExp(`^echo-east\\s+${ECHO.replace(/[.:]/g, '\\$&')} on scripted · us-east-1\\s+serving`));
    assert.match(await shown(deployments.locator('tr[data-deployment="echo-west"]')), /us-west-2\s+serving/);
  });

  test('a deployment is drained after a confirmation, by keyboard, and restored; traffic follows', async () => {
    const ops = section('operations');
    const east = ops.getByRole('table', { name: 'Deployments' }).locator('tr[data-deployment="echo-east"]');
    const drainEast = ops.getByRole('button', { name: 'Drain echo-east' });
    // Escape takes the question back and leaves the keyboard on Drain.
    await drainEast.focus();
    await page.keyboard.press('Enter');
    const question = ops.getByRole('group', { name: 'Drain echo-east?' });
    await question.waitFor();
    assert.match(await shown(question), /Stop new calls to echo-east on every replica\?/);
    await page.keyboard.press('Escape');
    await drainEast.waitFor();
    assert.equal(await drainEast.evaluate(hasFocus), true);
    assert.equal(server.runtime.router.health().find((d) => d.id === 'echo-east')?.drained, false, 'cancelled: nothing drained');

    // The question takes the keyboard, so Enter on Drain then Enter again drains.
    await page.keyboard.press('Enter');
    await ops.getByRole('button', { name: 'Yes, drain' }).waitFor();
    await shoot('operations-drain-question');
    await page.keyboard.press('Enter');
    const restoreEast = ops.getByRole('button', { name: 'Restore echo-east' });
    await restoreEast.waitFor();
    await until('east shows as drained by an operator', async () => /drained\s+Taken out of rotation by an operator/.test(await shown(east)));
    assert.equal(await restoreEast.evaluate(hasFocus), true, 'the keyboard is on Restore');
    const h = server.runtime.router.health();
    assert.deepEqual(
      h
        .filter((d) => d.id.startsWith('echo-'))
        .map((d) => [d.id, d.drained, d.drainedBy])
        .sort(),
      [
        ['echo-east', true, 'operator'],
        ['echo-west', false, 'config'],
      ],
    );
    const westCalls = h.find((d) => d.id === 'echo-west')!.calls;
    await api('POST', `/model/${ECHO}/converse`, { messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
    assert.equal(server.runtime.router.health().find((d) => d.id === 'echo-west')!.calls, westCalls + 1, 'the call went to west');
    await page.getByRole('button', { name: 'Reload', exact: true }).click();
    const west = ops.getByRole('table', { name: 'Deployments' }).locator('tr[data-deployment="echo-west"]');
    await until('the reloaded list shows the call on west', async () => new RegExp(`serving\\s+0\\s+${westCalls + 1}\\s`).test(await shown(west)));
    await shoot('operations-drained');

    await restoreEast.click();
    await drainEast.waitFor();
    await until('east serves again', async () => /serving/.test(await shown(east)));
    assert.equal(server.runtime.router.health().find((d) => d.id === 'echo-east')?.drained, false);

    // The restore is still the operator's decision; "Use config" hands it back to the configuration.
    const reset = ops.getByRole('button', { name: 'Reset echo-east to the configuration' });
    await reset.waitFor();
    assert.equal(await ops.getByRole('button', { name: 'Reset echo-west to the configuration' }).count(), 0, 'west has no operator decision');
    await reset.click();
    await until('east has no operator decision left', async () => server.runtime.router.health().find((d) => d.id === 'echo-east')?.drainedBy === 'config');
    await reset.waitFor({ state: 'detached' });
    assert.equal(await drainEast.evaluate(hasFocus), true, 'the keyboard is back on Drain');
  });

  test('the keyring is rotated after a confirmation', async () => {
    const ops = section('operations');
    const active = ops.getByTestId('active-key');
    await active.waitFor();
    const before = await shown(active);
    await ops.getByRole('button', { name: 'Rotate data key' }).click();
    await ops.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await shown(active), before, 'cancelled: nothing rotated');
    await ops.getByRole('button', { name: 'Rotate data key' }).click();
    await ops.getByRole('button', { name: 'Yes, rotate' }).click();
    await ops.getByText(/^Rotated: /).waitFor();
    await ops.locator('[data-testid="active-key"]', { hasNotText: before }).waitFor();
    await shoot('operations');
  });

  test('an unknown page lists the operator pages, and the page ran without script errors', async () => {
    await page.goto(`${server.url}/console/no-such-page`);
    const links = page.locator('.empty-body a');
    await links.first().waitFor();
    const names = await links.allInnerTexts();
    for (const n of ['API keys', 'Audit log', 'Operations']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    assert.deepEqual(pageErrors, []);
  });
});
