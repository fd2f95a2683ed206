import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/** The cost explorer and budgets over a real server: SQL aggregation, account isolation, a budget race, alerts. */

const hooks: Record<string, unknown>[] = [];
const hookServer = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    hooks.push(JSON.parse(body));
    res.end();
  });
});
let hookUrl: string;
let server: TestServer;

before(async () => {
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
  hookUrl = `http://${host}/budget-alerts`;
  // The hook is on loopback: allowed past the SSRF guard because the operator said so.
  server = await startTestServer(`budgets:\n  webhookAllowHosts: ["${host}"]\n`);
});
after(async () => {
  await server?.stop();
  await new Promise<void>((r) => hookServer.close(() => r()));
});

interface Reply {
  status: number;
  body: Record<string, unknown> & { message?: string };
  errorType?: string;
}

async function call(key: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, errorType: res.headers.get('x-amzn-errortype')?.split(':')[0] ?? undefined };
}
const admin = (method: string, path: string, body?: unknown) => call(TEST_API_KEY, method, path, body);

const converse = (key: string, text: string, maxTokens = 1000) =>
  call(key, 'POST', '/model/scripted.echo-v1%3A0/converse', { messages: [{ role: 'user', content: [{ text }] }], inferenceConfig: { maxTokens } });

interface Report {
  groups: { period?: string; keys: Record<string, string | null>; costUsd: number; requests: number; inputTokens: number }[];
  total: { costUsd: number; requests: number };
  forecast?: { actualUsd: number; forecastUsd: number };
}

