import type { Budget, BudgetScope } from '../lib/budget-terms';
import type { Granularity, UsageAmounts, UsageRow } from '../lib/usage-series';
import type { ApiClient } from './api-client';

export type { Budget, BudgetScope };

/** The cost explorer (`POST /quarry/usage`) and budgets (`/quarry/budgets`, listed with `?status=true`), as the server answers them. */

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
  /** `body` is built by `budgetBody` (web/src/lib/budget-draft.ts); the server validates it and says what is wrong. */
  async createBudget(body: Record<string, unknown>): Promise<void> {
    await api.fetch('/quarry/budgets', { method: 'POST', body });
  },
  async updateBudget(name: string, body: Record<string, unknown>): Promise<void> {
    await api.fetch(`/quarry/budgets/${encodeURIComponent(name)}`, { method: 'PATCH', body });
  },
  async deleteBudget(name: string): Promise<void> {
    await api.fetch(`/quarry/budgets/${encodeURIComponent(name)}`, { method: 'DELETE' });
  },
});

export type UsageApi = ReturnType<typeof usageApi>;
