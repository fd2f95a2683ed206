import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import OpenAI from 'openai';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';
import { type Fault, type FaultUpstream, startFaultUpstream } from './fault-upstream.js';

/**
 * Routing through the real server against fault-injecting upstreams on loopback: model acme.chat-v1:0 has two
 * deployments (east first, west second), an inference profile over both, and acme.lite-v1:0 as its fallback.
 */
let east: FaultUpstream;
let west: FaultUpstream;
let lite: FaultUpstream;
let server: TestServer;

const MODEL = 'acme.chat-v1:0';
const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };

before(async () => {
  [east, west, lite] = await Promise.all([startFaultUpstream('east'), startFaultUpstream('west'), startFaultUpstream('lite')]);
  const provider = (u: FaultUpstream) => `  - { id: ${u.name}, type: openai-compatible, baseUrl: "${u.baseUrl}", timeoutMs: 3000 }\n`;
  server = await startTestServer(
    `${provider(east)}${provider(west)}${provider(lite)}models:
  - { id: "${MODEL}", provider: east, upstreamModel: gpt-test, pricing: { inputPer1k: 0.5, outputPer1k: 1.5 } }
  - { id: "acme.lite-v1:0", provider: lite, upstreamModel: gpt-lite, pricing: { inputPer1k: 0.1, outputPer1k: 0.2 } }
routing:
  retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }
  # A cooldown long enough that a loaded machine still reads the breaker open and skips it before it half-opens.
  breaker: { consecutiveFailures: 3, cooldownMs: 1500 }
  firstTokenTimeoutMs: 400
  attemptTimeoutMs: 400
deployments:
  - { id: acme-east, model: "${MODEL}", provider: east, region: us-east-1 }
  - { id: acme-west, model: "${MODEL}", provider: west, region: us-west-2, priority: 1 }
inferenceProfiles:
  - { id: "us.${MODEL}", strategy: least-outstanding, deployments: [acme-east, acme-west] }
fallbacks:
  "${MODEL}": [acme.lite-v1:0]
responseCache: { ttlMs: 60000 }
`,
  );
});

after(async () => {
  await server.stop();
  await Promise.all([east.close(), west.close(), lite.close()]);
});

// Each test starts with every upstream healthy and every breaker closed (earlier tests trip them on purpose).
beforeEach(async () => {
  for (const u of [east, west, lite]) u.setPlan(() => 'ok');
  // Up to a little past the breaker's cooldown: an open breaker half-opens, and the heal request's probe closes it.
  for (let i = 0; i < 50 && server.runtime.router.health().some((d) => d.state !== 'closed'); i++) {
    await new Promise((r) => setTimeout(r, 60));
    if (server.runtime.router.health().some((d) => d.state === 'half-open')) await (await converse('heal')).arrayBuffer();
  }
});

const converseBody = (text: string, extra: object = {}) => JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }], ...extra });

async function converse(text: string, opts: { model?: string; headers?: Record<string, string>; extra?: object; stream?: boolean } = {}) {
  const res = await fetch(`${server.url}/model/${encodeURIComponent(opts.model ?? MODEL)}/${opts.stream ? 'converse-stream' : 'converse'}`, {
    method: 'POST',
    headers: { ...auth, ...opts.headers },
    body: converseBody(text, opts.extra),
  });
  return res;
}

async function recordsOf(requestId: string) {
  await server.meter.flush();
  return (await server.meter.query()).filter((r) => r.request_id === requestId);
}

const health = (id: string) => server.runtime.router.health().find((d) => d.id === id)!;

/** Makes east fail in one way for every request, and checks west answers the client. */
async function failsOverFrom(fault: Fault, stream = false) {
  east.setPlan(() => fault);
  const eastBefore = east.seen.length;
  const westBefore = west.seen.length;
  const started = performance.now();
  const res = await converse('hello', { stream });
  assert.equal(res.status, 200, await res.clone().text());
  const body = stream ? Buffer.from(await res.arrayBuffer()).toString('latin1') : JSON.stringify(await res.json());
  assert.match(body, /west:/);
  assert.doesNotMatch(body, /east:/);
  assert.equal(east.seen.length, eastBefore + 1, 'east was tried first');
  assert.equal(west.seen.length, westBefore + 1);
  assert.equal(res.headers.get('x-quarry-model-id'), MODEL);
  const records = await recordsOf(res.headers.get('x-amzn-requestid')!);
  assert.equal(records.length, 1, 'one usage record per request, retries or not');
  assert.equal(records[0]!.outcome, 'ok');
  return performance.now() - started;
}

