import type { TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { Usage } from '../../core/index.js';

/** Bedrock's usage is the canonical shape; only absent fields need defaults. */
export function mapBedrockUsage(u: TokenUsage | undefined): Usage {
  const inputTokens = u?.inputTokens ?? 0;
  const outputTokens = u?.outputTokens ?? 0;
  const usage: Usage = { inputTokens, outputTokens, totalTokens: u?.totalTokens ?? inputTokens + outputTokens, raw: u };
  if (u?.cacheReadInputTokens) usage.cacheReadInputTokens = u.cacheReadInputTokens;
  if (u?.cacheWriteInputTokens) usage.cacheWriteInputTokens = u.cacheWriteInputTokens;
  return usage;
}
