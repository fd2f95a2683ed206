import type { Migration } from 'kysely';

// A type (not an interface) so Kysely's withTables<T>() accepts it.
export type UsageRecordsTable = {
  /** The record's idempotency key: made once per invocation and kept through every retry of the write. */
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
  // Added by 2026-11-23-50-usage-records-metering; rows written before it hold the defaults.
  /** The account (project) the principal acts in. */
  account_id: string;
  /** The deployment that answered (the model id itself when routing is not configured; '' for a cache hit). */
  deployment_id: string;
  /** The provider instance that answered. */
  provider_id: string;
  /** The region the answer was priced in: the deployment's, else the server's. */
  region: string;
  /** Image blocks in the request and the answer. */
  images: number;
  /** Cost-allocation tags as a JSON object of strings (requestMetadata and the x-quarry-tags header); '{}' for none. */
  tags: string;
  /** 1 when the response cache answered (outcome 'CacheHit'); cost_usd is then 0 and saved_usd what it would have cost. */
  cache_hit: number;
  saved_usd: number;
};

/** One row per tag of a usage record, so usage can be grouped by tag with plain SQL on both dialects. */
export type UsageTagsTable = {
  record_id: string;
  key: string;
  value: string;
};

/** A pricing catalog entry edited through the API or CLI; it replaces the built-in entry for the same model and region. */
export type ModelPricesTable = {
  model_id: string;
  /** '*' for every region without an entry of its own. */
  region: string;
  input_per_1k: number | null;
  output_per_1k: number | null;
  cache_read_per_1k: number | null;
  cache_write_per_1k: number | null;
  batch_discount: number | null;
  embedding_per_1k: number | null;
  image_per_image: number | null;
  pt_no_commit_per_hour: number | null;
  pt_1_month_per_hour: number | null;
  pt_6_month_per_hour: number | null;
  pt_unit_input_tpm: number | null;
  pt_unit_output_tpm: number | null;
  as_of: string;
  source: string;
  updated_at: string;
};

export type BillingTables = { usage_records: UsageRecordsTable; usage_tags: UsageTagsTable; model_prices: ModelPricesTable };

const PRICE_COLUMNS = [
  'input_per_1k',
  'output_per_1k',
  'cache_read_per_1k',
  'cache_write_per_1k',
  'batch_discount',
  'embedding_per_1k',
  'image_per_image',
  'pt_no_commit_per_hour',
  'pt_1_month_per_hour',
  'pt_6_month_per_hour',
  'pt_unit_input_tpm',
  'pt_unit_output_tpm',
] as const;

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
  '2026-11-23-50-usage-records-metering': {
    async up(db) {
      // One column per ALTER: SQLite adds columns one at a time. NOT NULL with a default fills the existing rows.
      const text = [
        ['account_id', ''],
        ['deployment_id', ''],
        ['provider_id', ''],
        ['region', ''],
        ['tags', '{}'],
      ] as const;
      for (const [name, dflt] of text) await db.schema.alterTable('usage_records').addColumn(name, 'text', (c) => c.notNull().defaultTo(dflt)).execute();
      await db.schema.alterTable('usage_records').addColumn('images', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('usage_records').addColumn('cache_hit', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('usage_records').addColumn('saved_usd', 'double precision', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('usage_records_request_id').on('usage_records').column('request_id').execute();
      await db.schema.createIndex('usage_records_account_time').on('usage_records').columns(['account_id', 'time']).execute();
      await db.schema
        .createTable('usage_tags')
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_tags_pk', ['record_id', 'key'])
        .execute();
      await db.schema.createIndex('usage_tags_key_value').on('usage_tags').columns(['key', 'value']).execute();
    },
  },
  '2026-11-23-51-model-prices': {
    async up(db) {
      let t = db.schema
        .createTable('model_prices')
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull());
      for (const col of PRICE_COLUMNS) t = t.addColumn(col, 'double precision');
      await t
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_prices_pk', ['model_id', 'region'])
        .execute();
    },
  },
};
