import type { StreamPart } from '../../core/index.js';
import { mapOllamaDoneReason, mapOllamaUsage, newToolUseId } from './from-ollama-chat.js';
import type { OllamaChatChunk } from './ollama-schemas.js';

/**
 * `/api/chat` stream chunks → Bedrock-ordered parts. Chunks carry fragments of `thinking` and `content`, and tool
 * calls whole (Ollama parses them out of the model's output before sending), so a block opens when the kind of
 * fragment changes, and each tool call is a complete block of its own.
 */
export class OllamaStreamMapper {
  private nextIndex = 0;
  private open: 'text' | 'reasoning' | undefined;
  private sawToolCalls = false;
  done = false;

  chunk(c: OllamaChatChunk, out: StreamPart[]): void {
    const m = c.message;
    if (m?.thinking) {
      this.ensure('reasoning', out);
      out.push({ type: 'contentBlockDelta', index: this.nextIndex - 1, delta: { reasoningContent: { text: m.thinking } } });
    }
    if (m?.content) {
      this.ensure('text', out);
      out.push({ type: 'contentBlockDelta', index: this.nextIndex - 1, delta: { text: m.content } });
    }
    for (const call of m?.tool_calls ?? []) {
      this.close(out);
      this.sawToolCalls = true;
      const index = this.nextIndex++;
      out.push({ type: 'contentBlockStart', index, toolUse: { toolUseId: call.id ?? newToolUseId(), name: call.function.name } });
      out.push({ type: 'contentBlockDelta', index, delta: { toolUse: { input: JSON.stringify(call.function.arguments ?? {}) } } });
      out.push({ type: 'contentBlockStop', index });
    }
    if (c.done) {
      this.done = true;
      this.close(out);
      out.push({ type: 'messageStop', stopReason: mapOllamaDoneReason(c.done_reason, this.sawToolCalls), rawStopReason: c.done_reason ?? undefined });
      out.push({ type: 'metadata', usage: mapOllamaUsage(c), latencyMs: 0 });
    }
  }

  private ensure(kind: 'text' | 'reasoning', out: StreamPart[]): void {
    if (this.open === kind) return;
    this.close(out);
    this.open = kind;
    out.push({ type: 'contentBlockStart', index: this.nextIndex++ });
  }

  private close(out: StreamPart[]): void {
    if (!this.open) return;
    out.push({ type: 'contentBlockStop', index: this.nextIndex - 1 });
    this.open = undefined;
  }
}
