import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestServer, TEST_API_KEY, startTestServer } from '../support/start-test-server.js';
import { type MockUpstream, startMockUpstream } from './crashable-server.js';

let server: TestServer;
let upstream: MockUpstream;
const MINI = 'acme.mini-v1:0';
const ECHO = 'scripted.echo-v1:0';

before(async () => {
  upstream = await startMockUpstream(0);
  server = await startTestServer(
    `  - { id: up, type: openai-compatible, baseUrl: "${upstream.url}/v1", apiKey: test }
models:
  - { id: "${MINI}", provider: up, upstreamModel: gpt-4o-mini }
routing: {}
deployments:
  - { id: mini-eu, model: "${MINI}", provider: up, region: eu-west-1 }
responseCache: { ttlMs: 60000 }
`,
  );
});
after(async () => {
  await server.stop();
  await upstream.close();
});

const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { ...auth, ...headers }, body: JSON.stringify(body) });
const converse = (model: string, text: string, extra: object = {}, headers: Record<string, string> = {}) =>
  post(`/model/${encodeURIComponent(model)}/converse`, { messages: [{ role: 'user', content: [{ text }] }], ...extra }, headers);
// No flush anywhere below: a response that arrived must already have its record.
const recordsOf = (requestId: string | null) => server.meter.query({ requestId: requestId ?? 'none' });
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

describe('exactly once', () => {
  test('under concurrent load every answered request has exactly one record, committed before its answer', async () => {
    const calls = Array.from({ length: 240 }, async (_, i) => {
      let res: Response;
      switch (i % 4) {
        case 0:
          res = await converse(ECHO, `hello ${i}`);
          break;
        case 1:
          res = await post(`/model/${encodeURIComponent(ECHO)}/converse-stream`, { messages: [{ role: 'user', content: [{ text: `stream ${i}` }] }] });
          break;
        case 2:
          res = await post('/v1/chat/completions', { model: ECHO, messages: [{ role: 'user', content: `chat ${i}` }] });
          break;
        default:
          res = await post('/v1/chat/completions', { model: ECHO, messages: [{ role: 'user', content: `chat ${i}` }], stream: true });
      }
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      const records = await recordsOf(res.headers.get('x-amzn-requestid') ?? res.headers.get('x-request-id'));
      assert.equal(records.length, 1, `request ${i}`);
      assert.equal(records[0]!.outcome, 'ok');
      return records[0]!.id;
    });
    const ids = await Promise.all(calls);
    assert.equal(new Set(ids).size, 240);
  });

  test('a failed invocation is recorded once with its error code', async () => {
    const res = await converse(ECHO, '__error:ThrottlingException');
    assert.equal(res.status, 429);
    const [r, ...rest] = await recordsOf(res.headers.get('x-amzn-requestid'));
    assert.equal(rest.length, 0);
    assert.equal(r!.outcome, 'ThrottlingException');
  });
});

