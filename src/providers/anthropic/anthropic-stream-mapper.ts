import type { StreamPart } from '../../core/index.js';
import type { AnthropicStreamEvent, AnthropicUsage } from './anthropic-schemas.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { mergeAnthropicUsage, mapAnthropicUsage } from './map-anthropic-usage.js';

/**
 * Messages API stream events → Bedrock-ordered parts. The two formats are siblings (Bedrock's ConverseStream was
 * modelled on this one), so the work is bookkeeping: blocks with no canonical form (redacted thinking, server-tool
 * blocks) are dropped and the remaining ones renumbered, and the stop reason and usage, which arrive in
 * message_delta, are held until message_stop.
 */
export class AnthropicStreamMapper {
  private readonly indexes = new Map<number, number>();
  private nextIndex = 0;
  private usage: AnthropicUsage | undefined;
  private stopReason: string | undefined;
  private stopSequence: string | undefined;
  stopped = false;

  event(e: AnthropicStreamEvent, out: StreamPart[]): void {
    switch (e.type) {
      case 'message_start':
        this.usage = mergeAnthropicUsage(this.usage, e.message.usage);
        out.push({ type: 'messageStart', role: 'assistant' });
        break;
      case 'content_block_start': {
        const b = e.content_block;
        if (b.type !== 'text' && b.type !== 'tool_use' && b.type !== 'thinking') return;
        const index = this.nextIndex++;
        this.indexes.set(e.index, index);
        if (b.type === 'tool_use') out.push({ type: 'contentBlockStart', index, toolUse: { toolUseId: b.id ?? '', name: b.name ?? '' } });
        else out.push({ type: 'contentBlockStart', index });
        if (b.type === 'text' && b.text) out.push({ type: 'contentBlockDelta', index, delta: { text: b.text } });
        break;
      }
      case 'content_block_delta': {
        const index = this.indexes.get(e.index);
        if (index === undefined) return;
        const d = e.delta;
        if (d.type === 'text_delta' && d.text) out.push({ type: 'contentBlockDelta', index, delta: { text: d.text } });
        else if (d.type === 'input_json_delta' && d.partial_json) {
          out.push({ type: 'contentBlockDelta', index, delta: { toolUse: { input: d.partial_json } } });
        } else if (d.type === 'thinking_delta' && d.thinking) {
          out.push({ type: 'contentBlockDelta', index, delta: { reasoningContent: { text: d.thinking } } });
        } else if (d.type === 'signature_delta' && d.signature) {
          out.push({ type: 'contentBlockDelta', index, delta: { reasoningContent: { signature: d.signature } } });
        }
        break;
      }
      case 'content_block_stop': {
        const index = this.indexes.get(e.index);
        if (index !== undefined) out.push({ type: 'contentBlockStop', index });
        break;
      }
      case 'message_delta':
        this.usage = mergeAnthropicUsage(this.usage, e.usage);
        if (e.delta?.stop_reason) this.stopReason = e.delta.stop_reason;
        if (e.delta?.stop_sequence) this.stopSequence = e.delta.stop_sequence;
        break;
      case 'message_stop':
        this.stopped = true;
        out.push({
          type: 'messageStop',
          stopReason: mapAnthropicStopReason(this.stopReason),
          rawStopReason: this.stopReason,
          additionalModelResponseFields: this.stopSequence ? { stop_sequence: this.stopSequence } : undefined,
        });
        out.push({ type: 'metadata', usage: mapAnthropicUsage(this.usage), latencyMs: 0 });
        break;
      default:
        e satisfies never;
    }
  }
}
