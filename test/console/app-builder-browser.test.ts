import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { formatUsd } from '../../web/src/lib/format.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * The app builder in headless Chromium against a real server with the scripted model (it answers "You said: <prompt>"):
 * an app built by hand from an input and two chained generation widgets, a reference typo refused by the server and
 * shown, then a run whose answers, tokens and cost appear per widget; an image widget (the scripted image model draws
 * a PNG) whose image is shown and priced, in the run and in its snapshot. Any script error or CSP violation fails the run.
 */
const ECHO = 'scripted.echo-v1:0';
const PAINTER = 'scripted.image-v1:0';
const YAML = `models:
  - id: ${ECHO}
    provider: scripted
    upstreamModel: echo
    pricing: { inputPer1k: 0.001, outputPer1k: 0.002 }
  - { id: "${PAINTER}", provider: scripted, kind: image, upstreamModel: image, pricing: { imagePerImage: 0.02 } }
`;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const apps = () => page.locator('section[data-page="apps"]');
const widget = (i: number) => apps().locator(`[data-widget-index="${i}"]`);
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

const shoot = (name: string) => shootBothThemes(page, name);

describe('app builder in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
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

  test('an account with no apps is told how to make one', async () => {
    await page.goto(`${server.url}/console/models`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    await page.getByRole('table', { name: 'Models' }).waitFor();
    await nav('Apps').click();
    await apps().getByText('No apps yet').waitFor();
    assert.equal(await page.title(), 'Apps · Quarry');
    await shoot('apps-empty');
  });

  test('build an app of an input and two chained generation widgets, fix a typo the server refuses, and run it', async () => {
    await apps().getByRole('button', { name: 'New app' }).click();
    await apps().getByLabel('App name').fill('Lighthouse writer');
    await apps().getByRole('button', { name: '+ Add input' }).click();
    await widget(0).getByLabel('Name', { exact: true }).fill('topic');
    await widget(0).getByLabel('Label (optional)').fill('Topic');

    await apps().getByRole('button', { name: '+ Add generation widget' }).click();
    await widget(1).getByLabel('Name', { exact: true }).fill('story');
    await widget(1).getByLabel('Prompt').fill('Write about {{topc}}');
    assert.equal(await widget(1).getByLabel('Model').inputValue(), ECHO, 'the first text model is chosen');
    await widget(1).getByLabel('Max tokens').fill('50');
    // The builder flags the unknown name as it is typed; the server refuses it on save and says what is wrong.
    assert.match(await shown(widget(1)), /topc — unknown/);
    await apps().getByRole('button', { name: 'Create app' }).click();
    const refusal = apps().getByRole('alert');
    await refusal.waitFor();
    assert.match(await shown(refusal), /widget "story" refers to \{\{topc\}\}, but no widget has that name/);
    await widget(1).getByLabel('Prompt').fill('Write about {{topic}}');

    await apps().getByRole('button', { name: '+ Add generation widget' }).click();
    await widget(2).getByLabel('Name', { exact: true }).fill('title');
    await widget(2).getByLabel('Prompt').fill('Title for: {{story}}');
    await apps().getByRole('button', { name: 'Create app' }).click();
    await apps().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/console\/apps\/[0-9A-Z]{10}$/);
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    const stored = (await (await fetch(`${server.url}/quarry/apps/${id}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } })).json()) as { app: { widgets: unknown[] } };
    assert.deepEqual(stored.app.widgets, [
      { type: 'input', name: 'topic', label: 'Topic' },
      { type: 'generation', name: 'story', prompt: 'Write about {{topic}}', modelId: ECHO, inferenceConfig: { maxTokens: 50 } },
      { type: 'generation', name: 'title', prompt: 'Title for: {{story}}', modelId: ECHO },
    ]);

    await apps().getByLabel('Topic', { exact: true }).fill('lighthouses');
    await apps().getByRole('button', { name: 'Run app' }).click();
    const total = apps().locator('[data-run-status]');
    await total.waitFor();
    assert.equal(await total.getAttribute('data-run-status'), 'succeeded');
    const story = apps().getByRole('article', { name: 'Output of story' });
    const title = apps().getByRole('article', { name: 'Output of title' });
    assert.equal(await shown(story.getByTestId('output')), 'You said: Write about lighthouses');
    assert.equal(await shown(title.getByTestId('output')), 'You said: Title for: You said: Write about lighthouses');
    // Tokens and cost per widget, at the catalog's prices: 3 words in and 5 out for the story.
    assert.match(await shown(story), /3 in · 5 out/);
    assert.equal(await shown(story.locator('[data-stat="cost"]')), formatUsd((3 * 0.001 + 5 * 0.002) / 1000));
    const titleCost = (7 * 0.001 + 9 * 0.002) / 1000;
    assert.equal(await shown(title.locator('[data-stat="cost"]')), formatUsd(titleCost));
    assert.equal(await shown(total.locator('[data-stat="run-cost"]')), formatUsd((3 * 0.001 + 5 * 0.002) / 1000 + titleCost));
    await shoot('app-builder-run');

    // The list shows the app; opening it again loads what was saved.
    await nav('Apps').click();
    const row = apps().getByRole('table', { name: 'Apps' }).locator(`tr[data-app="${id}"]`);
    await row.waitFor();
    assert.match(await shown(row), /Lighthouse writer\s+3/);
    await shoot('apps-list');
    await row.getByRole('link', { name: 'Lighthouse writer' }).click();
    assert.equal(await widget(2).getByLabel('Prompt').inputValue(), 'Title for: {{story}}');
    assert.deepEqual(pageErrors, []);
  });

  test('run again after changing one input: only the widgets downstream of it run, the others keep their answers', async () => {
    const def = {
      name: 'Tone shifter',
      description: 'Facts, then the facts restyled.',
      widgets: [
        { type: 'input', name: 'topic', label: 'Topic' },
        { type: 'input', name: 'tone', label: 'Tone' },
        { type: 'generation', name: 'facts', prompt: 'Facts about {{topic}}', modelId: ECHO },
        { type: 'generation', name: 'styled', prompt: 'In a {{tone}} tone: {{facts}}', modelId: ECHO },
      ],
    };
    const made = await fetch(`${server.url}/quarry/apps`, { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(def) });
    const id = ((await made.json()) as { app: { appId: string } }).app.appId;
    await page.goto(`${server.url}/console/apps/${id}`);
    const facts = apps().getByRole('article', { name: 'Output of facts' });
    const styled = apps().getByRole('article', { name: 'Output of styled' });
    const total = apps().locator('[data-run-status]');
    const runOnce = async () => {
      await apps().getByRole('button', { name: 'Run app' }).click();
      await total.waitFor();
      assert.equal(await total.getAttribute('data-run-status'), 'succeeded');
    };

    await apps().getByLabel('Topic', { exact: true }).fill('tides');
    await apps().getByLabel('Tone', { exact: true }).fill('calm');
    await runOnce();
    assert.equal(await shown(styled.getByTestId('output')), 'You said: In a calm tone: You said: Facts about tides');
    assert.equal(await facts.locator('[data-reused]').count(), 0);

    await apps().getByLabel('Tone', { exact: true }).fill('stormy');
    await runOnce();
    assert.equal(await shown(styled.getByTestId('output')), 'You said: In a stormy tone: You said: Facts about tides');
    assert.equal(await facts.locator('[data-reused]').count(), 1, 'facts uses only the topic, which did not change');
    assert.equal(await styled.locator('[data-reused]').count(), 0);
    // The run costs only what ran: styled's 9 words in and 11 out.
    assert.equal(await shown(total.locator('[data-stat="run-cost"]')), formatUsd((9 * 0.001 + 11 * 0.002) / 1000));
    await shoot('app-rerun-downstream');

    // Unchanged, Run app asks for new answers: everything runs.
    await runOnce();
    assert.equal(await apps().locator('[data-reused]').count(), 0);
    assert.deepEqual(pageErrors, []);
  });

  test('an image widget draws from an input: its image is shown with its label as alt text, and the run cost includes it', async () => {
    await nav('Apps').click();
    await apps().getByRole('button', { name: 'New app' }).click();
    await apps().getByLabel('App name').fill('Poster maker');
    await apps().getByRole('button', { name: '+ Add input' }).click();
    await widget(0).getByLabel('Name', { exact: true }).fill('subject');
    await widget(0).getByLabel('Label (optional)').fill('Subject');
    await apps().getByRole('button', { name: '+ Add generation widget' }).click();
    await widget(1).getByLabel('Name', { exact: true }).fill('caption');
    await widget(1).getByLabel('Prompt').fill('Caption for {{subject}}');
    await apps().getByRole('button', { name: '+ Add image' }).click();
    await widget(2).getByLabel('Name', { exact: true }).fill('poster');
    await widget(2).getByLabel('Label (optional)').fill('The poster');
    await widget(2).getByLabel('Prompt', { exact: true }).fill('A poster of {{subject}}');
    assert.equal(await widget(2).getByLabel('Image model').inputValue(), PAINTER, 'only image models are offered, the first chosen');
    // A prompt cannot use an image: the builder says so as it is typed.
    await widget(1).getByLabel('Prompt').fill('Caption for {{poster}}');
    assert.match(await shown(widget(1)), /poster — an image, not text/);
    await widget(1).getByLabel('Prompt').fill('Caption for {{subject}}');
    assert.equal(await widget(2).getByLabel('Image model').locator('option').count(), 1);
    await widget(2).getByLabel('Negative prompt (optional)').fill('text');
    await widget(2).getByLabel('Size (optional)').fill('64x48');
    await apps().getByRole('button', { name: 'Create app' }).click();
    await apps().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    const stored = (await (await fetch(`${server.url}/quarry/apps/${id}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } })).json()) as { app: { widgets: unknown[] } };
    assert.deepEqual(stored.app.widgets[2], { type: 'image', name: 'poster', label: 'The poster', prompt: 'A poster of {{subject}}', modelId: PAINTER, negativePrompt: 'text', size: '64x48' });

    await apps().getByLabel('Subject', { exact: true }).fill('a lighthouse');
    await apps().getByRole('button', { name: 'Run app' }).click();
    const total = apps().locator('[data-run-status]');
    await total.waitFor();
    assert.equal(await total.getAttribute('data-run-status'), 'succeeded');
    const poster = apps().getByRole('article', { name: 'Output of The poster' });
    const img = poster.getByRole('img', { name: 'The poster' });
    await img.waitFor();
    // Decoded by the browser, not just present: a broken data URL has a natural width of 0.
    await page.waitForFunction((el) => (el as unknown as { complete: boolean }).complete, await img.elementHandle());
    assert.ok((await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)) > 0, 'the image decodes');
    assert.match(await shown(poster), /Images\s+1/);
    assert.equal(await shown(poster.locator('[data-stat="cost"]')), formatUsd(0.02));
    // caption: "Caption for a lighthouse" is 4 words in, "You said: …" 6 out.
    const captionCost = (4 * 0.001 + 6 * 0.002) / 1000;
    const caption = apps().getByRole('article', { name: 'Output of caption' });
    assert.equal(await shown(caption.locator('[data-stat="cost"]')), formatUsd(captionCost));
    assert.equal(await shown(total.locator('[data-stat="run-cost"]')), formatUsd(captionCost + 0.02));
    await shoot('app-image-widget');

    // The snapshot of that run shows the image too.
    await apps().getByRole('button', { name: 'Snapshot this run' }).click();
    const link = apps().getByLabel('New snapshot link (shown once: copy it now)');
    await link.waitFor();
    const reader = await context.newPage();
    try {
      await reader.goto(await link.inputValue());
      const frozen = reader.getByRole('article', { name: 'Output of The poster' }).getByRole('img', { name: 'The poster' });
      await frozen.waitFor();
      await reader.waitForFunction((el) => (el as unknown as { complete: boolean }).complete, await frozen.elementHandle());
      assert.ok((await frozen.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)) > 0, 'the snapshot\'s image decodes');
      assert.equal(await shown(reader.locator('[data-stat="run-cost"]')), formatUsd(captionCost + 0.02));
    } finally {
      await reader.close();
    }
    assert.deepEqual(pageErrors, []);
  });
});
