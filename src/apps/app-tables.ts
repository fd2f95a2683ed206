// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import type { Migration } from 'kysely';

/** One row per no-code app (the console's app builder). */
export type AppsTable = {
  id: string;
  /** The owning account: every query filters on it, so another account's app is simply not found. */
  scope: string;
  name: string;
  description: string;
  /** JSON: the widgets as validated at save time (app-schemas.ts `Widget[]`), in the order the builder shows them. */
  widgets: string;
  /** JSON: the guardrail (app-schemas.ts `AppGuardrail`) every generation call is checked with, or null. */
  guardrail: string | null;
  created_at: string;
  updated_at: string;
};

/**
 * A read-only link to one app. Only the token's SHA-256 is kept: the link is shown once, when made, as an API key is.
 * Runs made through it are the sharer's (`principal`): charged, metered and authorized as that principal.
 */
export type AppSharesTable = {
  id: string;
  scope: string;
  app_id: string;
  token_hash: string;
  /** JSON: the Principal that made the link, re-checked (its key still active, its policies) on every run. */
  principal: string;
  created_at: string;
  /** Set when revoked; the row stays so a revoked link is told apart from a link that never existed. */
  revoked_at: string | null;
};

/** The account's recent runs of an app (the last RECENT_RUNS_PER_APP), kept so one can be frozen as a snapshot. */
export type AppRunsTable = {
  id: string;
  scope: string;
  app_id: string;
  /** JSON: the inputs as given (the run's input outputs hold the values used). */
  inputs: string;
  /** JSON: the AppRun as the client received it. */
  run: string;
  created_at: string;
};

/** One run frozen with the app as it was then, readable by whoever has its link until it is deleted. */
export type AppSnapshotsTable = {
  id: string;
  scope: string;
  app_id: string;
  token_hash: string;
  app_name: string;
  app_description: string;
  /** JSON: the widgets when the run was made, so later edits of the app do not change what the snapshot shows. */
  widgets: string;
  run: string;
  created_at: string;
};

export type AppTables = { apps: AppsTable; app_shares: AppSharesTable; app_runs: AppRunsTable; app_snapshots: AppSnapshotsTable };

export const appMigrations: Record<string, Migration> = {
  '2026-11-23-80-apps': {
    async up(db) {
      await db.schema
        .createTable('apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('widgets', 'text', (c) => c.notNull())
        .addColumn('guardrail', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('apps_scope').on('apps').columns(['scope', 'id']).execute();
    },
  },
  '2026-11-23-81-app-shares': {
    async up(db) {
      await db.schema
        .createTable('app_shares')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('app_shares_app').on('app_shares').columns(['scope', 'app_id']).execute();
    },
  },
  '2026-11-23-82-app-snapshots': {
    async up(db) {
      await db.schema
        .createTable('app_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('inputs', 'text', (c) => c.notNull())
        .addColumn('run', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('app_runs_app').on('app_runs').columns(['scope', 'app_id', 'created_at']).execute();
      await db.schema
        .createTable('app_snapshots')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('app_name', 'text', (c) => c.notNull())
        .addColumn('app_description', 'text', (c) => c.notNull())
        .addColumn('widgets', 'text', (c) => c.notNull())
        .addColumn('run', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('app_snapshots_app').on('app_snapshots').columns(['scope', 'app_id']).execute();
    },
  },
};
