import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * Share links and remix in headless Chromium against a real server with the scripted model: the owner makes a link in
 * the builder, a fresh signed-out browser context opens it and runs the app (its cost shown), the owner revokes it and
 * the visitor's reload is refused with a message that says so; then the owner remixes the app into a copy.
 */
const ECHO = 'scripted.echo-v1:0';
const YAML = `models:
  - id: ${ECHO}
    provider: scripted
    upstreamModel: echo
    pricing: { inputPer1k: 0.001, outputPer1k: 0.002 }
`;

let server: TestServer;
let browser: Browser;
let owner: { context: BrowserContext; page: Page };
let visitor: { context: BrowserContext; page: Page };
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();

describe('app share links in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startTestServer(YAML), launchChromium()]);
    owner = await openConsolePage(browser, pageErrors);
    visitor = await openConsolePage(browser, pageErrors);
  });

  after(async () => {
    await owner?.context.close();
    await visitor?.context.close();
    await browser?.close();
    await server?.stop();
  });

  test('share an app, run it signed out from the link, revoke the link and see it refused, then remix the app', async () => {
    const res = await fetch(`${server.url}/quarry/apps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Tide tables',
        description: 'Explains a tide in one line.',
        widgets: [
          { type: 'text', name: 'note', label: 'Note', text: 'Heights are in metres.' },
          { type: 'input', name: 'place', label: 'Place' },
          { type: 'generation', name: 'tide', label: 'Tide', prompt: 'Tides at {{place}}', modelId: ECHO },
        ],
      }),
    });
    const id = ((await res.json()) as { app: { appId: string } }).app.appId;

    const page = owner.page;
    const apps = page.locator('section[data-page="apps"]');
    await page.goto(`${server.url}/console/apps/${id}`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const share = apps.getByRole('region', { name: 'Share' });
    await share.getByText('No live links.').waitFor();
    await share.getByRole('button', { name: 'Create share link' }).click();
    const link = share.getByLabel('New share link (shown once: copy it now)');
    await link.waitFor();
    const url = await link.inputValue();
    assert.match(url, new RegExp(`^${server.url}/console/shared/qa_[A-Za-z0-9_-]{43}$`));
    await share.getByRole('list', { name: 'Share links' }).getByRole('listitem').first().waitFor();
    await shootBothThemes(page, 'app-share-panel');

    // A fresh context: no key in its storage, no cookie.
    const v = visitor.page;
    await v.goto(url);
    await v.getByRole('heading', { name: 'Tide tables' }).waitFor();
    assert.equal(await v.getByLabel('API key').count(), 0, 'the link opens without signing in');
    assert.match(await shown(v.locator('[data-static="note"]')), /Note\s+Heights are in metres\./);
    assert.equal(await v.title(), 'Tide tables · Shared app · Quarry');
    await v.getByLabel('Place').fill('Brest');
    await v.getByRole('button', { name: 'Run app' }).click();
    const total = v.locator('[data-run-status]');
    await total.waitFor();
    assert.equal(await total.getAttribute('data-run-status'), 'succeeded');
    assert.equal(await shown(v.getByRole('article', { name: 'Output of Tide' }).getByTestId('output')), 'You said: Tides at Brest');
    assert.match(await shown(total), /cost \$/);
    assert.match(await shown(v.locator('main')), /Sign in to the console in this tab to remix/);
    await shootBothThemes(v, 'app-shared-run');

    const shareId = (await share.locator('[data-share]').first().getAttribute('data-share'))!;
    await share.getByRole('button', { name: `Revoke link ${shareId}` }).click();
    await share.getByText('No live links.').waitFor();

    await v.reload();
    const refused = v.getByRole('alert');
    await refused.waitFor();
    assert.match(await shown(refused), /This link no longer works[\s\S]*revoked by the app's owner/);
    await shootBothThemes(v, 'app-shared-revoked');

    await apps.getByRole('button', { name: 'Remix', exact: true }).click();
    await apps.getByRole('heading', { name: 'Remix of Tide tables', level: 1 }).waitFor();
    assert.notEqual(new URL(page.url()).pathname, `/console/apps/${id}`);
    assert.deepEqual(pageErrors, []);
  });

  test('snapshot a run in the builder, read it signed out from its link, delete it and see the link refused', async () => {
    const page = owner.page;
    const apps = page.locator('section[data-page="apps"]');
    // The remix from the test before is open: run it, then freeze that run.
    await apps.getByLabel('Place', { exact: true }).fill('Saint-Malo');
    await apps.getByRole('button', { name: 'Run app' }).click();
    await apps.locator('[data-run-status="succeeded"]').waitFor();
    const cost = await shown(apps.locator('[data-stat="run-cost"]'));
    await apps.getByRole('button', { name: 'Snapshot this run' }).click();
    const snapshots = apps.getByRole('region', { name: 'Snapshots' });
    const link = snapshots.getByLabel('New snapshot link (shown once: copy it now)');
    await link.waitFor();
    const url = await link.inputValue();
    assert.match(url, new RegExp(`^${server.url}/console/snapshots/qs_[A-Za-z0-9_-]{43}$`));
    await snapshots.getByRole('list', { name: 'Snapshots' }).getByRole('listitem').first().waitFor();

    const v = visitor.page;
    await v.goto(url);
    await v.getByRole('heading', { name: 'Remix of Tide tables' }).waitFor();
    assert.match(await shown(v.getByRole('region', { name: 'Inputs' })), /Place\s+Saint-Malo/);
    assert.equal(await shown(v.getByRole('article', { name: 'Output of Tide' }).getByTestId('output')), 'You said: Tides at Saint-Malo');
    assert.equal(await shown(v.locator('[data-stat="run-cost"]')), cost);
    assert.equal(await v.getByRole('button', { name: 'Run app' }).count(), 0, 'a snapshot runs nothing');
    await shootBothThemes(v, 'app-snapshot');

    const id = (await snapshots.locator('[data-snapshot]').first().getAttribute('data-snapshot'))!;
    await snapshots.getByRole('button', { name: `Delete snapshot ${id}` }).click();
    await snapshots.getByText('No snapshots.').waitFor();
    await v.reload();
    const refused = v.getByRole('alert');
    await refused.waitFor();
    assert.match(await shown(refused), /This snapshot cannot be shown[\s\S]*deleted the snapshot/);
    assert.deepEqual(pageErrors, []);
  });

  test('build an app with static text and a document upload in the builder, and run it on a file', async () => {
    const page = owner.page;
    const apps = page.locator('section[data-page="apps"]');
    const widget = (i: number) => apps.locator(`[data-widget-index="${i}"]`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Apps', exact: true }).click();
    await apps.getByRole('button', { name: 'New app' }).click();
    await apps.getByLabel('App name').fill('Brief reader');
    await apps.getByRole('button', { name: '+ Add static text' }).click();
    await widget(0).getByLabel('Text', { exact: true }).fill('Upload a brief; you get its gist.');
    await apps.getByRole('button', { name: '+ Add document upload' }).click();
    await widget(1).getByLabel('Label (optional)').fill('Brief');
    await apps.getByRole('button', { name: '+ Add generation widget' }).click();
    await widget(2).getByLabel('Prompt').fill('Gist of {{document1}}');
    await apps.getByRole('button', { name: '+ Add chatbot' }).click();
    await widget(3).getByLabel('Label (optional)').fill('Ask the brief');
    await widget(3).getByLabel('Instructions (system prompt, optional)').fill('Answer briefly.');
    // This account has no knowledge bases: the picker offers none and says where to make one.
    const kbPicker = widget(3).getByLabel('Knowledge base (optional)');
    await widget(3).getByText('This account has no knowledge bases yet').waitFor();
    assert.deepEqual(await kbPicker.locator('option').allInnerTexts(), ['None: answer from the model alone']);
    assert.equal(await widget(3).getByRole('link', { name: 'Knowledge bases' }).getAttribute('href'), '/console/knowledge-bases');
    await apps.getByRole('button', { name: 'Create app' }).click();
    await apps.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    assert.match(await shown(apps.locator('[data-static="text1"]')), /Upload a brief; you get its gist\./);
    await apps.getByLabel('Brief', { exact: true }).setInputFiles({ name: 'brief.html', mimeType: 'text/html', buffer: Buffer.from('<h1>Brief</h1><p>Ship on <em>Friday</em>.</p>') });
    await apps.getByRole('button', { name: 'Run app' }).click();
    await apps.locator('[data-run-status="succeeded"]').waitFor();
    assert.match(await shown(apps.getByRole('article', { name: 'Output of generated1' }).getByTestId('output')), /^You said: Gist of [\s\S]*Ship on Friday\./);
    const bot = apps.getByRole('article', { name: 'Chatbot Ask the brief' });
    await bot.getByLabel('Message to Ask the brief').fill('When do we ship?');
    await bot.getByRole('button', { name: 'Send' }).click();
    const answer = bot.locator('[data-role="assistant"]');
    await answer.waitFor();
    assert.match(await shown(answer), /You said: When do we ship\?/);
    assert.match(await shown(answer.locator('[data-stat="chat-cost"]')), /in · \d+ out · \$/);
    await shootBothThemes(page, 'app-builder-document');
    // A snapshot keeps the run, not the chat, and its page says so rather than leave the chatbot out unexplained.
    await apps.getByRole('button', { name: 'Snapshot this run' }).click();
    const link = await apps.getByLabel('New snapshot link (shown once: copy it now)').inputValue();
    await page.goto(link);
    assert.match(await shown(page.locator('[data-snapshot-chats]')), /This app also has a chatbot \(Ask the brief\): a snapshot keeps a run, not conversations\./);
    await page.goto(`${server.url}/console/apps`);
    assert.deepEqual(pageErrors, []);
  });

  test('draft an app from a one-line description: the widgets come back into the builder, unsaved', async () => {
    const page = owner.page;
    const apps = page.locator('section[data-page="apps"]');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Apps', exact: true }).click();
    await apps.getByRole('button', { name: 'New app' }).click();
    const form = apps.getByRole('form', { name: 'Draft from a description' });
    await form.getByRole('button', { name: 'Draft widgets' }).click();
    assert.match(await shown(form.getByRole('alert')), /Describe the app in a sentence first/);
    // The scripted model fills the draft schema with the description's last word.
    await form.getByLabel('What should the app do?').fill('Write a limerick about a topic');
    await form.getByRole('button', { name: 'Draft widgets' }).click();
    await apps.locator('[data-widget-index="0"]').waitFor();
    assert.equal(await apps.getByLabel('App name').inputValue(), 'topic');
    assert.equal(await apps.locator('[data-widget-index="0"]').getByLabel('Name', { exact: true }).inputValue(), 'topic');
    assert.equal(new URL(page.url()).pathname, '/console/apps/new', 'nothing saved yet');
    await form.getByLabel('What should the app do?').fill('Make poems!');
    await form.getByRole('button', { name: 'Draft widgets' }).click();
    await form.getByRole('alert').filter({ hasText: 'could not draft a valid app' }).waitFor();
    await shootBothThemes(page, 'app-draft');
    assert.deepEqual(pageErrors, []);
  });

  test('a signed-in visitor remixes a shared app from its link into their own account', async () => {
    const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
    const made = await fetch(`${server.url}/quarry/apps`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Fog horn', widgets: [{ type: 'input', name: 'q' }, { type: 'generation', name: 'a', prompt: 'Say {{q}}', modelId: ECHO }] }),
    });
    const id = ((await made.json()) as { app: { appId: string } }).app.appId;
    const share = await fetch(`${server.url}/quarry/apps/${id}/shares`, { method: 'POST', headers: auth });
    const { path } = ((await share.json()) as { share: { path: string } }).share;
    // The owner's tab holds a key, so the shared page offers the remix.
    const page = owner.page;
    await page.goto(`${server.url}${path}`);
    await page.getByRole('button', { name: 'Remix into my account' }).click();
    await page.locator('section[data-page="apps"]').getByRole('heading', { name: 'Remix of Fog horn', level: 1 }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/console\/apps\/[0-9A-Z]{10}$/);
    assert.deepEqual(pageErrors, []);
  });
});
