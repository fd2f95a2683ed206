import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Database } from './database.js';

/**
 * Runs every domain's migrations in name order. Domains export `Record<name, Migration>` with names prefixed by a
 * date (`2026-11-23-api-keys`), so one global order holds however the records are merged. Kysely's migrator takes a
 * lock table, so several replicas starting at once migrate safely. Unordered migrations are allowed: a domain added
 * later may carry a name that sorts before ones already applied.
 */
export async function migrate(db: Database, ...sets: Record<string, Migration>[]): Promise<void> {
  const all: Record<string, Migration> = {};
  for (const set of sets) {
    for (const [name, m] of Object.entries(set)) {
      if (all[name]) throw new Error(`Two migrations are named ${name}`);
      all[name] = m;
    }
  }
  const provider: MigrationProvider = { getMigrations: async () => all };
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${(error as Error).message ?? error}`, { cause: error });
  }
}