describe('what a record says', () => {
  test('deployment, provider, region, account and cost from the catalog (gpt-4o-mini list price, no configured pricing)', async () => {
    const res = await converse(MINI, 'price me');
    assert.equal(res.status, 200);
    const [r] = await recordsOf(res.headers.get('x-amzn-requestid'));
    assert.equal(r!.deployment_id, 'mini-eu');
    assert.equal(r!.provider_id, 'up');
    assert.equal(r!.region, 'eu-west-1');
    assert.equal(r!.account_id, '000000000000');
    assert.equal(r!.input_tokens, 12);
    close(r!.cost_usd, (12 * 0.00015 + 5 * 0.0006) / 1000);
  });

  test('a model without configured deployments is the one routing names for it, in the server region', async () => {
    const res = await converse(ECHO, 'where');
    const [r] = await recordsOf(res.headers.get('x-amzn-requestid'));
    assert.deepEqual([r!.deployment_id, r!.provider_id, r!.region], [`scripted/${ECHO}`, 'scripted', 'us-east-1']);
  });

  test('tags from requestMetadata and the x-quarry-tags header, the header winning', async () => {
    const res = await converse(ECHO, 'tag me', { requestMetadata: { team: 'search', env: 'dev' } }, { 'x-quarry-tags': 'env=prod, cost-center=42' });
    assert.equal(res.status, 200);
    const [r] = await recordsOf(res.headers.get('x-amzn-requestid'));
    assert.deepEqual(JSON.parse(r!.tags), { team: 'search', env: 'prod', 'cost-center': '42' });
    const chat = await post('/v1/chat/completions', { model: ECHO, messages: [{ role: 'user', content: 'x' }] }, { 'x-quarry-tags': 'team=ads' });
    const [c] = await recordsOf(chat.headers.get('x-request-id'));
    assert.deepEqual(JSON.parse(c!.tags), { team: 'ads' });
  });

  test('bad tags are a ValidationException in each wire format, and nothing is metered', async () => {
    const before = server.meter.stats().records;
    const bedrock = await converse(ECHO, 'x', {}, { 'x-quarry-tags': 'team' });
    assert.equal(bedrock.status, 400);
    assert.equal(bedrock.headers.get('x-amzn-errortype')?.split(':')[0], 'ValidationException');
    assert.match(((await bedrock.json()) as { message: string }).message, /key=value/);
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    assert.equal((await converse(ECHO, 'x', { requestMetadata: tooMany })).status, 400);
    const openai = await post('/v1/chat/completions', { model: ECHO, messages: [{ role: 'user', content: 'x' }] }, { 'x-quarry-tags': 'aws:x=1' });
    assert.equal(openai.status, 400);
    const body = (await openai.json()) as { error: { message: string; type: string } };
    assert.match(body.error.message, /reserved/);
    assert.equal(server.meter.stats().records, before);
  });

  test('images in the request are counted', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const res = await post(`/model/${encodeURIComponent(ECHO)}/converse`, {
      messages: [{ role: 'user', content: [{ text: 'look' }, { image: { format: 'png', source: { bytes: png.toString('base64') } } }] }],
    });
    assert.equal(res.status, 200);
    const [r] = await recordsOf(res.headers.get('x-amzn-requestid'));
    assert.equal(r!.images, 1);
  });

  test('a cache hit is flagged, costs nothing and records what it saved', async () => {
    const extra = { inferenceConfig: { temperature: 0 } };
    const first = await converse(MINI, 'cache me', extra);
    const [paid] = await recordsOf(first.headers.get('x-amzn-requestid'));
    const second = await converse(MINI, 'cache me', extra);
    const [hit] = await recordsOf(second.headers.get('x-amzn-requestid'));
    assert.equal(hit!.outcome, 'CacheHit');
    assert.equal(hit!.cache_hit, 1);
    assert.equal(hit!.cost_usd, 0);
    close(hit!.saved_usd, paid!.cost_usd);
    assert.equal(paid!.cache_hit, 0);
    // A streamed request served from the cache is recorded before its metadata event too.
    const stream = await post(`/model/${encodeURIComponent(MINI)}/converse-stream`, { messages: [{ role: 'user', content: [{ text: 'cache me' }] }], ...extra });
    await stream.arrayBuffer();
    const [streamed] = await recordsOf(stream.headers.get('x-amzn-requestid'));
    assert.equal(streamed!.cache_hit, 1);
  });
});

