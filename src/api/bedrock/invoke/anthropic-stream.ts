import type { ConverseRequest, StopReason, StreamPart } from '../../../core/index.js';
import { anthropicUsage, matchedStopSequence } from './anthropic-wire.js';
import { METRICS_KEY, StreamClock } from './invocation-metrics.js';
import type { StreamInfo } from './invoke-format.js';
import { anthropicStopReason } from './stop-reasons.js';

type BlockKind = 'text' | 'thinking' | 'tool_use';

/**
 * Canonical parts → Anthropic's streaming events, which Bedrock sends one per chunk: message_start,
 * content_block_start / _delta / _stop per block, message_delta (stop reason, usage), message_stop (with Bedrock's
 * invocation metrics). A block's type is only known from its first delta unless it is a tool call, so text and
 * thinking blocks open lazily; message_delta waits for the metadata part because it carries the usage.
 */
export async function* anthropicChunks(
  parts: AsyncIterable<StreamPart>,
  info: StreamInfo,
  meta: { id: string; model: string; request: ConverseRequest },
): AsyncGenerator<object> {
  const clock = new StreamClock(info.startedAt);
  const open = new Map<number, BlockKind>();
  let stop: { stopReason: StopReason; additionalModelResponseFields?: Record<string, unknown> } = { stopReason: 'end_turn' };
  const start = (index: number, kind: BlockKind, toolUse?: { toolUseId: string; name: string }) => {
    open.set(index, kind);
    const content_block =
      kind === 'tool_use'
        ? { type: 'tool_use', id: toolUse?.toolUseId, name: toolUse?.name, input: {} }
        : kind === 'thinking'
          ? { type: 'thinking', thinking: '' }
          : { type: 'text', text: '' };
    return { type: 'content_block_start', index, content_block };
  };
  for await (const p of parts) {
    switch (p.type) {
      case 'messageStart':
        yield {
          type: 'message_start',
          message: {
            id: meta.id,
            type: 'message',
            role: 'assistant',
            model: meta.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: info.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
          },
        };
        break;
      case 'contentBlockStart':
        if (p.toolUse) {
          clock.markOutput();
          yield start(p.index, 'tool_use', p.toolUse);
        }
        break;
      case 'contentBlockDelta': {
        clock.markOutput();
        const d = p.delta;
        const kind: BlockKind = 'text' in d ? 'text' : 'toolUse' in d ? 'tool_use' : 'thinking';
        if (!open.has(p.index)) yield start(p.index, kind);
        if ('text' in d) yield { type: 'content_block_delta', index: p.index, delta: { type: 'text_delta', text: d.text } };
        else if ('toolUse' in d) yield { type: 'content_block_delta', index: p.index, delta: { type: 'input_json_delta', partial_json: d.toolUse.input } };
        else {
          const r = d.reasoningContent;
          if (r.text) yield { type: 'content_block_delta', index: p.index, delta: { type: 'thinking_delta', thinking: r.text } };
          if (r.signature) yield { type: 'content_block_delta', index: p.index, delta: { type: 'signature_delta', signature: r.signature } };
        }
        break;
      }
      case 'contentBlockStop':
        if (!open.has(p.index)) yield start(p.index, 'text');
        yield { type: 'content_block_stop', index: p.index };
        break;
      case 'messageStop':
        stop = p;
        break;
      case 'metadata':
        yield {
          type: 'message_delta',
          delta: { stop_reason: anthropicStopReason(stop.stopReason), stop_sequence: matchedStopSequence(stop, meta.request) },
          usage: anthropicUsage(p.usage),
        };
        yield { type: 'message_stop', [METRICS_KEY]: clock.metrics(p.usage) };
        break;
      case 'error':
        return;
      default:
        p satisfies never;
    }
  }
}
