import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GenerateRequest, QuarryError, type StreamPart } from '../core/index.js';
import { ask, budget, FakeProvider, model, testRouter } from '../../test/routing/fake-provider.js';
import { fallbackReasonOf } from './classify-failure.js';

const e503 = () => new QuarryError('ServiceUnavailableException', 'The upstream is unavailable (HTTP 503)');

/** Model `big` on provider a with fallbacks `small` (provider b) and `tiny` (provider c). */
function chain(scriptA: ConstructorParameters<typeof FakeProvider>[1], scriptB: ConstructorParameters<typeof FakeProvider>[1] = [{ ok: 'b' }], extra = '') {
  const a = new FakeProvider('a', scriptA);
  const b = new FakeProvider('b', scriptB);
  const c = new FakeProvider('c', [{ ok: 'c' }]);
  // The runtime's context-window check, reduced to what the fallback logic needs: a prompt longer than the window fails.
  const preflight = async (req: GenerateRequest) => {
    const text = JSON.stringify(req.messages);
    if (req.model.contextWindow && text.length > req.model.contextWindow) {
      throw new QuarryError('ValidationException', `Input is too long for requested model ${req.model.id}.`);
    }
  };
  const t = testRouter(
    `routing:\n  retry: { maxAttempts: 2 }\nmodels:\n  - { id: big, provider: a }\n  - { id: small, provider: b }\n  - { id: tiny, provider: c }\nfallbacks:\n  big: [small, tiny]\n${extra}`,
    [a, b, c],
    [model('big', { providerId: 'a', contextWindow: 100 }), model('small', { providerId: 'b', contextWindow: 10_000 }), model('tiny', { providerId: 'c' })],
    preflight,
  );
  return { a, b, c, ...t };
}

const textOf = (parts: StreamPart[]) => parts.flatMap((p) => (p.type === 'contentBlockDelta' && 'text' in p.delta ? [p.delta.text] : [])).join('');

test('the set exhausted (retryable failures to the last attempt): the next model answers and the answer names it', async () => {
  const { a, b, router } = chain([{ fail: e503() }]);
  const answer = await (await router.route('big')).generate(ask('big'), budget());
  assert.equal(answer.model.id, 'small');
  assert.deepEqual(answer.fallback, { from: 'big', reason: 'exhausted' });
  assert.equal(a.calls, 2, 'big used its attempts first');
  assert.equal(b.calls, 1);
});

test('a prompt over the context window goes to a fallback with room for it, without calling the first model', async () => {
  const { a, b, router } = chain([{ ok: 'a' }]);
  const answer = await (await router.route('big')).generate(ask('big', 'x'.repeat(200)), budget());
  assert.equal(answer.model.id, 'small');
  assert.equal(answer.fallback?.reason, 'context-window');
  assert.equal(a.calls, 0);
  assert.equal(b.calls, 1);
});

test('an upstream that says the context is too long falls back too', async () => {
  const { router } = chain([{ fail: new QuarryError('ValidationException', "This model's maximum context length is 8192 tokens.") }]);
  const answer = await (await router.route('big')).generate(ask('big'), budget());
  assert.equal(answer.fallback?.reason, 'context-window');
});

test('a refusal for content — as a stop reason or as an error — falls back', async () => {
  const filtered = chain([{ ok: 'no', stopReason: 'content_filtered' }]);
  const a1 = await (await filtered.router.route('big')).generate(ask('big'), budget());
  assert.deepEqual([a1.model.id, a1.fallback?.reason], ['small', 'content-refused']);
  const refused = chain([{ fail: new QuarryError('ValidationException', 'Your request was rejected as a result of our safety system.') }]);
  const a2 = await (await refused.router.route('big')).generate(ask('big'), budget());
  assert.deepEqual([a2.model.id, a2.fallback?.reason], ['small', 'content-refused']);
});

test('the last model’s refusal is returned as it is: there is no one left to ask', async () => {
  const refuse = { ok: 'no', stopReason: 'content_filtered' as const };
  const { router } = testRouter(
    'routing: {}\nmodels:\n  - { id: big, provider: a }\n  - { id: small, provider: b }\nfallbacks:\n  big: [small]\n',
    [new FakeProvider('a', [refuse]), new FakeProvider('b', [refuse])],
    [model('big', { providerId: 'a' }), model('small', { providerId: 'b' })],
  );
  const answer = await (await router.route('big')).generate(ask('big'), budget());
  assert.deepEqual([answer.model.id, answer.value.stopReason, answer.fallback?.reason], ['small', 'content_filtered', 'content-refused']);
});

test('other failures are final: no fallback for a bad request or a malformed answer', async () => {
  const bad = chain([{ fail: new QuarryError('ValidationException', 'temperature must be at most 1') }]);
  await assert.rejects((await bad.router.route('big')).generate(ask('big'), budget()), /temperature/);
  assert.equal(bad.b.calls, 0);
  const garbled = chain([{ fail: new QuarryError('ModelErrorException', 'The upstream returned a body that is not JSON.') }]);
  await assert.rejects((await garbled.router.route('big')).generate(ask('big'), budget()), /not JSON/);
  assert.equal(garbled.b.calls, 0);
});

