import type { Usage } from '../../core/index.js';
import type { OpenAIUsage } from './openai-schemas.js';

/**
 * OpenAI counts cached prompt tokens inside `prompt_tokens`; Bedrock (and our metering, which prices cache reads
 * apart) counts them outside `inputTokens`. So the cached part is moved out, and the total stays the upstream's.
 */
export function mapOpenAIUsage(u: OpenAIUsage): Usage {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  const prompt = u.prompt_tokens ?? 0;
  const inputTokens = Math.max(0, prompt - cached);
  const outputTokens = u.completion_tokens ?? 0;
  const usage: Usage = { inputTokens, outputTokens, totalTokens: u.total_tokens ?? prompt + outputTokens, raw: u };
  if (cached > 0) usage.cacheReadInputTokens = cached;
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (reasoning) usage.reasoningTokens = reasoning;
  return usage;
}
