import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { compileGuardrail } from '../../src/guardrails/index.js';
import { EVAL_CASES, EVAL_TOPICS } from '../../src/guardrails/policies/topic/topic-eval-set.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * Denied topics reach beyond their examples through embeddings: requests that share too little vocabulary with a
 * topic are caught through ApplyGuardrail, where the lexical-only engine lets them through. A server does this by
 * default with the static table distilled from the sentence encoder (in-process, no provider needed), and with the
 * encoder itself when `guardrails.embeddingModelId` names it (loading it takes a few seconds).
 */
const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});

const MESSAGES = { blockedInputMessaging: 'That topic is off limits.', blockedOutputsMessaging: 'Withheld.' };

/** Checks the paraphrases through a new server's ApplyGuardrail; returns its Prometheus metrics after. */
async function paraphrasesCaught(yaml: string): Promise<string> {
  const server = await startTestServer(yaml);
  servers.push(server);
  const headers = { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' };
  const created = await fetch(`${server.url}/guardrails`, { method: 'POST', headers, body: JSON.stringify({ name: 'topics', ...MESSAGES, topicPolicyConfig: { topicsConfig: EVAL_TOPICS } }) });
  const { guardrailId } = (await created.json()) as { guardrailId: string };
  const lexical = compileGuardrail({ ...MESSAGES, topicPolicyConfig: { topicsConfig: EVAL_TOPICS } });
  const onTopic = EVAL_CASES.filter((c) => c.topic);
  let caught = 0;
  for (const c of onTopic) {
    const res = await fetch(`${server.url}/guardrail/${guardrailId}/version/DRAFT/apply`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ source: 'INPUT', content: [{ text: { text: c.text } }] }),
    });
    const r = (await res.json()) as { action: string; assessments: { topicPolicy?: { topics: { name: string }[] } }[] };
    assert.equal(res.status, 200);
    if (r.action === 'GUARDRAIL_INTERVENED') assert.equal(r.assessments[0]!.topicPolicy?.topics[0]?.name, c.topic);
    const byVocabulary = (await lexical.check({ source: 'INPUT', content: [{ text: { text: c.text } }] })).action;
    if (r.action === 'GUARDRAIL_INTERVENED' && byVocabulary === 'NONE') caught++;
  }
  assert.ok(caught >= 2, `caught ${caught} of ${onTopic.length} on-topic requests that vocabulary alone misses`);
  // And unrelated text stays clean.
  const clean = await fetch(`${server.url}/guardrail/${guardrailId}/version/DRAFT/apply`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ source: 'INPUT', content: [{ text: { text: 'How long should I boil an egg for a runny yolk?' } }] }),
  });
  assert.equal(((await clean.json()) as { action: string }).action, 'NONE');
  return (await fetch(`${server.url}/metrics`, { headers })).text();
}

test('by default, denied topics use the static table distilled from the sentence encoder', async () => {
  const metrics = await paraphrasesCaught('');
  // In-process: no model invocation, so nothing is metered.
  assert.doesNotMatch(metrics, /quarry_invocations_total\{[^}]*api="guardrails.embed"/);
});

test('guardrails.embeddingModelId puts them on the sentence encoder itself, through the runtime', async () => {
  const metrics = await paraphrasesCaught('  - id: embedded\n    type: embedded\nguardrails:\n  embeddingModelId: quarry.embed-use-v1:0\n');
  assert.match(metrics, /quarry_invocations_total\{model="quarry.embed-use-v1:0",api="guardrails.embed",outcome="ok"\} [1-9]/);
});

test('guardrails.embeddingModelId on any other model maps its cosines to the encoder scale (fitted on first use)', async () => {
  // The static table behind a configured alias, called through the runtime: a model Quarry knows nothing about.
  const metrics = await paraphrasesCaught(
    '  - id: embedded\n    type: embedded\nmodels:\n  - id: acme.embed-v1:0\n    provider: embedded\n    upstreamModel: static-use-v1\nguardrails:\n  embeddingModelId: acme.embed-v1:0\n',
  );
  assert.match(metrics, /quarry_invocations_total\{model="acme.embed-v1:0",api="guardrails.embed",outcome="ok"\} [1-9]/);
});
