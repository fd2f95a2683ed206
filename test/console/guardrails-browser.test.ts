import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * The guardrails page in headless Chromium against a real server: a bad name is refused with the server's message, a
 * guardrail with a denied word and an anonymized PII entity is created through the form, text is tested in the panel
 * (masked, then blocked), a version is published, and the guardrail is deleted after a confirmation. Any script error
 * or CSP violation in the page fails the run.
 */

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const section = () => page.locator('section[data-page="guardrails"]');
const shoot = (name: string) => shootBothThemes(page, name);

describe('guardrails console in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
  before(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ context, page } = await openConsolePage(browser, pageErrors));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  test('an invalid name is refused with the server message', async () => {
    await page.goto(`${server.url}/console/guardrails`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const gr = section();
    await gr.getByText('No guardrails yet').waitFor();
    assert.equal(await page.title(), 'Guardrails · Quarry');
    await gr.getByLabel('Name', { exact: true }).fill('has spaces');
    await gr.getByRole('button', { name: 'Create guardrail' }).click();
    await gr.getByRole('alert').getByText(/a guardrail name may hold only letters, digits/).waitFor();
  });

  test('a guardrail with a denied word and EMAIL anonymized is created, tested, published and deleted', async () => {
    const gr = section();
    await gr.getByLabel('Name', { exact: true }).fill('support-bot');
    await gr.getByLabel('Blocked words and phrases (one per line)').fill('project falcon');
    await gr.getByRole('button', { name: 'Add PII entity' }).click();
    await gr.getByLabel('PII entity 1 type').selectOption('EMAIL');
    await gr.getByLabel('PII entity 1 action').selectOption('ANONYMIZE');
    await gr.getByLabel('Message for blocked input').fill('That cannot be discussed here.');
    await gr.getByRole('button', { name: 'Create guardrail' }).click();
    const row = gr.locator('tr[data-guardrail="support-bot"]');
    await row.waitFor();
    assert.match(await shown(row), /support-bot\s+\w+\s+ready\s+DRAFT/);
    assert.equal(await gr.getByRole('alert').count(), 0);
    await shoot('guardrails');

    // The detail page shows the DRAFT's policies; an email is masked and the action says the guardrail intervened.
    await row.getByRole('link', { name: 'support-bot', exact: true }).click();
    await gr.getByRole('heading', { name: 'support-bot', level: 1 }).waitFor();
    assert.equal(await page.title(), 'support-bot · Guardrails · Quarry');
    assert.match(await shown(gr.getByRole('region', { name: 'Policies (DRAFT)' })), /project falcon[\s\S]*EMAIL ANONYMIZE/);
    await gr.getByLabel('Text to check').fill('Please email jane.doe@example.com the report.');
    await gr.getByRole('button', { name: 'Apply guardrail' }).click();
    await gr.getByTestId('gr-test-output').getByText('Please email {EMAIL} the report.').waitFor();
    assert.equal(await shown(gr.getByTestId('gr-test-action')), 'GUARDRAIL_INTERVENED');
    assert.match(await shown(gr.getByRole('table', { name: 'Assessments' })), /Sensitive information\s+jane\.doe@example\.com\s+EMAIL\s+ANONYMIZED/);

    // The denied word blocks: the output is the configured message, and the word filter is named.
    await gr.getByLabel('Text to check').fill('When does Project Falcon launch?');
    await gr.getByRole('button', { name: 'Apply guardrail' }).click();
    await gr.getByTestId('gr-test-output').getByText('That cannot be discussed here.').waitFor();
    assert.match(await shown(gr.getByRole('table', { name: 'Assessments' })), /Word filter\s+project falcon\s+BLOCKED/);

    // Publishing makes version 1, which the panel can then test.
    await gr.getByRole('button', { name: 'Publish version' }).click();
    await gr.getByText('published versions 1').waitFor();
    await gr.getByLabel('Version').selectOption('1');
    await gr.getByLabel('Source').selectOption('OUTPUT');
    await gr.getByLabel('Text to check').fill('The sky is blue.');
    await gr.getByRole('button', { name: 'Apply guardrail' }).click();
    await gr.getByText('No policy fired.').waitFor();
    assert.equal(await shown(gr.getByTestId('gr-test-action')), 'NONE');
    await shoot('guardrail');

    // Deleted after a confirmation.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Guardrails' }).click();
    await row.getByRole('button', { name: 'Delete support-bot' }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await gr.getByText('No guardrails yet').waitFor();
    const res = await fetch(`${server.url}/guardrails`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    assert.deepEqual(((await res.json()) as { guardrails: unknown[] }).guardrails, []);
    assert.deepEqual(pageErrors, []);
  });
});
