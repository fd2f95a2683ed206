import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuarryError, type StreamPart, silentLogger } from '../../core/index.js';
import { Playbook } from '../../../test/support/playbook-provider.js';
import type { AgentDefinition } from './agent-definition.js';
import type { AgentEvent, ChunkEvent } from './agent-events.js';
import { AgentOrchestrator } from './agent-orchestrator.js';
import type { AgentCallContext, AgentModelPort } from './agent-ports.js';
import { functionsFromFunctionSchema } from './functions-from-function-schema.js';

/**
 * streamFinalResponse inside the loop: a turn that may still call a tool is read whole, so a native model's text
 * before its tool call (the rationale) never reaches the caller as answer text; the answer then goes out in pieces.
 */
const ctx: AgentCallContext = {
  requestId: 'req-s',
  principal: { id: 'admin', name: 'admin', keyId: 'k', isAdmin: true, authMethod: 'bearer' },
  api: 'bedrock-agent.invoke-agent',
  signal: new AbortController().signal,
  log: silentLogger,
};

const agent: AgentDefinition = {
  accountId: '000000000000',
  region: 'us-east-1',
  agentId: 'AGENT00002',
  agentName: 'streamer',
  agentAliasId: 'TSTALIASID',
  agentVersion: 'DRAFT',
  instruction: 'You help with orders.',
  foundationModel: 'playbook.agent-v1:0',
  actionGroups: [{ name: 'orders', executor: { kind: 'returnControl' }, functions: functionsFromFunctionSchema([{ name: 'find', parameters: { orderId: { type: 'string', required: true } } }]) }],
  userInput: false,
  knowledgeBases: [],
  idleSessionTtlSeconds: 600,
};

/** The playbook's port with its provider's stream behind converseStream, counting streamed calls. */
function streamingPort(pb: Playbook) {
  const provider = pb.provider();
  const port: AgentModelPort & { streamed: number } = {
    ...pb.port(),
    streamed: 0,
    async converseStream(c, req) {
      port.streamed++;
      return { model: pb.model, parts: provider.stream({ ...req, model: pb.model }, { signal: c.signal }) };
    },
  };
  return port;
}

/** A port over the playbook whose stream sends each text in `size`-character deltas, as a local model writes. */
function finePort(pb: Playbook, size: number) {
  const port: AgentModelPort & { streamed: number } = {
    ...pb.port(),
    streamed: 0,
    async converseStream(c, req) {
      port.streamed++;
      const r = await pb.generate({ ...req, model: pb.model }, c.signal);
      const text = r.message.content.map((b) => ('text' in b ? b.text : '')).join('');
      async function* parts(): AsyncGenerator<StreamPart> {
        yield { type: 'messageStart', role: 'assistant' };
        yield { type: 'contentBlockStart', index: 0 };
        for (let i = 0; i < text.length; i += size) yield { type: 'contentBlockDelta', index: 0, delta: { text: text.slice(i, i + size) } };
        yield { type: 'contentBlockStop', index: 0 };
        yield { type: 'messageStop', stopReason: 'end_turn' };
        yield { type: 'metadata', usage: { ...r.usage }, latencyMs: 0 };
      }
      return { model: pb.model, parts: parts() };
    },
  };
  return port;
}

async function chunks(gen: AsyncGenerator<AgentEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of gen) if (e.type === 'chunk') out.push((e as ChunkEvent).text);
  return out;
}

const ANSWER = 'Order A-1 left the warehouse this morning and arrives on Friday.';

