import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { type RecordedRequest, type ReplayServer, startReplayServer } from '../../src/providers/conformance/replay-server.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * Drafting an app with pictures in headless Chromium: the drafting model is an OpenAI-compatible upstream (a local
 * replay server) that answers the draft request with a scripted app — an input, a story and an image widget when the
 * request offers image widgets, text widgets only when it does not. The draft lands in the builder with the image model
 * chosen in the draft form, is created and run, and its image is drawn by the scripted image model. A second server
 * with no image model shows the hints: the draft form says drafts have none, and "+ Add image" says why it adds nothing.
 */
const DRAFTER = 'acme.drafter-v1:0';
const PAINTER = 'scripted.image-v1:0';
const ECHO = 'scripted.echo-v1:0';

/** What the upstream was asked for in a draft request: the widget types its JSON schema offers, and the system text. */
function draftAsk(req: RecordedRequest): { types: string[]; system: string } | undefined {
  const body = req.json<{ messages: { role: string; content: string }[]; response_format?: { json_schema: { schema: { properties: { widgets: { items: { properties: { type: { enum: string[] } } } } } } } } }>();
  if (!body.response_format) return undefined;
  return { types: body.response_format.json_schema.schema.properties.widgets.items.properties.type.enum, system: body.messages.find((m) => m.role === 'system')?.content ?? '' };
}

const withPicture = {
  name: 'Lighthouse tales',
  description: 'A short tale and a picture of it.',
  widgets: [
    { type: 'input', name: 'place', label: 'Place' },
    { type: 'generation', name: 'tale', label: 'Tale', prompt: 'A short tale set at {{place}}' },
    { type: 'image', name: 'picture', label: 'Picture', prompt: 'A watercolour of a lighthouse at {{place}}' },
  ],
};
const textOnly = { ...withPicture, widgets: withPicture.widgets.slice(0, 2) };

let upstream: ReplayServer;
let server: TestServer;
let bare: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const apps = () => page.locator('section[data-page="apps"]');
const widget = (i: number) => apps().locator(`[data-widget-index="${i}"]`);

async function signInToNewApp(url: string): Promise<void> {
  await page.goto(`${url}/console/apps/new`);
  await page.getByLabel('API key').fill(TEST_API_KEY);
  await page.getByLabel('API key').press('Enter');
  await apps().getByRole('form', { name: 'Draft from a description' }).waitFor();
}

