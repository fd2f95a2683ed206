import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockClient, CreateGuardrailCommand, CreateGuardrailVersionCommand, ValidationException } from '@aws-sdk/client-bedrock';
import { ApplyGuardrailCommand, BedrockRuntimeClient, ConverseCommand, ServiceUnavailableException } from '@aws-sdk/client-bedrock-runtime';
import { type RecordedRequest, type ReplayServer, startReplayServer } from '../../src/providers/conformance/replay-server.js';
import { startTestServer, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * The LLM judge end to end: guardrails of tier STANDARD on a server whose `guardrails.judge` names a model served by an
 * OpenAI-compatible upstream (a local stand-in that rates like a safety model), checked through ApplyGuardrail and
 * Converse with the official AWS SDKs. A server without a judge refuses STANDARD.
 */
let upstream: ReplayServer;
let server: TestServer;
let plain: TestServer;
const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
const clients: { destroy(): void }[] = [];
const bedrockOf = (s: TestServer) => {
  const c = new BedrockClient({ region: 'us-east-1', endpoint: s.url, credentials });
  clients.push(c);
  return c;
};
const runtimeOf = (s: TestServer) => {
  // One attempt: the test counts upstream calls, and a 503 must reach the assertion rather than be retried.
  const c = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: s.url, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
};

/** Rates the judged content as a safety model would: words decide, codes are read back from the prompt. */
function judgeReply(req: RecordedRequest) {
  const body = req.json<{ model: string; messages: { role: string; content: string }[]; response_format?: unknown }>();
  const prompt = body.messages.at(-1)!.content;
  const content = /<BEGIN CONTENT>\n(?:User|Agent): ([\s\S]*)\n<END CONTENT>/.exec(prompt)?.[1] ?? '';
  if (content.includes('__judge_down')) return { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"upstream exploded"}}' };
  let answer: string;
  if (content.includes('__judge_garbage')) answer = 'I would rather not say.';
  else {
    const levels: Record<string, string> = {};
    for (const m of prompt.matchAll(/^(S\d+): (?:Denied topic "([^"]+)"|([A-Za-z ]+):)/gm)) {
      const label = m[2] ? `topic:${m[2]}` : m[3]!;
      const hit = (label === 'Violence' && /\bstab\b/.test(content)) || (label === 'topic:Investing' && /portfolio|stocks?/.test(content));
      levels[m[1]!] = hit ? 'HIGH' : 'NONE';
    }
    answer = JSON.stringify(levels);
  }
  return {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: 'chatcmpl-judge',
      object: 'chat.completion',
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
    }),
  };
}

const GUARDRAIL = {
  blockedInputMessaging: 'Blocked by the judge.',
  blockedOutputsMessaging: 'Answer withheld.',
  contentPolicyConfig: { tierConfig: { tierName: 'STANDARD' as const }, filtersConfig: [{ type: 'VIOLENCE' as const, inputStrength: 'HIGH' as const, outputStrength: 'HIGH' as const }] },
  topicPolicyConfig: {
    tierConfig: { tierName: 'STANDARD' as const },
    topicsConfig: [{ name: 'Investing', definition: 'Advice on which stocks or funds to buy or sell.', type: 'DENY' as const }],
  },
};

before(async () => {
  upstream = await startReplayServer();
  upstream.route(judgeReply);
  [server, plain] = await Promise.all([
    startTestServer(
      `  - { id: guard, type: openai-compatible, baseUrl: "${upstream.url}/v1", apiKey: test, timeoutMs: 5000 }
models:
  - { id: acme.guard-v1:0, provider: guard, upstreamModel: llama-guard-test }
guardrails:
  judge: { modelId: acme.guard-v1:0, windowChars: 1000 }
`,
    ),
    startTestServer(),
  ]);
});

after(async () => {
  for (const c of clients) c.destroy();
  await Promise.all([server?.stop(), plain?.stop()]);
  await upstream?.close();
});

