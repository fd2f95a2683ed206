import { type StreamPart, type Usage, usageOf } from '../../core/index.js';
import { anthropicErrorBody } from './anthropic-error.js';
import { anthropicUsage } from './anthropic-usage.js';
import { mapStopReason, stopSequenceOf } from './map-stop-reason.js';

export type AnthropicUsage = ReturnType<typeof anthropicUsage>;
type StopFields = { stop_reason: string; stop_sequence: string | null };
/** What a messageStop part says about the stop; the default when none came is a plain end_turn. */
export type StopInfo = Pick<Extract<StreamPart, { type: 'messageStop' }>, 'stopReason' | 'additionalModelResponseFields'>;

type ContentBlockStart =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature?: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, never> };

type BlockDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string };

/** Anthropic's streaming events; `error` is the in-stream failure event, after which nothing follows. */
export type AnthropicStreamEvent =
  | {
      type: 'message_start';
      message: {
        id: string;
        type: 'message';
        role: 'assistant';
        model: string;
        content: [];
        stop_reason: null;
        stop_sequence: null;
        usage: AnthropicUsage;
      };
    }
  | { type: 'content_block_start'; index: number; content_block: ContentBlockStart }
  | { type: 'content_block_delta'; index: number; delta: BlockDelta }
  | { type: 'content_block_stop'; index: number }
  | { type: 'message_delta'; delta: StopFields; usage: AnthropicUsage }
  | ({ type: 'message_stop' } & Record<string, unknown>)
  | ReturnType<typeof anthropicErrorBody>;

/** The defaults are the Messages API's own; Bedrock's Claude stream overrides a few (api/bedrock/invoke/anthropic-stream.ts). */
export interface AnthropicStreamOptions {
  id: string;
  /** The model name message_start reports. */
  model: string;
  /** The request's stop sequences, for the default stop mapping. */
  stopSequences?: readonly string[];
  /**
   * The prompt size for message_start, when it was counted before generation. Default 0: canonical usage arrives only
   * with the last part, and message_delta's cumulative usage (which the SDK takes over) carries the real count.
   */
  inputTokens?: number;
  /** Open thinking blocks with `signature: ''` (the Messages SDK types it as a required string). Default true. */
  thinkingSignature?: boolean;
  /** message_delta's stop reason and sequence. Default: the Messages API mapping (map-stop-reason.ts). */
  stop?: (stop: StopInfo) => StopFields;
  /** Usage in the wire's field order. Default: anthropic-usage.ts. */
  usage?: (usage: Usage) => AnthropicUsage;
  /** Fields appended to message_stop, given the final usage. */
  messageStop?: (usage: Usage) => Record<string, unknown>;
  /**
   * Whether input that ends without a metadata part still gets its blocks closed and a message_delta and
   * message_stop. Default true; false where an early end means a failure reported by someone else.
   */
  completeOnEnd?: boolean;
}

type BlockKind = 'text' | 'tool_use' | 'thinking';

/**
 * Canonical stream parts → Anthropic's streaming events, as objects; callers frame them (SSE, Bedrock chunks).
 *
 * Anthropic clients index blocks by arrival (the SDK pushes each content_block_start onto an array), so blocks are
 * renumbered 0, 1, 2 … in the order they open, whatever the canonical index. A canonical block that starts without a
 * tool is opened lazily at its first delta, when it is known to be text or thinking; one that never gets a delta is
 * never shown.
 *
 * Converse reports usage after messageStop, while Anthropic puts the stop reason and usage in one message_delta, so
 * the stop is held until metadata arrives.
 */
export async function* anthropicStreamEvents(parts: AsyncIterable<StreamPart>, options: AnthropicStreamOptions): AsyncGenerator<AnthropicStreamEvent> {
  const usage = options.usage ?? anthropicUsage;
  const stopFields =
    options.stop ?? ((s: StopInfo) => ({ stop_reason: mapStopReason(s.stopReason), stop_sequence: stopSequenceOf(s.stopReason, options.stopSequences) }));
  const open = new Map<number, { index: number; kind: BlockKind }>();
  const tools = new Map<number, { id: string; name: string }>();
  let next = 0;
  let stop: StopInfo = { stopReason: 'end_turn' };
  let finished = false;

  function* openBlock(canonical: number, kind: BlockKind): Generator<AnthropicStreamEvent, number> {
    const current = open.get(canonical);
    if (current?.kind === kind) return current.index;
    if (current) yield* closeBlock(canonical);
    const index = next++;
    open.set(canonical, { index, kind });
    const tool = tools.get(canonical);
    const content_block: ContentBlockStart =
      kind === 'text'
        ? { type: 'text', text: '' }
        : kind === 'thinking'
          ? options.thinkingSignature === false
            ? { type: 'thinking', thinking: '' }
            : { type: 'thinking', thinking: '', signature: '' }
          : { type: 'tool_use', id: tool?.id ?? '', name: tool?.name ?? '', input: {} };
    yield { type: 'content_block_start', index, content_block };
    return index;
  }

  function* closeBlock(canonical: number): Generator<AnthropicStreamEvent> {
    const current = open.get(canonical);
    if (!current) return;
    open.delete(canonical);
    yield { type: 'content_block_stop', index: current.index };
  }

  function* finish(u: Usage): Generator<AnthropicStreamEvent> {
    finished = true;
    for (const canonical of [...open.keys()]) yield* closeBlock(canonical);
    yield { type: 'message_delta', delta: stopFields(stop), usage: usage(u) };
    yield { type: 'message_stop', ...options.messageStop?.(u) };
  }

  for await (const p of parts) {
    switch (p.type) {
      case 'messageStart':
        yield {
          type: 'message_start',
          message: {
            id: options.id,
            type: 'message',
            role: 'assistant',
            model: options.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: usage(usageOf(options.inputTokens ?? 0, 0)),
          },
        };
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
          yield { type: 'content_block_delta', index, delta: { type: 'text_delta', text: d.text } };
        } else if ('toolUse' in d) {
          const index = yield* openBlock(p.index, 'tool_use');
          yield { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: d.toolUse.input } };
        } else {
          const index = yield* openBlock(p.index, 'thinking');
          const r = d.reasoningContent;
          if (r.text) yield { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: r.text } };
          if (r.signature) yield { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: r.signature } };
        }
        break;
      }
      case 'contentBlockStop':
        yield* closeBlock(p.index);
        break;
      case 'messageStop':
        stop = p;
        break;
      case 'metadata':
        yield* finish(p.usage);
        break;
      case 'error':
        yield anthropicErrorBody(p.error);
        return;
      default:
        p satisfies never;
    }
  }
  // A provider that ends without metadata still owes the client a message_delta and message_stop.
  if (!finished && options.completeOnEnd !== false) yield* finish(usageOf(0, 0));
}
