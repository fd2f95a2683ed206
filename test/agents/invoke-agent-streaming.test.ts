import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BedrockClient, CreateGuardrailCommand, CreateGuardrailVersionCommand } from '@aws-sdk/client-bedrock';
import { BedrockAgentClient, CreateAgentCommand, PrepareAgentCommand } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient, InvokeAgentCommand, type InvokeAgentCommandInput } from '@aws-sdk/client-bedrock-agent-runtime';
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type TestServer, startTestServer } from '../support/start-test-server.js';

/**
 * InvokeAgent's streamingConfigurations through the official client over a real socket: with streamFinalResponse the
 * scripted model's answer arrives as several chunks while it is being written, and they join to the answer a
 * non-streamed call gets; an agent's guardrail is applied every applyGuardrailInterval characters, masking or, on a
 * blocked piece, ending the answer with the guardrail's message.
 */
const T = { timeout: 30_000 };
const BLOCKED = 'Sorry, the answer was withheld.';
let server: TestServer;
let runtime: BedrockAgentRuntimeClient;
let control: BedrockAgentClient;
let bedrock: BedrockClient;

before(async () => {
  server = await startTestServer();
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  runtime = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials });
  control = new BedrockAgentClient({ region: 'us-east-1', endpoint: server.url, credentials });
  bedrock = new BedrockClient({ region: 'us-east-1', endpoint: server.url, credentials });
});

after(async () => {
  runtime?.destroy();
  control?.destroy();
  bedrock?.destroy();
  await server?.stop();
});

async function createAgent(name: string, guardrail?: { guardrailIdentifier: string; guardrailVersion: string }): Promise<string> {
  const agentId = (
    await control.send(
      new CreateAgentCommand({ agentName: name, instruction: 'You repeat what the user says, for testing streams.', foundationModel: 'scripted.echo-v1:0', ...(guardrail ? { guardrailConfiguration: guardrail } : {}) }),
    )
  ).agent!.agentId!;
  await control.send(new PrepareAgentCommand({ agentId }));
  return agentId;
}

interface Streamed {
  chunks: { text: string; at: number }[];
  traces: Record<string, unknown>[];
}

async function invoke(input: Omit<InvokeAgentCommandInput, 'agentAliasId'>): Promise<Streamed> {
  const res = await runtime.send(new InvokeAgentCommand({ agentAliasId: 'TSTALIASID', ...input }));
  const out: Streamed = { chunks: [], traces: [] };
  for await (const e of res.completion!) {
    if (e.chunk) out.chunks.push({ text: new TextDecoder().decode(e.chunk.bytes), at: Date.now() });
    else if (e.trace) out.traces.push(e.trace.trace as unknown as Record<string, unknown>);
  }
  return out;
}

const textOf = (s: Streamed) => s.chunks.map((c) => c.text).join('');
const finishOf = (s: Streamed) =>
  s.traces.map((t) => (t.orchestrationTrace as { observation?: { type: string; finalResponse?: { text: string } } } | undefined)?.observation).find((o) => o?.type === 'FINISH');

