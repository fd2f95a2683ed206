import type { Usage } from '../../core/index.js';

/** Anthropic counts cache reads and writes apart from input_tokens, exactly as Converse does, so this is a rename. */
export function anthropicUsage(u: Usage) {
  return {
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: u.cacheWriteInputTokens ?? 0,
    cache_read_input_tokens: u.cacheReadInputTokens ?? 0,
  };
}
