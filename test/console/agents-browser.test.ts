import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createScriptedProvider } from '../../src/providers/scripted/index.js';
import { Playbook, toolResults } from '../support/playbook-provider.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * The agents page in headless Chromium against a real server: an agent created through the form (the server's refusal
 * of a short instruction shown first), given an action group through the API, prepared, tested in a two-turn
 * conversation on one session (its answer and its trace: rationale, action-group call, observation), then deleted
 * after a confirmation. The model is a playbook; the action a registered module. Any script error fails the run.
 */

const MODEL = 'playbook.agent-v1:0';
const dir = mkdtempSync(join(tmpdir(), 'quarry-agents-console-'));
const ordersModule = join(dir, 'orders.mjs');
const pb = new Playbook([]);
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const section = () => page.locator('section[data-page="agents"]');
const shoot = (name: string) => shootBothThemes(page, name);

describe('agents console in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(
      ordersModule,
      `export const handler = async (event) => ({ response: { actionGroup: event.actionGroup, function: event.function, functionResponse: { responseBody: { TEXT: { body: JSON.stringify({ id: event.parameters[0].value, status: 'shipped' }) } } } } });`,
    );
    [server, browser] = await Promise.all([
      startTestServer(`  - id: playbook\n    type: playbook\nagents:\n  functions:\n    orders: { module: ${JSON.stringify(ordersModule)}, timeoutMs: 5000 }\n`, {
        extraProviderTypes: { scripted: createScriptedProvider, playbook: pb.factory() },
      }),
      launchChromium(),
    ]);
    ({ context, page } = await openConsolePage(browser, pageErrors));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an agent is created, prepared, tested with its trace, and deleted', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/console/agents`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const agents = section();
    await agents.getByText('No agents yet').waitFor();
    assert.equal(await page.title(), 'Agents · Quarry');

    // The server's own rule comes back in its words.
    await agents.getByLabel('Name').fill('orders-helper');
    await agents.getByLabel('Foundation model').selectOption(MODEL);
    await agents.getByLabel('Instruction').fill('Help with orders.');
    await agents.getByRole('button', { name: 'Create agent' }).click();
    assert.match(await shown(agents.getByRole('alert')), /at least 40 characters/);

    await agents.getByLabel('Instruction').fill('You help customers find out where their orders are.');
    await agents.getByRole('button', { name: 'Create agent' }).click();
    const row = agents.locator('tr[data-agent="orders-helper"]');
    await row.getByText('not prepared').waitFor();
    assert.match(await shown(row), new RegExp(MODEL.replace(/\./g, '\\.')));
    const agentId = await shown(row.locator('code').first());
    await shoot('agents');
    assert.match(agentId, /^[0-9A-Z]{10}$/);

    // The SDK's call adds an action group to the draft before it is prepared (the builder's forms: agent-builder-browser.test.ts).
    const res = await fetch(`${server.url}/agents/${agentId}/agentversions/DRAFT/actiongroups/`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        actionGroupName: 'orders',
        actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:000000000000:function:orders' },
        functionSchema: { functions: [{ name: 'status', description: 'Order status', parameters: { orderId: { type: 'string', required: true } } }] },
      }),
    });
    assert.ok(res.ok, `CreateAgentActionGroup: ${res.status} ${await res.text()}`);

    await row.getByRole('button', { name: 'Prepare orders-helper' }).click();
    await row.getByText('prepared', { exact: true }).waitFor();

    await row.getByRole('link', { name: 'orders-helper' }).click();
    await agents.getByRole('heading', { name: 'orders-helper', level: 1 }).waitFor();
    const session = await shown(agents.locator('p', { hasText: 'Session' }).locator('code').first());

    pb.push({ text: 'Let me check.', toolCalls: [{ name: 'orders__status', input: { orderId: 'A-17' } }] }, (req) => ({ text: `Your order: ${[...toolResults(req).values()][0]!.text}` }));
    await agents.getByLabel('Message').fill('where is A-17?');
    await agents.getByLabel('Message').press('Enter');
    const answer = agents.getByRole('article', { name: 'Agent' }).first();
    await answer.locator('.turn-text', { hasText: 'Your order:' }).waitFor();
    assert.equal(await shown(answer.locator('.turn-text')), 'Your order: {"id":"A-17","status":"shipped"}');

    await answer.locator('summary', { hasText: /^Trace \(\d+ steps\)$/ }).click();
    const steps = answer.getByRole('list', { name: 'Trace steps' });
    assert.equal(await shown(steps.locator('li[data-step="rationale"] summary')), 'Rationale');
    const call = steps.locator('li[data-step="action-group"]');
    assert.equal(await shown(call.locator('summary')), 'Action group orders: status');
    await call.locator('summary').click();
    assert.match(await shown(call.locator('pre')), /"value": "A-17"/);
    const observations = steps.locator('li[data-step="observation"] summary');
    assert.deepEqual(await observations.allInnerTexts(), ['Observation (ACTION_GROUP)', 'Observation (FINISH)']);
    await shoot('agent-test');

    // A second message goes to the same session: the model sees the first exchange.
    pb.push((req) => ({ text: `This session has ${req.messages.length} messages.` }));
    await agents.getByLabel('Message').fill('thanks');
    await agents.getByLabel('Message').press('Enter');
    await agents.getByRole('article', { name: 'Agent' }).nth(1).locator('.turn-text', { hasText: 'This session has' }).waitFor();
    const count = Number((await shown(agents.getByRole('article', { name: 'Agent' }).nth(1).locator('.turn-text'))).match(/(\d+) messages/)![1]);
    assert.ok(count > 1, `the second turn saw ${count} message(s)`);
    assert.equal(await shown(agents.locator('p', { hasText: 'Session' }).locator('code').first()), session);

    await agents.getByRole('link', { name: '← Agents' }).click();
    await row.getByRole('button', { name: 'Delete orders-helper' }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await agents.getByText('No agents yet').waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
