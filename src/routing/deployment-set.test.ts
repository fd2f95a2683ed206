import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ask, budget, FakeProvider, model, testRouter } from '../../test/routing/fake-provider.js';
import { QuarryError, type StreamPart } from '../core/index.js';

const e500 = () => new QuarryError('ModelErrorException', 'The upstream failed (HTTP 500): boom', { retryable: true });
const e400 = () => new QuarryError('ValidationException', 'bad request');

const THREE = `
routing:
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 }
  breaker: { consecutiveFailures: 2, cooldownMs: 5000 }
models:
  - { id: m, provider: a }
deployments:
  - { id: da, model: m, provider: a, priority: 0 }
  - { id: db, model: m, provider: b, priority: 1 }
  - { id: dc, model: m, provider: c, priority: 2 }
`;

/** Deployments da, db, dc of model m on providers a, b, c (in that priority); b and c answer. */
function three(scriptA: ConstructorParameters<typeof FakeProvider>[1]) {
  const a = new FakeProvider('a', scriptA);
  const b = new FakeProvider('b', [{ ok: 'b' }]);
  const c = new FakeProvider('c', [{ ok: 'c' }]);
  return { a, b, c, ...testRouter(THREE, [a, b, c], [model('m', { providerId: 'a' })]) };
}

async function drain(parts: { head: StreamPart[]; rest: AsyncIterator<StreamPart> }): Promise<StreamPart[]> {
  const out = [...parts.head];
  for (let r = await parts.rest.next(); !r.done; r = await parts.rest.next()) out.push(r.value);
  return out;
}

test('a retryable failure fails over at once to a deployment not yet tried, and the answer says how many calls it took', async () => {
  const { a, b, router, sleeps } = three([{ fail: e500() }]);
  const route = await router.route('m');
  const answer = await route.generate(ask('m'), budget());
  assert.equal(answer.attempts, 2);
  assert.match(JSON.stringify(answer.value.message), /b: b/);
  assert.equal(answer.model.providerId, 'b', 'the answering deployment’s view of the model');
  assert.equal(answer.model.id, 'm');
  assert.deepEqual(sleeps, [], 'no backoff before trying another deployment');
  assert.equal(a.calls, 1);
  assert.equal(b.calls, 1);
  const h = router.health().find((d) => d.id === 'da')!;
  assert.equal(h.failures, 1);
  assert.equal(h.outstanding, 0);
});

test('non-retryable failures are not retried and do not count against the deployment', async () => {
  const { a, b, router } = three([{ fail: e400() }]);
  const route = await router.route('m');
  await assert.rejects(route.generate(ask('m'), budget()), /bad request/);
  assert.equal(a.calls, 1);
  assert.equal(b.calls, 0);
  assert.equal(router.health().find((d) => d.id === 'da')!.failures, 0);
});

test('attempts stop at maxAttempts, and the error thrown is the upstream’s own', async () => {
  const err = e500();
  const a = new FakeProvider('a', [{ fail: err }]);
  const b = new FakeProvider('b', [{ fail: err }]);
  const c = new FakeProvider('c', [{ fail: err }]);
  const d = new FakeProvider('d', [{ ok: 'd' }]);
  const { router } = testRouter(
    `${THREE}  - { id: dd, model: m, provider: d, priority: 3 }\n`,
    [a, b, c, d],
    [model('m', { providerId: 'a' })],
  );
  await assert.rejects((await router.route('m')).generate(ask('m'), budget()), (e) => e === err);
  assert.deepEqual([a.calls, b.calls, c.calls, d.calls], [1, 1, 1, 0]);
});

test('going back to a deployment already tried waits a full-jitter backoff that grows with each retry', async () => {
  const p = new FakeProvider('a', [{ fail: e500() }, { fail: e500() }, { fail: e500() }, { ok: 'a' }]);
  const { router, sleeps } = testRouter(
    'routing:\n  retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 }\n  breaker: { consecutiveFailures: 10 }\nmodels:\n  - { id: m, provider: a }\n',
    [p],
    [model('m', { providerId: 'a' })],
  );
  const answer = await (await router.route('m')).generate(ask('m'), budget());
  assert.equal(answer.attempts, 4);
  // random() is 0.5 in tests: half of min(max, base·2^(n-1)) → 50, 100, then 400 capped at 300 → 150.
  assert.deepEqual(sleeps, [50, 100, 150]);
});

