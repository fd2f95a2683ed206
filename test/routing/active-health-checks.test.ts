import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { type FaultUpstream, startFaultUpstream } from './fault-upstream.js';

/**
 * Active health checks through the real server: model acme.chat-v1:0 on two openai-compatible deployments, east
 * first by priority and west second, both probed with GET /v1/models every 100 ms. East's model listing goes down
 * while its chat endpoint keeps answering, so only the checks can notice: no client request fails on the way.
 */
let east: FaultUpstream;
let west: FaultUpstream;
let server: TestServer;

const MODEL = 'acme.chat-v1:0';
const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };

before(async () => {
  [east, west] = await Promise.all([startFaultUpstream('east'), startFaultUpstream('west')]);
  const provider = (u: FaultUpstream) => `  - { id: ${u.name}, type: openai-compatible, baseUrl: "${u.baseUrl}", timeoutMs: 3000 }\n`;
  server = await startTestServer(
    `${provider(east)}${provider(west)}models:
  - { id: "${MODEL}", provider: east, upstreamModel: gpt-test, pricing: { inputPer1k: 0.5, outputPer1k: 1.5 } }
routing:
  healthCheck: { intervalMs: 100, timeoutMs: 1000, unhealthyThreshold: 2, healthyThreshold: 2 }
deployments:
  - { id: acme-east, model: "${MODEL}", provider: east, region: us-east-1 }
  - { id: acme-west, model: "${MODEL}", provider: west, region: us-west-2, priority: 1 }
`,
  );
});

after(async () => {
  await server.stop();
  await Promise.all([east.close(), west.close()]);
});

const active = (id: string) => server.runtime.router.health().find((d) => d.id === id)?.active;

/** Polls rather than sleeping a fixed time: a loaded machine may run the checks late, never early. */
async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}: ${JSON.stringify(server.runtime.router.health())}`);
    await sleep(20);
  }
}

async function answeredBy(): Promise<string> {
  const res = await fetch(`${server.url}/model/${encodeURIComponent(MODEL)}/converse`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as { output: { message: { content: { text: string }[] } } };
  return body.output.message.content[0]!.text.split(':')[0]!;
}

async function metrics(): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, { headers: auth });
  assert.equal(res.status, 200);
  return res.text();
}

test('a deployment whose probe fails leaves rotation without any request failing, and returns when it passes again', async () => {
  // Checks start with the server, before any request names the model.
  await until('both deployments passed a check', () => active('acme-east')?.state === 'healthy' && active('acme-west')?.state === 'healthy');
  assert.equal(await answeredBy(), 'east');
  assert.match(await metrics(), /quarry_deployment_healthy\{deployment="acme-east",model="acme\.chat-v1:0",provider="east"\} 1/);

  east.setModels({ status: 503 });
  await until('east is out of rotation', () => active('acme-east')?.state === 'unhealthy');
  const h = active('acme-east')!;
  assert.ok(h.consecutiveFailures >= 2);
  assert.match(h.lastError ?? '', /503|east is down/);
  assert.ok(h.lastCheckAt && Date.parse(h.lastCheckAt) > 0);

  const eastCalls = east.seen.length;
  for (let i = 0; i < 5; i++) assert.equal(await answeredBy(), 'west');
  assert.equal(east.seen.length, eastCalls, 'no call reached east while it was out');
  const health = server.runtime.router.health().find((d) => d.id === 'acme-east')!;
  assert.equal(health.failures, 0, 'no client call failed: the checks alone took it out');
  assert.equal(health.state, 'closed', 'the breaker saw nothing');
  const admin = await fetch(`${server.url}/quarry/routing/deployments`, { headers: auth });
  assert.equal(admin.status, 200);
  const listed = ((await admin.json()) as { deployments: { id: string; active?: { state: string; lastError?: string } }[] }).deployments;
  assert.equal(listed.find((d) => d.id === 'acme-east')?.active?.state, 'unhealthy');
  assert.equal(listed.find((d) => d.id === 'acme-west')?.active?.state, 'healthy');
  // Deployments are the server's infrastructure: another account's administrator may not read their health.
  await server.iam.ensureAccount('111111111111', 'other');
  const { apiKey: otherKey } = await server.keys.addBearerKey(await server.keys.ensurePrincipal('ops', true, '111111111111'));
  const denied = await fetch(`${server.url}/quarry/routing/deployments`, { headers: { authorization: `Bearer ${otherKey}` } });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get('x-amzn-errortype')?.split(':')[0], 'AccessDeniedException');
  assert.match(((await denied.json()) as { message: string }).message, /only principals of the default account/);
  const text = await metrics();
  assert.match(text, /quarry_deployment_healthy\{deployment="acme-east",[^}]*\} 0/);
  assert.match(text, /quarry_deployment_healthy\{deployment="acme-west",[^}]*\} 1/);

  east.setModels('ok');
  await until('east is back in rotation', () => active('acme-east')?.state === 'healthy');
  assert.equal(await answeredBy(), 'east');
});

test('a probe that hangs past its timeout counts as a failure', async () => {
  await until('east is healthy', () => active('acme-east')?.state === 'healthy');
  west.setModels('hang');
  // timeoutMs is 1 s and two failures are needed, so this takes at least 2 s.
  await until('west is out of rotation', () => active('acme-west')?.state === 'unhealthy');
  assert.match(active('acme-west')?.lastError ?? '', /timed out|longer than|aborted/i);
  west.setModels('ok');
  await until('west is back in rotation', () => active('acme-west')?.state === 'healthy');
});
