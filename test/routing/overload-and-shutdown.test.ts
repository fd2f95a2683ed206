import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BedrockRuntimeClient, ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_API_KEY, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * Overload and shutdown through the real server: a bounded number of invocations run and wait, the rest are refused
 * with 503 and Retry-After in each wire format; a graceful close lets streams in flight (HTTP/1.1 and HTTP/2) finish,
 * refuses new work, and writes their usage before the store closes.
 */
const MODEL = 'scripted.echo-v1:0';
const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
/** 20 words 40 ms apart: about 0.8 s of streaming, long enough to overlap the other calls on a loaded machine. */
const slowWords = Array.from({ length: 20 }, (_, i) => `w${i}`);
const slow = `__slow:40 ${slowWords.join(' ')}`;
const body = (text: string) => JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] });
const texts = (raw: string) => [...raw.matchAll(/"text":"([^"]*)"/g)].map((m) => m[1]).join('');

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanup) await c();
});

function converseStream(server: TestServer, text: string): Promise<Response> {
  return fetch(`${server.url}/model/${encodeURIComponent(MODEL)}/converse-stream`, { method: 'POST', headers: auth, body: body(text) });
}

/**
 * Resolves once the server has started answering `res` (its first event arrived) with the rest, read in the background.
 * (Wrapped: an async function returning the bare promise would wait for the whole stream, promises being flattened.)
 */
async function firstChunk(res: Response): Promise<{ rest: Promise<string> }> {
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.ok(!first.done);
  let raw = Buffer.from(first.value).toString('latin1');
  const rest = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return raw;
      raw += Buffer.from(value).toString('latin1');
    }
  })();
  return { rest };
}

describe('load shedding', () => {
  test('one runs, one waits, the third is refused with 503 and Retry-After (Bedrock and OpenAI shapes); the waiter then runs', async () => {
    const server = await startTestServer('limits:\n  maxConcurrentInvocations: 1\n  maxQueuedInvocations: 1\n');
    cleanup.push(() => server.stop());
    const { rest: running } = await firstChunk(await converseStream(server, slow));
    const waiting = converseStream(server, 'queued');
    // The waiter is in the queue once the guard says so (no fixed sleep).
    const overload = (server.runtime as unknown as { deps: { overload: { stats(): { queued: number } } } }).deps.overload;
    for (let i = 0; i < 200 && overload.stats().queued === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(overload.stats().queued, 1);

    const refused = await fetch(`${server.url}/model/${encodeURIComponent(MODEL)}/converse`, { method: 'POST', headers: auth, body: body('third') });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('x-amzn-errortype')?.split(':')[0], 'ServiceUnavailableException');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
    assert.match(((await refused.json()) as { message: string }).message, /at capacity/);

    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: TEST_API_KEY, maxRetries: 0 });
    await assert.rejects(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'fourth' }] }), (e: unknown) => {
      const err = e as { status?: number; headers?: Headers | Record<string, string> };
      const retryAfter = err.headers instanceof Headers ? err.headers.get('retry-after') : err.headers?.['retry-after'];
      return err.status === 503 && Number(retryAfter) >= 1;
    });

    assert.equal(texts(await running), `You said: ${slow}`);
    const queued = await waiting;
    assert.equal(queued.status, 200);
    assert.match(texts(Buffer.from(await queued.arrayBuffer()).toString('latin1')), /queued/);
  });
});

describe('graceful shutdown', () => {
  test('streams in flight on HTTP/1.1 and HTTP/2 finish, new work is refused, and their usage is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-drain-'));
    const dbFile = join(dir, 'store.db');
    // Its own SQLite file (kept in scale-out mode too), read after the server has closed it.
    const server = await startTestServer(`store:\n  url: "sqlite:${dbFile}"\n`);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    // The test closes it; stop() then only drops what scale-out mode gave it (its Redis key prefix).
    cleanup.push(() => server.stop());

    const { rest: h1 } = await firstChunk(await converseStream(server, slow));
    const sdk = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
      maxAttempts: 1,
    });
    const h2 = await sdk.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: slow }] }] }));
    const events = h2.stream![Symbol.asyncIterator]();
    const firstEvent = await events.next();
    assert.equal(firstEvent.done, false);

    const closing = server.close({ drainMs: 20_000 });
    const h2Text = (async () => {
      let text = '';
      for (let e: IteratorResult<ConverseStreamOutput> = firstEvent; !e.done; e = await events.next()) text += e.value.contentBlockDelta?.delta?.text ?? '';
      return text;
    })();
    // A new connection is refused at once; the streams in flight carry on.
    await assert.rejects(fetch(`${server.url}/health`), /fetch failed/);
    assert.equal(texts(await h1), `You said: ${slow}`, 'the HTTP/1.1 stream finished');
    assert.equal(await h2Text, `You said: ${slow}`, 'the HTTP/2 stream finished');
    await closing;
    sdk.destroy();

    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare("SELECT outcome FROM usage_records WHERE api LIKE '%converse-stream'").all() as { outcome: string }[];
    db.close();
    assert.deepEqual(
      rows.map((r) => r.outcome),
      ['ok', 'ok'],
      'both streams metered after they finished',
    );
  });

  test('past the drain deadline what is still running is cut, and close returns', async () => {
    const server = await startTestServer();
    cleanup.push(() => server.stop());
    const { rest: hanging } = await firstChunk(await converseStream(server, `__slow:200 ${slowWords.join(' ')}`));
    // Handled from the start: the cut can come while close is still running, before any later await would attach.
    const ending = hanging.then(
      () => 'finished',
      () => 'cut',
    );
    const started = Date.now();
    await server.close({ drainMs: 300 });
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 3000, `closed after ${took} ms`);
    assert.equal(await ending, 'cut', 'the cut stream ends in an error, not silently');
  });
});
