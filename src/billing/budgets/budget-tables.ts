import type { Migration } from 'kysely';

// Types (not interfaces) so Kysely's withTables<T>() accepts them.
export type BudgetsTable = {
  id: string;
  account_id: string;
  /** Unique in the account; the budget's ARN ends in it, as AWS Budgets' do. */
  name: string;
  amount_usd: number;
  /** BudgetPeriod. */
  period: string;
  /** BudgetScopeType. */
  scope_type: string;
  /** What the scope names: '' (account), a key id, a principal id, a model id, or `key=value` for a tag. */
  scope_value: string;
  /** How the scope was written (a user's name where scope_value holds the principal id). */
  scope_label: string;
  /** JSON array of { percent, basis }. */
  thresholds: string;
  webhook_url: string | null;
  /** BudgetAction. */
  action: string;
  route_model_id: string | null;
  created_at: string;
  updated_at: string;
};

/** One row per threshold that fired in a period: its primary key is what makes an alert go out once, on any replica. */
export type BudgetAlertsTable = {
  budget_id: string;
  /** The period's first instant (ISO). */
  period_start: string;
  /** `ACTUAL:80`, `FORECASTED:100`. */
  threshold: string;
  fired_at: string;
  spend_usd: number;
  /** `log`, `webhook`, or `webhook failed: …` (written after delivery). */
  delivery: string;
};

export type BudgetTables = { budgets: BudgetsTable; budget_alerts: BudgetAlertsTable };

export const budgetMigrations: Record<string, Migration> = {
  '2026-11-23-70-budgets': {
    async up(db) {
      await db.schema
        .createTable('budgets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('amount_usd', 'double precision', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('scope_type', 'text', (c) => c.notNull())
        .addColumn('scope_value', 'text', (c) => c.notNull())
        .addColumn('scope_label', 'text', (c) => c.notNull())
        .addColumn('thresholds', 'text', (c) => c.notNull())
        .addColumn('webhook_url', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('route_model_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('budgets_account_name', ['account_id', 'name'])
        .execute();
      await db.schema
        .createTable('budget_alerts')
        .addColumn('budget_id', 'text', (c) => c.notNull())
        .addColumn('period_start', 'text', (c) => c.notNull())
        .addColumn('threshold', 'text', (c) => c.notNull())
        .addColumn('fired_at', 'text', (c) => c.notNull())
        .addColumn('spend_usd', 'double precision', (c) => c.notNull())
        .addColumn('delivery', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('budget_alerts_pk', ['budget_id', 'period_start', 'threshold'])
        .execute();
    },
  },
};
