import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Logger } from '../src/core/index.js';
import { startTestServer, TEST_API_KEY, type TestServer } from './support/start-test-server.js';

// What an operator reads in the server's log: one access line per request, written once the response is out, and a
// warning with the message for each failed invocation (a stream that fails after its first byte has status 200).
type Line = { level: string; msg?: string } & Record<string, unknown>;
const lines: Line[] = [];
const capture = (bindings: Record<string, unknown> = {}): Logger => {
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ ...bindings, ...obj, level, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => capture({ ...bindings, ...b }) };
};

let server: TestServer;
before(async () => {
  server = await startTestServer('', { log: capture() });
});
after(async () => server.stop());

const auth = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
const chat = (content: string, stream = false) =>
  fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ model: 'scripted.echo-v1:0', messages: [{ role: 'user', content }], ...(stream ? { stream: true } : {}) }),
  });
const linesOf = async (res: Response) => {
  await res.text();
  const id = res.headers.get('x-request-id');
  // The access line is written when Node closes the response, just after the client has it.
  for (let i = 0; i < 50 && !lines.some((l) => l.requestId === id && l.msg === 'request'); i++) await new Promise((r) => setTimeout(r, 10));
  return lines.filter((l) => l.requestId === id);
};

test('a failed invocation: the access line names the error code, a warning carries the message', async () => {
  const res = await chat('__error:ModelErrorException');
  assert.equal(res.status, 424);
  const mine = await linesOf(res);
  const access = mine.find((l) => l.msg === 'request');
  assert.equal(access?.status, 424);
  assert.equal(access?.error, 'ModelErrorException');
  const warn = mine.find((l) => l.msg === 'invocation failed');
  assert.equal(warn?.level, 'warn');
  assert.equal(warn?.outcome, 'ModelErrorException');
  assert.equal(typeof warn?.message, 'string');
});

test('a stream that fails part-way: status 200 in the access line, and the failure in a warning', async () => {
  const res = await chat('one two three four five __fail_after:2', true);
  assert.equal(res.status, 200);
  const mine = await linesOf(res);
  assert.equal(mine.find((l) => l.msg === 'request')?.status, 200);
  assert.ok(mine.some((l) => l.msg === 'invocation failed' && l.level === 'warn'));
});

test("a stream's access line is written at its end, so its time is the whole stream's", async () => {
  const res = await chat('one two three four five six __slow:40', true);
  const mine = await linesOf(res);
  const access = mine.find((l) => l.msg === 'request');
  assert.equal(access?.status, 200);
  assert.ok(Number(access?.ms) >= 150, `ms ${access?.ms} covers the words' delays`);
  assert.equal(access?.error, undefined);
  assert.ok(!mine.some((l) => l.level === 'warn'), 'a good call warns of nothing');
});
