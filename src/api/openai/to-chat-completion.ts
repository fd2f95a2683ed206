import type { ConverseResult } from '../../core/index.js';
import { chatUsage } from './chat-usage.js';
import { mapFinishReason } from './map-finish-reason.js';

/** What every response and chunk of one completion repeats. `model` is the id the client asked for. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

/**
 * Canonical result → `chat.completion`. Reasoning travels as `reasoning_content`, the field vLLM, DeepSeek and the
 * Vercel AI SDK's OpenAI-compatible provider read; OpenAI's own clients ignore it.
 */
export function toChatCompletion(result: ConverseResult, meta: CompletionMeta) {
  let text = '';
  let reasoning = '';
  const toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  for (const b of result.message.content) {
    if ('text' in b) text += b.text;
    else if ('toolUse' in b) {
      toolCalls.push({ id: b.toolUse.toolUseId, type: 'function', function: { name: b.toolUse.name, arguments: JSON.stringify(b.toolUse.input ?? {}) } });
    } else if ('reasoningContent' in b && b.reasoningContent.reasoningText) reasoning += b.reasoningContent.reasoningText.text;
  }
  return {
    id: meta.id,
    object: 'chat.completion' as const,
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          // OpenAI sends null, not "", when the turn is only tool calls.
          content: text || !toolCalls.length ? text : null,
          refusal: null,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: mapFinishReason(result.stopReason),
      },
    ],
    usage: chatUsage(result.usage),
    // Quarry's: what the requested guardrail did (`action`) and, when asked for, its trace in Bedrock's shape.
    ...(result.guardrail ? { guardrail: result.guardrail } : {}),
  };
}
