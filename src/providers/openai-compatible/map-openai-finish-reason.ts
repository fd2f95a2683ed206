import type { StopReason } from '../../core/index.js';

/**
 * Chat Completions `finish_reason` → Bedrock stop reason. Two quirks: llama.cpp and some LocalAI builds say `stop`
 * even when the message holds tool calls, so the calls decide; and OpenAI does not tell a stop sequence from a natural
 * end, but vLLM names the stop string in `stop_reason`.
 */
export function mapOpenAIFinishReason(
  finishReason: string | null | undefined,
  hasToolCalls: boolean,
  matchedStop: string | number | null | undefined,
  stopSequences: readonly string[] | undefined,
): StopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'content_filtered';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      if (hasToolCalls) return 'tool_use';
      if (typeof matchedStop === 'string' && stopSequences?.includes(matchedStop)) return 'stop_sequence';
      return 'end_turn';
  }
}
