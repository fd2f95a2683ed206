// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import type { Migration } from 'kysely';

/** One row per guardrail: what all its versions share. */
export type GuardrailsTable = {
  id: string;
  /** The account that owns it; every query filters on it so tenants never see each other's guardrails. */
  scope: string;
  /** The DRAFT's name, unique in the account. */
  name: string;
  kms_key_id: string | null;
  /** JSON: Bedrock's `Tag[]` as given at creation. */
  tags: string;
  /** The number CreateGuardrailVersion gives next; never reused, even after a version is deleted (as on Bedrock). */
  next_version: number;
  created_at: string;
  updated_at: string;
};

/** The DRAFT (version 'DRAFT', number 0) and each numbered, immutable version. */
export type GuardrailVersionsTable = {
  guardrail_id: string;
  scope: string;
  version: string;
  /** 0 for DRAFT: lists sort numerically on it. */
  version_number: number;
  name: string;
  description: string | null;
  /** JSON: the policy configurations and blocked messages in their Bedrock request shape (`GuardrailConfig`). */
  config: string;
  /** Bumped by every UpdateGuardrail, so replicas can tell a cached compilation of the DRAFT is stale. */
  revision: number;
  status: string;
  created_at: string;
  updated_at: string;
};

export type GuardrailTables = {
  guardrails: GuardrailsTable;
  guardrail_versions: GuardrailVersionsTable;
};

export const guardrailMigrations: Record<string, Migration> = {
  '2026-11-23-40-guardrails': {
    async up(db) {
      await db.schema
        .createTable('guardrails')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kms_key_id', 'text')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('next_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('guardrails_scope_name').on('guardrails').columns(['scope', 'name']).unique().execute();
      await db.schema
        .createTable('guardrail_versions')
        .addColumn('guardrail_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('version_number', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('guardrail_versions_pk', ['guardrail_id', 'version'])
        .execute();
    },
  },
};
