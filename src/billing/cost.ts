import type { Pricing, Usage } from '../core/index.js';

/** USD for one call. Cache reads bill at a tenth of input and cache writes at 1.25×, Bedrock's published ratios. */
export function costOf(usage: Usage, pricing: Pricing | undefined): number {
  if (!pricing) return 0;
  const input = usage.inputTokens * pricing.inputPer1k;
  const cacheRead = (usage.cacheReadInputTokens ?? 0) * pricing.inputPer1k * 0.1;
  const cacheWrite = (usage.cacheWriteInputTokens ?? 0) * pricing.inputPer1k * 1.25;
  const output = usage.outputTokens * pricing.outputPer1k;
  return (input + cacheRead + cacheWrite + output) / 1000;
}
