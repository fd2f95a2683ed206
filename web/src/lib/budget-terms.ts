/** Budgets as the server answers them (`GET /quarry/budgets?status=true`). Types only, so the tests import them in Node. */

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
