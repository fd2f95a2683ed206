// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import type { Migration } from 'kysely';

/** One row per provisioned throughput (Bedrock's CreateProvisionedModelThroughput). */
export type ProvisionedThroughputsTable = {
  id: string;
  /** The owning account: only its requests may use the capacity, and every query filters on it. */
  scope: string;
  name: string;
  /** The catalog model the capacity serves (bare id, as the catalog lists it). */
  model_id: string;
  model_units: number;
  /** 'OneMonth', 'SixMonths', or '' for no commitment. */
  commitment: string;
  commitment_expires: string | null;
  status: string;
  failure_message: string | null;
  /** JSON: Bedrock's Tag[] as given at creation. */
  tags: string;
  /** The caller's clientRequestToken: a retried create returns the first one's ARN instead of buying twice. */
  request_token: string | null;
  created_at: string;
  updated_at: string;
  /** Set when deleted: billing stops at this time; the row stays for the cost history. */
  deleted_at: string | null;
};

/** Use of one provisioned throughput in one clock hour, summed across replicas (utilisation reporting). */
export type ProvisionedUsageTable = {
  pt_id: string;
  /** The hour's start, ISO 8601 UTC. */
  hour: string;
  requests: number;
  throttled: number;
  input_tokens: number;
  output_tokens: number;
  /** Milliseconds of requests in flight, summed: busy slot time, to set against the hour's slot capacity. */
  busy_ms: number;
};

export type ProvisionedTables = { provisioned_throughputs: ProvisionedThroughputsTable; provisioned_usage: ProvisionedUsageTable };

export const provisionedMigrations: Record<string, Migration> = {
  '2026-11-23-70-provisioned-throughput': {
    async up(db) {
      await db.schema
        .createTable('provisioned_throughputs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('model_units', 'integer', (c) => c.notNull())
        .addColumn('commitment', 'text', (c) => c.notNull())
        .addColumn('commitment_expires', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('failure_message', 'text')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('request_token', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema.createIndex('provisioned_throughputs_scope').on('provisioned_throughputs').columns(['scope', 'created_at']).execute();
      await db.schema
        .createTable('provisioned_usage')
        .addColumn('pt_id', 'text', (c) => c.notNull())
        .addColumn('hour', 'text', (c) => c.notNull())
        .addColumn('requests', 'integer', (c) => c.notNull())
        .addColumn('throttled', 'integer', (c) => c.notNull())
        .addColumn('input_tokens', 'bigint', (c) => c.notNull())
        .addColumn('output_tokens', 'bigint', (c) => c.notNull())
        .addColumn('busy_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('provisioned_usage_pk', ['pt_id', 'hour'])
        .execute();
    },
  },
};