describe('pricing API', () => {
  const put = (model: string, body: unknown, key = TEST_API_KEY) =>
    fetch(`${server.url}/quarry/pricing/models/${encodeURIComponent(model)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const get = (path: string, key = TEST_API_KEY) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

  test('list, look up, edit (costing changes at once), remove', async () => {
    const list = (await (await get('/quarry/pricing')).json()) as { entries: { modelId: string; origin: string; asOf: string }[] };
    assert.ok(list.entries.some((e) => e.modelId === 'anthropic.claude-sonnet-4-20250514-v1:0' && e.origin === 'default' && e.asOf));
    const looked = (await (await get(`/quarry/pricing/models/${encodeURIComponent('us.anthropic.claude-3-haiku-20240307-v1:0')}`)).json()) as { entry: { inputPer1k: number } };
    assert.equal(looked.entry.inputPer1k, 0.00025);

    const res = await put('gpt-4o-mini', { region: 'eu-west-1', inputPer1k: 1, outputPer1k: 2, cacheReadPer1k: 0.1, asOf: '2026-11-23', source: 'negotiated' });
    assert.equal(res.status, 200);
    const priced = await converse(MINI, 'priced again');
    const [r] = await recordsOf(priced.headers.get('x-amzn-requestid'));
    close(r!.cost_usd, (12 * 1 + 5 * 2) / 1000);

    const del = await fetch(`${server.url}/quarry/pricing/models/gpt-4o-mini?region=eu-west-1`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    assert.equal(del.status, 204);
    const again = await fetch(`${server.url}/quarry/pricing/models/gpt-4o-mini?region=eu-west-1`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    assert.equal(again.status, 404);
  });

  test('bad input is a ValidationException; unknown models a 404', async () => {
    assert.equal((await put('gpt-4o-mini', { inputPer1k: -1 })).status, 400);
    assert.equal((await put('gpt-4o-mini', {})).status, 400);
    assert.equal((await put('bad model id!', { inputPer1k: 1 })).status, 400);
    assert.equal((await get('/quarry/pricing?region=../../etc')).status, 400);
    assert.equal((await get('/quarry/pricing/models/acme.nothing-v9')).status, 404);
    const raw = await fetch(`${server.url}/quarry/pricing/models/gpt-4o`, { method: 'PUT', headers: auth, body: '{"inputPer1k":' });
    assert.equal(raw.status, 400);
  });

  test('only the default account may change prices; a key without the permission may not read them', async () => {
    const created = (await (await post('/quarry/iam/accounts', { name: 'tenant', adminUserName: 'boss' })).json()) as { key: { secret?: string; apiKey?: string } };
    const tenantKey = created.key.secret ?? created.key.apiKey;
    assert.ok(tenantKey, JSON.stringify(created));
    const denied = await put('gpt-4o', { inputPer1k: 0 }, tenantKey);
    assert.equal(denied.status, 403);
    assert.match(((await denied.json()) as { message: string }).message, /default account/);
    assert.equal((await get('/quarry/pricing', tenantKey)).status, 200, 'an administrator of the tenant reads prices');

    await post('/quarry/iam/users', { userName: 'plain' });
    const key = (await (await post('/quarry/iam/users/plain/keys', {})).json()) as { key: { secret?: string; apiKey?: string } };
    const plainKey = key.key.secret ?? key.key.apiKey;
    assert.equal((await get('/quarry/pricing', plainKey)).status, 403);
    assert.equal((await put('gpt-4o', { inputPer1k: 0 }, plainKey)).status, 403);
  });

  test('break-even: on-demand versus each provisioned term', async () => {
    await put('acme.big-v1:0', {
      inputPer1k: 0.05,
      outputPer1k: 0.15,
      provisioned: { noCommitmentPerHour: 30, oneMonthPerHour: 20, sixMonthPerHour: 15, unitInputTokensPerMinute: 20000, unitOutputTokensPerMinute: 4000 },
    });
    const res = await post('/quarry/pricing/break-even', { modelId: 'acme.big-v1:0', inputTokensPerMinute: 10000, outputTokensPerMinute: 2000 });
    assert.equal(res.status, 200);
    const r = (await res.json()) as { modelUnits: number; cheapest: string; onDemand: { monthlyUsd: number }; terms: { term: string; breakEvenUtilisation: number }[] };
    assert.equal(r.modelUnits, 1);
    assert.equal(r.onDemand.monthlyUsd, 34560);
    assert.equal(r.cheapest, '6-month');
    assert.equal(r.terms.find((t) => t.term === '6-month')!.breakEvenUtilisation, 0.3125);
    const missing = await post('/quarry/pricing/break-even', { modelId: 'gpt-4o', inputTokensPerMinute: 1000 });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { message: string }).message, /provisioned-throughput/);
  });
});
