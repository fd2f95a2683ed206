import assert from 'node:assert/strict';
import { connect, constants as h2 } from 'node:http2';
import { after, before, describe, test } from 'node:test';
import { type TestServer, TEST_API_KEY, startTestServer } from './support/start-test-server.js';

/**
 * What a misbehaving client gets back: every refusal is a Bedrock-shaped error (status, `x-amzn-errortype`, a JSON
 * `message` that says what to fix), and nothing a client does to one request harms the next. Raw HTTP/1.1 through
 * fetch, plus node:http2 where HTTP/2 behaves differently (no Content-Length, stream resets).
 */

const MODEL = 'scripted.echo-v1:0';
let server: TestServer;
/** Small limits: a 1000-byte body cap and a 300 ms invocation deadline. */
let limited: TestServer;

before(async () => {
  [server, limited] = await Promise.all([startTestServer(), startTestServer('limits:\n  maxBodyBytes: 1000\n  invocationTimeoutMs: 300\n')]);
});
after(async () => {
  await Promise.all([server.stop(), limited.stop()]);
});

const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const modelPath = (id: string, op: string) => `/model/${encodeURIComponent(id)}/${op}`;

function post(path: string, body: RequestInit['body'], opts: { base?: TestServer; headers?: Record<string, string>; signal?: AbortSignal } = {}) {
  return fetch((opts.base ?? server).url + path, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', ...opts.headers },
    body,
    signal: opts.signal,
    // Needed for stream bodies (sent chunked, without Content-Length); harmless otherwise.
    duplex: 'half',
  } as RequestInit);
}

const converse = (text: string, extra: Record<string, unknown> = {}) => JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }], ...extra });

async function expectError(res: Response, status: number, code: string, message: RegExp): Promise<void> {
  const body = await res.text();
  assert.equal(res.status, status, body);
  assert.equal(res.headers.get('x-amzn-errortype')?.split(':')[0], code);
  assert.ok(res.headers.get('x-amzn-requestid'), 'errors carry the request id');
  const { message: text } = JSON.parse(body) as { message: string };
  assert.match(text, message);
}

describe('malformed requests', () => {
  test('malformed JSON, empty body, invalid UTF-8', async () => {
    await expectError(await post(modelPath(MODEL, 'converse'), '{"messages": [}'), 400, 'ValidationException', /not valid JSON/);
    await expectError(await post(modelPath(MODEL, 'invoke'), '{"prompt": '), 400, 'ValidationException', /not valid JSON/);
    await expectError(await post(modelPath(MODEL, 'converse'), ''), 400, 'ValidationException', /empty/);
    const bad = new Uint8Array([...new TextEncoder().encode('{"prompt": "'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    await expectError(await post(modelPath(MODEL, 'invoke'), bad), 400, 'ValidationException', /not valid UTF-8/);
    await expectError(await post(modelPath(MODEL, 'converse'), bad), 400, 'ValidationException', /not valid UTF-8/);
  });

  test('wrong types name the field', async () => {
    await expectError(
      await post(modelPath(MODEL, 'converse'), converse('hi', { inferenceConfig: { maxTokens: 'ten' } })),
      400,
      'ValidationException',
      /inferenceConfig\.maxTokens: .*expected number/,
    );
    await expectError(await post(modelPath(MODEL, 'converse'), JSON.stringify({ messages: 'hello' })), 400, 'ValidationException', /messages: .*expected array/);
    await expectError(
      await post(modelPath(MODEL, 'converse'), JSON.stringify({ messages: [{ role: 'system', content: [{ text: 'x' }] }] })),
      400,
      'ValidationException',
      /messages\.0\.role/,
    );
    await expectError(await post(modelPath(MODEL, 'invoke'), JSON.stringify({ prompt: 42 })), 400, 'ValidationException', /#\/prompt: .*expected string/);
  });

  test('unknown fields in Converse are refused by name', async () => {
    await expectError(await post(modelPath(MODEL, 'converse'), converse('hi', { temprature: 0.5 })), 400, 'ValidationException', /temprature/);
    await expectError(
      await post(modelPath(MODEL, 'converse'), converse('hi', { inferenceConfig: { max_tokens: 5 } })),
      400,
      'ValidationException',
      /inferenceConfig.*max_tokens/,
    );
  });

  test('missing messages', async () => {
    await expectError(await post(modelPath(MODEL, 'converse'), '{}'), 400, 'ValidationException', /messages/);
    await expectError(await post(modelPath(MODEL, 'converse'), JSON.stringify({ messages: [] })), 400, 'ValidationException', /at least one message/);
    await expectError(await post(modelPath(MODEL, 'converse-stream'), '{}'), 400, 'ValidationException', /messages/);
  });

  test('invalid base64 in an image block', async () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: 'not*base64!' } } }] }] });
    await expectError(await post(modelPath(MODEL, 'converse'), body), 400, 'ValidationException', /messages\.0\.content\.0\.image\.source\.bytes is not valid base64/);
  });

  test('an unknown model, and an unknown API', async () => {
    await expectError(await post(modelPath('acme.nothing-v9:0', 'converse'), converse('hi')), 404, 'ResourceNotFoundException', /acme\.nothing-v9:0.*Available: .*scripted\.echo-v1:0/);
    await expectError(await post(modelPath('acme.nothing-v9:0', 'invoke'), '{"prompt":"x"}'), 404, 'ResourceNotFoundException', /acme\.nothing-v9:0/);
    await expectError(await post('/model/x/summon', '{}'), 404, 'ResourceNotFoundException', /No API at POST/);
  });
});