test('the cost explorer groups invocations by model, user and tag, and forecasts the month', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await converse(TEST_API_KEY, 'one two three')).status, 200);
  const tagged = await fetch(`${server.url}/model/scripted.echo-v1%3A0/converse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', 'x-quarry-tags': 'team=search' },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'tagged' }] }] }),
  });
  assert.equal(tagged.status, 200);
  await server.meter.flush();

  const r = await admin('GET', '/quarry/usage?groupBy=model,user&granularity=none&forecast=true');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const report = r.body as unknown as Report;
  assert.equal(report.groups.length, 1);
  assert.equal(report.groups[0]!.keys.model, 'scripted.echo-v1:0');
  assert.equal(report.groups[0]!.requests, 4);
  // Three calls of 3 input and 5 output tokens, one of 1 and 3, at $0.001 / $0.002 per 1K.
  const cost = (3 * (3 * 0.001 + 5 * 0.002) + (1 * 0.001 + 3 * 0.002)) / 1000;
  assert.ok(Math.abs(report.total.costUsd - cost) < 1e-12, `${report.total.costUsd} vs ${cost}`);
  assert.ok(report.forecast && report.forecast.forecastUsd >= report.forecast.actualUsd);

  const byTag = await admin('POST', '/quarry/usage', { groupBy: ['tag:team'], granularity: 'day' });
  const groups = (byTag.body as unknown as Report).groups;
  assert.deepEqual(groups.map((g) => [g.keys['tag:team'], g.requests]).sort(), [
    [null, 3],
    ['search', 1],
  ]);
});

test('usage queries are validated and confined to the caller account', async () => {
  const bad = await admin('GET', '/quarry/usage?groupBy=colour');
  assert.equal(bad.status, 400);
  assert.equal(bad.errorType, 'ValidationException');
  assert.match(bad.body.message ?? '', /expected a dimension/);
  assert.equal((await admin('GET', '/quarry/usage?granularity=hour&start=2026-01-01&end=2026-06-01')).status, 400);
  assert.equal((await admin('GET', '/quarry/usage?start=yesterday')).status, 400);
  assert.equal((await admin('GET', '/quarry/usage?nope=1')).status, 400);
  assert.equal((await admin('POST', '/quarry/usage', '{"groupBy": [')).status, 400);

  const acct = await admin('POST', '/quarry/iam/accounts', { name: 'tenant', adminUserName: 'boss' });
  assert.equal(acct.status, 201, JSON.stringify(acct.body));
  const tenantKey = (acct.body.key as { apiKey: string }).apiKey;
  const tenantAccount = (acct.body.account as { accountId: string }).accountId;
  assert.equal((await converse(tenantKey, 'tenant call')).status, 200);
  await server.meter.flush();

  const mine = (await call(tenantKey, 'GET', '/quarry/usage?granularity=none')).body as unknown as Report;
  assert.equal(mine.total.requests, 1);
  const peek = await call(tenantKey, 'GET', '/quarry/usage?accountId=000000000000');
  assert.equal(peek.status, 403);
  assert.equal(peek.errorType, 'AccessDeniedException');
  // The operator sees every account, or one.
  const all = (await admin('GET', '/quarry/usage?groupBy=account&granularity=none')).body as unknown as Report;
  assert.deepEqual(all.groups.map((g) => g.keys.account).sort(), ['000000000000', tenantAccount].sort());
  const one = (await admin('GET', `/quarry/usage?granularity=none&accountId=${tenantAccount}`)).body as unknown as Report;
  assert.equal(one.total.requests, 1);
  // A tenant's budget names are its own.
  assert.equal((await call(tenantKey, 'POST', '/quarry/budgets', { name: 'shared-name', amountUsd: 1 })).status, 201);
  assert.equal((await admin('GET', '/quarry/budgets/shared-name')).status, 404);
  assert.equal((await call(tenantKey, 'DELETE', '/quarry/budgets/shared-name')).status, 204);
});

test('50 concurrent invocations against a DENY budget that affords 10: 10 answered, 40 refused naming the budget', async () => {
  await admin('POST', '/quarry/iam/users', { userName: 'racer' });
  const key = ((await admin('POST', '/quarry/iam/users/racer/keys', {})).body.key as { apiKey: string }).apiKey;
  await admin('POST', '/quarry/iam/policies', {
    policyName: 'invoke',
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] },
  });
  assert.equal((await admin('PUT', '/quarry/iam/users/racer/policies/invoke')).status, 204);
  // Worst case per call: 1000 output tokens at $0.002/1K plus a few input tokens ≈ $0.00201, so $0.02 is ten of them.
  const created = await admin('POST', '/quarry/budgets', { name: 'racer', amountUsd: 0.02, period: 'DAILY', scope: { type: 'user', userName: 'racer' }, action: 'DENY' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((created.body.budget as { arn: string }).arn, 'arn:aws:bedrock:us-east-1:000000000000:budget/racer');

  // The admitted calls hang until the test lets go, so all 50 are in flight together: the refusals answer at once.
  const abort = new AbortController();
  const settled: Reply[] = [];
  const calls = Array.from({ length: 50 }, () =>
    fetch(`${server.url}/model/scripted.echo-v1%3A0/converse`, {
      method: 'POST',
      signal: abort.signal,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'race __hang' }] }], inferenceConfig: { maxTokens: 1000 } }),
    }).then(async (res) => {
      settled.push({ status: res.status, body: (await res.json()) as Reply['body'], errorType: res.headers.get('x-amzn-errortype')?.split(':')[0] });
    }),
  );
  const deadline = Date.now() + 60_000;
  while (settled.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(settled.length, 40, 'ten calls are admitted and still running; forty were refused');
  for (const r of settled) {
    assert.equal(r.status, 400);
    assert.equal(r.errorType, 'ServiceQuotaExceededException');
    assert.match(r.body.message ?? '', /Budget racer \(arn:aws:bedrock:us-east-1:000000000000:budget\/racer\) has used \$0\.0201 of its daily \$0\.02 for user racer/);
  }
  const during = (await admin('GET', '/quarry/budgets/racer')).body.budget as { status: { reservedUsd: number; exceeded: boolean } };
  assert.ok(during.status.reservedUsd > 0.02 && during.status.exceeded);
  abort.abort();
  await Promise.allSettled(calls);
  await server.meter.flush();
  // The abandoned calls cost nothing: the reservations are released and the budget has room again.
  const deadline2 = Date.now() + 10_000;
  let status = (await admin('GET', '/quarry/budgets/racer')).body.budget as { status: { actualUsd: number; reservedUsd: number } };
  while (status.status.reservedUsd > 0 && Date.now() < deadline2) {
    await new Promise((r) => setTimeout(r, 50));
    status = (await admin('GET', '/quarry/budgets/racer')).body.budget as { status: { actualUsd: number; reservedUsd: number } };
  }
  assert.equal(status.status.reservedUsd, 0);
  assert.ok(status.status.actualUsd < 0.001);
  assert.equal((await converse(key, 'again')).status, 200);
  assert.equal((await converse(TEST_API_KEY, 'admin is not racer')).status, 200);
});

test('budgets CRUD, bad input, and a threshold alert delivered once to the webhook', async () => {
  const bad = await admin('POST', '/quarry/budgets', { name: 'x', amountUsd: -5 });
  assert.equal(bad.status, 400);
  assert.equal(bad.errorType, 'ValidationException');
  assert.equal((await admin('POST', '/quarry/budgets', { name: 'x', amountUsd: 1, scope: { type: 'user', userName: 'nobody' } })).status, 404);
  assert.equal((await admin('POST', '/quarry/budgets', { name: 'x', amountUsd: 1, action: 'ROUTE', routeModelId: 'no.such-model' })).status, 400);
  assert.equal((await admin('GET', '/quarry/budgets/..%2F..%2Fetc')).status, 404);

  const created = await admin('POST', '/quarry/budgets', {
    name: 'alerting',
    amountUsd: 1,
    thresholds: [{ percent: 0.0001, basis: 'ACTUAL' }],
    webhookUrl: hookUrl,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await admin('POST', '/quarry/budgets', { name: 'alerting', amountUsd: 2 })).status, 409);
  for (let i = 0; i < 3; i++) assert.equal((await converse(TEST_API_KEY, 'spend a little')).status, 200);
  await server.budgets.admission.alertsSent();
  assert.equal(hooks.length, 1);
  assert.equal((hooks[0] as { budget: { name: string } }).budget.name, 'alerting');
  const alerts = await admin('GET', '/quarry/budgets/alerting/alerts');
  assert.deepEqual(
    (alerts.body.alerts as { threshold: string; delivery: string }[]).map((a) => [a.threshold, a.delivery]),
    [['ACTUAL:0.0001', 'webhook']],
  );

  const patched = await admin('PATCH', '/quarry/budgets/alerting', { amountUsd: 5, action: 'DENY' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal((patched.body.budget as { amountUsd: number }).amountUsd, 5);
  assert.equal((await admin('PATCH', '/quarry/budgets/alerting', { action: 'ROUTE' })).status, 400);
  const list = await admin('GET', '/quarry/budgets?status=true');
  assert.ok((list.body.budgets as { name: string }[]).some((b) => b.name === 'alerting'));
  assert.equal((await admin('DELETE', '/quarry/budgets/alerting')).status, 204);
  assert.equal((await admin('GET', '/quarry/budgets/alerting')).status, 404);
});
