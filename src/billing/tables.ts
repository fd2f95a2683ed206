import type { Migration } from 'kysely';

// A type (not an interface) so Kysely's withTables<T>() accepts it.
export type UsageRecordsTable = {
  id: string;
  request_id: string;
  time: string;
  principal: string;
  key_id: string;
  model_id: string;
  api: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  latency_ms: number;
  outcome: string;
};

export type BillingTables = { usage_records: UsageRecordsTable };

export const billingMigrations: Record<string, Migration> = {
  '2026-11-23-02-usage-records': {
    async up(db) {
      await db.schema
        .createTable('usage_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('api', 'text', (c) => c.notNull())
        .addColumn('input_tokens', 'integer', (c) => c.notNull())
        .addColumn('output_tokens', 'integer', (c) => c.notNull())
        .addColumn('cache_read_tokens', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cache_write_tokens', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cost_usd', 'double precision', (c) => c.notNull())
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('usage_records_time').on('usage_records').column('time').execute();
      await db.schema.createIndex('usage_records_principal_time').on('usage_records').columns(['principal', 'time']).execute();
    },
  },
};