describe('InvokeAgent with streamingConfigurations', () => {
  test('streamFinalResponse: the answer arrives as several chunks while the model writes it, joining to the non-streamed answer', T, async () => {
    const agentId = await createAgent('stream-agent');
    // __slow makes the scripted model wait 40 ms between words, so chunks sent as it writes are spread over time.
    const inputText = 'please tell me a story about seven small boats on a very calm lake __slow:40';
    const whole = await invoke({ agentId, sessionId: 'whole-1', inputText, enableTrace: true });
    assert.equal(whole.chunks.length, 1, 'without streamingConfigurations the answer is one chunk');
    assert.match(textOf(whole), /^You said: please tell me a story/);

    const streamed = await invoke({ agentId, sessionId: 'stream-1', inputText, enableTrace: true, streamingConfigurations: { streamFinalResponse: true } });
    assert.ok(streamed.chunks.length > 1, `expected several chunks, got ${streamed.chunks.length}`);
    assert.equal(textOf(streamed), textOf(whole));
    // Sent as written: 17 words 40 ms apart cannot all arrive at once if each went out when the model wrote it.
    assert.ok(streamed.chunks.at(-1)!.at - streamed.chunks[0]!.at >= 300, 'chunks were spread over the time the model took');
    // The trace is unchanged: the model call, its output and the final response.
    const kinds = streamed.traces.map((t) => Object.keys((t.orchestrationTrace as object | undefined) ?? t)[0]);
    assert.ok(kinds.includes('modelInvocationInput') && kinds.includes('modelInvocationOutput'), kinds.join(','));
    assert.equal(finishOf(streamed)?.finalResponse?.text, textOf(whole));
    const usage = (streamed.traces.find((t) => (t.orchestrationTrace as Record<string, unknown> | undefined)?.modelInvocationOutput)!.orchestrationTrace as { modelInvocationOutput: { metadata: { usage: { outputTokens: number } } } })
      .modelInvocationOutput.metadata.usage;
    assert.equal(usage.outputTokens, 17);

    // The streamed answer became part of the session like a whole one: with streamFinalResponse false it is one chunk again.
    const again = await invoke({ agentId, sessionId: 'stream-1', inputText: 'and again', streamingConfigurations: { streamFinalResponse: false } });
    assert.equal(again.chunks.length, 1);
    assert.equal(textOf(again), 'You said: and again');
  });

  test('a guardrail is applied every applyGuardrailInterval characters: masked pieces go out masked, a blocked piece ends the answer', T, async () => {
    const g = await bedrock.send(
      new CreateGuardrailCommand({
        name: 'stream-guard',
        blockedInputMessaging: 'Sorry, I cannot help with that.',
        blockedOutputsMessaging: BLOCKED,
        // Output only, so the input that carries these words reaches the model and the answer is what trips it.
        sensitiveInformationPolicyConfig: {
          piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE', inputEnabled: false }],
          regexesConfig: [{ name: 'zebra', pattern: 'zebra', action: 'BLOCK', inputEnabled: false }],
        },
      }),
    );
    const v = await bedrock.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId! }));
    const agentId = await createAgent('guarded-stream-agent', { guardrailIdentifier: g.guardrailId!, guardrailVersion: v.version! });
    const streaming = { streamFinalResponse: true, applyGuardrailInterval: 20 };

    const masked = await invoke({ agentId, sessionId: 'mask-1', inputText: 'write to bob@example.com about the long trip to the coast', enableTrace: true, streamingConfigurations: streaming });
    assert.ok(masked.chunks.length > 1);
    for (const c of masked.chunks.slice(0, -1)) assert.ok(c.text.length >= 20, `a piece before the last is at least the interval: ${JSON.stringify(c.text)}`);
    assert.doesNotMatch(textOf(masked), /bob@example\.com/);
    assert.match(textOf(masked), /^You said: write to \{EMAIL\} about the long trip to the coast$/);
    assert.ok(masked.traces.some((t) => (t.guardrailTrace as { action?: string } | undefined)?.action === 'INTERVENED'));

    const blocked = await invoke({
      agentId,
      sessionId: 'block-1',
      inputText: 'tell me about the animals at the big city zoo like the zebra and the lion',
      enableTrace: true,
      streamingConfigurations: streaming,
    });
    const texts = blocked.chunks.map((c) => c.text);
    assert.ok(texts.length >= 2, `pieces before the blocked one went out: ${JSON.stringify(texts)}`);
    assert.equal(texts.at(-1), BLOCKED);
    assert.doesNotMatch(textOf(blocked), /zebra|lion/);
    assert.ok(textOf(blocked).startsWith('You said: tell me about'));
    assert.ok(blocked.traces.some((t) => (t.guardrailTrace as { action?: string } | undefined)?.action === 'INTERVENED'));
    assert.equal(finishOf(blocked)?.finalResponse?.text, textOf(blocked));

    // Without streaming the same guardrail checks the whole answer: one chunk, the blocked message.
    const whole = await invoke({ agentId, sessionId: 'block-2', inputText: 'the zebra again' });
    assert.deepEqual(
      whole.chunks.map((c) => c.text),
      [BLOCKED],
    );
  });

  test('a model that breaks off mid-answer: the chunks sent so far, then an in-stream exception', T, async () => {
    const agentId = await createAgent('stream-break-agent');
    const res = await runtime.send(
      new InvokeAgentCommand({ agentAliasId: 'TSTALIASID', agentId, sessionId: 'break-1', inputText: 'one two three four five __fail_after:4', streamingConfigurations: { streamFinalResponse: true } }),
    );
    const texts: string[] = [];
    await assert.rejects(
      async () => {
        for await (const e of res.completion!) if (e.chunk) texts.push(new TextDecoder().decode(e.chunk.bytes));
      },
      (e: Error) => e.name === 'DependencyFailedException' && /after 4 words/.test(e.message),
    );
    assert.equal(texts.join(''), 'You said: one two');
  });

  test('bad streamingConfigurations are ValidationExceptions', T, async () => {
    const agentId = await createAgent('stream-bad-input');
    for (const streamingConfigurations of [{ applyGuardrailInterval: 0 }, { applyGuardrailInterval: 2.5 }, { streamFinalResponse: 'yes' as unknown as boolean }]) {
      await assert.rejects(
        invoke({ agentId, sessionId: 'bad-1', inputText: 'hi', streamingConfigurations }),
        (e: Error) => e.name === 'ValidationException',
      );
    }
  });
});
