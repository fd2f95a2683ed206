import type { Granularity, UsageAmounts, UsageRow } from '../lib/usage-series';
import type { ApiClient } from './api-client';

/** The cost explorer (`POST /quarry/usage`) and budgets (`GET /quarry/budgets?status=true`), as the server answers them. */

export interface UsageReport {
  start: string;
  end: string;
  granularity: Granularity | 'none';
  groupBy: string[];
  groups: UsageRow[];
  total: UsageAmounts;
  truncated: boolean;
  /** The current month's total, forecast from its spend so far and the recent daily run-rate (80% interval). */
  forecast?: { actualUsd: number; forecastUsd: number; lowUsd: number; highUsd: number; dailyRateUsd: number; basisDays: number; periodStart: string; periodEnd: string };
}

export interface UsageQuery {
  groupBy: string[];
  granularity: Granularity;
  start: string;
  end: string;
  forecast: boolean;
}

export type BudgetScope =
  | { type: 'account' }
  | { type: 'key'; keyId: string }
  | { type: 'user'; userName: string }
  | { type: 'model'; modelId: string }
  | { type: 'tag'; key: string; value: string };

export interface Budget {
  name: string;
  amountUsd: number;
  period: 'DAILY' | 'MONTHLY' | 'QUARTERLY';
  scope: BudgetScope;
  action: 'NONE' | 'DENY' | 'ROUTE';
  routeModelId: string | null;
  status?: {
    periodStart: string;
    periodEnd: string;
    actualUsd: number;
    reservedUsd: number;
    percentUsed: number;
    exceeded: boolean;
  };
}

export function scopeText(s: BudgetScope): string {
  switch (s.type) {
    case 'account':
      return 'Whole account';
    case 'key':
      return `Key ${s.keyId}`;
    case 'user':
      return `User ${s.userName}`;
    case 'model':
      return `Model ${s.modelId}`;
    case 'tag':
      return `Tag ${s.key}=${s.value}`;
    default: {
      const never: never = s;
      return String(never);
    }
  }
}

export const usageApi = (api: ApiClient) => ({
  query(q: UsageQuery, signal?: AbortSignal): Promise<UsageReport> {
    // POST: the same query as the GET form, without squeezing a tag key with spaces or `=` into the query string.
    return api.json<UsageReport>('/quarry/usage', { method: 'POST', body: q, signal });
  },
  async budgets(signal?: AbortSignal): Promise<Budget[]> {
    return (await api.json<{ budgets: Budget[] }>('/quarry/budgets?status=true', { signal })).budgets;
  },
});

export type UsageApi = ReturnType<typeof usageApi>;
