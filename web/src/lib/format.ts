/** Display helpers shared by the pages. Pure, so the tests run them without a browser. */

export interface Pricing {
  inputPer1k: number;
  outputPer1k: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Tokens read from the prompt cache, billed at a tenth of the input price (Bedrock's ratio, as the server meters). */
  cacheReadTokens?: number;
}

/** USD for one call, the way the server's meter computes it; undefined when the catalog has no price. */
export function costOf(usage: TokenUsage, pricing: Pricing | undefined): number | undefined {
  if (!pricing) return undefined;
  const cached = usage.cacheReadTokens ?? 0;
  const fresh = Math.max(0, usage.inputTokens - cached);
  return (fresh * pricing.inputPer1k + cached * pricing.inputPer1k * 0.1 + usage.outputTokens * pricing.outputPer1k) / 1000;
}

/** Dollars with enough digits that a thousandth of a cent still shows: "$0.000028", "$0.42", "$12.50". */
export function formatUsd(usd: number | undefined): string {
  if (usd === undefined || !Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd >= 0.01) return `$${usd.toFixed(3).replace(/0$/, '')}`;
  return `$${usd.toPrecision(2).replace(/\.?0+$/, '')}`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US');
}

/** A price per 1K tokens, "$0.0010 / $0.0020" style digits kept short. */
export function formatPrice(perThousand: number): string {
  if (perThousand === 0) return 'free';
  return `$${perThousand < 0.01 ? perThousand.toPrecision(2) : perThousand.toFixed(perThousand < 1 ? 4 : 2).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** "131,072 tokens" → "128K": context windows are powers of two more often than not. */
export function formatTokensShort(n: number | undefined): string {
  if (n === undefined) return '—';
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)}M`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}K`;
  if (n >= 1000) return `${Math.round(n / 100) / 10}K`;
  return String(n);
}
