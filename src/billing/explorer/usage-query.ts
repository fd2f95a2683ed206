import { z } from 'zod';
import { type Dimension, isDimension } from './usage-dimensions.js';

export const GRANULARITIES = ['none', 'day', 'hour'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const DAY_MS = 86_400_000;
/**
 * The widest period one query may span, by granularity: bounded so that one request cannot make the database scan
 * years of records or return hundreds of thousands of buckets (31 days of hours is 744 per group).
 */
export const MAX_RANGE_DAYS: Record<Granularity, number> = { none: 366, day: 366, hour: 31 };
/** Rows one answer returns at most; beyond that it says `truncated` (narrow the period or the grouping). */
export const MAX_GROUPS = 5_000;
export const MAX_GROUP_BY = 4;
/** Each filtered tag is a lookup per record; a bound keeps one request from asking for thousands. */
export const MAX_FILTERS = 8;

const dimension = z.string().refine(isDimension, {
  message: 'expected a dimension: model, key, user, principal, account, api, outcome, region, deployment, provider or tag:<name>',
}) as unknown as z.ZodType<Dimension>;

// `2026-11-01` (midnight UTC) or a full ISO time with a zone; anything else is refused rather than guessed at.
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

export const usageQuerySchema = z
  .object({
    groupBy: z
      .array(dimension)
      .max(MAX_GROUP_BY)
      .refine((a) => new Set(a).size === a.length, 'a dimension is named twice')
      .default([]),
    granularity: z.enum(GRANULARITIES).default('day'),
    /** Inclusive; the first day of the current month (UTC) when absent. */
    start: instant.optional(),
    /** Exclusive; now when absent. */
    end: instant.optional(),
    /** Only records whose dimension has one of the values (e.g. `{ "model": ["a", "b"], "tag:team": ["search"] }`). */
    filter: z
      .record(z.string(), z.array(z.string().max(512)).min(1).max(100))
      .refine((f) => Object.keys(f).length <= MAX_FILTERS, `at most ${MAX_FILTERS} dimensions may be filtered on`)
      .optional(),
    /** Add a forecast of the current month's total for the same filter. */
    forecast: z.boolean().default(false),
    /** Operators only: one account's usage (everyone else sees their own account's alone). */
    accountId: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    for (const k of Object.keys(q.filter ?? {})) {
      if (!isDimension(k)) ctx.addIssue({ code: 'custom', path: ['filter', k], message: `${k} is not a dimension to filter on` });
    }
  });

export type UsageQueryInput = z.input<typeof usageQuerySchema>;
export type UsageFilter = Partial<Record<Dimension, string[]>>;

export interface UsageQuery {
  groupBy: Dimension[];
  granularity: Granularity;
  start: Date;
  end: Date;
  filter: UsageFilter;
  forecast: boolean;
  accountId?: string;
}

/** Defaults filled in and the period checked against the bounds; throws a message for the caller to show. */
export function resolveUsageQuery(q: z.infer<typeof usageQuerySchema>, now: Date): UsageQuery | string {
  const end = q.end ?? now;
  const start = q.start ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  if (!(end.getTime() > start.getTime())) return `end (${end.toISOString()}) must be after start (${start.toISOString()})`;
  const days = (end.getTime() - start.getTime()) / DAY_MS;
  const max = MAX_RANGE_DAYS[q.granularity];
  if (days > max) return `a ${q.granularity === 'none' ? 'query' : `${q.granularity}-by-${q.granularity} query`} may span at most ${max} days; this one spans ${Math.ceil(days)}`;
  return { groupBy: q.groupBy, granularity: q.granularity, start, end, filter: (q.filter ?? {}) as UsageFilter, forecast: q.forecast, accountId: q.accountId };
}