test('fallbacks are tried in order and skip what fails; when all fail the last failure is thrown', async () => {
  const { c, router } = chain([{ fail: e503() }], [{ fail: e503() }]);
  const answer = await (await router.route('big')).generate(ask('big'), budget());
  assert.equal(answer.model.id, 'tiny');
  assert.equal(c.calls, 1);
  const allDown = testRouter(
    'routing:\n  retry: { maxAttempts: 1 }\nmodels:\n  - { id: big, provider: a }\n  - { id: small, provider: b }\nfallbacks:\n  big: [small]\n',
    [new FakeProvider('a', [{ fail: e503() }]), new FakeProvider('b', [{ fail: new QuarryError('ThrottlingException', 'slow down b') }])],
    [model('big', { providerId: 'a' }), model('small', { providerId: 'b' })],
  );
  await assert.rejects((await allDown.router.route('big')).generate(ask('big'), budget()), /slow down b/);
});

test('a fallback that is not served is skipped (and said once in the log), not an error of the request', async () => {
  const a = new FakeProvider('a', [{ fail: e503() }]);
  const b = new FakeProvider('b', [{ ok: 'b' }]);
  const { router } = testRouter(
    'routing:\n  retry: { maxAttempts: 1 }\nmodels:\n  - { id: big, provider: a }\n  - { id: small, provider: b }\nfallbacks:\n  big: [ghost, small]\n',
    [a, b],
    [model('big', { providerId: 'a' }), model('small', { providerId: 'b' })],
  );
  const answer = await (await router.route('big')).generate(ask('big'), budget());
  assert.equal(answer.model.id, 'small');
});

test('fallbacks are one level deep: a fallback’s own fallbacks are not followed', async () => {
  const a = new FakeProvider('a', [{ fail: e503() }]);
  const b = new FakeProvider('b', [{ fail: e503() }]);
  const c = new FakeProvider('c', [{ ok: 'c' }]);
  const { router } = testRouter(
    'routing:\n  retry: { maxAttempts: 1 }\nmodels:\n  - { id: big, provider: a }\n  - { id: small, provider: b }\n  - { id: tiny, provider: c }\nfallbacks:\n  big: [small]\n  small: [tiny]\n',
    [a, b, c],
    [model('big', { providerId: 'a' }), model('small', { providerId: 'b' }), model('tiny', { providerId: 'c' })],
  );
  await assert.rejects((await router.route('big')).generate(ask('big'), budget()));
  assert.equal(c.calls, 0);
});

test('streams fall back before their first token: exhausted, and a refusal before any text', async () => {
  const down = chain([{ fail: e503() }]);
  const s = await (await down.router.route('big')).stream(ask('big'), budget());
  assert.deepEqual([s.model.id, s.fallback?.reason], ['small', 'exhausted']);
  const parts = [...s.head];
  for (let r = await s.rest.next(); !r.done; r = await s.rest.next()) parts.push(r.value);
  s.end(undefined, false);
  assert.equal(textOf(parts), 'b: b');

  const refused = chain([{ ok: 'x', stopReason: 'content_filtered' }]);
  const s2 = await (await refused.router.route('big')).stream(ask('big'), budget());
  assert.deepEqual([s2.model.id, s2.fallback?.reason], ['small', 'content-refused']);
  s2.end(undefined, false);
  assert.equal(refused.a.open, 0, 'the refused stream was closed');
  assert.equal(refused.router.health().find((d) => d.model === 'big')!.outstanding, 0);
});

test('no fallback once the request was aborted', async () => {
  const ac = new AbortController();
  const { b, router } = chain([{ hang: true }]);
  const pending = (await router.route('big')).generate(ask('big'), budget(10_000, ac.signal));
  setTimeout(() => ac.abort(new DOMException('gone', 'AbortError')), 5);
  await assert.rejects(pending);
  assert.equal(b.calls, 0);
});

test('fallback reasons are read from what upstreams say', () => {
  const cases: [QuarryError, string | undefined][] = [
    [new QuarryError('ThrottlingException', 'rate limited'), 'exhausted'],
    [new QuarryError('ModelTimeoutException', 'timed out'), 'exhausted'],
    [new QuarryError('ValidationException', 'prompt is too long: 210000 tokens > 200000 maximum'), 'context-window'],
    [new QuarryError('ValidationException', 'Input is too long for requested model'), 'context-window'],
    [new QuarryError('ValidationException', "The response was filtered due to the prompt triggering Azure OpenAI's content management policy."), 'content-refused'],
    [new QuarryError('ValidationException', 'messages: required'), undefined],
    [new QuarryError('AccessDeniedException', 'bad key'), undefined],
  ];
  for (const [e, reason] of cases) assert.equal(fallbackReasonOf(e), reason, e.message);
});
