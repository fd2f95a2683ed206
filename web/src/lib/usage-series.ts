/**
 * Turns the cost explorer's rows (one per period and group) into what the dashboard draws: every bucket of the range
 * (empty ones too, so a quiet day shows as a gap instead of vanishing), the few largest groups as series and the rest
 * summed as "Other". Pure, so the tests run it without a browser.
 */

export type Granularity = 'hour' | 'day';

export interface UsageAmounts {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  images: number;
  costUsd: number;
  savedUsd: number;
}

export interface UsageRow extends UsageAmounts {
  period?: string;
  keys: Record<string, string | null>;
}

export const RANGES = [
  { id: '24h', label: 'Last 24 hours', granularity: 'hour' },
  { id: '7d', label: 'Last 7 days', granularity: 'day' },
  { id: '30d', label: 'Last 30 days', granularity: 'day' },
  { id: 'month', label: 'This month', granularity: 'day' },
] as const satisfies readonly { id: string; label: string; granularity: Granularity }[];
export type RangeId = (typeof RANGES)[number]['id'];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The query period of a range, in UTC (the explorer buckets by UTC day and hour): the first bucket starts whole. */
export function rangeBounds(id: RangeId, now: Date): { start: Date; end: Date; granularity: Granularity } {
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const midnight = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  switch (id) {
    case '24h':
      return { start: new Date(hour - 23 * HOUR_MS), end: now, granularity: 'hour' };
    case '7d':
      return { start: new Date(midnight - 6 * DAY_MS), end: now, granularity: 'day' };
    case '30d':
      return { start: new Date(midnight - 29 * DAY_MS), end: now, granularity: 'day' };
    case 'month':
      return { start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), end: now, granularity: 'day' };
    default: {
      const never: never = id;
      throw new Error(`unknown range ${String(never)}`);
    }
  }
}

/** Bucket labels exactly as the explorer writes them: `2026-11-23` for days, `2026-11-23T14:00:00Z` for hours. */
export function periodsBetween(start: Date, end: Date, g: Granularity): string[] {
  const step = g === 'hour' ? HOUR_MS : DAY_MS;
  const out: string[] = [];
  for (let t = Math.floor(start.getTime() / step) * step; t < end.getTime(); t += step) {
    const iso = new Date(t).toISOString();
    out.push(g === 'hour' ? `${iso.slice(0, 13)}:00:00Z` : iso.slice(0, 10));
  }
  return out;
}

/** What a null group value means, per dimension: an untagged request has no tag, a call without a deployment none. */
export function groupLabel(keys: Record<string, string | null>, dimension: string | undefined): string {
  if (!dimension) return 'All usage';
  const v = keys[dimension];
  if (v !== null && v !== undefined && v !== '') return v;
  return dimension.startsWith('tag:') ? `(no ${dimension.slice(4)} tag)` : `(no ${dimension})`;
}

export const zeroAmounts = (): UsageAmounts => ({ requests: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, images: 0, costUsd: 0, savedUsd: 0 });

function add(into: UsageAmounts, a: UsageAmounts): void {
  into.requests += a.requests;
  into.inputTokens += a.inputTokens;
  into.outputTokens += a.outputTokens;
  into.cacheReadTokens += a.cacheReadTokens;
  into.cacheWriteTokens += a.cacheWriteTokens;
  into.images += a.images;
  into.costUsd += a.costUsd;
  into.savedUsd += a.savedUsd;
}

export interface GroupTotal extends UsageAmounts {
  label: string;
}

/** The range's amounts per group, most expensive first (most tokens, then name, where spend ties). */
export function groupTotals(rows: readonly UsageRow[], dimension: string | undefined): GroupTotal[] {
  const by = new Map<string, GroupTotal>();
  for (const r of rows) {
    const label = groupLabel(r.keys, dimension);
    const g = by.get(label) ?? { label, ...zeroAmounts() };
    by.set(label, g);
    add(g, r);
  }
  return [...by.values()].sort((a, b) => b.costUsd - a.costUsd || b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || a.label.localeCompare(b.label));
}

export type Metric = 'cost' | 'tokens';
export const metricOf = (a: UsageAmounts, m: Metric): number => (m === 'cost' ? a.costUsd : a.inputTokens + a.outputTokens);

export interface Series {
  /** Series names, largest first; "Other" last when groups were folded into it. */
  names: string[];
  /** One entry per period, one value per series name. */
  points: { period: string; values: number[] }[];
}

export const OTHER = 'Other';

/**
 * Stacked series of one metric over every period: the `top` largest groups by spend over the range (then by tokens,
 * as the table sorts them, so a group keeps its colour and place in every chart), the rest as "Other". Groups with
 * neither spend nor tokens are left out. Rows outside the periods (a bucket the clock moved past) are dropped rather
 * than drawn out of place.
 */
export function seriesOf(rows: readonly UsageRow[], periods: readonly string[], dimension: string | undefined, metric: Metric, top = 5): Series {
  const ranked = groupTotals(rows, dimension)
    .filter((g) => g.costUsd > 0 || g.inputTokens + g.outputTokens > 0)
    .map((g) => g.label);
  const fold = ranked.length > top + 1;
  const names = fold ? [...ranked.slice(0, top), OTHER] : ranked;
  const index = new Map(names.map((n, i) => [n, i]));
  const at = new Map(periods.map((p, i) => [p, i]));
  const points = periods.map((period) => ({ period, values: names.map(() => 0) }));
  for (const r of rows) {
    const p = r.period === undefined ? undefined : at.get(r.period);
    if (p === undefined) continue;
    const i = index.get(groupLabel(r.keys, dimension)) ?? (fold ? index.get(OTHER) : undefined);
    if (i === undefined) continue;
    points[p]!.values[i]! += metricOf(r, metric);
  }
  return { names, points };
}

/** A period label for an axis or a tooltip: "Nov 23" for days, "Nov 23 14:00 UTC" for hours. */
export function periodLabel(period: string, g: Granularity): string {
  const d = new Date(g === 'day' ? `${period}T00:00:00Z` : period);
  const day = d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return g === 'day' ? day : `${day} ${period.slice(11, 16)} UTC`;
}
