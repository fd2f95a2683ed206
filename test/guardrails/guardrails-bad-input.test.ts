import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TEST_API_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/** Hostile and malformed requests to the guardrail APIs: each gets a clear Bedrock-shaped error, and nothing breaks. */
let server: TestServer;
let otherKey: string;
const LIMIT = 64 * 1024;

before(async () => {
  server = await startTestServer(`limits:\n  maxBodyBytes: ${LIMIT}\n`);
  const other = await server.iam.createAccount('other-team');
  otherKey = (await server.keys.addBearerKey(await server.keys.createPrincipal('other-admin', true, other.accountId))).apiKey;
});
after(async () => {
  await server?.stop();
});

async function call(method: string, path: string, body?: unknown, key = TEST_API_KEY) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('x-amzn-errortype')?.split(':')[0], json: (await res.json()) as Record<string, unknown> };
}

const VALID = { name: 'bad-input', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no', wordPolicyConfig: { wordsConfig: [{ text: 'secret' }] } };

test('malformed JSON, unknown fields and missing fields are ValidationExceptions that say what is wrong', async () => {
  const cases: Array<[unknown, RegExp]> = [
    ['{"name": "x",', /not valid JSON/],
    ['', /empty/],
    [{ ...VALID, wordPolicyConfig: { wordsConfig: [{ text: 'a', colour: 'red' }] } }, /colour/],
    [{ ...VALID, contentPolicy: {} }, /contentPolicy/],
    [{ ...VALID, blockedInputMessaging: undefined }, /blockedInputMessaging/],
    [{ ...VALID, name: 'spaces are not allowed' }, /name/],
    [{ ...VALID, sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'SHOE_SIZE', action: 'BLOCK' }] } }, /unknown PII entity type "SHOE_SIZE"/],
    [{ ...VALID, topicPolicyConfig: { topicsConfig: [] } }, /topicsConfig/],
    [{ ...VALID, topicPolicyConfig: { topicsConfig: [{ name: 'x', definition: '   ', type: 'DENY' }] } }, /definition/],
    [{ ...VALID, contentPolicyConfig: { filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'HIGH' }] } }, /outputStrength must be NONE/],
    [{ ...VALID, automatedReasoningPolicyConfig: { policies: [] } }, /not supported/],
  ];
  for (const [body, message] of cases) {
    const r = await call('POST', '/guardrails', body);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.equal(r.type, 'ValidationException');
    assert.match(String(r.json.message), message);
  }
});

test('a regex the bounded engine cannot run in linear time is refused; a catastrophic one is bounded, not refused', async () => {
  const backref = await call('POST', '/guardrails', { ...VALID, name: 'backref', sensitiveInformationPolicyConfig: { regexesConfig: [{ name: 'r', pattern: '(a+)\\1', action: 'BLOCK' }] } });
  assert.equal(backref.status, 400);
  assert.match(String(backref.json.message), /backreference/i);
  const lookahead = await call('POST', '/guardrails', { ...VALID, name: 'look', sensitiveInformationPolicyConfig: { regexesConfig: [{ name: 'r', pattern: 'a(?=b)', action: 'BLOCK' }] } });
  assert.equal(lookahead.status, 400);

  // (a+)+$ backtracks exponentially in V8; on the bounded engine it is linear.
  const created = await call('POST', '/guardrails', { ...VALID, name: 'redos', sensitiveInformationPolicyConfig: { regexesConfig: [{ name: 'r', pattern: '(a+)+$', action: 'BLOCK' }] } });
  assert.equal(created.status, 202, JSON.stringify(created.json));
  const started = performance.now();
  const r = await call('POST', `/guardrail/${created.json.guardrailId}/version/DRAFT/apply`, { source: 'INPUT', content: [{ text: { text: `${'a'.repeat(30_000)}!` } }] });
  assert.equal(r.status, 200);
  assert.equal(r.json.action, 'NONE');
  assert.ok(performance.now() - started < 5000, 'answered promptly');
});

test('oversized bodies are refused with 413', async () => {
  const r = await call('POST', '/guardrails', { ...VALID, description: 'x'.repeat(LIMIT) });
  assert.equal(r.status, 413);
  assert.equal(r.type, 'RequestEntityTooLargeException');
});

