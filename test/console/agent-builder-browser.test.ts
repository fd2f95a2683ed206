import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BedrockAgentClient,
  CreateAgentCommand,
  CreateDataSourceCommand,
  CreateKnowledgeBaseCommand,
  GetAgentActionGroupCommand,
  IngestKnowledgeBaseDocumentsCommand,
  ListAgentActionGroupsCommand,
  ListAgentKnowledgeBasesCommand,
  PrepareAgentCommand,
} from '@aws-sdk/client-bedrock-agent';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createScriptedProvider } from '../../src/providers/scripted/index.js';
import { Playbook, toolResults } from '../support/playbook-provider.js';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * The agent builder in headless Chromium against a real server: on an existing agent, an action group is added
 * through the form (the server's refusal of an unregistered function shown first), edited to gain a function, a
 * second one added and deleted; a knowledge base of the account is associated; the agent is prepared and the test
 * chat shows the model calling the new function and searching the knowledge base; the knowledge base is then
 * disassociated. What the console wrote is checked through `@aws-sdk/client-bedrock-agent`, so the forms are known to
 * speak the same API as the SDK. Any script error fails the run.
 */

const MODEL = 'playbook.agent-v1:0';
const dir = mkdtempSync(join(tmpdir(), 'quarry-agent-builder-'));
const ordersModule = join(dir, 'orders.mjs');
const pb = new Playbook([]);
let server: TestServer;
let control: BedrockAgentClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const section = () => page.locator('section[data-page="agents"]');
/** Full-page shots from the top: a page left scrolled draws the sticky header over its own content. */
async function shoot(name: string) {
  await page.evaluate('window.scrollTo(0, 0)');
  await shootBothThemes(page, name);
}

async function knowledgeBase(name: string, text: string): Promise<string> {
  const kb = await control.send(
    new CreateKnowledgeBaseCommand({
      name,
      roleArn: 'arn:aws:iam::000000000000:role/unused',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/scripted.embed-v1:0' } },
    }),
  );
  const kbId = kb.knowledgeBase!.knowledgeBaseId!;
  const ds = await control.send(new CreateDataSourceCommand({ knowledgeBaseId: kbId, name: 'direct', dataSourceConfiguration: { type: 'CUSTOM' } }));
  await control.send(
    new IngestKnowledgeBaseDocumentsCommand({
      knowledgeBaseId: kbId,
      dataSourceId: ds.dataSource!.dataSourceId!,
      documents: [
        { content: { dataSourceType: 'CUSTOM', custom: { customDocumentIdentifier: { id: name }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: text } } } } },
      ],
    }),
  );
  return kbId;
}

