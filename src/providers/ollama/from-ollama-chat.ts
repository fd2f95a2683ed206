import { randomBytes } from 'node:crypto';
import type { ContentBlock, ConverseResult, StopReason, Usage } from '../../core/index.js';
import { upstreamReturned } from './map-ollama-error.js';
import { type OllamaChatChunk, ollamaChatChunkSchema } from './ollama-schemas.js';

/** A non-streaming `/api/chat` answer (as the client parsed it) → canonical result. */
export function fromOllamaChat(response: unknown): ConverseResult {
  const parsed = ollamaChatChunkSchema.safeParse(response);
  if (!parsed.success) throw upstreamReturned('a body that is not a chat response', parsed.error);
  const r = parsed.data;
  const content: ContentBlock[] = [];
  if (r.message?.thinking) content.push({ reasoningContent: { reasoningText: { text: r.message.thinking } } });
  if (r.message?.content) content.push({ text: r.message.content });
  for (const call of r.message?.tool_calls ?? []) {
    content.push({ toolUse: { toolUseId: call.id ?? newToolUseId(), name: call.function.name, input: call.function.arguments ?? {} } });
  }
  return {
    message: { role: 'assistant', content },
    stopReason: mapOllamaDoneReason(r.done_reason, (r.message?.tool_calls?.length ?? 0) > 0),
    rawStopReason: r.done_reason ?? undefined,
    usage: mapOllamaUsage(r),
    latencyMs: 0,
  };
}

/** Ollama says `stop` for a natural end, a stop sequence and a tool call alike; `length` when num_predict ran out. */
export function mapOllamaDoneReason(reason: string | null | undefined, hasToolCalls: boolean): StopReason {
  if (hasToolCalls) return 'tool_use';
  if (reason === 'length') return 'max_tokens';
  return 'end_turn';
}

export function mapOllamaUsage(r: OllamaChatChunk): Usage {
  const inputTokens = r.prompt_eval_count ?? 0;
  const outputTokens = r.eval_count ?? 0;
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    raw: { prompt_eval_count: r.prompt_eval_count, eval_count: r.eval_count },
  };
}

/** Ollama before 0.12 gives tool calls no id; the canonical format needs one to pair the result with the call. */
export function newToolUseId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}