test('ApplyGuardrail input is validated', async () => {
  const { json } = await call('POST', '/guardrails', { ...VALID, name: 'apply-validation' });
  const path = `/guardrail/${json.guardrailId}/version/DRAFT/apply`;
  const cases: Array<[unknown, RegExp]> = [
    [{ source: 'SIDEWAYS', content: [{ text: { text: 'x' } }] }, /source/],
    [{ source: 'INPUT', content: [] }, /at least one block/],
    [{ source: 'INPUT', content: [{ text: { text: 'x', qualifiers: ['shout'] } }] }, /qualifiers/],
    [{ source: 'INPUT', content: [{ video: {} }] }, /content/],
    [{ source: 'INPUT', content: [{ text: { text: 'x' } }], extra: true }, /extra/],
  ];
  for (const [body, message] of cases) {
    const r = await call('POST', path, body);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.match(String(r.json.message), message);
  }
  const badVersion = await call('POST', `/guardrail/${json.guardrailId}/version/v1/apply`, { source: 'INPUT', content: [{ text: { text: 'x' } }] });
  assert.equal(badVersion.status, 400);
  const noSuch = await call('POST', '/guardrail/zzzzzzzzzzzz/version/DRAFT/apply', { source: 'INPUT', content: [{ text: { text: 'x' } }] });
  assert.equal(noSuch.status, 404);
  const notAnId = await call('POST', '/guardrail/..%2F..%2Fetc/version/DRAFT/apply', { source: 'INPUT', content: [{ text: { text: 'x' } }] });
  assert.equal(notAnId.status, 404);
});

test('another account’s guardrail is not found, by id or by ARN, through every route', async () => {
  const { json } = await call('POST', '/guardrails', { ...VALID, name: 'mine-only' });
  const id = String(json.guardrailId);
  for (const ref of [id, encodeURIComponent(String(json.guardrailArn))]) {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/guardrails/${ref}`],
      ['PUT', `/guardrails/${ref}`, VALID],
      ['POST', `/guardrails/${ref}`, {}],
      ['DELETE', `/guardrails/${ref}`],
      ['GET', `/guardrails?guardrailIdentifier=${ref}`],
      ['POST', `/guardrail/${ref}/version/DRAFT/apply`, { source: 'INPUT', content: [{ text: { text: 'secret' } }] }],
    ];
    for (const [method, path, body] of routes) {
      const r = await call(method, path, body, otherKey);
      assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.json)}`);
      assert.equal(r.type, 'ResourceNotFoundException');
    }
  }
  const list = await call('GET', '/guardrails', undefined, otherKey);
  assert.deepEqual(list.json.guardrails, []);
  // Still there for its owner, by ARN too.
  assert.equal((await call('GET', `/guardrails/${encodeURIComponent(String(json.guardrailArn))}`)).status, 200);
});

test('numbered versions cannot be changed: no route writes them, and DELETE of the DRAFT alone is refused', async () => {
  const { json } = await call('POST', '/guardrails', { ...VALID, name: 'immutable' });
  const id = String(json.guardrailId);
  assert.equal((await call('POST', `/guardrails/${id}`, {})).json.version, '1');
  const put = await call('PUT', `/guardrails/${id}?guardrailVersion=1`, { ...VALID, name: 'immutable', wordPolicyConfig: { wordsConfig: [{ text: 'other' }] } });
  assert.equal(put.status, 202);
  const v1 = await call('GET', `/guardrails/${id}?guardrailVersion=1`);
  assert.deepEqual((v1.json.wordPolicy as { words: unknown }).words, [{ text: 'secret' }]);
  const draft = await call('GET', `/guardrails/${id}`);
  assert.deepEqual((draft.json.wordPolicy as { words: unknown }).words, [{ text: 'other' }]);
  assert.equal((await call('DELETE', `/guardrails/${id}?guardrailVersion=DRAFT`)).status, 400);
  assert.equal((await call('GET', `/guardrails/${id}?guardrailVersion=01`)).status, 400);
});
