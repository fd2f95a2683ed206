import type { ModelKind, Pricing, Usage } from '../core/index.js';
import type { ModelPrice } from './pricing/model-price.js';

/**
 * Used where an entry gives no cache prices of its own. Bedrock bills a cache read below the input price and a cache
 * write above it (Claude: a tenth and 1.25×, a 5-minute cache); these are its Claude ratios, the common case. Models
 * priced otherwise (Nova writes at the input price, OpenAI reads at a half or a quarter) carry prices of their own.
 */
const CACHE_READ_RATIO = 0.1;
const CACHE_WRITE_RATIO = 1.25;

/** USD for one call at a model's configured prices (cache reads and writes at Bedrock's ratios, images per image). */
export function costOf(usage: Usage, pricing: Pricing | undefined, images = 0): number {
  if (!pricing) return 0;
  return costOfUsage({ usage, images }, { modelId: '', region: '*', asOf: '', source: '', ...pricing });
}

export interface Billable {
  usage: Usage;
  /** Embedding models bill input at the entry's embedding price where it has one. */
  kind?: ModelKind;
  /** Images in the request and answer, billed at `imagePerImage` for models priced by the image. */
  images?: number;
  /** Batch inference: the entry's batch discount applies. */
  batch?: boolean;
}

/**
 * USD for one call at a catalog entry's prices. Input, output, cache-read and cache-write tokens are priced apart
 * (usage counts cache tokens outside `inputTokens`, as Bedrock does); a missing cache price falls back to the input
 * price times Bedrock's ratio, a missing input or output price to nothing.
 */
export function costOfUsage(b: Billable, price: ModelPrice | undefined): number {
  if (!price) return 0;
  const u = b.usage;
  const inputRate = (b.kind === 'embedding' ? (price.embeddingPer1k ?? price.inputPer1k) : (price.inputPer1k ?? price.embeddingPer1k)) ?? 0;
  const cacheRead = price.cacheReadPer1k ?? inputRate * CACHE_READ_RATIO;
  const cacheWrite = price.cacheWritePer1k ?? inputRate * CACHE_WRITE_RATIO;
  const tokens =
    u.inputTokens * inputRate + (u.cacheReadInputTokens ?? 0) * cacheRead + (u.cacheWriteInputTokens ?? 0) * cacheWrite + u.outputTokens * (price.outputPer1k ?? 0);
  const total = tokens / 1000 + (b.images ?? 0) * (price.imagePerImage ?? 0);
  return b.batch ? total * (1 - (price.batchDiscount ?? 0)) : total;
}
