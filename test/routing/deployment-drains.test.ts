import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { type FaultUpstream, startFaultUpstream } from './fault-upstream.js';

/**
 * Runtime drain and restore through the real server: model acme.chat-v1:0 on two openai-compatible deployments, east
 * first by priority, west second; a second server on the same data dir (and, in scale-out mode, the same PostgreSQL
 * schema) is a replica that must see each drain within its refresh interval.
 */
const MODEL = 'acme.chat-v1:0';
const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
let east: FaultUpstream;
let west: FaultUpstream;
let server: TestServer;
let yaml: string;

before(async () => {
  [east, west] = await Promise.all([startFaultUpstream('east'), startFaultUpstream('west')]);
  const provider = (u: FaultUpstream) => `  - { id: ${u.name}, type: openai-compatible, baseUrl: "${u.baseUrl}", timeoutMs: 5000 }\n`;
  yaml = `${provider(east)}${provider(west)}models:
  - { id: "${MODEL}", provider: east, upstreamModel: gpt-test, pricing: { inputPer1k: 0.5, outputPer1k: 1.5 } }
routing:
  drainRefreshMs: 200
deployments:
  - { id: acme-east, model: "${MODEL}", provider: east, region: us-east-1 }
  - { id: acme-west, model: "${MODEL}", provider: west, region: us-west-2, priority: 1 }
  - { id: acme-spare, model: "${MODEL}", provider: west, region: eu-west-1, priority: 2, drained: true }
`;
  server = await startTestServer(yaml);
});

after(async () => {
  await server.stop();
  await Promise.all([east.close(), west.close()]);
});

async function answeredBy(s: TestServer, prompt = 'hi'): Promise<string> {
  const res = await converse(s, prompt);
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as { output: { message: { content: { text: string }[] } } };
  return body.output.message.content[0]!.text.split(':')[0]!;
}

const converse = (s: TestServer, prompt: string) =>
  fetch(`${s.url}/model/${encodeURIComponent(MODEL)}/converse`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: prompt }] }] }),
  });

const act = (s: TestServer, id: string, verb: string) => fetch(`${s.url}/quarry/routing/deployments/${encodeURIComponent(id)}/${verb}`, { method: 'POST', headers: auth });

async function drained(s: TestServer, id: string): Promise<boolean | undefined> {
  const res = await fetch(`${s.url}/quarry/routing/deployments`, { headers: auth });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { deployments: { id: string; drained: boolean }[] };
  return body.deployments.find((d) => d.id === id)?.drained;
}

