import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, SCREENSHOTS } from './browser-support.js';

/**
 * The console end to end in headless Chromium against a real server with the scripted provider: sign-in, the catalog,
 * a streaming chat, a comparison, and a knowledge base from creation to a retrieval test. Every page is also shot in
 * light and dark (test/console/screenshots/), and any script error or CSP violation in the page fails the run.
 */

// The callbacks given to page.evaluate run in Chromium. The project's tsconfig has no DOM library (nothing else here
// runs in a browser), so the few browser globals they touch are declared for this file alone.
type El = { getAttribute(name: string): string | null; querySelector(sel: string): { textContent: string | null } | null };
declare const window: { scrollTo(x: number, y: number): void };
declare const document: {
  activeElement: { id: string; textContent: string | null } | null;
  documentElement: { dataset: Record<string, string | undefined> };
  body: object;
  querySelectorAll(sel: string): ArrayLike<El>;
};
declare const sessionStorage: { getItem(key: string): string | null };
declare const localStorage: { removeItem(key: string): void };
declare function getComputedStyle(el: object): { backgroundColor: string };
declare function requestAnimationFrame(fn: () => void): number;

// A 1×1 PNG, for the image attachment.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const docs = mkdtempSync(join(tmpdir(), 'quarry-console-docs-'));
const YAML = `models:
  - id: scripted.echo-v1:0
    provider: scripted
    upstreamModel: echo
    contextWindow: 4096
    pricing: { inputPer1k: 0.001, outputPer1k: 0.002 }
  - id: acme.echo-large-v1:0
    name: Acme echo large
    provider: scripted
    upstreamModel: echo
    contextWindow: 131072
    pricing: { inputPer1k: 0.003, outputPer1k: 0.015 }
  - id: scripted.embed-v1:0
    provider: scripted
    upstreamModel: embed
    kind: embedding
    embeddingDimensions: 8
knowledge:
  localRoots: [${JSON.stringify(docs)}]
`;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Full-page shots in both themes, through the system preference the console follows by default. */
async function shoot(name: string): Promise<void> {
  // From the top, or the sticky header is drawn where the page was scrolled to.
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await settled();
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await settled();
}

/** The text as rendered (what a user reads), not the DOM's raw text. */
// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();

/** Two animation frames: React has rendered whatever the last event changed, and the browser has painted it. */
const settled = () => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

const section = (name: string) => page.locator(`section[data-page="${name}"]`);

/**
 * Sends a message from the playground with the keyboard and waits for the answer it starts (found by position, so an
 * earlier answer can never be mistaken for it) to finish; `whileStreaming` runs in between.
 */
async function send(text: string, whileStreaming?: () => Promise<void>): Promise<Locator> {
  const pg = section('playground');
  const answers = pg.locator('article.turn-assistant');
  const n = await answers.count();
  await pg.getByLabel('Message', { exact: true }).fill(text);
  await pg.getByLabel('Message', { exact: true }).press('Enter');
  await whileStreaming?.();
  const answer = answers.nth(n);
  await answer.and(page.locator('[data-done="true"]')).waitFor();
  return answer;
}

