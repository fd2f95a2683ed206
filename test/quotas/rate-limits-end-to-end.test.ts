import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import OpenAI, { RateLimitError } from 'openai';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';
import { chat, eventually, MODEL, newKey, putQuota } from './quota-test-kit.js';

let server: TestServer;
before(async () => {
  // No quotas in the configuration: the limits below arrive through the admin API, as data.
  server = await startTestServer();
});
after(() => server.stop());

describe('rate limits end to end (in-process limiter)', () => {
  test('50 requests at once against 10 per minute: exactly 10 answered, 40 refused in OpenAI’s shape with Retry-After', async () => {
    const key = await newKey(server);
    assert.equal((await putQuota(server, TEST_API_KEY, { keyId: key.keyId, requestsPerMinute: 10 })).status, 200);
    const responses = await Promise.all(Array.from({ length: 50 }, () => chat(server, key.apiKey)));
    assert.equal(responses.filter((r) => r.status === 200).length, 10);
    const refused = responses.filter((r) => r.status === 429);
    assert.equal(refused.length, 40);
    const body = (await refused[0]!.json()) as { error: { type: string; code: string; message: string } };
    assert.equal(body.error.type, 'rate_limit_error');
    assert.equal(body.error.code, 'ThrottlingException');
    assert.match(body.error.message, /Too many requests.*10 requests per minute/);
    const seconds = Number(refused[0]!.headers.get('retry-after'));
    assert.ok(seconds >= 1 && seconds <= 60, `retry-after ${seconds}`);
    assert.ok(Number(refused[0]!.headers.get('retry-after-ms')) > 0);
    for (const r of responses) if (!r.bodyUsed) await r.body?.cancel();

    // The official SDK sees its RateLimitError, with the header it would wait on.
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key.apiKey, maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => {
      assert.ok(e instanceof RateLimitError);
      assert.equal(e.status, 429);
      assert.ok(Number(e.headers?.get('retry-after')) >= 1);
      return true;
    });
  });

  test('Bedrock: the AWS SDK sees ThrottlingException (429, Retry-After) on Converse and ConverseStream', async () => {
    const key = await newKey(server, 'sigv4');
    await putQuota(server, TEST_API_KEY, { keyId: key.keyId, modelId: MODEL, requestsPerMinute: 2 });
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });
    try {
      const ask = () => client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
      await ask();
      await ask();
      await assert.rejects(ask(), (e: Error & { $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } }) => {
        assert.equal(e.name, 'ThrottlingException');
        assert.equal(e.$metadata?.httpStatusCode, 429);
        assert.ok(Number(e.$response?.headers?.['retry-after']) >= 1, JSON.stringify(e.$response?.headers));
        return true;
      });
      await assert.rejects(
        client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })),
        (e: Error) => e.name === 'ThrottlingException',
      );
    } finally {
      client.destroy();
    }
  });

  test('Anthropic: 429 with rate_limit_error and Retry-After', async () => {
    const key = await newKey(server);
    await putQuota(server, TEST_API_KEY, { keyId: key.keyId, requestsPerMinute: 1 });
    const send = () =>
      fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': key.apiKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
      });
    assert.equal((await send()).status, 200);
    const r = await send();
    assert.equal(r.status, 429);
    assert.deepEqual(((await r.json()) as { type: string; error: { type: string } }).error.type, 'rate_limit_error');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
  });

  test('tokens per minute: input plus max_tokens reserved, then settled to what was used', async () => {
    const key = await newKey(server);
    await putQuota(server, TEST_API_KEY, { keyId: key.keyId, tokensPerMinute: 100 });
    // Reserves 2 (input) + 50; uses 2 + 4.
    assert.equal((await chat(server, key.apiKey, { max_tokens: 50 })).status, 200);
    // 6 used + 2 + 80 = 88 fits only because the first was settled down from 52 to 6.
    assert.equal((await chat(server, key.apiKey, { max_tokens: 80 })).status, 200);
    const over = await chat(server, key.apiKey, { max_tokens: 80 });
    assert.equal(over.status, 429);
    assert.match(((await over.json()) as { error: { message: string } }).error.message, /Too many tokens/);
    // More than the whole minute's allowance can never be admitted: a clear 400, not a retry loop.
    const huge = await chat(server, key.apiKey, { max_tokens: 5000 });
    assert.equal(huge.status, 400);
    assert.match(((await huge.json()) as { error: { message: string } }).error.message, /lower max_tokens/);
  });

  test('concurrency: a slot is held for a whole stream and freed at its end, on errors and on client disconnect', async () => {
    const key = await newKey(server);
    await putQuota(server, TEST_API_KEY, { keyId: key.keyId, concurrentRequests: 1 });
    const second = async () => {
      const r = await chat(server, key.apiKey);
      await r.body?.cancel();
      return r.status;
    };

    // A slow stream holds the slot until its last event.
    const stream = await chat(server, key.apiKey, { stream: true, messages: [{ role: 'user', content: '__slow:150 one two three' }] });
    assert.equal(stream.status, 200);
    assert.equal(await second(), 429);
    await stream.text();
    assert.ok(await eventually(async () => (await second()) === 200), 'freed when the stream ended');

    // A failed invocation frees it.
    const failed = await chat(server, key.apiKey, { messages: [{ role: 'user', content: '__error:ModelErrorException' }] });
    assert.equal(failed.status, 424);
    assert.equal(await second(), 200);

    // A client that goes away frees it.
    const ac = new AbortController();
    const hanging = chat(server, key.apiKey, { stream: true, messages: [{ role: 'user', content: '__hang' }] }, { signal: ac.signal }).then(
      (r) => r.body?.cancel(),
      () => undefined,
    );
    assert.ok(await eventually(async () => (await second()) === 429, 2000), 'the hanging request holds the slot');
    ac.abort();
    await hanging;
    assert.ok(await eventually(async () => (await second()) === 200), 'freed when the client disconnected');
  });
});

