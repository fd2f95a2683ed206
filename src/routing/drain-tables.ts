import type { Migration } from 'kysely';

/**
 * Operators' runtime drains and restores, one row per deployment they touched. `drained` is 1 (drained) or 0
 * (restored, beating a configured `drained: true`); an integer rather than a boolean because SQLite has none.
 */
export type DeploymentDrainsTable = {
  deployment_id: string;
  drained: number;
  /** The principal who last changed it, for the console and `quarry routing ls`. */
  updated_by: string;
  updated_at: string;
};

export type DrainTables = { deployment_drains: DeploymentDrainsTable };

export const drainMigrations: Record<string, Migration> = {
  '2026-11-24-70-deployment-drains': {
    async up(db) {
      await db.schema
        .createTable('deployment_drains')
        .addColumn('deployment_id', 'text', (c) => c.primaryKey())
        .addColumn('drained', 'integer', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