describe('web console in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(join(docs, 'lighthouse.md'), '# Lighthouse\n\nThe lighthouse keeper lights the lamp at dusk and logs every passing ship.\n');
    writeFileSync(join(docs, 'harbour.txt'), 'The harbour master assigns berths and collects mooring fees from visiting boats.\n');
    [server, browser] = await Promise.all([startTestServer(YAML), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 820 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // Chromium logs every failed request too; the tests make some on purpose (a wrong key, a refused model call) and
      // check what the page shows for them. Anything else logged as an error (a CSP refusal, an exception) fails.
      if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    rmSync(docs, { recursive: true, force: true });
  });

  test('a browser at the root is sent to the console, which asks for a key', async () => {
    await page.goto(server.url);
    assert.equal(new URL(page.url()).pathname, '/console/');
    await page.getByLabel('API key').waitFor();
    assert.equal(await page.title(), 'Sign in · Quarry');
    await shoot('sign-in');
  });

  test('a wrong key is refused with a message that says what to do', async () => {
    await page.getByLabel('API key').fill('qk-not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await shown(alert), /did not accept this key.*admin-credentials\.json/s);
    await shoot('sign-in-error');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('quarry.apiKey')), null);
  });

  test('the right key signs in and the catalog lists every model with its facts', async () => {
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const table = page.getByRole('table', { name: 'Models' });
    await table.waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('quarry.apiKey')), TEST_API_KEY);
    const row = (id: string) => table.locator(`tr[data-model="${id}"]`);
    assert.equal(await table.locator('tbody tr').count(), 3);
    const echo = await shown(row('scripted.echo-v1:0'));
    assert.match(echo, /4K/);
    assert.match(echo, /\$0\.0010 \/ \$0\.0020/);
    assert.match(echo, /On this server/);
    assert.match(await shown(row('acme.echo-large-v1:0')), /Acme echo large[\s\S]*128K[\s\S]*\$0\.0030 \/ \$0\.015/);
    assert.match(await shown(row('scripted.embed-v1:0')), /Embedding[\s\S]*8 dimensions/);
    await shoot('models');
    // The filter narrows the table and says so.
    await page.getByLabel('Filter').fill('acme');
    assert.equal(await table.locator('tbody tr').count(), 1);
    await page.getByLabel('Filter').fill('');
  });

  test('the keyboard reaches everything: skip link first, then the navigation, in order', async () => {
    // A fresh load, so tabbing starts from the top of the document.
    await page.reload();
    await page.getByRole('table', { name: 'Models' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.reload();
    await page.getByRole('table', { name: 'Models' }).waitFor();
    const expected = ['Skip to content', 'Quarry', 'Models', 'Playground', 'Compare', 'Apps', 'Knowledge bases', 'Agents', 'Guardrails', 'Usage & cost', 'Provisioned throughput', 'API keys', 'Audit log', 'Metrics', 'Operations', '☾ Dark'];
    const names: string[] = [];
    for (let i = 0; i < expected.length; i++) {
      await page.keyboard.press('Tab');
      names.push((await page.evaluate(() => document.activeElement?.textContent ?? '')).trim());
    }
    assert.deepEqual(names, expected);
    // A model's "Try it" opens the playground with that model chosen.
    await page.getByRole('link', { name: 'Try acme.echo-large-v1:0 in the playground' }).press('Enter');
    assert.equal(await section('playground').getByLabel('Model', { exact: true }).inputValue(), 'acme.echo-large-v1:0');
    assert.equal(await page.title(), 'Playground · Quarry');
    await page.goBack();
    await page.getByRole('table', { name: 'Models' }).waitFor();
  });

  test('the theme toggle switches light and dark and is remembered', async () => {
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(21, 21, 19)');
    await page.reload();
    await page.getByRole('table', { name: 'Models' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'kept across a reload, and still signed in');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    // Back to following the system, whose changes the toggle's label follows too.
    await page.evaluate(() => localStorage.removeItem('quarry.theme'));
    await page.reload();
    await page.getByRole('table', { name: 'Models' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(21, 21, 19)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Switch to dark theme' }).waitFor();
  });

  test('the playground streams an answer and shows its tokens, latency and cost', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playground' }).click();
    const pg = section('playground');
    await pg.getByLabel('Model', { exact: true }).selectOption('scripted.echo-v1:0');
    await pg.getByLabel('System prompt').fill('Be brief.');
    await pg.getByLabel('Temperature').fill('0.2');
    await pg.getByLabel('Max tokens').fill('200');
    // __slow makes the scripted model pause between words, so the answer is seen while it is still streaming.
    const answer = await send('hello from the console __slow:60', async () => {
      await page.waitForFunction(() => {
        const a = Array.from(document.querySelectorAll('section[data-page="playground"] article.turn-assistant')).at(-1);
        const text = a?.querySelector('[data-testid="answer"]')?.textContent ?? '';
        return a?.getAttribute('aria-busy') === 'true' && text.startsWith('You said:') && !text.includes('__slow');
      });
    });
    assert.equal(await shown(answer.getByTestId('answer')), 'You said: hello from the console __slow:60');
    assert.match(await shown(answer.locator('[data-stat="tokens"]')), /^\d+ in · 7 out$/);
    assert.match(await shown(answer.locator('[data-stat="latency"]')), /^\d+ ms$|^[\d.]+ s$/);
    assert.match(await shown(answer.locator('[data-stat="first-token"]')), /^\d+ ms$|^[\d.]+ s$/);
    assert.match(await shown(answer.locator('[data-stat="cost"]')), /^\$0\.0000\d+$/);
    await shoot('playground');
  });

  test('the playground shows a tool call and sends its result back', async () => {
    const pg = section('playground');
    await pg.getByLabel('Offer tools to the model').check();
    const asked = await send('what is the weather, use get_weather for Paris');
    const call = asked.locator('[data-tool-call="get_weather"]');
    assert.match(await shown(call), /"city": "Paris"/);
    assert.match(await shown(asked.locator('.stats')), /asked for a tool/);
    await pg.getByLabel('Result of get_weather').fill('{"temperature": 21}');
    const answers = pg.locator('article.turn-assistant');
    const n = await answers.count();
    await pg.getByRole('button', { name: 'Send tool results' }).click();
    await answers.nth(n).and(page.locator('[data-done="true"]')).waitFor();
    assert.match(await shown(answers.nth(n).getByTestId('answer')), /The tool returned: \{"temperature": 21\}/);
    await shoot('playground-tools');
    await pg.getByLabel('Offer tools to the model').uncheck();
  });

  test('the playground asks for JSON matching a schema and shows it formatted', async () => {
    const pg = section('playground');
    await pg.getByRole('button', { name: 'Clear chat' }).click();
    await pg.getByLabel('Answer in JSON matching a schema').check();
    const answer = await send('summarise as json');
    // The scripted model fills the example schema's fields with the last word of the prompt.
    assert.deepEqual(JSON.parse(await shown(answer.getByTestId('answer'))), { answer: 'json', confidence: 1 });
    assert.match(await shown(answer.getByTestId('answer')), /\n {2}"answer"/, 'pretty-printed');
    await pg.getByLabel('Answer in JSON matching a schema').uncheck();
  });

  test('an image is attached, shown in the message, sent, and can be removed before sending', async () => {
    const pg = section('playground');
    const file = pg.locator('input[type="file"]');
    await file.setInputFiles([
      { name: 'pixel.png', mimeType: 'image/png', buffer: PIXEL },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') },
    ]);
    assert.match(await shown(pg.getByRole('alert')), /notes\.txt: only PNG, JPEG, GIF and WebP/);
    const attached = pg.getByRole('list', { name: 'Attached images' });
    assert.equal(await attached.locator('li').count(), 1);
    await pg.getByRole('button', { name: 'Remove pixel.png' }).click();
    assert.equal(await attached.count(), 0);
    await file.setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: PIXEL });
    const answer = await send('what is in this picture');
    assert.equal(await shown(answer.getByTestId('answer')), 'You said: what is in this picture');
    assert.equal(await pg.locator('article.turn-user').last().getByRole('img', { name: 'pixel.png' }).count(), 1);
    assert.equal(await attached.count(), 0, 'attachments are cleared once sent');
  });

  test('a model failing mid-answer keeps what came and says what happened', async () => {
    const broken = await send('one two three four __fail_after:2');
    assert.equal(await shown(broken.getByTestId('answer')), 'You said:');
    assert.match(await shown(broken.getByRole('alert')), /Scripted stream failure after 2 words/);
    // Refused before any answer streams: the server's own message is shown in place of the answer.
    const refused = await send('__error:ValidationException');
    assert.match(await shown(refused.getByRole('alert')), /Scripted failure ValidationException/);
    // Stop ends a slow answer where it is; the words that came stay.
    const stopped = await send('a b c d e f g h __slow:150', async () => {
      await section('playground').locator('article.turn-assistant').last().getByText('You said:').waitFor();
      await section('playground').getByRole('button', { name: 'Stop' }).click();
    });
    assert.equal(await shown(stopped.getByRole('alert')), 'Stopped.');
    assert.ok((await shown(stopped.getByTestId('answer'))).split(' ').length < 10, 'the answer was cut short');
    await section('playground').getByRole('button', { name: 'Send', exact: true }).waitFor();
    await section('playground').getByRole('button', { name: 'Clear chat' }).click();
  });

  test('bad settings are refused with a message naming the field', async () => {
    const pg = section('playground');
    await pg.getByLabel('Top P').fill('3');
    await pg.getByLabel('Message', { exact: true }).fill('anything');
    await pg.getByRole('button', { name: 'Send', exact: true }).click();
    assert.match(await shown(pg.getByRole('alert')), /Top P must be a number from 0 to 1/);
    assert.equal(await pg.locator('article.turn').count(), 0, 'nothing was sent');
    assert.equal(await pg.getByLabel('Top P').getAttribute('aria-invalid'), 'true');
    await pg.getByLabel('Top P').fill('');
  });

  test('a message typed while an answer streams is kept when the answer ends', async () => {
    const pg = section('playground');
    const composer = pg.getByLabel('Message', { exact: true });
    let typedWhileStreaming = '';
    const answer = await send('one two three four five six seven eight __slow:150', async () => {
      const streaming = pg.locator('article.turn-assistant').last();
      await streaming.getByText('You said:').waitFor();
      await composer.pressSequentially('the next question');
      typedWhileStreaming = await composer.inputValue();
      assert.equal(await streaming.getAttribute('aria-busy'), 'true', 'typed while the answer was still streaming');
    });
    assert.equal(await shown(answer.getByTestId('answer')), 'You said: one two three four five six seven eight __slow:150');
    await settled();
    assert.equal(await composer.inputValue(), 'the next question', 'what was typed meanwhile is still in the composer');
    assert.equal(typedWhileStreaming, 'the next question', 'the composer emptied as the message was sent');
    // A message refused before it goes out (settings to fix) comes back to the composer, to send again once fixed.
    await pg.getByLabel('Top P').fill('3');
    await composer.press('Enter');
    assert.match(await shown(pg.locator('form.composer').getByRole('alert')), /Top P must be a number from 0 to 1/);
    assert.equal(await composer.inputValue(), 'the next question');
    await pg.getByLabel('Top P').fill('');
    await composer.fill('');
    await pg.getByRole('button', { name: 'Clear chat' }).click();
  });

  test('compare streams one prompt to two models side by side', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare' }).click();
    const cmp = section('compare');
    // The first two text models start chosen.
    assert.equal(await cmp.getByRole('checkbox', { checked: true }).count(), 2);
    await cmp.getByLabel('Prompt', { exact: true }).fill('compare this sentence');
    await cmp.getByRole('button', { name: 'Run comparison' }).click();
    for (const id of ['acme.echo-large-v1:0', 'scripted.echo-v1:0']) {
      const col = cmp.locator(`article[data-model="${id}"]`);
      await col.and(page.locator('[data-done="true"]')).waitFor();
      assert.equal(await shown(col.getByTestId('answer')), 'You said: compare this sentence');
      assert.match(await shown(col.locator('[data-stat="tokens"]')), /^3 in · 5 out$/);
      assert.match(await shown(col.locator('[data-stat="cost"]')), /^\$0\.0000\d+$/);
    }
    // Same tokens, different prices: the cheaper model is marked.
    assert.match(await shown(cmp.locator('article[data-model="scripted.echo-v1:0"]')), /cheapest/);
    await shoot('compare');
  });

  test('a knowledge base is created, given a custom source, filled through the API and searched in the console', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge bases' }).click();
    const kb = section('knowledge-bases');
    await kb.getByText('No knowledge bases yet').waitFor();
    await shoot('knowledge-bases-empty');
    await kb.getByLabel('Name', { exact: true }).fill('has spaces');
    await kb.getByRole('button', { name: 'Create knowledge base' }).click();
    assert.match(await shown(kb.getByRole('alert')), /letters, digits/);
    await kb.getByLabel('Name', { exact: true }).fill('harbour-notes');
    await kb.getByLabel('Embedding model').selectOption('scripted.embed-v1:0');
    await kb.getByRole('button', { name: 'Create knowledge base' }).click();
    await kb.getByRole('heading', { name: /harbour-notes/ }).waitFor();
    const kbId = new URL(page.url()).pathname.split('/').pop()!;
    assert.match(kbId, /^[0-9A-Z]{10}$/);

    await kb.getByLabel('Custom').check();
    await kb.getByLabel('Data source name').fill('pushed');
    await kb.getByRole('button', { name: 'Add data source' }).click();
    const row = kb.locator('tr[data-source="pushed"]');
    await row.waitFor();
    const sources = (await api('POST', `/knowledgebases/${kbId}/datasources/`, {})) as { dataSourceSummaries: { dataSourceId: string; name: string }[] };
    const dsId = sources.dataSourceSummaries.find((s) => s.name === 'pushed')!.dataSourceId;
    const doc = (id: string, text: string) => ({ content: { dataSourceType: 'CUSTOM', custom: { customDocumentIdentifier: { id }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: text } } } } });
    await api('PUT', `/knowledgebases/${kbId}/datasources/${dsId}/documents`, {
      documents: [doc('tides', 'High tide at the harbour comes twice a day; the tide table is posted by the harbour office.'), doc('gulls', 'Gulls nest on the cliffs north of the harbour every spring.')],
    });

    await kb.getByLabel('Query').fill('tide table harbour office');
    await kb.getByRole('button', { name: 'Retrieve', exact: true }).click();
    const results = kb.getByRole('list', { name: 'Retrieval results' });
    await results.waitFor();
    const first = await shown(results.locator('li').first());
    assert.match(first, /score \d\.\d{3}/);
    assert.match(first, /tides/);
    assert.match(first, /High tide at the harbour/);

    await kb.getByLabel('Generate an answer (RetrieveAndGenerate)').check();
    await kb.getByLabel('Answering model').selectOption('scripted.echo-v1:0');
    await kb.getByRole('button', { name: 'Retrieve and generate' }).click();
    const answer = kb.getByTestId('rag-answer');
    await answer.waitFor();
    assert.ok((await shown(answer)).length > 0);
    assert.ok((await kb.getByRole('list', { name: 'Citations' }).locator(':scope > li').count()) >= 1);
    await shoot('knowledge-base');
  });

  test('a folder source syncs with its job followed live to completion', async () => {
    const kb = section('knowledge-bases');
    await kb.getByLabel('Folder on the server').check();
    await kb.getByLabel('Data source name').fill('folder');
    await kb.getByLabel('Folder path').fill(docs);
    await kb.getByRole('button', { name: 'Add data source' }).click();
    const row = kb.locator('tr[data-source="folder"]');
    await row.getByText('never synced').waitFor();
    await row.getByRole('button', { name: 'Sync folder' }).click();
    await row.getByText(/complete/).waitFor({ timeout: 20_000 });
    assert.match(await shown(row.getByTestId('sync-status')), /2 scanned · 2 indexed/);
  });

  test('a server without a text model says how to add one, on every page that needs one', async () => {
    const bare = await startTestServer('models:\n  - id: scripted.embed-v1:0\n    provider: scripted\n    upstreamModel: embed\n    kind: embedding\n');
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    try {
      const p = await ctx.newPage();
      await p.goto(`${bare.url}/console/models`);
      await p.getByLabel('API key').fill(TEST_API_KEY);
      await p.getByLabel('API key').press('Enter');
      const hint = p.getByText('No text model is available on this server');
      await hint.waitFor();
      assert.match(await shown(p.locator('.empty').first()), /quarry models pull hf:[\s\S]*\.gguf[\s\S]*providers:/);
      await p.screenshot({ path: join(SCREENSHOTS, 'models-no-text-model-light.png'), fullPage: true });
      await p.getByRole('link', { name: 'Compare' }).click();
      await p.locator('section[data-page="compare"]').getByText('No text model is available on this server').waitFor();
    } finally {
      await ctx.close();
      await bare.stop();
    }
  });

  test('a key disabled while signed in signs the console out, saying why', async () => {
    const { keyId, apiKey } = await server.keys.addBearerKey(await server.keys.createPrincipal('operator', true));
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    try {
      const p = await ctx.newPage();
      await p.goto(`${server.url}/console/models`);
      await p.getByLabel('API key').fill(apiKey);
      await p.getByLabel('API key').press('Enter');
      await p.getByRole('table', { name: 'Models' }).waitFor();
      await server.keys.updateKey(keyId, { disabled: true });
      await p.getByRole('button', { name: 'Reload' }).click();
      await p.getByLabel('API key').waitFor();
      assert.match(await shown(p.getByRole('alert')), /You were signed out: .*disabled.* Sign in with a valid key\./);
      assert.equal(await p.evaluate(() => sessionStorage.getItem('quarry.apiKey')), null);
    } finally {
      await ctx.close();
    }
  });

  test('an unknown console path shows the page that says where to go, and sign-out forgets the key', async () => {
    await page.goto(`${server.url}/console/no-such-page`);
    await page.getByRole('heading', { name: 'This page does not exist' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('quarry.apiKey')), null);
  });

  test('no script error or CSP violation happened in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
