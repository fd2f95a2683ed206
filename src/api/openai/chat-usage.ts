import type { Usage } from '../../core/index.js';

/**
 * Canonical (Bedrock) usage counts cache reads and writes apart from `inputTokens`; OpenAI's `prompt_tokens` includes
 * them, with the cached part repeated in `prompt_tokens_details.cached_tokens`.
 */
export function chatUsage(u: Usage) {
  const prompt = u.inputTokens + (u.cacheReadInputTokens ?? 0) + (u.cacheWriteInputTokens ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: u.outputTokens,
    total_tokens: prompt + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
  };
}