test('retries honour the request deadline: a backoff that would not fit ends the call with the last failure', async () => {
  const p = new FakeProvider('a', [{ fail: e500() }, { ok: 'a' }]);
  const { router, sleeps } = testRouter(
    'routing:\n  retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1000 }\nmodels:\n  - { id: m, provider: a }\n',
    [p],
    [model('m', { providerId: 'a' })],
  );
  await assert.rejects((await router.route('m')).generate(ask('m'), budget(400)), /HTTP 500/);
  assert.deepEqual(sleeps, []);
  assert.equal(p.calls, 1);
});

test("an upstream's Retry-After: waited out when within the retry policy, otherwise no retry and the delay goes to the caller", async () => {
  const throttled = (ms: number) => new QuarryError('ThrottlingException', 'The upstream is rate limiting: slow down', { retryable: true, retryAfterMs: ms });
  const cfg = 'routing:\n  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 }\n  breaker: { consecutiveFailures: 10 }\nmodels:\n  - { id: m, provider: a }\n';
  const soon = new FakeProvider('a', [{ fail: throttled(700) }, { ok: 'a' }]);
  const first = testRouter(cfg, [soon], [model('m', { providerId: 'a' })]);
  assert.equal((await (await first.router.route('m')).generate(ask('m'), budget())).attempts, 2);
  assert.deepEqual(first.sleeps, [700], 'not the 50 ms backoff: the upstream asked for 700');
  const late = new FakeProvider('a', [{ fail: throttled(30_000) }, { ok: 'a' }]);
  const second = testRouter(cfg, [late], [model('m', { providerId: 'a' })]);
  await assert.rejects((await second.router.route('m')).generate(ask('m'), budget()), (e: QuarryError) => e.code === 'ThrottlingException' && e.retryAfterMs === 30_000);
  assert.deepEqual(second.sleeps, []);
  assert.equal(late.calls, 1);
});

test('no retry once the request itself was aborted (client gone), and the deployment is not blamed', async () => {
  const ac = new AbortController();
  const a = new FakeProvider('a', [{ hang: true }]);
  const b = new FakeProvider('b', [{ ok: 'b' }]);
  const { router } = testRouter(THREE, [a, b, new FakeProvider('c', [])], [model('m', { providerId: 'a' })]);
  const pending = (await router.route('m')).generate(ask('m'), budget(10_000, ac.signal));
  setTimeout(() => ac.abort(new DOMException('gone', 'AbortError')), 5);
  await assert.rejects(pending);
  assert.equal(b.calls, 0);
  const h = router.health().find((d) => d.id === 'da')!;
  assert.equal(h.failures, 0);
  assert.equal(h.outstanding, 0);
});

test('the retry budget caps retries when everything fails at once', async () => {
  const p = new FakeProvider('a', [{ fail: e500() }]);
  const { router } = testRouter(
    'routing:\n  retry: { maxAttempts: 5, budgetRatio: 0, minRetriesPerSecond: 2 }\n  breaker: { consecutiveFailures: 1000 }\nmodels:\n  - { id: m, provider: a }\n',
    [p],
    [model('m', { providerId: 'a' })],
  );
  const route = await router.route('m');
  // With no share of traffic to earn from, only the two banked retries exist.
  await assert.rejects(route.generate(ask('m'), budget()));
  assert.equal(p.calls, 3);
  await assert.rejects(route.generate(ask('m'), budget()));
  assert.equal(p.calls, 4, 'budget spent: the next request gets no retry');
});

