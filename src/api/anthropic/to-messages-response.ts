import type { ContentBlock, ConverseResult } from '../../core/index.js';
import { anthropicUsage } from './anthropic-usage.js';
import { mapStopReason, stopSequenceOf } from './map-stop-reason.js';

export interface MessageMeta {
  id: string;
  /** The id the client asked for. */
  model: string;
  stopSequences?: readonly string[];
}

/** Canonical result → Anthropic Message. */
export function toMessagesResponse(result: ConverseResult, meta: MessageMeta) {
  return {
    id: meta.id,
    type: 'message' as const,
    role: 'assistant' as const,
    model: meta.model,
    content: result.message.content.flatMap(contentBlock),
    stop_reason: mapStopReason(result.stopReason),
    stop_sequence: stopSequenceOf(result.stopReason, meta.stopSequences),
    usage: anthropicUsage(result.usage),
  };
}

type ResponseBlock =
  | { type: 'text'; text: string; citations: null }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

function contentBlock(b: ContentBlock): ResponseBlock[] {
  if ('text' in b) return [{ type: 'text', text: b.text, citations: null }];
  if ('toolUse' in b) return [{ type: 'tool_use', id: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input ?? {} }];
  if ('reasoningContent' in b) {
    const r = b.reasoningContent;
    if (r.reasoningText) return [{ type: 'thinking', thinking: r.reasoningText.text, signature: r.reasoningText.signature ?? '' }];
    if (r.redactedContent) return [{ type: 'redacted_thinking', data: Buffer.from(r.redactedContent).toString('utf8') }];
  }
  return [];
}
