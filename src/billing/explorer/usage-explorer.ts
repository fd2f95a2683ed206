import { type AliasedRawBuilder, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../store/index.js';
import type { UsageRecordsTable } from '../tables.js';
import { forecastSpend, lookbackStart, monthOf, type SpendForecast } from './spend-forecast.js';
import { accountSql, type Dimension, dimensionSql } from './usage-dimensions.js';
import { type Granularity, MAX_GROUPS, type UsageFilter, type UsageQuery } from './usage-query.js';

// `principals` (iam/) is read in the user and account expressions for names and for records older than accounts.
type ExplorerTables = { usage_records: UsageRecordsTable };
type Query = SelectQueryBuilder<ExplorerTables & { u: UsageRecordsTable }, 'u', object>;

export interface UsageAmounts {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  images: number;
  costUsd: number;
  /** What response-cache hits would have cost. */
  savedUsd: number;
}

export interface UsageGroup extends UsageAmounts {
  /** The bucket's start (`2026-11-23` for days, `2026-11-23T14:00:00Z` for hours); absent without granularity. */
  period?: string;
  /** The group's value per dimension; null where records have none (an untagged request). */
  keys: Record<string, string | null>;
}

export interface UsageReport {
  start: string;
  end: string;
  granularity: Granularity;
  groupBy: Dimension[];
  groups: UsageGroup[];
  total: UsageAmounts;
  /** More groups matched than one answer returns (MAX_GROUPS). */
  truncated: boolean;
  forecast?: SpendForecast & { periodStart: string; periodEnd: string };
}

/** Whose usage a query may see: one account, or every account (the operator). */
export interface UsageScope {
  accountId?: string;
}

export interface UsageExplorerOptions {
  dialect: 'sqlite' | 'postgres';
  defaultAccountId: string;
  /** Runs before each query: the meter's flush, so records it holds (journaled, not yet stored) are counted. */
  beforeRead?: () => Promise<void>;
}


/**
 * Cost and tokens from usage_records, aggregated in the database (GROUP BY on the dimensions and a time bucket cut
 * from the ISO timestamp, which both dialects store as text that sorts by time): a query reads the time index's range
 * and returns at most MAX_GROUPS rows, whatever the number of records.
 */
export class UsageExplorer {
  private readonly db;

  constructor(
    db: Database,
    private readonly opts: UsageExplorerOptions,
  ) {
    this.db = db.withTables<ExplorerTables>();
  }

  async query(q: UsageQuery, scope: UsageScope, now = new Date()): Promise<UsageReport> {
    await this.opts.beforeRead?.();
    const dims = q.groupBy.map((d) => [d, dimensionSql(d, this.opts.defaultAccountId)] as const);
    const bucket = bucketExpr(q.granularity);
    const query = this.filtered(scope, q.filter, q.start, q.end);
    const selections: AliasedRawBuilder<unknown, string>[] = [...(bucket ? [bucket.as('period')] : []), ...dims.map(([, e], i) => e.as(`d${i}`))];
    // Grouped by position: PostgreSQL cannot tell that two bound parameters (an account default, a tag key) are the same
    // expression, so `GROUP BY <expr>` with parameters fails there; ordinals mean the same on both dialects.
    let rows = query.select([...selections, ...amountSelections()]);
    if (selections.length) rows = rows.groupBy(sql.raw(selections.map((_, i) => String(i + 1)).join(', ')) as never);
    rows = bucket ? rows.orderBy(sql`period`).orderBy(sql`cost_usd`, 'desc') : rows.orderBy(sql`cost_usd`, 'desc');
    const raw = (await rows.limit(MAX_GROUPS + 1).execute()) as Record<string, unknown>[];
    const truncated = raw.length > MAX_GROUPS;
    const groups = raw.slice(0, MAX_GROUPS).map((r) => ({
      ...(bucket ? { period: periodLabel(String(r.period), q.granularity) } : {}),
      keys: Object.fromEntries(dims.map(([d], i) => [d, r[`d${i}`] == null ? null : String(r[`d${i}`])])),
      ...amounts(r),
    }));
    // Summed here unless rows were left out; an ungrouped query is its own total.
    const total = truncated ? await this.totals(scope, q.filter, q.start, q.end) : sumOf(groups);
    const report: UsageReport = { start: q.start.toISOString(), end: q.end.toISOString(), granularity: q.granularity, groupBy: q.groupBy, groups, total, truncated };
    if (q.forecast) {
      const month = monthOf(now);
      report.forecast = { ...(await this.forecast(scope, q.filter, month.start, month.end, now)), periodStart: month.start.toISOString(), periodEnd: month.end.toISOString() };
    }
    return report;
  }

  /** Sums over [start, end) for a scope and filter (budgets read their spend here). */
  async totals(scope: UsageScope, filter: UsageFilter, start: Date, end: Date): Promise<UsageAmounts> {
    const r = await this.filtered(scope, filter, start, end).select(amountSelections()).executeTakeFirst();
    return amounts((r ?? {}) as Record<string, unknown>);
  }

  /** Cost per UTC day over [start, end). */
  async dailyCosts(scope: UsageScope, filter: UsageFilter, start: Date, end: Date): Promise<Map<string, number>> {
    const rows = (await this.filtered(scope, filter, start, end)
      .select([sql<string>`substr(u.time, 1, 10)`.as('day'), sql<number>`coalesce(sum(u.cost_usd), 0)`.as('cost')])
      .groupBy(sql.raw('1') as never)
      .execute()) as { day: string; cost: unknown }[];
    return new Map(rows.map((r) => [r.day, Number(r.cost)]));
  }

  /** The period's total forecast from its spend so far and the recent daily run-rate (spend-forecast.ts). */
  async forecast(scope: UsageScope, filter: UsageFilter, periodStart: Date, periodEnd: Date, now = new Date()): Promise<SpendForecast> {
    const from = new Date(Math.min(periodStart.getTime(), lookbackStart(now).getTime()));
    const daily = await this.dailyCosts(scope, filter, from, now);
    return forecastSpend({ periodStart, periodEnd, now, daily });
  }

  private filtered(scope: UsageScope, filter: UsageFilter, start: Date, end: Date): Query {
    let q: Query = this.db.selectFrom('usage_records as u').where('u.time', '>=', start.toISOString()).where('u.time', '<', end.toISOString());
    if (scope.accountId !== undefined) {
      // The first arm can use the (account_id, time) index; the second only looks at records older than that column.
      const old = sql<SqlBool>`${accountSql(this.opts.defaultAccountId)} = ${scope.accountId}`;
      q = q.where(sql<SqlBool>`(u.account_id = ${scope.accountId} or (u.account_id = '' and ${old}))`);
    }
    for (const [d, values] of Object.entries(filter) as [Dimension, string[]][]) {
      if (values?.length) q = q.where(sql<SqlBool>`${dimensionSql(d, this.opts.defaultAccountId)} in (${sql.join(values)})`);
    }
    return q;
  }
}

function bucketExpr(g: Granularity): RawBuilder<string> | undefined {
  if (g === 'day') return sql<string>`substr(u.time, 1, 10)`;
  if (g === 'hour') return sql<string>`substr(u.time, 1, 13)`;
  return undefined;
}

function periodLabel(raw: string, g: Granularity): string {
  return g === 'hour' ? `${raw}:00:00Z` : raw;
}

function amountSelections() {
  return [
    // A provisioned throughput's hourly charge (outcome ProvisionedHour) is spend, not a request.
    sql<number>`coalesce(sum(case when u.outcome = 'ProvisionedHour' then 0 else 1 end), 0)`.as('requests'),
    sql<number>`coalesce(sum(u.input_tokens), 0)`.as('input_tokens'),
    sql<number>`coalesce(sum(u.output_tokens), 0)`.as('output_tokens'),
    sql<number>`coalesce(sum(u.cache_read_tokens), 0)`.as('cache_read_tokens'),
    sql<number>`coalesce(sum(u.cache_write_tokens), 0)`.as('cache_write_tokens'),
    sql<number>`coalesce(sum(u.images), 0)`.as('images'),
    sql<number>`coalesce(sum(u.cost_usd), 0)`.as('cost_usd'),
    sql<number>`coalesce(sum(u.saved_usd), 0)`.as('saved_usd'),
  ];
}

// PostgreSQL returns count and integer sums as bigint strings; numbers here are far below 2^53.
function amounts(r: Record<string, unknown>): UsageAmounts {
  return {
    requests: Number(r.requests ?? 0),
    inputTokens: Number(r.input_tokens ?? 0),
    outputTokens: Number(r.output_tokens ?? 0),
    cacheReadTokens: Number(r.cache_read_tokens ?? 0),
    cacheWriteTokens: Number(r.cache_write_tokens ?? 0),
    images: Number(r.images ?? 0),
    costUsd: Number(r.cost_usd ?? 0),
    savedUsd: Number(r.saved_usd ?? 0),
  };
}

function sumOf(groups: readonly UsageAmounts[]): UsageAmounts {
  const t = amounts({});
  for (const g of groups) {
    t.requests += g.requests;
    t.inputTokens += g.inputTokens;
    t.outputTokens += g.outputTokens;
    t.cacheReadTokens += g.cacheReadTokens;
    t.cacheWriteTokens += g.cacheWriteTokens;
    t.images += g.images;
    t.costUsd += g.costUsd;
    t.savedUsd += g.savedUsd;
  }
  return t;
}