describe('the quotas admin API', () => {
  test('set, list, resolve and remove overrides; bad input is refused clearly', async () => {
    const key = await newKey(server);
    const auth = { authorization: `Bearer ${TEST_API_KEY}` };
    const put = await putQuota(server, TEST_API_KEY, { keyId: key.keyId, modelId: `arn:aws:bedrock:us-east-1::foundation-model/${MODEL}`, requestsPerMinute: 5, tokensPerMinute: null });
    const { override } = (await put.json()) as { override: { keyId: string; modelId: string } };
    assert.deepEqual([override.keyId, override.modelId], [key.keyId, MODEL]);
    await putQuota(server, TEST_API_KEY, { keyId: key.keyId, concurrentRequests: 3 });

    const list = (await (await fetch(`${server.url}/quarry/quotas`, { headers: auth })).json()) as { overrides: { keyId: string }[] };
    assert.equal(list.overrides.filter((o) => o.keyId === key.keyId).length, 2);
    const eff = (await (await fetch(`${server.url}/quarry/quotas/effective?keyId=${key.keyId}&modelId=${MODEL}`, { headers: auth })).json()) as {
      limits: unknown;
      sources: string[];
    };
    assert.deepEqual(eff.limits, { requestsPerMinute: 5, concurrentRequests: 3 });
    assert.equal(eff.sources.length, 2);

    const del = await fetch(`${server.url}/quarry/quotas?keyId=${key.keyId}&modelId=${MODEL}`, { method: 'DELETE', headers: auth });
    assert.equal(del.status, 204);
    const again = await fetch(`${server.url}/quarry/quotas?keyId=${key.keyId}&modelId=${MODEL}`, { method: 'DELETE', headers: auth });
    assert.equal(again.status, 404);

    for (const [body, pattern] of [
      [{ keyId: key.keyId }, /at least one/],
      [{ keyId: key.keyId, requestsPerMinute: 0 }, /requestsPerMinute/],
      [{ keyId: key.keyId, requestsPerMinute: 1.5 }, /requestsPerMinute/],
      [{ keyId: key.keyId, requestsPerMinute: '10' }, /requestsPerMinute/],
      [{ keyId: key.keyId, rpm: 10 }, /rpm/],
      [{ keyId: 'k-../../etc', requestsPerMinute: 1 }, /keyId/],
      [{ modelId: 'a\u0000b', requestsPerMinute: 1 }, /modelId/],
    ] as const) {
      const r = await putQuota(server, TEST_API_KEY, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.headers.get('x-amzn-errortype')?.split(':')[0], 'ValidationException');
      assert.match(((await r.json()) as { message: string }).message, pattern);
    }
    const unknownKey = await putQuota(server, TEST_API_KEY, { keyId: 'k-00000000-0000-0000-0000-000000000000', requestsPerMinute: 1 });
    assert.equal(unknownKey.status, 404);
    const notJson = await fetch(`${server.url}/quarry/quotas`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{' });
    assert.equal(notJson.status, 400);
  });

  test('a user without quota permissions can neither read nor change limits (nor lift its own)', async () => {
    const user = await newKey(server, 'bearer', false);
    const r = await putQuota(server, user.apiKey, { keyId: user.keyId, requestsPerMinute: null });
    assert.equal(r.status, 403);
    const list = await fetch(`${server.url}/quarry/quotas`, { headers: { authorization: `Bearer ${user.apiKey}` } });
    assert.equal(list.status, 403);
  });
});

describe('the account as a whole', () => {
  test('every key of an account draws from its one allowance; another account is untouched', async () => {
    // An account of its own: its allowance must not throttle the other tests' keys in the default account.
    const team = await server.iam.createAccount(`quota-team-${process.pid}`);
    const invoke = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel*', Resource: '*' }] };
    await server.iam.createPolicy(team.accountId, 'invoke', invoke);
    const keys = [];
    for (const name of ['lead', 'dev-1', 'dev-2']) {
      await server.iam.createUser(team.accountId, name, name === 'lead');
      if (name !== 'lead') await server.iam.attachPolicy(team.accountId, 'invoke', { userName: name });
      keys.push(await server.iam.keys.create(team.accountId, name, { type: 'bearer' }));
    }
    const [lead, dev1, dev2] = keys.map((k) => k.apiKey ?? '') as [string, string, string];
    const put = await putQuota(server, lead, { keyId: '@account', modelId: MODEL, requestsPerMinute: 6 });
    assert.equal(put.status, 200, await put.clone().text());

    // 12 requests at once from two keys with no limits of their own: the account admits 6 in all.
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => chat(server, i % 2 ? dev1 : dev2)));
    assert.equal(responses.filter((r) => r.status === 200).length, 6);
    const refused = responses.find((r) => r.status === 429)!;
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /6 requests per minute for this account on scripted\.echo-v1:0/);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    for (const r of responses) if (!r.bodyUsed) await r.body?.cancel();
    assert.equal((await chat(server, lead)).status, 429, 'the account’s administrator draws from it too');
    assert.equal((await chat(server, TEST_API_KEY)).status, 200, 'the default account has its own count');

    const auth = { authorization: `Bearer ${lead}` };
    const eff = (await (await fetch(`${server.url}/quarry/quotas/effective?keyId=%40account&modelId=${MODEL}`, { headers: auth })).json()) as { limits: unknown; sources: string[] };
    assert.deepEqual(eff, { keyId: '@account', modelId: MODEL, limits: { requestsPerMinute: 6 }, sources: [`override for the account on model ${MODEL}`] });
    // The default account's administrator sees only its own account's overrides.
    const theirs = (await (await fetch(`${server.url}/quarry/quotas`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } })).json()) as { overrides: { keyId: string }[] };
    assert.ok(!theirs.overrides.some((o) => o.keyId === '@account'));
    // A developer may not lift the account's allowance.
    assert.equal((await putQuota(server, dev1, { keyId: '@account', requestsPerMinute: null })).status, 403);
    assert.equal((await fetch(`${server.url}/quarry/quotas?keyId=%40account&modelId=${MODEL}`, { method: 'DELETE', headers: auth })).status, 204);
    assert.equal((await chat(server, dev1)).status, 200, 'no allowance once the override is gone');
  });
});
