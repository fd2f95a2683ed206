import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compileGuardrail } from '../../src/guardrails/index.js';
import { EVAL_CASES, EVAL_TOPICS } from '../../src/guardrails/policies/topic/topic-eval-set.js';
import { TEST_API_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * A server that has the embedded Universal Sentence Encoder gives denied topics to the engine's embedder: paraphrases
 * that share no vocabulary with a topic's examples are caught through ApplyGuardrail, where the lexical-only engine
 * (no encoder) lets them through. Loading the encoder takes a few seconds.
 */
let server: TestServer;
before(async () => {
  server = await startTestServer('  - id: embedded\n    type: embedded\n');
});
after(async () => {
  await server?.stop();
});

const MESSAGES = { blockedInputMessaging: 'That topic is off limits.', blockedOutputsMessaging: 'Withheld.' };

test('denied topics use the embedded sentence encoder when the server has it', async () => {
  const headers = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
  const created = await fetch(`${server.url}/guardrails`, { method: 'POST', headers, body: JSON.stringify({ name: 'topics', ...MESSAGES, topicPolicyConfig: { topicsConfig: EVAL_TOPICS } }) });
  const { guardrailId } = (await created.json()) as { guardrailId: string };
  const lexical = compileGuardrail({ ...MESSAGES, topicPolicyConfig: { topicsConfig: EVAL_TOPICS } });
  const paraphrases = EVAL_CASES.filter((c) => c.paraphraseOnly);
  let caught = 0;
  for (const c of paraphrases) {
    const res = await fetch(`${server.url}/guardrail/${guardrailId}/version/DRAFT/apply`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ source: 'INPUT', content: [{ text: { text: c.text } }] }),
    });
    const r = (await res.json()) as { action: string; assessments: { topicPolicy?: { topics: { name: string }[] } }[] };
    assert.equal(res.status, 200);
    if (r.action === 'GUARDRAIL_INTERVENED') {
      assert.equal(r.assessments[0]!.topicPolicy?.topics[0]?.name, c.topic);
      caught++;
    }
    assert.equal((await lexical.check({ source: 'INPUT', content: [{ text: { text: c.text } }] })).action, 'NONE', 'vocabulary alone misses it');
  }
  assert.ok(caught >= 2, `caught ${caught} of ${paraphrases.length} paraphrases`);
  // And unrelated text stays clean.
  const clean = await fetch(`${server.url}/guardrail/${guardrailId}/version/DRAFT/apply`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ source: 'INPUT', content: [{ text: { text: 'How long should I boil an egg for a runny yolk?' } }] }),
  });
  assert.equal(((await clean.json()) as { action: string }).action, 'NONE');
});