describe('limits', () => {
  const big = converse('x'.repeat(2000));

  test('a body over limits.maxBodyBytes is 413, declared or streamed', async () => {
    await expectError(await post(modelPath(MODEL, 'converse'), big, { base: limited }), 413, 'RequestEntityTooLargeException', /1000 bytes.*maxBodyBytes/);
    // Chunked: no Content-Length to refuse up front, so the limit is enforced while reading.
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode(big.slice(i * 600, (i + 1) * 600)));
        c.close();
      },
    });
    await expectError(await post(modelPath(MODEL, 'converse'), chunked, { base: limited }), 413, 'RequestEntityTooLargeException', /maxBodyBytes/);
    // A body under the limit still works on the same server.
    assert.equal((await post(modelPath(MODEL, 'converse'), converse('small'), { base: limited })).status, 200);
  });

  test('a body over the limit over HTTP/2, without Content-Length', async () => {
    const session = connect(limited.url);
    try {
      const req = session.request({ ':method': 'POST', ':path': modelPath(MODEL, 'converse'), 'content-type': 'application/json', ...auth });
      req.write(big.slice(0, 700));
      req.end(big.slice(700));
      const { status, headers, body } = await h2Response(req);
      assert.equal(status, 413);
      assert.match(String(headers['x-amzn-errortype']), /^RequestEntityTooLargeException:/);
      assert.match(JSON.parse(body).message, /maxBodyBytes/);
    } finally {
      session.close();
    }
  });

  test('a hanging model times out as 408 ModelTimeoutException', async () => {
    const started = Date.now();
    await expectError(await post(modelPath(MODEL, 'converse'), converse('__hang'), { base: limited }), 408, 'ModelTimeoutException', /300 ms/);
    await expectError(await post(modelPath(MODEL, 'converse-stream'), converse('__hang'), { base: limited }), 408, 'ModelTimeoutException', /300 ms/);
    await expectError(await post(modelPath(MODEL, 'invoke'), '{"prompt":"__hang"}', { base: limited }), 408, 'ModelTimeoutException', /300 ms/);
    assert.ok(Date.now() - started < 5000, 'each gave up near the deadline');
  });
});

describe('identity and model ids', () => {
  test('no credentials → 403 AccessDeniedException; a bad key → 403 UnrecognizedClientException', async () => {
    const anonymous = await fetch(server.url + modelPath(MODEL, 'converse'), { method: 'POST', body: converse('hi'), headers: { 'content-type': 'application/json' } });
    await expectError(anonymous, 403, 'AccessDeniedException', /Missing credentials/);
    await expectError(
      await post(modelPath(MODEL, 'converse'), converse('hi'), { headers: { authorization: 'Bearer qk-not-a-real-key' } }),
      403,
      'UnrecognizedClientException',
      /API key is not valid/,
    );
  });

  test('a model id given as a URL-encoded ARN', async () => {
    for (const arn of [
      `arn:aws:bedrock:us-east-1::foundation-model/${MODEL}`,
      `arn:aws:bedrock:us-east-1:000000000000:inference-profile/us.${MODEL}`,
    ]) {
      const res = await post(modelPath(arn, 'converse'), converse('arn works'));
      assert.equal(res.status, 200, await res.clone().text());
      const body = (await res.json()) as { output: { message: { content: { text: string }[] } } };
      assert.equal(body.output.message.content[0]!.text, 'You said: arn works');
    }
    const invoked = await post(modelPath(`arn:aws:bedrock:us-east-1::foundation-model/${MODEL}`, 'invoke'), '{"prompt":"via invoke"}');
    assert.equal(invoked.status, 200);
    assert.equal(((await invoked.json()) as { generation: string }).generation, 'You said: via invoke');
  });
});

