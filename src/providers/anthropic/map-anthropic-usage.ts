import type { Usage } from '../../core/index.js';
import type { AnthropicUsage } from './anthropic-schemas.js';

/**
 * Anthropic already counts cache reads and writes outside `input_tokens`, as Bedrock does, so the fields map
 * one to one; the total is all four, as Bedrock reports it for Claude.
 */
export function mapAnthropicUsage(u: AnthropicUsage | null | undefined): Usage {
  const inputTokens = u?.input_tokens ?? 0;
  const outputTokens = u?.output_tokens ?? 0;
  const cacheRead = u?.cache_read_input_tokens ?? 0;
  const cacheWrite = u?.cache_creation_input_tokens ?? 0;
  const usage: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens + cacheRead + cacheWrite, raw: u };
  if (cacheRead) usage.cacheReadInputTokens = cacheRead;
  if (cacheWrite) usage.cacheWriteInputTokens = cacheWrite;
  const thinking = u?.output_tokens_details?.thinking_tokens;
  if (thinking) usage.reasoningTokens = thinking;
  return usage;
}

/** Streams report usage twice: input side in message_start, output (and sometimes revised input) in message_delta. */
export function mergeAnthropicUsage(a: AnthropicUsage | undefined, b: AnthropicUsage | null | undefined): AnthropicUsage | undefined {
  if (!b) return a;
  if (!a) return b;
  return {
    input_tokens: b.input_tokens ?? a.input_tokens,
    output_tokens: b.output_tokens ?? a.output_tokens,
    cache_read_input_tokens: b.cache_read_input_tokens ?? a.cache_read_input_tokens,
    cache_creation_input_tokens: b.cache_creation_input_tokens ?? a.cache_creation_input_tokens,
    output_tokens_details: b.output_tokens_details ?? a.output_tokens_details,
  };
}
