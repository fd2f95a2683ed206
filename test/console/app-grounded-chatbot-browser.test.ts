import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * A chatbot widget grounded in a knowledge base that was really ingested (local files embedded by the bundled sentence
 * encoder), built in the app builder and asked in headless Chromium. The scripted model echoes only the user's message,
 * but it counts the system prompt's words as input tokens: the grounded prompt is the instructions plus each passage
 * retrieved, so the input tokens shown prove the passages reached the model. Citations follow the answer's [n] markers:
 * echoing, the model repeats a marker the question ends with, so "… [1]" plays a model that cites passage 1 and a
 * question without one plays a model that cites nothing — the sources shown are then exactly what the answer used.
 */
const ECHO = 'scripted.echo-v1:0';
const FACT_FILE = 'skerry-lighthouse.txt';
/** One fact per file, on topics far enough apart that a question about one should not retrieve the lighthouse. */
const FILES: Record<string, string> = {
  [FACT_FILE]: 'The Skerry Point lighthouse was first lit in 1887 by keeper Marta Olsen, who fuelled its lamp with colza oil.',
  'sourdough-bakery.txt': 'Brannigan Bakery bakes its rye sourdough at 230 degrees and proofs the dough overnight in willow baskets.',
  'glacier-survey.txt': 'The Vatnafjord glacier retreated 412 metres between the surveys of 1998 and 2021, measured from its moraine.',
  'violin-workshop.txt': 'Luthier Ines Carvalho carves violin scrolls from Bosnian maple and varnishes each instrument eleven times.',
  'chess-club.txt': 'The Harbour Chess Club meets on Thursdays; its 2019 champion won with the Sicilian Najdorf in every final game.',
  'tram-network.txt': 'Route 9 of the city tram network runs every six minutes from Quayside to the Botanical Gardens terminus.',
  'beekeeping.txt': 'The apiary on Elm Ridge keeps forty hives of Carniolan bees and harvests heather honey each September.',
  'orchard.txt': 'Appleby Orchard grows seventeen heritage apple varieties, and its cider press dates from the 1920s.',
};
const SYSTEM = 'Answer briefly.';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let docs: string;
let kbId: string;
let appId: string;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const apps = () => page.locator('section[data-page="apps"]');
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  assert.ok(res.ok, JSON.stringify(json));
  return json;
}

interface Reply {
  message: { text: string };
  usage: { inputTokens: number };
  citations: { text: string; source?: string }[];
  passages: { text: string; source?: string }[];
}

/** Sends one message and returns the reply as the server sent it, beside the answer the page then shows. */
async function ask(bot: Locator, question: string): Promise<{ reply: Reply; answer: Locator }> {
  const before = await bot.locator('[data-role="assistant"]').count();
  const response = page.waitForResponse((r) => r.url().includes('/chat/') && r.request().method() === 'POST');
  await bot.getByLabel('Message to Ask the archive').fill(question);
  await bot.getByRole('button', { name: 'Send' }).click();
  const reply = (await (await response).json()) as Reply;
  const answer = bot.locator('[data-role="assistant"]').nth(before);
  await answer.waitFor();
  return { reply, answer };
}

