import { Buffer } from 'node:buffer';
import type { ContentBlock, ConverseResult } from '../../core/index.js';
import { anthropicMessageSchema } from './anthropic-schemas.js';
import { upstreamReturned } from './map-anthropic-error.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { mapAnthropicUsage } from './map-anthropic-usage.js';

/** A Messages API response (as the SDK parsed it) → canonical result. */
export function fromAnthropicMessage(message: unknown): ConverseResult {
  const parsed = anthropicMessageSchema.safeParse(message);
  if (!parsed.success) throw upstreamReturned('a body that is not a message', parsed.error);
  const m = parsed.data;
  const content: ContentBlock[] = [];
  for (const b of m.content) {
    switch (b.type) {
      case 'text':
        content.push({ text: b.text ?? '' });
        break;
      case 'tool_use':
        content.push({ toolUse: { toolUseId: b.id ?? '', name: b.name ?? '', input: b.input ?? {} } });
        break;
      case 'thinking':
        content.push({ reasoningContent: { reasoningText: { text: b.thinking ?? '', signature: b.signature ?? undefined } } });
        break;
      case 'redacted_thinking':
        content.push({ reasoningContent: { redactedContent: Buffer.from(b.data ?? '', 'utf8') } });
        break;
      default:
      // Server-tool blocks (web search, code execution) have no canonical form; the text around them does.
    }
  }
  return {
    message: { role: 'assistant', content },
    stopReason: mapAnthropicStopReason(m.stop_reason),
    rawStopReason: m.stop_reason ?? undefined,
    usage: mapAnthropicUsage(m.usage),
    latencyMs: 0,
    // Bedrock reports the matched stop sequence for Claude the same way.
    additionalModelResponseFields: m.stop_sequence ? { stop_sequence: m.stop_sequence } : undefined,
  };
}