describe('streamFinalResponse in the orchestrator', () => {
  test('an agent with tools: the final turn is read whole, then sent in pieces of the interval', async () => {
    const pb = new Playbook([{ text: 'I will look it up.', toolCalls: [{ name: 'orders__find', input: { orderId: 'A-1' } }] }, { text: ANSWER }]);
    const port = streamingPort(pb);
    const o = new AgentOrchestrator({ models: port });
    const first = o.invoke(ctx, agent, { sessionId: 's1', inputText: 'where is A-1?', streaming: { streamFinalResponse: true } });
    const rc: AgentEvent[] = [];
    for await (const e of first) rc.push(e);
    assert.ok(!rc.some((e) => e.type === 'chunk'), 'the rationale before the tool call is not an answer chunk');
    const ret = rc.find((e) => e.type === 'returnControl')!;
    const pieces = await chunks(
      o.invoke(ctx, agent, {
        sessionId: 's1',
        sessionState: { invocationId: ret.type === 'returnControl' ? ret.invocationId : '', returnControlInvocationResults: [{ functionResult: { actionGroup: 'orders', function: 'find', responseBody: { TEXT: { body: 'shipped' } } } }] },
        streaming: { streamFinalResponse: true, applyGuardrailInterval: 20 },
      }),
    );
    assert.equal(pieces.join(''), ANSWER);
    assert.deepEqual(
      pieces.map((p) => p.length),
      [20, 20, 20, ANSWER.length - 60],
    );
    assert.equal(port.streamed, 0, 'turns that may call tools are not streamed');
  });

  test('an agent without tools streams its answer from the model; without the option it is one chunk', async () => {
    const pb = new Playbook([{ text: ANSWER }, { text: ANSWER }]);
    const port = streamingPort(pb);
    const o = new AgentOrchestrator({ models: port });
    const bare = { ...agent, actionGroups: [] };
    assert.deepEqual(await chunks(o.invoke(ctx, bare, { sessionId: 's2', inputText: 'hi' })), [ANSWER]);
    assert.equal(port.streamed, 0);
    assert.deepEqual(await chunks(o.invoke(ctx, bare, { sessionId: 's3', inputText: 'hi', streaming: { streamFinalResponse: true } })), [ANSWER]);
    assert.equal(port.streamed, 1);
  });

  test('a caller that goes away mid-answer closes the model stream; a model failure mid-answer is thrown after what was sent', async () => {
    const pb = new Playbook([]);
    let closed = false;
    const words = ['one ', 'two ', 'three ', 'four'];
    const parts = async function* (failAfter?: number): AsyncGenerator<StreamPart> {
      try {
        yield { type: 'messageStart', role: 'assistant' };
        yield { type: 'contentBlockStart', index: 0 };
        for (const [i, w] of words.entries()) {
          if (i === failAfter) yield { type: 'error', error: new QuarryError('ModelStreamErrorException', 'the model broke off') };
          yield { type: 'contentBlockDelta', index: 0, delta: { text: w } };
        }
        yield { type: 'contentBlockStop', index: 0 };
        yield { type: 'messageStop', stopReason: 'end_turn' };
        yield { type: 'metadata', usage: { inputTokens: 1, outputTokens: 4, totalTokens: 5 }, latencyMs: 0 };
      } finally {
        closed = true;
      }
    };
    let failAfter: number | undefined;
    const port: AgentModelPort = { ...pb.port(), converseStream: async () => ({ model: pb.model, parts: parts(failAfter) }) };
    const o = new AgentOrchestrator({ models: port });
    const bare = { ...agent, actionGroups: [] };
    const gen = o.invoke(ctx, bare, { sessionId: 's4', inputText: 'count', streaming: { streamFinalResponse: true } });
    let first: AgentEvent | undefined;
    for await (const e of gen) {
      if (e.type === 'chunk') {
        first = e;
        break;
      }
    }
    // Trailing spaces wait for the next word, as a whole answer is trimmed.
    assert.deepEqual(first, { type: 'chunk', text: 'one', citations: [] });
    assert.equal(closed, true);

    failAfter = 2;
    const sent: string[] = [];
    await assert.rejects(async () => {
      for await (const e of o.invoke(ctx, bare, { sessionId: 's5', inputText: 'count', streaming: { streamFinalResponse: true } })) if (e.type === 'chunk') sent.push(e.text);
    }, /the model broke off/);
    assert.deepEqual(sent, ['one', ' two']);
  });

  test('a ReAct model: every turn is streamed, tool-calling turns send nothing, the answer after Final Answer arrives as it is written', async () => {
    const pb = new Playbook(
      [
        { text: 'Thought: I should look it up.\nAction: orders__find\nAction Input: {"orderId": "A-1"}' },
        { text: 'Thought: I have what I need.\nFinal Answer: Order A-1 has shipped and arrives on Friday.\nObservation: made up' },
      ],
      { supportsTools: false },
    );
    const port = finePort(pb, 5);
    const ran: unknown[] = [];
    const o = new AgentOrchestrator({
      models: port,
      runner: {
        async run(call) {
          ran.push(call.args);
          return { ok: true, text: '{"status":"shipped"}' };
        },
      },
    });
    const moduleAgent: AgentDefinition = { ...agent, actionGroups: [{ ...agent.actionGroups[0]!, executor: { kind: 'module', name: 'orders', module: '/nonexistent/orders.js' } }] };
    const events: AgentEvent[] = [];
    for await (const e of o.invoke(ctx, moduleAgent, { sessionId: 's6', inputText: 'where is A-1?', streaming: { streamFinalResponse: true } })) events.push(e);
    const texts = events.filter((e): e is ChunkEvent => e.type === 'chunk').map((e) => e.text);
    assert.ok(texts.length > 1, JSON.stringify(texts));
    assert.equal(texts.join(''), 'Order A-1 has shipped and arrives on Friday.');
    assert.deepEqual(ran, [{ orderId: 'A-1' }]);
    assert.equal(port.streamed, 2);
    const orchestration = events.flatMap((e) => (e.type === 'trace' && 'orchestrationTrace' in e.trace ? [e.trace.orchestrationTrace] : []));
    assert.deepEqual(
      orchestration.flatMap((t) => ('rationale' in t ? [t.rationale.text] : [])),
      ['I should look it up.', 'I have what I need.'],
    );
    const finish = orchestration.find((t) => 'observation' in t && t.observation.type === 'FINISH');
    assert.deepEqual(finish && 'observation' in finish ? finish.observation.finalResponse : undefined, { text: 'Order A-1 has shipped and arrives on Friday.' });
  });
});