describe('retries move a call to a healthy deployment', () => {
  test('on a 500', async () => {
    await failsOverFrom({ status: 500 });
  });
  test('on a 429 with Retry-After', async () => {
    await failsOverFrom({ status: 429, retryAfterS: 1 });
  });
  test('on a 503', async () => {
    await failsOverFrom({ status: 503 });
  });
  test('on a connection reset before the response', async () => {
    await failsOverFrom('reset');
  });
  test('on a connection reset half-way through a whole answer (nothing reached the client yet)', async () => {
    await failsOverFrom({ resetMidStream: 1 });
  });
  test('on a hang, once the attempt timeout passes, well before the request deadline', async () => {
    const ms = await failsOverFrom('hang');
    assert.ok(ms < 2000, `took ${ms} ms`);
  });
  test('streams: on a reset after the stream started but before its first token', async () => {
    await failsOverFrom('reset-after-start', true);
  });
  test('streams: on an upstream error before any output', async () => {
    await failsOverFrom({ status: 502 }, true);
  });
  test('streams: on no first token in time', async () => {
    await failsOverFrom('hang', true);
  });
});

describe('what is not retried', () => {
  test('a stream cut after its first token reached the client: the error arrives in the stream, nobody else is asked', async () => {
    east.setPlan(() => ({ resetMidStream: 3 }));
    const westBefore = west.seen.length;
    const res = await converse('hello', { stream: true });
    assert.equal(res.status, 200);
    const raw = Buffer.from(await res.arrayBuffer()).toString('latin1');
    assert.match(raw, /east:/);
    assert.match(raw, /ModelStreamErrorException|modelStreamErrorException|ModelErrorException/i);
    assert.equal(west.seen.length, westBefore);
    const records = await recordsOf(res.headers.get('x-amzn-requestid')!);
    assert.equal(records.length, 1);
    assert.notEqual(records[0]!.outcome, 'ok');
  });

  test("an upstream's Retry-After longer than retries wait: no retry, and the client gets it, in either wire format", async () => {
    const calls = lite.seen.length;
    const res = await converse('[fault:throttle:7] hello', { model: 'acme.lite-v1:0' });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('x-amzn-errortype')?.split(':')[0], 'ThrottlingException');
    assert.equal(res.headers.get('retry-after'), '7');
    assert.match(((await res.json()) as { message: string }).message, /rate limiting/);
    const chat = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'acme.lite-v1:0', messages: [{ role: 'user', content: '[fault:throttle:7] hello' }] }),
    });
    assert.equal(chat.status, 429);
    assert.equal(chat.headers.get('retry-after'), '7');
    assert.match(((await chat.json()) as { error: { type: string } }).error.type, /rate_limit/);
    assert.equal(lite.seen.length - calls, 2, 'each call reached the upstream once');
  });

  test('a malformed answer is an error, not retried', async () => {
    east.setPlan(() => 'malformed');
    const westBefore = west.seen.length;
    const res = await converse('hello');
    assert.equal(res.status, 424);
    assert.match(((await res.json()) as { message: string }).message, /not JSON/);
    assert.equal(west.seen.length, westBefore);
  });

  test('a slow stream is not cut while tokens keep coming', async () => {
    east.setPlan(() => ({ slow: 40 }));
    const res = await converse('hello', { stream: true });
    const raw = Buffer.from(await res.arrayBuffer()).toString('latin1');
    assert.match(raw, /dog\./);
    assert.match(raw, /messageStop/);
  });
});

describe('fallbacks', () => {
  test('both deployments down: the fallback model answers, and the response and the usage record name it', async () => {
    east.setPlan(() => ({ status: 503 }));
    west.setPlan(() => ({ status: 503 }));
    const res = await converse('hello');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-quarry-model-id'), 'acme.lite-v1:0');
    assert.match(JSON.stringify(await res.json()), /lite:/);
    const [rec] = await recordsOf(res.headers.get('x-amzn-requestid')!);
    assert.equal(rec!.model_id, 'acme.lite-v1:0');
    assert.ok(Math.abs(rec!.cost_usd - (12 * 0.1 + 10 * 0.2) / 1000) < 1e-12, 'priced as the model that answered');
  });

  test('the upstream says the prompt is over its context: the fallback answers', async () => {
    east.setPlan(() => 'context-length');
    const res = await converse('hello');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-quarry-model-id'), 'acme.lite-v1:0');
  });

  test('the upstream refuses for content: the fallback answers; through the OpenAI API too, streamed', async () => {
    east.setPlan(() => 'content-filter');
    const res = await converse('hello');
    assert.equal(res.headers.get('x-quarry-model-id'), 'acme.lite-v1:0');
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_API_KEY });
    const { data: stream, response } = await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true }).withResponse();
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    assert.match(text, /^lite:/);
    assert.equal(response.headers.get('x-quarry-model-id'), 'acme.lite-v1:0');
  });
});

