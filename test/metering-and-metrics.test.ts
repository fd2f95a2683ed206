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
});

test('responses carry a request id', async () => {
  const res = await converse('hi');
  assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
});
