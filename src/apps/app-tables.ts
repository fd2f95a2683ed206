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

export type AppTables = { apps: AppsTable };

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
};
