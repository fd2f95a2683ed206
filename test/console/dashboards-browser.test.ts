import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { formatUsd } from '../../web/src/lib/format.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { ensureConsoleBuilt, hasChromium, launchChromium, openConsolePage, SCREENSHOTS, shootBothThemes } from './browser-support.js';

/**
 * The usage & cost dashboard and the provisioned-throughput page in headless Chromium against a real server with the
 * scripted provider: empty states first, then the spend of invocations made here (grouped by model and by tag, with a
 * budget filling), then units bought, renamed, invoked, inspected and deleted through the forms, including the
 * server's refusal to delete a committed one. Any script error or CSP violation in the page fails the run.
 */

const ECHO = 'scripted.echo-v1:0';
const LARGE = 'acme.echo-large-v1:0';
const PRICES: Record<string, { inputPer1k: number; outputPer1k: number }> = {
  [ECHO]: { inputPer1k: 0.001, outputPer1k: 0.002 },
  [LARGE]: { inputPer1k: 0.003, outputPer1k: 0.015 },
};
const YAML = `models:
  - id: ${ECHO}
    provider: scripted
    upstreamModel: echo
    pricing: { inputPer1k: 0.001, outputPer1k: 0.002 }
  - id: ${LARGE}
    provider: scripted
    upstreamModel: echo
    pricing: { inputPer1k: 0.003, outputPer1k: 0.015 }
`;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A Converse call; its cost as the meter prices it (the catalog's list prices above), from the usage it reports. */
async function converse(model: string, text: string, tags?: string): Promise<{ cost: number; tokens: number }> {
  const r = (await api('POST', `/model/${encodeURIComponent(model)}/converse`, { messages: [{ role: 'user', content: [{ text }] }] }, tags ? { 'x-quarry-tags': tags } : {})) as {
    usage: { inputTokens: number; outputTokens: number };
  };
  const p = PRICES[model]!;
  return { cost: (r.usage.inputTokens * p.inputPer1k + r.usage.outputTokens * p.outputPer1k) / 1000, tokens: r.usage.inputTokens + r.usage.outputTokens };
}

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text these tests mean to check.
const shown = (l: Locator) => l.innerText();
const section = (name: string) => page.locator(`section[data-page="${name}"]`);
const shoot = (name: string) => shootBothThemes(page, name);
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

describe('usage and provisioned-throughput consoles in Chromium', { skip: hasChromium ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install chromium); CI installs it' }, () => {
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

  test('before any invocation the dashboard says there is no usage and no budget', async () => {
    await page.goto(`${server.url}/console/usage`);
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByLabel('API key').press('Enter');
    const usage = section('usage');
    await usage.getByText('No usage in the last 7 days').waitFor();
    assert.equal(await shown(usage.locator('[data-total="cost"] dd')), '$0');
    assert.equal(await shown(usage.locator('[data-total="requests"] dd')), '0');
    await usage.getByText('No budgets yet').waitFor();
    assert.equal(await page.title(), 'Usage & cost · Quarry');
  });

  test('the spend of invocations shows in the totals, per model, per tag, over time, and against a budget', async () => {
    const echo = [await converse(ECHO, 'first tagged call', 'team=search'), await converse(ECHO, 'second tagged call here', 'team=search')];
    const large = [await converse(LARGE, 'an untagged call to the larger model')];
    const sum = (xs: { cost: number }[]) => xs.reduce((a, x) => a + x.cost, 0);
    const total = sum(echo) + sum(large);
    await api('POST', '/quarry/budgets', { name: 'monthly-cap', amountUsd: 1 });

    const usage = section('usage');
    await usage.getByRole('button', { name: 'Reload' }).click();
    await usage.locator('[data-total="cost"] dd', { hasText: formatUsd(total) }).waitFor();
    assert.equal(await shown(usage.locator('[data-total="requests"] dd')), '3');
    assert.match(await shown(usage.locator('[data-total="forecast"]')), /This month, forecast\s+\$[\d.]+\s+\$[\d.]+ so far; /);
    const tokens = [...echo, ...large].reduce((a, x) => a + x.tokens, 0);
    const shownTokens = ['input-tokens', 'output-tokens'].map(async (k) => Number((await shown(usage.locator(`[data-total="${k}"] dd`))).replace(/,/g, '')));
    assert.equal((await shownTokens[0]!) + (await shownTokens[1]!), tokens);

    const byModel = usage.getByRole('table', { name: 'Usage by model' });
    assert.match(await shown(byModel.locator(`tr[data-group="${ECHO}"]`)), new RegExp(`^${ECHO}\\s+2\\s[\\s\\S]*\\${formatUsd(sum(echo))}\\s`));
    assert.match(await shown(byModel.locator(`tr[data-group="${LARGE}"]`)), new RegExp(`^${LARGE}\\s+1\\s[\\s\\S]*\\${formatUsd(sum(large))}\\s`));
    // Seven daily bars, both models drawn in them (looked for in every bar, not today's: the test may straddle midnight
    // UTC), and the legend naming both.
    const spendChart = usage.getByRole('figure', { name: /Spend per day/ });
    assert.equal(await spendChart.locator('g[data-bar]').count(), 7);
    const drawn = await spendChart.locator('g[data-bar] rect[class^="chart-series-"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('class')));
    assert.deepEqual([...new Set(drawn)].sort(), ['chart-series-0', 'chart-series-1']);
    assert.deepEqual((await spendChart.getByRole('list').locator('li').allInnerTexts()).map((t) => t.trim()), [LARGE, ECHO]);

    const budget = usage.locator('tr[data-budget="monthly-cap"]');
    await budget.waitFor();
    assert.match(await shown(budget.getByTestId('budget-used')), new RegExp(`^\\${formatUsd(total)} of \\$1\\.00 \\(0\\.\\d%\\)`));
    await shoot('usage');

    // By principal: every call here was made with the one admin key.
    await usage.getByLabel('Group by').selectOption('user');
    const byPrincipal = usage.getByRole('table', { name: 'Usage by principal' });
    await byPrincipal.waitFor();
    assert.equal(await byPrincipal.locator('tbody tr').count(), 1);
    assert.match(await shown(byPrincipal.locator('tbody tr')), new RegExp(`\\s3\\s[\\s\\S]*\\${formatUsd(total)}\\s+100%$`));

    // By tag: the tagged calls under their value, the other one under "no tag".
    await usage.getByLabel('Group by').selectOption('tag');
    await usage.getByText('Which tag?').waitFor();
    await usage.getByLabel('Tag key').fill('team');
    await usage.getByRole('button', { name: 'Show' }).click();
    const byTag = usage.getByRole('table', { name: 'Usage by tag value' });
    await byTag.waitFor();
    assert.match(await shown(byTag.locator('tr[data-group="search"]')), new RegExp(`\\${formatUsd(sum(echo))}`));
    assert.match(await shown(byTag.locator('tr[data-group="(no team tag)"]')), new RegExp(`\\${formatUsd(sum(large))}`));

    // The last 24 hours, hour by hour.
    await usage.getByLabel('Time range').selectOption('24h');
    await usage.getByRole('figure', { name: /Spend per hour/ }).waitFor();
    assert.equal(await usage.getByRole('figure', { name: /Spend per hour/ }).locator('g[data-bar]').count(), 24);
    await usage.locator('[data-total="cost"] dd', { hasText: formatUsd(total) }).waitFor();
  });

  test('no provisioned throughput at first; buying units without a provisioned price shows the server refusing', async () => {
    await nav('Provisioned throughput').click();
    const pt = section('provisioned-throughput');
    await pt.getByText('No provisioned throughput yet').waitFor();
    await pt.getByLabel('Name', { exact: true }).fill('has spaces');
    await pt.getByRole('button', { name: 'Buy throughput' }).click();
    assert.match(await shown(pt.getByRole('alert')), /letters and digits/);
    await pt.getByLabel('Name', { exact: true }).fill('unpriced');
    await pt.getByLabel('Model', { exact: true }).selectOption(LARGE);
    await pt.getByTestId('pt-estimate').getByText(/has no no commitment provisioned price/).waitFor();
    await pt.getByRole('button', { name: 'Buy throughput' }).click();
    await pt.getByRole('alert').getByText(/no no-commitment provisioned-throughput price for acme\.echo-large-v1:0/).waitFor();
    assert.match(await shown(pt.getByRole('alert')), /quarry pricing set/);
  });

  test('units are bought, renamed, used, inspected and deleted; a committed one cannot be deleted', async () => {
    await api('PUT', `/quarry/pricing/models/${encodeURIComponent(ECHO)}`, {
      ...PRICES[ECHO],
      provisioned: { noCommitmentPerHour: 20, oneMonthPerHour: 15, unitInputTokensPerMinute: 100_000 },
    });
    const pt = section('provisioned-throughput');
    const buy = async (name: string, commitment: string, estimate: RegExp) => {
      await pt.getByLabel('Name', { exact: true }).fill(name);
      await pt.getByLabel('Model', { exact: true }).selectOption(ECHO);
      await pt.getByLabel('Model units').fill('2');
      await pt.getByLabel('Commitment').selectOption(commitment);
      await pt.getByTestId('pt-estimate').getByText(estimate).waitFor();
      await pt.getByRole('button', { name: 'Buy throughput' }).click();
      await pt.locator(`tr[data-throughput="${name}"]`).waitFor();
    };
    await buy('support-bot', '', /\$20\.00 per unit-hour: about \$29200\.00 a month for 2 units/);
    await buy('reserved', 'OneMonth', /\$15\.00 per unit-hour: about \$21900\.00 a month for 2 units.*cannot be deleted before the commitment ends/);
    const bot = pt.locator('tr[data-throughput="support-bot"]');
    assert.match(await shown(bot), new RegExp(`support-bot[\\s\\S]*${ECHO}\\s+2\\s+No commitment\\s+in service`));
    assert.match(await shown(pt.locator('tr[data-throughput="reserved"]')), /1 month\s+until .*\s+in service/);
    await shoot('provisioned');

    // Renamed in place.
    await pt.getByRole('button', { name: 'Rename reserved' }).click();
    await pt.getByLabel('New name for reserved').fill('reserved-month');
    await pt.getByRole('button', { name: 'Save' }).click();
    await pt.locator('tr[data-throughput="reserved-month"]').waitFor();
    assert.equal(await pt.locator('tr[data-throughput="reserved"]').count(), 0);

    // A call on the units, then its utilisation: requests counted, and the break-even weighed against on demand.
    const id = (await shown(bot.locator('code').first())).trim();
    await api('POST', `/model/${encodeURIComponent(id)}/converse`, { messages: [{ role: 'user', content: [{ text: 'hello provisioned units' }] }] });
    await pt.getByRole('link', { name: 'Utilisation of support-bot' }).click();
    await pt.getByRole('heading', { name: 'support-bot' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/provisioned-throughput/${id}`);
    assert.equal(await shown(pt.locator('[data-total="requests"] dd')), '1');
    assert.equal(await pt.getByRole('figure', { name: /Concurrency used per hour/ }).locator('g[data-bar]').count() >= 1, true);
    await pt.getByRole('table', { name: 'Break-even by term' }).locator('tr[data-term="no-commitment"]').waitFor();
    assert.match(await shown(pt.getByTestId('break-even-verdict')), /on demand would cost \$[\d.]+ a month; on demand is cheaper than any term/);
    await shoot('provisioned-utilisation');
    await pt.getByRole('link', { name: 'Provisioned throughput' }).first().click();

    // The committed one: the server's refusal is shown and the row stays.
    const reserved = pt.locator('tr[data-throughput="reserved-month"]');
    await reserved.getByRole('button', { name: 'Delete reserved-month' }).click();
    await reserved.getByRole('button', { name: 'Yes, delete' }).click();
    await reserved.getByRole('alert').getByText(/has a OneMonth commitment until .*; it cannot be deleted before then/).waitFor();
    await reserved.getByRole('button', { name: 'Cancel' }).click();

    // Cancel keeps it; confirming deletes it.
    await bot.getByRole('button', { name: 'Delete support-bot' }).click();
    await bot.getByRole('button', { name: 'Cancel' }).click();
    await bot.getByRole('button', { name: 'Delete support-bot' }).click();
    await bot.getByRole('button', { name: 'Yes, delete' }).click();
    await bot.waitFor({ state: 'detached' });
    assert.equal(await reserved.count(), 1);
    const left = (await api('GET', '/provisioned-model-throughputs')) as { provisionedModelSummaries: { provisionedModelName: string }[] };
    assert.deepEqual(
      left.provisionedModelSummaries.map((s) => s.provisionedModelName),
      ['reserved-month'],
    );
  });

  test('no script error or CSP violation happened in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
