// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import type { Migration } from 'kysely';

/**
 * One audited call. Rows are append-only: each holds the hash of the one before it in its account's chain (`seq`
 * counts from 1 per account) and its own hash over every other column, so an edit, a deletion, an insertion or a
 * reordering breaks the chain where it happened. JSON columns hold canonical JSON text, hashed as stored.
 */
export type AuditEventsTable = {
  id: string;
  account_id: string;
  seq: number;
  event_time: string;
  /** The operation: the action's name for control-plane calls, the wire operation (Converse, ChatCompletions) for data-plane ones. */
  event_name: string;
  /** The IAM action the call was authorized as; null for a call that failed before it named one. */
  action: string | null;
  category: 'management' | 'data';
  read_only: number;
  principal_id: string;
  principal_name: string;
  principal_type: string;
  auth_method: string;
  key_id: string | null;
  /** SigV4 calls: the access key id the request was signed with. */
  access_key_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  /** JSON array of ARNs. */
  resources: string;
  /** JSON object with secrets redacted; null when the call carried none worth recording. */
  request_parameters: string | null;
  outcome: 'success' | 'error';
  error_code: string | null;
  error_message: string | null;
  http_status: number;
  request_id: string;
  wire_api: string;
  prev_hash: string;
  hash: string;
};

/**
 * The last link of each account's chain, moved in the same transaction as the events it covers. Writers serialise on
 * this row (compare-and-set on `seq`), and it is what makes a deleted or forged tail visible: the chain must end
 * exactly here.
 */
export type AuditChainHeadsTable = {
  account_id: string;
  seq: number;
  hash: string;
  updated_at: string;
};

export type AuditTables = { audit_events: AuditEventsTable; audit_chain_heads: AuditChainHeadsTable };

export const auditMigrations: Record<string, Migration> = {
  '2026-11-24-40-audit-events': {
    async up(db) {
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('event_time', 'text', (c) => c.notNull())
        .addColumn('event_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text')
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('read_only', 'integer', (c) => c.notNull())
        .addColumn('principal_id', 'text', (c) => c.notNull())
        .addColumn('principal_name', 'text', (c) => c.notNull())
        .addColumn('principal_type', 'text', (c) => c.notNull())
        .addColumn('auth_method', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text')
        .addColumn('access_key_id', 'text')
        .addColumn('source_ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('resources', 'text', (c) => c.notNull())
        .addColumn('request_parameters', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('http_status', 'integer', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('wire_api', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        // The chain's order, and what stops two writers from appending the same link.
        .addUniqueConstraint('audit_events_account_seq', ['account_id', 'seq'])
        .execute();
      await db.schema.createIndex('audit_events_account_time').on('audit_events').columns(['account_id', 'event_time', 'id']).execute();
      await db.schema.createIndex('audit_events_time').on('audit_events').columns(['event_time', 'id']).execute();
      await db.schema
        .createTable('audit_chain_heads')
        .addColumn('account_id', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
