import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../database.js';
import { migrate } from '../migrate.js';
import { jobMigrations } from './jobs-table.js';

/**
 * For the job queue's tests: a migrated database per dialect, and more connections to it (each Store is what one
 * replica would hold). PostgreSQL runs when QUARRY_TEST_PG_URL names a server; each run gets a database of its own.
 */
export const PG_URL = process.env.QUARRY_TEST_PG_URL;

export interface TestDatabase {
  /** What openStore takes to reach this database (a sqlite: file URL, or a postgres:// URL). */
  url: string;
  connect(): Promise<Store>;
  drop(): Promise<void>;
}

export const testDialects = ['sqlite', 'postgres'] as const;

export function skipReason(dialect: (typeof testDialects)[number]): string | false {
  return dialect === 'postgres' && !PG_URL ? 'set QUARRY_TEST_PG_URL to run against PostgreSQL' : false;
}

export async function createTestDatabase(dialect: (typeof testDialects)[number], dir: string): Promise<TestDatabase> {
  const stores: Store[] = [];
  let url: string;
  let dropDb = async () => {};
  if (dialect === 'sqlite') {
    url = `sqlite:${dir}/jobs-${randomBytes(4).toString('hex')}.db`;
  } else {
    const name = `quarry_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG_URL!);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const connect = async () => {
    const store = await openStore({ dataDir: dir, url });
    stores.push(store);
    return store;
  };
  await migrate((await connect()).db, jobMigrations);
  return {
    url,
    connect,
    async drop() {
      await Promise.all(stores.map((s) => s.close().catch(() => {})));
      await dropDb();
    },
  };
}
