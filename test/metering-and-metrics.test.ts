import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestServer, TEST_API_KEY, startTestServer } from './support/start-test-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.stop());

const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
const converse = (text: string) =>
  fetch(`${server.url}/model/scripted.echo-v1%3A0/converse`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] }),
  });

test('each invocation is metered with tokens and cost, failures with their error code', async () => {
  assert.equal((await converse('one two three')).status, 200);
  assert.equal((await converse('__error:ThrottlingException')).status, 429);
  await server.meter.flush();
  const rows = await server.meter.query();
  const ok = rows.find((r) => r.outcome === 'ok');
  assert.ok(ok);
  assert.equal(ok.model_id, 'scripted.echo-v1:0');
  assert.equal(ok.api, 'bedrock.converse');
  assert.equal(ok.input_tokens, 3);
  assert.equal(ok.output_tokens, 5);
  // 3 in × $0.001/1K + 5 out × $0.002/1K
  assert.ok(Math.abs(ok.cost_usd - (3 * 0.001 + 5 * 0.002) / 1000) < 1e-12);
  assert.ok(rows.some((r) => r.outcome === 'ThrottlingException' && r.output_tokens === 0));
});

test('GET /metrics reports invocations, latency, tokens and errors by model and API; /health needs no key', async () => {
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
  assert.equal((await fetch(`${server.url}/metrics`)).status, 403);
  const text = await (await fetch(`${server.url}/metrics`, { headers: auth })).text();
  assert.match(text, /quarry_invocations_total\{model="scripted\.echo-v1:0",api="bedrock\.converse",outcome="ok"\} \d+/);
  assert.match(text, /quarry_invocation_duration_seconds_bucket\{le="0\.005",model="scripted\.echo-v1:0",api="bedrock\.converse"\}/);
  assert.match(text, /quarry_input_tokens_total\{model="scripted\.echo-v1:0",api="bedrock\.converse"\} \d+/);
  assert.match(text, /quarry_errors_total\{model="scripted\.echo-v1:0",api="bedrock\.converse",code="ThrottlingException"\} 1/);
  // The process's own figures, under prom-client's names with Quarry's prefix once.
  assert.match(text, /^quarry_process_cpu_seconds_total \d/m);
  assert.match(text, /^quarry_nodejs_heap_size_used_bytes \d/m);
});

test('responses carry a request id', async () => {
  const res = await converse('hi');
  assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
});

test('GET /metrics is authorized as quarry:GetMetrics, for principals of the default account only', async () => {
  const reader = await server.keys.createPrincipal('metrics-reader', false);
  const { apiKey } = await server.keys.addBearerKey(reader);
  const asReader = () => fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${apiKey}` } });
  const refused = await asReader();
  assert.equal(refused.status, 403);
  assert.match(((await refused.json()) as { message: string }).message, /not authorized to perform: quarry:GetMetrics/);

  const policy = await fetch(`${server.url}/quarry/iam/policies`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ policyName: 'scrape', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'quarry:GetMetrics', Resource: '*' }] } }),
  });
  assert.equal(policy.status, 201, await policy.clone().text());
  const attached = await fetch(`${server.url}/quarry/iam/users/metrics-reader/policies/scrape`, { method: 'PUT', headers: auth });
  assert.ok(attached.ok, await attached.text());
  const allowed = await asReader();
  assert.equal(allowed.status, 200);
  assert.match(await allowed.text(), /# TYPE quarry_invocations_total counter/);

  // The figures are every account's: another account's administrator may not read them.
  await server.iam.ensureAccount('111111111111', 'other');
  const { apiKey: otherKey } = await server.keys.addBearerKey(await server.keys.ensurePrincipal('ops', true, '111111111111'));
  const other = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${otherKey}` } });
  assert.equal(other.status, 403);
  assert.match(((await other.json()) as { message: string }).message, /only principals of the default account/);
});