test('a deployment’s breaker opens after consecutive failures, traffic avoids it, and a probe after the cooldown closes it', async () => {
  const { a, b, router, advance } = three([{ fail: e500() }, { fail: e500() }, { ok: 'a' }]);
  const route = await router.route('m');
  await route.generate(ask('m'), budget());
  await route.generate(ask('m'), budget());
  assert.equal(router.health().find((d) => d.id === 'da')!.state, 'open');
  await route.generate(ask('m'), budget());
  assert.equal(a.calls, 2, 'skipped while open');
  assert.equal(b.calls, 3);
  advance(5000);
  assert.equal(router.health().find((d) => d.id === 'da')!.state, 'half-open');
  const answer = await route.generate(ask('m'), budget());
  assert.match(JSON.stringify(answer.value.message), /a: a/, 'priority sends the probe to da');
  const h = router.health().find((d) => d.id === 'da')!;
  assert.equal(h.state, 'closed');
  assert.equal(h.breakerOpened, 1);
});

test('with every breaker open the call fails fast as unavailable, without calling anyone', async () => {
  const p = new FakeProvider('a', [{ fail: e500() }, { fail: e500() }]);
  const { router } = testRouter(
    'routing:\n  retry: { maxAttempts: 1 }\n  breaker: { consecutiveFailures: 2 }\nmodels:\n  - { id: m, provider: a }\n',
    [p],
    [model('m', { providerId: 'a' })],
  );
  const route = await router.route('m');
  await assert.rejects(route.generate(ask('m'), budget()));
  await assert.rejects(route.generate(ask('m'), budget()));
  await assert.rejects(route.generate(ask('m'), budget()), (e: QuarryError) => e.code === 'ServiceUnavailableException' && /circuit/.test(e.message));
  assert.equal(p.calls, 2);
});

test('capacity: a deployment with its calls in flight is skipped; all full is a throttle', async () => {
  const a = new FakeProvider('a', [{ hang: true }]);
  const { router } = testRouter(
    'routing:\n  retry: { maxAttempts: 1 }\nmodels:\n  - { id: m, provider: a }\ndeployments:\n  - { id: da, model: m, provider: a, capacity: 1 }\n',
    [a],
    [model('m', { providerId: 'a' })],
  );
  const route = await router.route('m');
  const ac = new AbortController();
  const first = route.generate(ask('m'), budget(10_000, ac.signal)).catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  await assert.rejects(route.generate(ask('m'), budget()), (e: QuarryError) => e.code === 'ThrottlingException');
  ac.abort();
  await first;
  assert.equal(router.health()[0]!.outstanding, 0);
});

test('a drained deployment takes no calls', async () => {
  const a = new FakeProvider('a', [{ ok: 'a' }]);
  const b = new FakeProvider('b', [{ ok: 'b' }]);
  const { router } = testRouter(
    'routing: {}\nmodels:\n  - { id: m, provider: a }\ndeployments:\n  - { id: da, model: m, provider: a, drained: true }\n  - { id: db, model: m, provider: b, priority: 5 }\n',
    [a, b],
    [model('m', { providerId: 'a' })],
  );
  for (let i = 0; i < 3; i++) await (await router.route('m')).generate(ask('m'), budget());
  assert.deepEqual([a.calls, b.calls], [0, 3]);
});

test('a connection lost before the answer was whole is retried even though the error itself is not marked retryable', async () => {
  const reset = new QuarryError('ModelErrorException', 'The upstream returned a truncated response (other side closed).', {
    cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
  });
  assert.equal(reset.retryable, false);
  const { b, router } = three([{ fail: reset }]);
  const answer = await (await router.route('m')).generate(ask('m'), budget());
  assert.equal(answer.attempts, 2);
  assert.equal(b.calls, 1);
});

test('a whole answer that takes longer than attemptTimeoutMs is abandoned and retried elsewhere', async () => {
  const a = new FakeProvider('a', [{ hang: true }]);
  const b = new FakeProvider('b', [{ ok: 'b' }]);
  const { router } = testRouter(
    `routing:\n  attemptTimeoutMs: 20\n${THREE.split('\n').slice(2).join('\n')}`,
    [a, b, new FakeProvider('c', [])],
    [model('m', { providerId: 'a' })],
  );
  const answer = await (await router.route('m')).generate(ask('m'), budget());
  assert.match(JSON.stringify(answer.value.message), /b: b/);
  assert.equal(router.health().find((d) => d.id === 'da')!.timeouts, 1);
});

