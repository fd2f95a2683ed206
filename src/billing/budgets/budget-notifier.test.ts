import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../core/index.js';
import { createSafeFetch } from '../../net/index.js';
import type { Budget } from './budget.js';
import { type BudgetAlert, BudgetNotifier } from './budget-notifier.js';

const received: { body: string; type?: string }[] = [];
let status = 200;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    received.push({ body, type: req.headers['content-type'] });
    res.statusCode = status;
    res.end();
  });
});
let url: string;
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function alert(webhookUrl: string): BudgetAlert {
  const budget: Budget = {
    id: 'b1',
    accountId: '000000000000',
    name: 'team',
    amountUsd: 100,
    period: 'MONTHLY',
    scope: { type: 'tag', value: 'team=search', label: 'team=search' },
    thresholds: [],
    webhookUrl,
    action: 'DENY',
    createdAt: '',
    updatedAt: '',
  };
  return {
    budget,
    arn: 'arn:aws:bedrock:us-east-1:000000000000:budget/team',
    threshold: { percent: 80, basis: 'ACTUAL' },
    periodStart: new Date('2026-11-01T00:00:00Z'),
    periodEnd: new Date('2026-12-01T00:00:00Z'),
    actualUsd: 81.5,
    firedAt: new Date('2026-11-20T10:00:00Z'),
  };
}

test('a webhook on a private address is refused unless the operator allowed its host', async () => {
  const guarded = createSafeFetch();
  const refused = await new BudgetNotifier({ log: silentLogger, fetch: guarded, retryDelaysMs: [] }).send(alert(url));
  assert.match(refused, /^webhook failed: Refused to fetch .*127\.0\.0\.1/);
  assert.equal(received.length, 0);
  await guarded.close();

  const allowed = createSafeFetch({ allowHosts: [new URL(url).host] });
  const sent = await new BudgetNotifier({ log: silentLogger, fetch: allowed, retryDelaysMs: [] }).send(alert(url));
  assert.equal(sent, 'webhook');
  assert.equal(received.length, 1);
  assert.equal(received[0]!.type, 'application/json');
  const body = JSON.parse(received[0]!.body);
  assert.deepEqual(body.threshold, { percent: 80, basis: 'ACTUAL', amountUsd: 80 });
  assert.deepEqual(body.budget.scope, { type: 'tag', value: 'team=search' });
  assert.equal(body.actualUsd, 81.5);

  // A server error is retried; the last failure is what the alert records.
  status = 503;
  received.length = 0;
  const failed = await new BudgetNotifier({ log: silentLogger, fetch: allowed, retryDelaysMs: [1, 1] }).send(alert(url));
  assert.equal(failed, 'webhook failed: HTTP 503');
  assert.equal(received.length, 3);
  await allowed.close();
});