describe('clients that go away', () => {
  // 100 words at 50 ms: 5 s if the model were not stopped, so the bounds below leave room for a loaded CI machine.
  const slow = `__slow:50 ${Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')}`;

  test('disconnecting mid-stream stops the model, and the server answers the next request', async () => {
    const ac = new AbortController();
    const res = await post(modelPath(MODEL, 'converse-stream'), converse(slow), { signal: ac.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.ok(!first.done && first.value.byteLength > 0, 'got a first chunk');
    ac.abort();
    await reader.read().catch(() => undefined);

    const next = await post(modelPath(MODEL, 'converse'), converse('still here'));
    assert.equal(next.status, 200);
    assert.equal(((await next.json()) as { output: { message: { content: { text: string }[] } } }).output.message.content[0]!.text, 'You said: still here');

    // The abandoned invocation was closed early (100 words at 50 ms would take 5 s) and metered as such.
    const record = await waitFor(async () => {
      await server.meter.flush();
      return (await server.meter.query()).find((r) => r.api === 'bedrock.converse-stream' && r.outcome === 'ClientClosed');
    });
    assert.ok(record.latency_ms < 3500, `stopped after ${record.latency_ms} ms`);
  });

  test('an HTTP/2 stream reset mid-stream leaves the connection usable', async () => {
    const session = connect(server.url);
    try {
      const req = session.request({ ':method': 'POST', ':path': modelPath(MODEL, 'invoke-with-response-stream'), 'content-type': 'application/json', ...auth });
      req.end(JSON.stringify({ prompt: slow }));
      const status = await new Promise<number>((resolve) => req.once('response', (h) => resolve(Number(h[':status']))));
      assert.equal(status, 200);
      await new Promise((resolve) => req.once('data', resolve));
      req.close(h2.NGHTTP2_CANCEL);

      const again = session.request({ ':method': 'POST', ':path': modelPath(MODEL, 'invoke'), 'content-type': 'application/json', ...auth });
      again.end('{"prompt":"same connection"}');
      const { status: s2, body } = await h2Response(again);
      assert.equal(s2, 200);
      assert.equal(JSON.parse(body).generation, 'You said: same connection');

      // The reset reached the model through the InvokeModel stream encoder, which closed the generation early, and
      // what it had produced is still metered (estimated, as the provider's usage never came).
      const record = await waitFor(async () => {
        await server.meter.flush();
        return (await server.meter.query()).find((r) => r.api === 'bedrock.invoke-stream');
      });
      assert.ok(record.latency_ms < 3500, `stopped after ${record.latency_ms} ms`);
      assert.equal(record.outcome, 'ClientClosed');
      assert.ok(record.output_tokens > 0 && record.input_tokens > 0, 'usage of an abandoned stream is estimated, not dropped');
    } finally {
      session.close();
    }
  });
});

function h2Response(req: ReturnType<ReturnType<typeof connect>['request']>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    let headers: Record<string, unknown> = {};
    let body = '';
    req.on('response', (h) => {
      headers = h;
    });
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => resolve({ status: Number(headers[':status']), headers, body }));
    req.on('error', reject);
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 4500): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a mistyped content block names the keys that would have been accepted', async () => {
  const { startTestServer: start, TEST_API_KEY: key } = await import('./support/start-test-server.js');
  const s = await start();
  try {
    const res = await fetch(`${s.url}/model/scripted.echo-v1%3A0/converse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ txt: 'hello' }] }] }),
    });
    assert.equal(res.status, 400);
    const { message } = (await res.json()) as { message: string };
    assert.match(message, /messages\.0\.content\.0: expected exactly one of the keys text, image, document, toolUse, toolResult/);
    assert.match(message, /got txt/);
  } finally {
    await s.stop();
  }
});