describe('drafting an app with image widgets in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    upstream = await startReplayServer();
    upstream.route((req) => {
      if (req.path !== '/v1/chat/completions') return { status: 404, body: '{"error":{"message":"no such path"}}' };
      // A draft request asks for JSON by schema; any other call (the app's tale widget, streamed) gets a line of prose.
      const ask = draftAsk(req);
      if (req.json<{ stream?: boolean }>().stream) {
        const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'drafter', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        return { headers: { 'content-type': 'text/event-stream' }, body: [chunk({ role: 'assistant', content: 'Once upon a time, a keeper kept the light.' }, null), chunk({}, 'stop'), 'data: [DONE]\n\n'] };
      }
      const content = ask ? JSON.stringify(ask.types.includes('image') ? withPicture : textOnly) : 'Once upon a time, a keeper kept the light.';
      const body = { id: 'c1', object: 'chat.completion', created: 1, model: 'drafter', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 50, completion_tokens: 40, total_tokens: 90 } };
      return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    });
    const models = `  - { id: "${DRAFTER}", provider: upstream, upstreamModel: drafter }
  - { id: "${ECHO}", provider: scripted, upstreamModel: echo }
`;
    [server, bare, browser] = await Promise.all([
      startTestServer(`  - { id: upstream, type: openai-compatible, baseUrl: "${upstream.url}/v1", apiKey: upstream-secret, timeoutMs: 5000 }
models:
${models}  - { id: "${PAINTER}", provider: scripted, kind: image, upstreamModel: image, pricing: { imagePerImage: 0.02 } }
`),
      startTestServer(`models:\n  - { id: "${ECHO}", provider: scripted, upstreamModel: echo }\n`),
      launchChromium(),
    ]);
    ({ context, page } = await openConsolePage(browser, pageErrors));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await bare?.stop();
    await upstream?.close();
  });

  test('with an image model the draft adds an image widget that uses the one chosen; it is created and draws', async () => {
    await signInToNewApp(server.url);
    const form = apps().getByRole('form', { name: 'Draft from a description' });
    await form.getByLabel('Drafting model').selectOption(DRAFTER);
    assert.equal(await form.getByLabel('Image widgets').inputValue(), PAINTER, 'the first image model is chosen');
    assert.equal(await form.getByText('Drafts have no image widgets').count(), 0);
    await form.getByLabel('What should the app do?').fill('Tell a short tale about a place, with a picture of it');
    await form.getByRole('button', { name: 'Draft widgets' }).click();
    await widget(2).waitFor();

    // The request offered image widgets, in its schema and its instructions.
    const ask = draftAsk(upstream.requests.at(-1)!)!;
    assert.deepEqual(ask.types, ['input', 'generation', 'text', 'image']);
    assert.match(ask.system, /"image" \(a picture an image model draws/);
    assert.match(await shown(widget(2)), /Image/);
    assert.equal(await widget(2).getByLabel('Prompt', { exact: true }).inputValue(), 'A watercolour of a lighthouse at {{place}}');
    assert.equal(await widget(2).getByLabel('Image model').inputValue(), PAINTER);
    assert.equal(await widget(1).getByLabel('Model').inputValue(), DRAFTER, 'generation widgets use the drafting model');
    assert.equal(new URL(page.url()).pathname, '/console/apps/new', 'nothing saved yet');
    await shootBothThemes(page, 'app-draft-image');

    await apps().getByRole('button', { name: 'Create app' }).click();
    await apps().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    const stored = (await (await fetch(`${server.url}/quarry/apps/${id}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } })).json()) as { app: { widgets: unknown[] } };
    assert.deepEqual(stored.app.widgets[2], { type: 'image', name: 'picture', label: 'Picture', prompt: 'A watercolour of a lighthouse at {{place}}', modelId: PAINTER });

    // The tale comes from the upstream, the picture from the scripted image model.
    await apps().getByLabel('Place', { exact: true }).fill('Fastnet');
    await apps().getByRole('button', { name: 'Run app' }).click();
    await apps().locator('[data-run-status]').waitFor();
    const img = apps().getByRole('article', { name: 'Output of picture' }).getByRole('img', { name: 'Picture' });
    await img.waitFor();
    assert.match(await shown(apps().getByRole('article', { name: 'Output of tale' }).getByTestId('output')), /a keeper kept the light/);
    assert.ok((await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)) > 0, 'the image decodes');
    assert.deepEqual(pageErrors, []);
  });

  test('with "None" chosen the request offers no image widget, and the draft has none', async () => {
    await page.goto(`${server.url}/console/apps/new`);
    const form = apps().getByRole('form', { name: 'Draft from a description' });
    await form.getByLabel('Drafting model').selectOption(DRAFTER);
    await form.getByLabel('Image widgets').selectOption('');
    await form.getByLabel('What should the app do?').fill('Tell a short tale about a place');
    await form.getByRole('button', { name: 'Draft widgets' }).click();
    await widget(1).waitFor();
    const ask = draftAsk(upstream.requests.at(-1)!)!;
    assert.deepEqual(ask.types, ['input', 'generation', 'text']);
    assert.doesNotMatch(ask.system, /image/);
    assert.equal(await widget(2).count(), 0);
    assert.deepEqual(pageErrors, []);
  });

  test('with no image model configured: the draft form says drafts have none, and "+ Add image" says why it adds nothing', async () => {
    await context.clearCookies();
    await page.goto(`${bare.url}/console/apps/new`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const form = apps().getByRole('form', { name: 'Draft from a description' });
    await form.getByText('Drafts have no image widgets: no image model is configured (see “Image generation” in the README).').waitFor();
    assert.equal(await form.getByLabel('Image widgets').count(), 0, 'no image model to choose');

    const addImage = apps().getByRole('button', { name: '+ Add image' });
    assert.equal(await addImage.getAttribute('aria-disabled'), 'true');
    const hint = apps().locator('#app-add-image-hint');
    assert.match(await shown(hint), /Image widgets need an image model: configure a model with kind: image/);
    assert.equal(await addImage.evaluate((el) => (el as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-describedby')), 'app-add-image-hint');
    assert.equal(await apps().getByRole('alert').count(), 0);

    // Reached and pressed from the keyboard: no widget appears, and the hint is now an alert.
    await addImage.focus();
    await page.keyboard.press('Enter');
    const alert = apps().getByRole('alert');
    await alert.waitFor();
    assert.match(await shown(alert), /Image widgets need an image model/);
    assert.equal(await widget(0).count(), 0, 'nothing was added');
    await shootBothThemes(page, 'app-builder-no-image-model');
    assert.deepEqual(pageErrors, []);
  });
});
