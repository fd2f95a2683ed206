import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../src/store/index.js';
import { dropSchema } from './scale-out-cleanup.js';

/**
 * A store for a test that runs on both dialects: SQLite in `dir`, or the PostgreSQL at `pgUrl` in a fresh schema of
 * its own (named after `schemaPrefix`), so tests sharing the database never see each other's rows. `drop()` closes the
 * store and drops the schema.
 */
export async function openDialectStore(
  dialect: 'sqlite' | 'postgres',
  dir: string,
  pgUrl: string | undefined,
  schemaPrefix: string,
): Promise<{ store: Store; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const store = await openStore({ dataDir: dir });
    return { store, drop: () => store.close() };
  }
  if (!pgUrl) throw new Error('openDialectStore: postgres needs a PostgreSQL URL (QUARRY_TEST_PG_URL)');
  const schema = `${schemaPrefix}_${randomBytes(5).toString('hex')}`;
  const store = await openStore({ dataDir: dir, url: `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}` });
  return {
    store,
    async drop() {
      await store.close();
      await dropSchema(pgUrl, schema);
    },
  };
}
