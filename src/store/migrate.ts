import { type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';
import type { Database } from './database.js';

/** First half of the two-key advisory lock: Quarry's migrations (the second half is the schema's hash). */
const MIGRATE_LOCK_CLASS = 0x51_52_59_4d; // "QRYM"

/**
 * Runs every domain's migrations in name order. Domains export `Record<name, Migration>` with names prefixed by a
 * date (`2026-11-23-api-keys`), so one global order holds however the records are merged. Unordered migrations are
 * allowed: a domain added later may carry a name that sorts before ones already applied.
 *
 * Several replicas may start at once. Kysely locks the migration run itself, but before taking its lock it creates its
 * bookkeeping tables, and on PostgreSQL two concurrent `CREATE TABLE IF NOT EXISTS` can still fail on the catalog's
 * unique index. So on PostgreSQL the whole run holds a session advisory lock keyed by the current schema: replicas of
 * one deployment queue behind each other, deployments in other schemas of the same database do not.
 */
export async function migrate(db: Database, ...sets: Record<string, Migration>[]): Promise<void> {
  const all: Record<string, Migration> = {};
  for (const set of sets) {
    for (const [name, m] of Object.entries(set)) {
      if (all[name]) throw new Error(`Two migrations are named ${name}`);
      all[name] = m;
    }
  }
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return runMigrator(db, all);
  // The lock lives on one connection for the whole run; the migrator uses other pooled connections meanwhile.
  await db.connection().execute(async (conn) => {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(conn);
    const schema = rows[0]?.schema;
    if (!schema) throw new Error('Database migration failed: no schema on the search path exists');
    await sql`select pg_advisory_lock(${MIGRATE_LOCK_CLASS}, hashtext(${schema}))`.execute(conn);
    try {
      // Naming the schema keeps Kysely from taking another schema's kysely_migration table for this one's.
      await runMigrator(db, all, schema);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATE_LOCK_CLASS}, hashtext(${schema}))`.execute(conn);
    }
  });
}

async function runMigrator(db: Database, all: Record<string, Migration>, migrationTableSchema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => all };
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${(error as Error).message ?? error}`, { cause: error });
  }
}
