import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgentEvent } from '../../src/agents/orchestration/index.js';
import { encodeAgentEvent, encodeAgentException } from '../../src/api/bedrock-agent-runtime/invoke-agent-wire.js';
import { traceSteps } from '../../web/src/agents/trace-steps.js';
import { eventStreamMessages } from '../../web/src/lib/event-stream-messages.js';

/** The console's reading of InvokeAgent: event-stream messages cut from a body that arrives in pieces, and trace steps. */

const agent = { agentId: 'AGENT00001', agentAliasId: 'TSTALIASID', agentVersion: 'DRAFT', sessionId: 's-1' };
const trace = (t: unknown): AgentEvent => ({ type: 'trace', agent, callerChain: [], trace: t } as AgentEvent);

/** A body delivered `size` bytes at a time, so messages straddle reads. */
function body(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('agent event stream in the console', () => {
  test('messages are cut at their boundaries whatever the read sizes', async () => {
    const frames = [
      encodeAgentEvent(trace({ orchestrationTrace: { rationale: { traceId: 't', text: 'Let me check.' } } }), true)!,
      encodeAgentEvent({ type: 'chunk', text: 'Héllo', citations: [] }, true)!,
      encodeAgentException('ThrottlingException', 'slow down'),
    ];
    for (const size of [1, 7, 64, 10_000]) {
      const got = [];
      for await (const m of eventStreamMessages(body(concat(frames), size))) got.push([m.headers[':message-type']?.value, m.headers[':event-type']?.value ?? m.headers[':exception-type']?.value]);
      assert.deepEqual(got, [
        ['event', 'trace'],
        ['event', 'chunk'],
        ['exception', 'throttlingException'],
      ]);
    }
  });

  test('a body cut inside a message is an error, not a silent end', async () => {
    const f = encodeAgentEvent({ type: 'chunk', text: 'partial', citations: [] }, true)!;
    await assert.rejects(async () => {
      for await (const _ of eventStreamMessages(body(f.slice(0, f.length - 3), 5))) void _;
    }, /ended inside a message/);
  });

  test('trace parts read as steps: rationale, action group call, observations, model calls, failures', () => {
    const steps = traceSteps([
      { trace: { orchestrationTrace: { rationale: { traceId: 't', text: 'Let me check.' } } } },
      {
        trace: {
          orchestrationTrace: {
            invocationInput: { traceId: 't', invocationType: 'ACTION_GROUP', actionGroupInvocationInput: { actionGroupName: 'orders', function: 'status', parameters: [{ name: 'id', type: 'string', value: 'A-17' }] } },
          },
        },
      },
      { trace: { orchestrationTrace: { invocationInput: { traceId: 't', invocationType: 'ACTION_GROUP', actionGroupInvocationInput: { actionGroupName: 'api', verb: 'get', apiPath: '/orders' } } } } },
      { trace: { orchestrationTrace: { observation: { traceId: 't', type: 'ACTION_GROUP', actionGroupInvocationOutput: { text: '{"status":"shipped"}' } } } } },
      { trace: { orchestrationTrace: { observation: { traceId: 't', type: 'FINISH', finalResponse: { text: 'Shipped.' } } } } },
      { trace: { orchestrationTrace: { modelInvocationInput: { traceId: 't', text: 'prompt', foundationModel: 'm' } } } },
      { trace: { preProcessingTrace: { modelInvocationOutput: { traceId: 't', rawResponse: { content: 'raw' } } } } },
      { trace: { failureTrace: { traceId: 't', failureReason: 'it broke' } } },
    ]);
    assert.deepEqual(
      steps.map((s) => [s.kind, s.label, s.detail]),
      [
        ['rationale', 'Rationale', 'Let me check.'],
        ['action-group', 'Action group orders: status', JSON.stringify([{ name: 'id', type: 'string', value: 'A-17' }], null, 2)],
        ['action-group', 'Action group api: GET /orders', '[]'],
        ['observation', 'Observation (ACTION_GROUP)', '{"status":"shipped"}'],
        ['observation', 'Observation (FINISH)', 'Shipped.'],
        ['model-input', 'Orchestration: model input (m)', 'prompt'],
        ['model-output', 'Pre-processing: model output', 'raw'],
        ['failure', 'Failure', 'it broke'],
      ],
    );
  });
});