describe('deployments, profiles and health', () => {
  test('the inference profile answers through the AWS SDK and is listed as a model', async () => {
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    });
    const res = await client.send(new ConverseCommand({ modelId: `us.${MODEL}`, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    assert.match(res.output?.message?.content?.[0]?.text ?? '', /^(east|west):/);
    client.destroy();
    const models = (await (await fetch(`${server.url}/v1/models`, { headers: auth })).json()) as { data: { id: string }[] };
    assert.ok(models.data.some((m) => m.id === `us.${MODEL}`));
    // InvokeModel picks the body format from the model under the profile.
    const invoked = await fetch(`${server.url}/model/${encodeURIComponent(`us.${MODEL}`)}/invoke`, { method: 'POST', headers: auth, body: '{"prompt":"hi"}' });
    assert.equal(invoked.status, 200);
    assert.equal(invoked.headers.get('x-quarry-model-id'), MODEL);
  });

  test('the breaker opens on a failing deployment, traffic skips it, and a probe after the cooldown closes it', async () => {
    east.setPlan(() => ({ status: 500 }));
    for (let i = 0; i < 3; i++) assert.equal((await converse(`trip ${i}`)).status, 200);
    assert.equal(health('acme-east').state, 'open');
    const eastBefore = east.seen.length;
    for (let i = 0; i < 3; i++) assert.equal((await converse(`skip ${i}`)).status, 200);
    assert.equal(east.seen.length, eastBefore, 'no calls while open');
    east.setPlan(() => 'ok');
    await new Promise((r) => setTimeout(r, 1600));
    const res = await converse('probe');
    assert.match(JSON.stringify(await res.json()), /east:/);
    assert.equal(health('acme-east').state, 'closed');
    assert.ok(health('acme-east').breakerOpened >= 1);
  });
});

describe('response cache', () => {
  test('temperature 0: the second identical call is served from the cache, billed at zero with what it saved', async () => {
    const extra = { inferenceConfig: { temperature: 0 } };
    const first = await converse('cache me', { extra });
    const a = await first.json();
    const before = east.seen.length + west.seen.length;
    const second = await converse('cache me', { extra });
    assert.deepEqual(((await second.json()) as { output: unknown }).output, (a as { output: unknown }).output);
    assert.equal(east.seen.length + west.seen.length, before, 'no upstream call');
    const [rec] = await recordsOf(second.headers.get('x-amzn-requestid')!);
    assert.equal(rec!.outcome, 'CacheHit');
    assert.equal(rec!.cost_usd, 0);
    assert.ok(rec!.input_tokens > 0);
    assert.ok((server.runtime.cache?.stats().savedUsd ?? 0) > 0);
  });

  test('a streamed request replays the parts; a cached whole answer streams too', async () => {
    const extra = { inferenceConfig: { temperature: 0 } };
    const s1 = await converse('stream me', { extra, stream: true });
    const raw1 = Buffer.from(await s1.arrayBuffer()).toString('latin1');
    const before = east.seen.length + west.seen.length;
    const s2 = await converse('stream me', { extra, stream: true });
    const raw2 = Buffer.from(await s2.arrayBuffer()).toString('latin1');
    assert.equal(east.seen.length + west.seen.length, before);
    const words = (raw: string) => [...raw.matchAll(/"text":"([^"]*)"/g)].map((m) => m[1]).join('');
    assert.equal(words(raw2), words(raw1));
    assert.ok(words(raw1).length > 10);
    // The whole answer cached by the first test streams as well.
    const s3 = await converse('cache me', { extra, stream: true });
    assert.match(Buffer.from(await s3.arrayBuffer()).toString('latin1'), /dog\./);
    assert.equal(east.seen.length + west.seen.length, before);
  });

  test('x-quarry-cache: off skips it, bypass refreshes it, on opts in at any temperature; sampling requests are not cached', async () => {
    const extra = { inferenceConfig: { temperature: 0 } };
    await converse('opt', { extra });
    const calls = () => east.seen.length + west.seen.length;
    let n = calls();
    await converse('opt', { extra, headers: { 'x-quarry-cache': 'off' } });
    assert.equal(calls(), n + 1);
    n = calls();
    await converse('opt', { extra, headers: { 'x-quarry-cache': 'bypass' } });
    assert.equal(calls(), n + 1);
    n = calls();
    await converse('opt', { extra });
    assert.equal(calls(), n, 'still cached after the bypass');
    const warm = { inferenceConfig: { temperature: 0.9 } };
    await converse('sampled', { extra: warm });
    await converse('sampled', { extra: warm });
    assert.equal(calls(), n + 2);
    await converse('opted in', { extra: warm, headers: { 'x-quarry-cache': 'on' } });
    await converse('opted in', { extra: warm, headers: { 'x-quarry-cache': 'on' } });
    assert.equal(calls(), n + 3);
  });

  test('an error is never cached', async () => {
    east.setPlan(() => 'malformed');
    const extra = { inferenceConfig: { temperature: 0 } };
    assert.equal((await converse('broken', { extra })).status, 424);
    east.setPlan(() => 'ok');
    assert.equal((await converse('broken', { extra })).status, 200);
  });
});