describe('agent builder in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
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
    control = new BedrockAgentClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY } });
    ({ context, page } = await openConsolePage(browser, pageErrors));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    control?.destroy();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('action groups are added, edited and deleted, a knowledge base associated and removed, and the prepared agent uses them', { timeout: 90_000 }, async () => {
    const agentId = (
      await control.send(new CreateAgentCommand({ agentName: 'builder-agent', instruction: 'You help customers find out where their orders are.', foundationModel: MODEL }))
    ).agent!.agentId!;
    const kbId = await knowledgeBase('shipping-policies', 'Express orders ship the same day when placed before noon.');

    await page.goto(`${server.url}/console/agents/${agentId}`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const agents = section();
    await agents.getByRole('heading', { name: 'builder-agent', level: 1 }).waitFor();
    const groups = agents.locator('section', { has: page.getByRole('heading', { name: 'Action groups' }) });
    const kbs = agents.locator('section', { has: page.getByRole('heading', { name: 'Knowledge bases' }) });
    await groups.getByText('No action groups').waitFor();
    await kbs.getByText('No knowledge bases associated').waitFor();

    // A new action group on a function the server does not have: its refusal, in its words.
    await groups.getByRole('button', { name: 'New action group' }).click();
    const form = groups.getByRole('form', { name: 'New action group' });
    await form.getByLabel('Action group name').fill('orders');
    await form.getByLabel('Description', { exact: true }).fill('Order lookups');
    await form.getByLabel('Run a registered function').check();
    await form.getByLabel('Registered function name').fill('warehouse');
    const fn1 = form.getByRole('group', { name: 'Function 1' });
    await fn1.getByLabel('Function name').fill('status');
    await fn1.getByLabel('Function description').fill('Where an order is');
    await fn1.getByLabel('Parameter 1 name').fill('orderId');
    await fn1.getByLabel('Parameter 1 required').check();
    await fn1.getByRole('button', { name: 'Add parameter' }).click();
    await fn1.getByLabel('Parameter 2 name').fill('express');
    await fn1.getByLabel('Parameter 2 type').selectOption('boolean');
    await shoot('agent-builder-form');
    await form.getByRole('button', { name: 'Add action group' }).click();
    assert.match(await shown(form.getByRole('alert')), /No function named warehouse is registered.*registered: orders/);

    await form.getByLabel('Registered function name').fill('orders');
    await form.getByRole('button', { name: 'Add action group' }).click();
    const orders = groups.locator('li[data-action-group="orders"]');
    await orders.getByText('function orders').waitFor();
    assert.equal(await shown(orders.getByRole('list', { name: 'Functions of orders' })), 'status(orderId: string, express?: boolean) — Where an order is');
    await agents.locator('header').getByText('not prepared').waitFor();

    // Edited: a second function, with confirmation before it runs.
    await orders.getByRole('button', { name: 'Edit orders' }).click();
    const edit = groups.getByRole('form', { name: 'Edit action group orders' });
    assert.equal(await edit.getByRole('group', { name: 'Function 1' }).getByLabel('Parameter 2 type').inputValue(), 'boolean');
    await edit.getByRole('button', { name: 'Add function' }).click();
    const fn2 = edit.getByRole('group', { name: 'Function 2' });
    await fn2.getByLabel('Function name').fill('cancel');
    await fn2.getByLabel('Parameter 1 name').fill('orderId');
    await fn2.getByLabel('Parameter 1 required').check();
    await fn2.getByLabel('Ask the user to confirm before it runs').check();
    await edit.getByRole('button', { name: 'Save action group' }).click();
    await orders.getByText('cancel(orderId: string)').waitFor();

    // A second group, on return of control, added and then deleted after a confirmation.
    await groups.getByRole('button', { name: 'New action group' }).click();
    const second = groups.getByRole('form', { name: 'New action group' });
    await second.getByLabel('Action group name').fill('approvals');
    await second.getByRole('group', { name: 'Function 1' }).getByLabel('Function name').fill('approve');
    await second.getByRole('button', { name: 'Add action group' }).click();
    const approvals = groups.locator('li[data-action-group="approvals"]');
    await approvals.getByText('return of control').waitFor();
    await approvals.getByRole('button', { name: 'Delete approvals' }).click();
    await approvals.getByRole('button', { name: 'Yes, delete' }).click();
    await approvals.waitFor({ state: 'detached' });

    // A knowledge base of the account, associated with a description of when to use it.
    await kbs.getByLabel('Knowledge base', { exact: true }).selectOption({ label: 'shipping-policies' });
    await kbs.getByRole('button', { name: 'Associate' }).click();
    assert.match(await shown(kbs.getByRole('alert')), /description/i);
    await kbs.getByLabel('When to use it').fill('Shipping times and express delivery rules.');
    await kbs.getByRole('button', { name: 'Associate' }).click();
    const kb = kbs.locator('li[data-knowledge-base="shipping-policies"]');
    await kb.getByText('Shipping times and express delivery rules.').waitFor();
    await kbs.getByText('Every knowledge base of this account is associated.').waitFor();

    // What the forms wrote is what the SDK reads.
    const summaries = (await control.send(new ListAgentActionGroupsCommand({ agentId, agentVersion: 'DRAFT' }))).actionGroupSummaries!;
    assert.deepEqual(
      summaries.map((s) => s.actionGroupName),
      ['orders'],
    );
    const g = (await control.send(new GetAgentActionGroupCommand({ agentId, agentVersion: 'DRAFT', actionGroupId: summaries[0]!.actionGroupId! }))).agentActionGroup!;
    assert.deepEqual(g.actionGroupExecutor, { lambda: 'orders' });
    assert.deepEqual(g.functionSchema, {
      functions: [
        { name: 'status', description: 'Where an order is', parameters: { orderId: { type: 'string', required: true }, express: { type: 'boolean', required: false } } },
        { name: 'cancel', parameters: { orderId: { type: 'string', required: true } }, requireConfirmation: 'ENABLED' },
      ],
    });
    const associated = (await control.send(new ListAgentKnowledgeBasesCommand({ agentId, agentVersion: 'DRAFT' }))).agentKnowledgeBaseSummaries!;
    assert.deepEqual(
      associated.map((k) => [k.knowledgeBaseId, k.description]),
      [[kbId, 'Shipping times and express delivery rules.']],
    );
    await shoot('agent-builder');

    // Prepared, the test chat runs the new function and searches the knowledge base.
    await agents.locator('header').getByRole('button', { name: 'Prepare' }).click();
    await agents.locator('header').getByText('prepared', { exact: true }).waitFor();
    pb.push(
      (req) => {
        assert.deepEqual(req.toolConfig!.tools.map((t) => t.toolSpec.name).sort(), [`knowledge_base_${kbId}`, 'orders__cancel', 'orders__status']);
        return {
          toolCalls: [
            { name: 'orders__status', input: { orderId: 'A-17', express: true } },
            { name: `knowledge_base_${kbId}`, input: { searchQuery: 'express shipping' } },
          ],
        };
      },
      (req) => {
        const [status, policy] = [...toolResults(req).values()];
        assert.match(policy!.text, /same day/);
        return { text: `Order status: ${status!.text}. Express orders ship the same day.` };
      },
    );
    await agents.getByLabel('Message').fill('where is my express order A-17?');
    await agents.getByLabel('Message').press('Enter');
    const answer = agents.getByRole('article', { name: 'Agent' }).first();
    await answer.locator('.turn-text', { hasText: 'Order status:' }).waitFor();
    assert.match(await shown(answer.locator('.turn-text')), /^Order status: \{"id":"A-17","status":"shipped"\}\. Express orders ship the same day\.$/);
    await answer.locator('summary', { hasText: /^Trace \(\d+ steps\)$/ }).click();
    const steps = answer.getByRole('list', { name: 'Trace steps' });
    assert.equal(await shown(steps.locator('li[data-step="action-group"] summary')), 'Action group orders: status');
    assert.equal(await shown(steps.locator('li[data-step="knowledge-base"] summary')), `Knowledge base ${kbId} lookup`);
    await shoot('agent-builder-test');

    // Disassociated, the knowledge base is offered again and the SDK sees none.
    await kb.getByRole('button', { name: 'Disassociate shipping-policies' }).click();
    await kbs.getByText('No knowledge bases associated').waitFor();
    assert.equal(await kbs.getByLabel('Knowledge base', { exact: true }).inputValue(), kbId);
    assert.deepEqual((await control.send(new ListAgentKnowledgeBasesCommand({ agentId, agentVersion: 'DRAFT' }))).agentKnowledgeBaseSummaries, []);
    await agents.locator('header').getByText('not prepared').waitFor();
    assert.deepEqual(pageErrors, []);
  });

  test('the test chat shows an answer while it streams in', { timeout: 60_000 }, async () => {
    const agentId = (
      await control.send(new CreateAgentCommand({ agentName: 'echo-agent', instruction: 'You repeat what the user says, to show answers streaming in.', foundationModel: 'scripted.echo-v1:0' }))
    ).agent!.agentId!;
    await control.send(new PrepareAgentCommand({ agentId }));
    await page.goto(`${server.url}/console/agents/${agentId}`);
    const agents = section();
    await agents.getByRole('heading', { name: 'echo-agent', level: 1 }).waitFor();
    // The scripted model waits 150 ms between words: part of the answer is on screen while the chat still waits.
    await agents.getByLabel('Message').fill('__slow:150 one two three four five six seven eight');
    await agents.getByLabel('Message').press('Enter');
    let partial: string | undefined;
    for (const until = Date.now() + 10_000; !partial && Date.now() < until; ) {
      const [texts, buttons] = await Promise.all([agents.locator('article[aria-label="Agent"] .turn-text').allTextContents(), agents.locator('.composer button').allTextContents()]);
      const t = texts[0] ?? '';
      if (buttons.includes('Waiting…') && t.startsWith('You said:') && !t.endsWith('eight')) partial = t;
    }
    assert.ok(partial, 'part of the answer was shown while the agent was still answering');
    const answer = agents.getByRole('article', { name: 'Agent' }).first();
    await answer.locator('.turn-text', { hasText: 'eight' }).waitFor();
    assert.equal(await shown(answer.locator('.turn-text')), 'You said: __slow:150 one two three four five six seven eight');
    await agents.getByRole('button', { name: 'Send' }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
