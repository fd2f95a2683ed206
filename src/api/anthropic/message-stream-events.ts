import type { StreamPart, Usage } from '../../core/index.js';
import { anthropicErrorBody } from './anthropic-error.js';
import { anthropicUsage } from './anthropic-usage.js';
import { mapStopReason, stopSequenceOf } from './map-stop-reason.js';
import type { MessageMeta } from './to-messages-response.js';

const sse = (event: string, data: Record<string, unknown>) => `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;

type BlockKind = 'text' | 'tool_use' | 'thinking';

/**
 * Canonical stream parts → Anthropic's named SSE events.
 *
 * Anthropic clients index blocks by arrival (the SDK pushes each content_block_start onto an array), so blocks are
 * renumbered 0, 1, 2 … in the order they open, whatever the canonical index. A canonical block that starts without a
 * tool is opened lazily at its first delta, when it is known to be text or thinking; one that never gets a delta is
 * never shown.
 *
 * Converse reports usage after messageStop, while Anthropic puts the stop reason and usage in one message_delta, so
 * the stop is held until metadata arrives. Input tokens are known only then too: message_start says 0 and
 * message_delta carries the real count (its usage fields are cumulative, and the SDK overwrites with them).
 */
export async function* messageStreamEvents(parts: AsyncIterable<StreamPart>, meta: MessageMeta): AsyncGenerator<string> {
  const open = new Map<number, { index: number; kind: BlockKind }>();
  const tools = new Map<number, { id: string; name: string }>();
  let next = 0;
  let stop: { stop_reason: string; stop_sequence: string | null } | undefined;
  let finished = false;

  function* openBlock(canonical: number, kind: BlockKind): Generator<string, number> {
    const current = open.get(canonical);
    if (current?.kind === kind) return current.index;
    if (current) yield* closeBlock(canonical);
    const index = next++;
    open.set(canonical, { index, kind });
    const tool = tools.get(canonical);
    const content_block =
      kind === 'text'
        ? { type: 'text', text: '' }
        : kind === 'thinking'
          ? { type: 'thinking', thinking: '', signature: '' }
          : { type: 'tool_use', id: tool?.id ?? '', name: tool?.name ?? '', input: {} };
    yield sse('content_block_start', { index, content_block });
    return index;
  }

  function* closeBlock(canonical: number): Generator<string> {
    const current = open.get(canonical);
    if (!current) return;
    open.delete(canonical);
    yield sse('content_block_stop', { index: current.index });
  }

  function* finish(usage: Usage): Generator<string> {
    finished = true;
    for (const canonical of [...open.keys()]) yield* closeBlock(canonical);
    yield sse('message_delta', { delta: stop ?? { stop_reason: 'end_turn', stop_sequence: null }, usage: anthropicUsage(usage) });
    yield sse('message_stop', {});
  }

  for await (const p of parts) {
    switch (p.type) {
      case 'messageStart':
        yield sse('message_start', {
          message: {
            id: meta.id,
            type: 'message',
            role: 'assistant',
            model: meta.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
          },
        });
        break;
      case 'contentBlockStart':
        if (p.toolUse) {
          tools.set(p.index, { id: p.toolUse.toolUseId, name: p.toolUse.name });
          yield* openBlock(p.index, 'tool_use');
        }
        break;
      case 'contentBlockDelta': {
        const d = p.delta;
        if ('text' in d) {
          const index = yield* openBlock(p.index, 'text');
          yield sse('content_block_delta', { index, delta: { type: 'text_delta', text: d.text } });
        } else if ('toolUse' in d) {
          const index = yield* openBlock(p.index, 'tool_use');
          yield sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: d.toolUse.input } });
        } else {
          const index = yield* openBlock(p.index, 'thinking');
          const r = d.reasoningContent;
          if (r.text) yield sse('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: r.text } });
          if (r.signature) yield sse('content_block_delta', { index, delta: { type: 'signature_delta', signature: r.signature } });
        }
        break;
      }
      case 'contentBlockStop':
        yield* closeBlock(p.index);
        break;
      case 'messageStop':
        stop = { stop_reason: mapStopReason(p.stopReason), stop_sequence: stopSequenceOf(p.stopReason, meta.stopSequences) };
        break;
      case 'metadata':
        yield* finish(p.usage);
        break;
      case 'error':
        yield `event: error\ndata: ${JSON.stringify(anthropicErrorBody(p.error))}\n\n`;
        return;
      default:
        p satisfies never;
    }
  }
  // A provider that ends without metadata still owes the client a message_delta and message_stop.
  if (!finished) yield* finish({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
}