test('streams: a failure before the first token is retried elsewhere, and the failed stream is closed', async () => {
  const { a, b, router } = three([{ fail: e500() }]);
  const s = await (await router.route('m')).stream(ask('m'), budget());
  assert.equal(s.attempts, 2);
  const parts = await drain(s);
  s.end(undefined, false);
  assert.deepEqual(
    parts.map((p) => p.type),
    ['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata'],
  );
  assert.equal(a.open, 0);
  assert.equal(b.calls, 1);
  assert.equal(router.health().find((d) => d.id === 'db')!.outstanding, 0);
});

test('streams: never retried after the first token — the failure reaches the consumer in the stream', async () => {
  const { a, b, router } = three([{ tokens: 2, thenFail: e500() }]);
  const s = await (await router.route('m')).stream(ask('m'), budget());
  assert.equal(s.attempts, 1);
  assert.deepEqual(
    s.head.map((p) => p.type),
    ['messageStart', 'contentBlockStart', 'contentBlockDelta'],
    'held back until the first token, then handed over',
  );
  const parts = await drain(s);
  const last = parts.at(-1)!;
  assert.equal(last.type, 'error');
  s.end(last.type === 'error' ? last.error : undefined, false);
  assert.equal(b.calls, 0);
  assert.equal(a.calls, 1);
  const h = router.health().find((d) => d.id === 'da')!;
  assert.equal(h.failures, 1, 'a stream broken mid-way still counts against its deployment');
  assert.equal(h.outstanding, 0);
});

test('streams: no first token within firstTokenTimeoutMs moves the call to another deployment', async () => {
  const a = new FakeProvider('a', [{ hang: true }]);
  const b = new FakeProvider('b', [{ ok: 'b' }]);
  const { router } = testRouter(
    `routing:\n  firstTokenTimeoutMs: 20\n${THREE.split('\n').slice(2).join('\n')}`,
    [a, b, new FakeProvider('c', [])],
    [model('m', { providerId: 'a' })],
  );
  const s = await (await router.route('m')).stream(ask('m'), budget());
  const text = (await drain(s)).flatMap((p) => (p.type === 'contentBlockDelta' && 'text' in p.delta ? [p.delta.text] : [])).join('');
  s.end(undefined, false);
  assert.equal(text, 'b: b');
  assert.equal(a.open, 0);
  assert.equal(router.health().find((d) => d.id === 'da')!.timeouts, 1);
});

test('streams: a slow stream past its first token is not cut by the first-token limit', async () => {
  const a = new FakeProvider('a', [{ tokens: 1, thenFail: e500() }]);
  const { router } = testRouter(
    `routing:\n  firstTokenTimeoutMs: 20\n${THREE.split('\n').slice(2).join('\n')}`,
    [a, new FakeProvider('b', []), new FakeProvider('c', [])],
    [model('m', { providerId: 'a' })],
  );
  const s = await (await router.route('m')).stream(ask('m'), budget());
  await new Promise((r) => setTimeout(r, 40));
  const parts = await drain(s);
  s.end(undefined, false);
  // The part after the wait is the scripted failure, not a timeout of ours.
  const last = parts.at(-1)!;
  assert.ok(last.type === 'error' && /HTTP 500/.test(last.error.message));
});

test('a client that leaves mid-stream does not count against the deployment', async () => {
  const { router } = three([{ ok: 'a' }]);
  const s = await (await router.route('m')).stream(ask('m'), budget());
  await s.rest.return?.();
  s.end(undefined, true);
  const h = router.health().find((d) => d.id === 'da')!;
  assert.deepEqual([h.failures, h.outstanding, h.state], [0, 0, 'closed']);
});

test('embeddings go through the same deployment set and retries', async () => {
  const { b, router } = three([{ fail: e500() }]);
  const answer = await (await router.route('m')).embed({ modelId: 'm', inputs: ['x', 'y'] }, budget());
  assert.equal(answer.value.embeddings.length, 2);
  assert.equal(b.calls, 1);
});
