import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * The metrics page in headless Chromium against a real server: its empty state before any call, then the rows that
 * calls through two APIs (one failing) produce, appearing by the page's own refresh; and a key without
 * quarry:GetMetrics told so in the server's words. Any script error or CSP violation in the page fails the run.
 */
const ECHO = 'scripted.echo-v1:0';
const YAML = `models:
  - id: ${ECHO}
    provider: scripted
    upstreamModel: echo
`;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const section = () => page.locator('section[data-page="metrics"]');

async function call(path: string, body: unknown): Promise<number> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.body?.cancel();
  return res.status;
}

describe('metrics page in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startTestServer(YAML), launchChromium()]);
    ({ context, page } = await openConsolePage(browser, pageErrors));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  test('before any call the page says what to do; calls then appear per model and API without a reload', async () => {
    await page.goto(`${server.url}/console/metrics`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const metrics = section();
    await metrics.getByText('No model calls yet').waitFor();
    assert.equal(await page.title(), 'Metrics · Quarry');
    assert.match(await shown(metrics.locator('.empty-body')), /Make one in the Playground/);
    assert.ok(await metrics.getByLabel('Refresh every 10 s').isChecked(), 'auto-refresh is on unless turned off');
    await shootBothThemes(page, 'metrics-empty');

    // Three calls through Converse (one throttled), two through OpenAI's chat completions.
    const converse = `/model/${encodeURIComponent(ECHO)}/converse`;
    assert.equal(await call(converse, { messages: [{ role: 'user', content: [{ text: 'one two three' }] }] }), 200);
    assert.equal(await call(converse, { messages: [{ role: 'user', content: [{ text: 'four five' }] }] }), 200);
    assert.equal(await call(converse, { messages: [{ role: 'user', content: [{ text: '__error:ThrottlingException' }] }] }), 429);
    for (let i = 0; i < 2; i++) assert.equal(await call('/v1/chat/completions', { model: ECHO, messages: [{ role: 'user', content: 'hello there' }] }), 200);

    // The page's own timer reads them (within its 10 s period).
    const table = metrics.getByRole('table', { name: 'Metrics by model and API' });
    await table.waitFor({ timeout: 15_000 });
    const bedrock = table.locator(`tr[data-model="${ECHO}"][data-api="bedrock.converse"]`);
    const openai = table.locator(`tr[data-model="${ECHO}"][data-api="openai.chat-completions"]`);
    const stat = (row: Locator, name: string) => shown(row.locator(`[data-stat="${name}"]`));
    assert.equal(await stat(bedrock, 'invocations'), '3');
    assert.match(await stat(bedrock, 'errors'), /^1\s+ThrottlingException ×1$/);
    assert.equal(await stat(bedrock, 'error-rate'), '33%');
    // "You said: …" echoes: 3 + 2 words in, 5 + 4 out.
    assert.equal(await stat(bedrock, 'input-tokens'), '5');
    assert.equal(await stat(bedrock, 'output-tokens'), '9');
    assert.match(await stat(bedrock, 'p50'), /^\d+(\.\d)? ms$/);
    assert.match(await stat(bedrock, 'p95'), /^\d+(\.\d)? ms$/);
    assert.equal(await stat(openai, 'invocations'), '2');
    assert.equal(await stat(openai, 'error-rate'), '0%');
    assert.equal(await shown(metrics.locator('[data-total="invocations"]')), '5');
    assert.match(await shown(metrics.locator('[data-total="errors"]')), /^1\s+\(20%\)$/);
    await shootBothThemes(page, 'metrics');

    // With auto-refresh off, a new call shows on Refresh.
    await metrics.getByLabel('Refresh every 10 s').uncheck();
    assert.equal(await call('/v1/chat/completions', { model: ECHO, messages: [{ role: 'user', content: 'again' }] }), 200);
    await metrics.getByRole('button', { name: 'Refresh', exact: true }).click();
    await openai.locator('[data-stat="invocations"]', { hasText: /^3$/ }).waitFor();
    assert.deepEqual(pageErrors, []);
  });

  test('a key without quarry:GetMetrics is told so, in the server’s words', async () => {
    const { apiKey } = await server.keys.addBearerKey(await server.keys.createPrincipal('viewer', false));
    const other = await openConsolePage(browser, pageErrors);
    await other.page.goto(`${server.url}/console/metrics`);
    await other.page.getByLabel('API key').fill(apiKey);
    await other.page.getByLabel('API key').press('Enter');
    const alert = other.page.locator('section[data-page="metrics"]').getByRole('alert');
    await alert.waitFor();
    assert.match(await shown(alert), /Metrics could not be read[\s\S]*not authorized to perform: quarry:GetMetrics/);
    await shootBothThemes(other.page, 'metrics-denied');
    await other.context.close();
    assert.deepEqual(pageErrors, []);
  });
});
