import type { Migration } from 'kysely';

/**
 * Stored limit overrides. `key_id` and `model_id` are `*` for "every key of the account" and "every model". A limit
 * column is null when the row does not set it (inherit) and -1 when it lifts the limit (unlimited).
 */
export type QuotaLimitsTable = {
  id: string;
  account_id: string;
  key_id: string;
  model_id: string;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  concurrent_requests: number | null;
  updated_at: string;
};

export type QuotaTables = { quota_limits: QuotaLimitsTable };

export const quotaMigrations: Record<string, Migration> = {
  '2026-11-24-60-quota-limits': {
    async up(db) {
      await db.schema
        .createTable('quota_limits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('requests_per_minute', 'integer')
        .addColumn('tokens_per_minute', 'integer')
        .addColumn('concurrent_requests', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('quota_limits_scope').on('quota_limits').columns(['account_id', 'key_id', 'model_id']).unique().execute();
    },
  },
};