describe('a chatbot widget grounded in an ingested knowledge base, in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    docs = mkdtempSync(join(tmpdir(), 'quarry-kb-docs-'));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(docs, name), text);
    [server, browser] = await Promise.all([
      startTestServer(`  - id: embedded\n    type: embedded\nknowledge:\n  localRoots: [${JSON.stringify(docs)}]\n`),
      launchChromium(),
    ]);
    ({ context, page } = await openConsolePage(browser, pageErrors));

    // The knowledge base is made and ingested through the API: its own pages are tested elsewhere.
    const kb = await call<{ knowledgeBase: { knowledgeBaseId: string } }>('PUT', '/knowledgebases/', {
      name: 'local-archive',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'quarry.embed-use-v1:0' } },
    });
    kbId = kb.knowledgeBase.knowledgeBaseId;
    const ds = await call<{ dataSource: { dataSourceId: string } }>('PUT', `/knowledgebases/${kbId}/datasources/`, {
      name: 'archive',
      dataSourceConfiguration: { type: 'LOCAL', localConfiguration: { path: docs } },
    });
    const base = `/knowledgebases/${kbId}/datasources/${ds.dataSource.dataSourceId}/ingestionjobs/`;
    let job = (await call<{ ingestionJob: { ingestionJobId: string; status: string; statistics: Record<string, number> } }>('PUT', base, {})).ingestionJob;
    for (let i = 0; i < 1200 && !['COMPLETE', 'FAILED', 'STOPPED'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await call<{ ingestionJob: typeof job }>('GET', `${base}${job.ingestionJobId}`)).ingestionJob;
    }
    assert.equal(job.status, 'COMPLETE', JSON.stringify(job));
    assert.equal(job.statistics.numberOfNewDocumentsIndexed, Object.keys(FILES).length);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    if (docs) rmSync(docs, { recursive: true, force: true });
  });

  test('build the chatbot in the builder, ask it a fact from one file: the passage reaches the model and the file is named as the source', async () => {
    await page.goto(`${server.url}/console/apps`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    await apps().getByRole('button', { name: 'New app' }).click();
    await apps().getByLabel('App name').fill('Archive desk');
    await apps().getByRole('button', { name: '+ Add chatbot' }).click();
    const w = apps().locator('[data-widget-index="0"]');
    await w.getByLabel('Label (optional)').fill('Ask the archive');
    await w.getByLabel('Instructions (system prompt, optional)').fill(SYSTEM);
    // Picked by name from the account's knowledge bases, the keyboard's way: focus the picker and choose.
    const picker = w.getByLabel('Knowledge base (optional)');
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['None: answer from the model alone', 'local-archive']);
    await picker.focus();
    await picker.selectOption({ label: 'local-archive' });
    assert.match(await shown(w.locator(`#${await picker.getAttribute('aria-describedby')}`)), /grounded in passages found/);
    assert.equal(await w.getByLabel('Model').inputValue(), ECHO);
    await apps().getByRole('button', { name: 'Create app' }).click();
    await apps().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    appId = new URL(page.url()).pathname.split('/').at(-1)!;
    const stored = await call<{ app: { widgets: { knowledgeBaseId?: string }[] } }>('GET', `/quarry/apps/${appId}`);
    assert.equal(stored.app.widgets[0]!.knowledgeBaseId, kbId);

    const bot = apps().getByRole('article', { name: 'Chatbot Ask the archive' });
    await bot.waitFor();
    // The badge names the knowledge base, not its id.
    assert.equal(await shown(bot.locator('.app-output-head .badge')), 'grounded in local-archive');
    await shootBothThemes(page, 'app-grounded-chatbot-empty');

    const question = 'Who first lit the Skerry Point lighthouse?';
    const { reply, answer } = await ask(bot, `${question} [1]`);
    // The marker is taken out of the answer and becomes its citation.
    assert.equal(await shown(answer.locator('.turn-text')), `You said: ${question}`);
    // The fact's passage was retrieved, and the model was given exactly the grounded prompt chatTurn builds from it.
    const fact = reply.passages.find((c) => c.text.includes('Marta Olsen'));
    assert.ok(fact, `the lighthouse passage was retrieved: ${JSON.stringify(reply.passages)}`);
    assert.match(fact.source ?? '', new RegExp(`${FACT_FILE.replace('.', '\\.')}$`));
    assert.deepEqual(reply.passages[0], fact, 'the passage holding the answer ranks first');
    assert.deepEqual(reply.citations, [fact], 'the answer cites passage 1 and only it');
    const cite = 'After each sentence that uses a passage, cite it with its id in square brackets, for example [1] or [2][3]; cite nothing you did not use, and do not list the sources at the end.';
    const grounded = `${SYSTEM}\n\nAnswer from these passages of the knowledge base; if they do not hold the answer, say so. ${cite}\n${reply.passages.map((c, i) => `<passage id="${i + 1}">${c.text}</passage>`).join('\n')}`;
    assert.equal(reply.usage.inputTokens, words(grounded) + words(`${question} [1]`));
    assert.match(await shown(answer.locator('[data-stat="chat-cost"]')), new RegExp(`^${reply.usage.inputTokens} in · \\d+ out · \\$\\S+ · cites 1 of ${reply.passages.length} passages found$`));

    // What the user sees: the cited file by name, and its text on opening it.
    const sources = answer.getByRole('list', { name: 'Sources' }).getByRole('listitem');
    assert.equal(await sources.count(), 1);
    assert.equal(await shown(sources.first().locator('summary')), FACT_FILE);
    await sources.first().locator('summary').click();
    assert.match(await shown(sources.first()), /first lit in 1887 by keeper Marta Olsen/);
    await shootBothThemes(page, 'app-grounded-chatbot-answer');
    assert.deepEqual(pageErrors, []);
  });

  test('a question about another file is answered from that file, and the lighthouse file is not cited', async () => {
    const bot = apps().getByRole('article', { name: 'Chatbot Ask the archive' });
    const { reply, answer } = await ask(bot, 'How often do trams run? [1]');
    assert.match(reply.passages[0]?.source ?? '', /tram-network\.txt$/);
    assert.deepEqual(reply.citations, [reply.passages[0]]);
    const names = await answer.getByRole('list', { name: 'Sources' }).locator('summary').allInnerTexts();
    assert.equal(names[0], 'tram-network.txt');
    assert.ok(!names.includes(FACT_FILE), names.join(', '));
    await shootBothThemes(page, 'app-grounded-chatbot-second-question');
    assert.deepEqual(pageErrors, []);
  });

  // Retrieve (like Bedrock's) always returns its top k, however weak (USE cosine 0.18 here against 0.58 for the real
  // question), so the lighthouse is among the five passages the model is given; an answer that uses none of them cites
  // none. Before citations followed the answer's markers, all five were listed as its sources.
  test('a question the knowledge base knows nothing about cites no file, and says what was searched', async () => {
    const bot = apps().getByRole('article', { name: 'Chatbot Ask the archive' });
    const { reply, answer } = await ask(bot, 'How many moons does Neptune have?');
    await shootBothThemes(page, 'app-grounded-chatbot-unrelated');
    assert.equal(reply.passages.length, 5, 'the model was still given the top five to judge');
    assert.deepEqual(reply.citations, []);
    assert.equal(await answer.getByRole('list', { name: 'Sources' }).count(), 0);
    assert.match(await shown(answer.locator('[data-stat="chat-cost"]')), / · no passage cited \(5 searched\)$/);
    assert.deepEqual(pageErrors, []);
  });

  test('an app whose only widget is a chatbot offers no Run, in the builder and on its share link: the chat is the app', async () => {
    const run = apps().getByRole('region', { name: 'Use the app' });
    assert.equal(await run.getByRole('button', { name: 'Run app' }).count(), 0);
    assert.match(await shown(run.locator('[data-nothing-to-run]')), /This app is a conversation: there is nothing to run\. Type a message to Ask the archive below\./);
    assert.equal(await apps().getByText('This app has no inputs').count(), 0);
    assert.match(await shown(apps().getByRole('region', { name: 'Snapshots' })), /no run to freeze; its chats are not kept/);

    // Adding a generation widget brings Run back before saving (Run saves first); removing it takes it away again.
    await apps().getByRole('button', { name: '+ Add generation widget' }).click();
    await apps().getByRole('region', { name: 'Run the app' }).getByRole('button', { name: 'Run app' }).waitFor();
    await apps().getByRole('button', { name: 'Remove generated1' }).click();
    await run.waitFor();

    const made = await call<{ share: { path: string } }>('POST', `/quarry/apps/${appId}/shares`);
    await page.goto(`${server.url}${made.share.path}`);
    const shared = page.getByRole('region', { name: 'Use the app' });
    await shared.locator('[data-nothing-to-run]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Run app' }).count(), 0);
    const bot = page.getByRole('article', { name: 'Chatbot Ask the archive' });
    // A link's visitor cannot list the owner's knowledge bases; the id would mean nothing to them.
    assert.equal(await shown(bot.locator('.app-output-head .badge')), 'grounded in a knowledge base');
    const { reply, answer } = await ask(bot, 'Who first lit the Skerry Point lighthouse? [1]');
    assert.match(reply.citations[0]?.source ?? '', /skerry-lighthouse\.txt$/);
    assert.equal(await shown(answer.getByRole('list', { name: 'Sources' }).locator('summary')), FACT_FILE);
    await shootBothThemes(page, 'app-chat-only-shared');
    await page.goto(`${server.url}/console/apps/${appId}`);
    await apps().getByRole('region', { name: 'Use the app' }).waitFor();
    await shootBothThemes(page, 'app-chat-only-builder');
    assert.deepEqual(pageErrors, []);
  });

  test('a knowledge base deleted after the app was saved: the picker and the badge say it is gone, by its id', async () => {
    const scratch = (await call<{ knowledgeBase: { knowledgeBaseId: string } }>('PUT', '/knowledgebases/', {
      name: 'scratch-notes',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'quarry.embed-use-v1:0' } },
    })).knowledgeBase.knowledgeBaseId;
    await page.reload();
    const picker = apps().locator('[data-widget-index="0"]').getByLabel('Knowledge base (optional)');
    await picker.locator('option', { hasText: 'scratch-notes' }).waitFor({ state: 'attached' });
    await picker.selectOption({ label: 'scratch-notes' });
    await apps().getByRole('button', { name: 'Save changes' }).click();
    await apps().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const res = await fetch(`${server.url}/knowledgebases/${scratch}`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    assert.ok(res.ok, await res.text());

    await page.reload();
    await picker.locator('option', { hasText: `${scratch} (not found)` }).waitFor({ state: 'attached' });
    assert.equal(await picker.inputValue(), scratch, 'the saved choice is kept, not silently dropped');
    assert.equal(await picker.getAttribute('aria-invalid'), 'true');
    assert.match(await shown(apps().locator(`#${await picker.getAttribute('aria-describedby')}`)), new RegExp(`Knowledge base ${scratch} no longer exists`));
    const bot = apps().getByRole('article', { name: 'Chatbot Ask the archive' });
    assert.equal(await shown(bot.locator('.app-output-head .badge')), `grounded in ${scratch}: knowledge base not found`);
    await shootBothThemes(page, 'app-grounded-chatbot-kb-gone');
    // Picking the archive again mends it.
    await picker.selectOption({ label: 'local-archive' });
    await apps().getByRole('button', { name: 'Save changes' }).click();
    await apps().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(await shown(bot.locator('.app-output-head .badge')), 'grounded in local-archive');
    assert.deepEqual(pageErrors, []);
  });
});