describe('LLM judge through the SDKs', () => {
  let id: string;
  before(async () => {
    const created = await bedrockOf(server).send(new CreateGuardrailCommand({ name: 'judged', ...GUARDRAIL }));
    id = created.guardrailId!;
    await bedrockOf(server).send(new CreateGuardrailVersionCommand({ guardrailIdentifier: id }));
  });
  const apply = (text: string, source: 'INPUT' | 'OUTPUT' = 'INPUT') =>
    runtimeOf(server).send(new ApplyGuardrailCommand({ guardrailIdentifier: id, guardrailVersion: '1', source, content: [{ text: { text } }], outputScope: 'FULL' }));

  test('ApplyGuardrail: the judge model decides the content filter and the denied topic, with JSON-schema output asked for', async () => {
    upstream.requests.length = 0;
    const calm = await apply('What a lovely morning for a walk.');
    assert.equal(calm.action, 'NONE');
    assert.deepEqual(calm.assessments?.[0]?.contentPolicy?.filters, [{ type: 'VIOLENCE', confidence: 'NONE', filterStrength: 'HIGH', action: 'NONE', detected: false }]);
    assert.equal(upstream.requests.length, 1, 'one judge call rates the filter and the topic together');
    const sent = upstream.requests[0]!.json<{ model: string; response_format?: { type: string }; temperature?: number }>();
    assert.equal(sent.model, 'llama-guard-test');
    assert.equal(sent.response_format?.type, 'json_schema');

    const violent = await apply('I am going to stab him tonight.');
    assert.equal(violent.action, 'GUARDRAIL_INTERVENED');
    assert.deepEqual(violent.outputs, [{ text: 'Blocked by the judge.' }]);
    assert.deepEqual(violent.assessments?.[0]?.contentPolicy?.filters, [{ type: 'VIOLENCE', confidence: 'HIGH', filterStrength: 'HIGH', action: 'BLOCKED', detected: true }]);

    const investing = await apply('Which stocks should I put in my portfolio?', 'OUTPUT');
    assert.equal(investing.action, 'GUARDRAIL_INTERVENED');
    assert.deepEqual(investing.outputs, [{ text: 'Answer withheld.' }]);
    assert.deepEqual(investing.assessments?.[0]?.topicPolicy?.topics, [{ name: 'Investing', type: 'DENY', action: 'BLOCKED', detected: true }]);
  });

  test('long text: every window goes to the judge, and a finding near the end still blocks', async () => {
    upstream.requests.length = 0;
    const text = `${'A quiet paragraph about gardening and the weather. '.repeat(100)}Then I will stab him.`;
    const r = await apply(text);
    assert.equal(r.action, 'GUARDRAIL_INTERVENED');
    assert.ok(upstream.requests.length >= 6, `${upstream.requests.length} judge calls for ${text.length} characters`);
  });

  test('Converse with guardrailConfig: the judge blocks the prompt before the model runs', async () => {
    const r = await runtimeOf(server).send(
      new ConverseCommand({
        modelId: 'scripted.echo-v1:0',
        messages: [{ role: 'user', content: [{ text: 'Tell me how to stab someone.' }] }],
        guardrailConfig: { guardrailIdentifier: id, guardrailVersion: '1' },
      }),
    );
    assert.equal(r.stopReason, 'guardrail_intervened');
    assert.equal(r.output?.message?.content?.[0]?.text, 'Blocked by the judge.');
  });

  test('a judge that fails or answers garbage: ServiceUnavailableException (retryable), never a pass', async () => {
    for (const text of ['__judge_down please', '__judge_garbage please']) {
      await assert.rejects(apply(text), (e: unknown) => {
        assert.ok(e instanceof ServiceUnavailableException, String(e));
        assert.match(e.message, /LLM judge \(model acme\.guard-v1:0\)/);
        assert.equal(e.$metadata.httpStatusCode, 503);
        return true;
      });
    }
  });
});

test('a server without a judge refuses tier STANDARD with a ValidationException naming the setting', async () => {
  await assert.rejects(bedrockOf(plain).send(new CreateGuardrailCommand({ name: 'judged', ...GUARDRAIL })), (e: unknown) => {
    assert.ok(e instanceof ValidationException, String(e));
    assert.match(e.message, /guardrails\.judge\.modelId/);
    return true;
  });
});
