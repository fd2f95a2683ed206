import type { StopReason, StreamPart, Usage } from '../../core/index.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage } from './map-openai-usage.js';
import type { OpenAIChunk, OpenAIUsage } from './openai-schemas.js';

type OpenBlock = { kind: 'text' } | { kind: 'reasoning' } | { kind: 'tool'; call: number };

/**
 * Turns Chat Completions chunks into Bedrock-ordered parts. Chat Completions has no block boundaries: text, reasoning
 * and tool-call fragments simply arrive, so a block opens when the kind of fragment changes and closes when the next
 * one opens. Tool calls are keyed by their `index`; servers send them one after another, never interleaved.
 */
export class OpenAIStreamMapper {
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private finishReason: string | undefined;
  private matchedStop: string | number | undefined;
  private sawToolCalls = false;
  private usage: OpenAIUsage | undefined;
  /** Text produced so far, kept only for estimating usage when the upstream reports none. */
  readonly produced: string[] = [];

  constructor(private readonly stopSequences: readonly string[] | undefined) {}

  /** True once a choice reported why it finished: a stream that ends before this was cut off. */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  get reportedUsage(): boolean {
    return this.usage !== undefined;
  }

  chunk(c: OpenAIChunk, out: StreamPart[]): void {
    if (c.usage) this.usage = c.usage;
    const choice = c.choices?.[0];
    if (!choice || (choice.index ?? 0) !== 0) return;
    const d = choice.delta;
    if (d) {
      const reasoning = d.reasoning_content ?? d.reasoning;
      if (reasoning) {
        this.ensure({ kind: 'reasoning' }, out);
        out.push({ type: 'contentBlockDelta', index: this.nextIndex - 1, delta: { reasoningContent: { text: reasoning } } });
        this.produced.push(reasoning);
      }
      if (d.content) {
        this.ensure({ kind: 'text' }, out);
        out.push({ type: 'contentBlockDelta', index: this.nextIndex - 1, delta: { text: d.content } });
        this.produced.push(d.content);
      }
      if (d.tool_calls) {
        for (const t of d.tool_calls) {
          const call = t.index ?? 0;
          this.sawToolCalls = true;
          if (this.open?.kind !== 'tool' || this.open.call !== call) {
            this.close(out);
            this.open = { kind: 'tool', call };
            out.push({
              type: 'contentBlockStart',
              index: this.nextIndex++,
              toolUse: { toolUseId: t.id ?? `call_${call}`, name: t.function?.name ?? '' },
            });
          }
          const args = t.function?.arguments;
          if (args) {
            out.push({ type: 'contentBlockDelta', index: this.nextIndex - 1, delta: { toolUse: { input: args } } });
            this.produced.push(args);
          }
        }
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    if (choice.stop_reason !== undefined && choice.stop_reason !== null) this.matchedStop = choice.stop_reason;
  }

  /** Closes the open block and reports why the message stopped, with the upstream's usage or else `fallback`. */
  end(out: StreamPart[], fallback: Usage | undefined): void {
    this.close(out);
    const stopReason: StopReason = mapOpenAIFinishReason(this.finishReason, this.sawToolCalls, this.matchedStop, this.stopSequences);
    out.push({ type: 'messageStop', stopReason, rawStopReason: this.finishReason });
    out.push({ type: 'metadata', usage: this.usage ? mapOpenAIUsage(this.usage) : (fallback ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 }), latencyMs: 0 });
  }

  private ensure(block: { kind: 'text' | 'reasoning' }, out: StreamPart[]): void {
    if (this.open?.kind === block.kind) return;
    this.close(out);
    this.open = block;
    out.push({ type: 'contentBlockStart', index: this.nextIndex++ });
  }

  private close(out: StreamPart[]): void {
    if (!this.open) return;
    out.push({ type: 'contentBlockStop', index: this.nextIndex - 1 });
    this.open = undefined;
  }
}