/** Polls rather than sleeping a fixed time: a loaded machine may refresh late, never early. */
async function until(what: string, ok: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<number> {
  const start = Date.now();
  while (!(await ok())) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting until ${what}`);
    await sleep(25);
  }
  return Date.now() - start;
}

/** The text of a streamed chat completion, read to its end. */
async function readStream(res: Response): Promise<string> {
  const text = await res.text();
  let out = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] };
    out += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return out;
}

test('a drained deployment finishes the stream it is serving, takes no new calls, and takes them again once restored', async () => {
  assert.equal(await answeredBy(server), 'east');
  // One word every 150 ms: the stream is still running on east while it is drained.
  const stream = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'tell me [fault:slow:150]' }] }),
  });
  assert.equal(stream.status, 200);
  assert.equal(server.runtime.router.health().find((d) => d.id === 'acme-east')?.outstanding, 1);

  const res = await act(server, 'acme-east', 'drain');
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as { override: { deploymentId: string; drained: boolean; updatedBy: string }; deployment: { drained: boolean; drainedBy: string } };
  assert.deepEqual([body.override.deploymentId, body.override.drained, body.deployment.drained, body.deployment.drainedBy], ['acme-east', true, true, 'operator']);
  assert.ok(body.override.updatedBy.length > 0);

  // New calls go to west while east's stream is still being written.
  assert.equal(await answeredBy(server), 'west');
  assert.equal(server.runtime.router.health().find((d) => d.id === 'acme-east')?.outstanding, 1);
  assert.equal(await readStream(stream), 'east: The quick brown fox jumps over the lazy dog.');
  assert.equal(server.runtime.router.health().find((d) => d.id === 'acme-east')?.outstanding, 0);

  const metrics = await (await fetch(`${server.url}/metrics`, { headers: auth })).text();
  assert.match(metrics, /quarry_deployment_drained\{deployment="acme-east",[^}]*\} 1/);
  assert.match(metrics, /quarry_deployment_drained\{deployment="acme-west",[^}]*\} 0/);

  // Draining the last one in rotation (the spare is drained by configuration) leaves nothing to route to.
  assert.equal((await act(server, 'acme-west', 'drain')).status, 200);
  const none = await converse(server, 'hi');
  assert.equal(none.status, 503);
  assert.match(((await none.json()) as { message: string }).message, /Every deployment of acme\.chat-v1:0 is drained/);

  assert.equal((await act(server, 'acme-west', 'restore')).status, 200);
  assert.equal(await answeredBy(server), 'west');
  assert.equal((await act(server, 'acme-east', 'restore')).status, 200);
  assert.equal(await answeredBy(server), 'east');
  assert.equal(await drained(server, 'acme-east'), false);
});

test("a restore beats the configuration's drained: true", async () => {
  assert.equal((await act(server, 'acme-east', 'drain')).status, 200);
  assert.equal((await act(server, 'acme-west', 'drain')).status, 200);
  assert.equal((await converse(server, 'hi')).status, 503);
  assert.equal((await act(server, 'acme-spare', 'restore')).status, 200);
  // The spare is a west deployment: west answers although the configuration drains it.
  assert.equal(await answeredBy(server), 'west');
  assert.equal(await drained(server, 'acme-spare'), false);
  for (const id of ['acme-east', 'acme-west']) assert.equal((await act(server, id, 'restore')).status, 200);
  assert.equal((await act(server, 'acme-spare', 'drain')).status, 200);
  assert.equal(await answeredBy(server), 'east');
});

test("a reset forgets the operator's decision: the configuration's drained decides again", async () => {
  assert.equal((await act(server, 'acme-spare', 'restore')).status, 200);
  assert.equal(await drained(server, 'acme-spare'), false);
  const reset = await act(server, 'acme-spare', 'reset');
  assert.equal(reset.status, 200);
  assert.equal(((await reset.json()) as { override: unknown }).override, null);
  assert.equal(await drained(server, 'acme-spare'), true, 'drained: true in the configuration');
  const listing = (await (await fetch(`${server.url}/quarry/routing/deployments`, { headers: auth })).json()) as { drains: { deploymentId: string }[] };
  assert.ok(!listing.drains.some((d) => d.deploymentId === 'acme-spare'));
  // Nothing left to reset: a 404 that says so.
  const again = await act(server, 'acme-spare', 'reset');
  assert.equal(again.status, 404);
  assert.match(((await again.json()) as { message: string }).message, /has no drain or restore to reset/);
  for (const id of ['acme-east', 'acme-west']) await act(server, id, 'reset');
  assert.equal(await answeredBy(server), 'east');
});

test('every replica sees a drain within its refresh interval, and a restarted one starts with it', async () => {
  let replica = await startTestServer(yaml, { dataDir: server.dataDir });
  try {
    assert.equal(await answeredBy(replica), 'east');
    assert.equal((await act(server, 'acme-east', 'drain')).status, 200);
    const ms = await until('the replica routes around east', async () => (await answeredBy(replica)) === 'west');
    assert.ok(ms < 5_000, `the replica took ${ms} ms`);
    assert.equal(await drained(replica, 'acme-east'), true);

    // A restarted replica applies the stored drain before its first call.
    await replica.stop();
    replica = await startTestServer(yaml, { dataDir: server.dataDir });
    assert.equal(await answeredBy(replica), 'west');

    // A restore made on the replica reaches the first server.
    assert.equal((await act(replica, 'acme-east', 'restore')).status, 200);
    assert.equal(await answeredBy(replica), 'east');
    await until('the first server routes to east again', async () => (await answeredBy(server)) === 'east');
  } finally {
    await replica.stop();
  }
});

test('unknown and malformed ids, and principals outside the default account, are refused in Bedrock shape', async () => {
  const missing = await act(server, 'acme-nowhere', 'drain');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('x-amzn-errortype')?.split(':')[0], 'ResourceNotFoundException');
  assert.match(((await missing.json()) as { message: string }).message, /acme-nowhere/);

  // A model with no configured deployments routes to an implicit one, `<provider>/<model>`, which drains too.
  const echo = (s: TestServer) =>
    fetch(`${s.url}/model/scripted.echo-v1:0/converse`, { method: 'POST', headers: auth, body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }) });
  assert.equal((await echo(server)).status, 200);
  assert.equal((await act(server, 'scripted/scripted.echo-v1:0', 'drain')).status, 200);
  const drainedEcho = await echo(server);
  assert.equal(drainedEcho.status, 503);
  assert.match(((await drainedEcho.json()) as { message: string }).message, /Every deployment of scripted\.echo-v1:0 is drained/);
  assert.equal((await act(server, 'scripted/scripted.echo-v1:0', 'restore')).status, 200);
  assert.equal((await echo(server)).status, 200);
  // An implicit deployment can be drained before its model's first call on this replica (another replica may route it).
  assert.equal((await act(server, 'scripted/scripted.embed-v1:0', 'drain')).status, 200);
  assert.equal((await act(server, 'scripted/scripted.embed-v1:0', 'reset')).status, 200);
  // The provider must be the model's own.
  assert.equal((await act(server, 'elsewhere/scripted.embed-v1:0', 'drain')).status, 404);

  const bad = await act(server, 'no spaces', 'drain');
  assert.equal(bad.status, 400);
  const malformed = await act(server, 'x'.repeat(400), 'restore');
  assert.equal(malformed.status, 400);
  assert.equal(malformed.headers.get('x-amzn-errortype')?.split(':')[0], 'ValidationException');

  // Deployments are the server's infrastructure: another account's administrator may not drain them.
  await server.iam.ensureAccount('111111111111', 'other');
  const { apiKey: otherKey } = await server.keys.addBearerKey(await server.keys.ensurePrincipal('ops', true, '111111111111'));
  const denied = await fetch(`${server.url}/quarry/routing/deployments/acme-east/drain`, { method: 'POST', headers: { authorization: `Bearer ${otherKey}` } });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get('x-amzn-errortype')?.split(':')[0], 'AccessDeniedException');
  assert.match(((await denied.json()) as { message: string }).message, /only principals of the default account may drain/);
  assert.equal(await answeredBy(server), 'east');
});

test('drains and restores are in the audit trail as management calls', async () => {
  const drain = await act(server, 'acme-west', 'drain');
  const restore = await act(server, 'acme-west', 'restore');
  assert.deepEqual([drain.status, restore.status], [200, 200]);
  await server.audit.flush();
  const res = await fetch(`${server.url}/quarry/audit/events?maxResults=1000`, { headers: auth });
  const { events } = (await res.json()) as { events: { requestId: string; eventName: string; action: string; category: string; readOnly: boolean; outcome: string }[] };
  const of = (r: Response) => events.find((e) => e.requestId === r.headers.get('x-amzn-requestid'));
  assert.deepEqual(of(drain) && [of(drain)!.eventName, of(drain)!.action, of(drain)!.category, of(drain)!.readOnly, of(drain)!.outcome], ['DrainDeployment', 'quarry:DrainDeployment', 'management', false, 'success']);
  assert.equal(of(restore)?.action, 'quarry:RestoreDeployment');
});
