import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/**
 * The stores IAM tests run on: SQLite always, PostgreSQL when QUARRY_TEST_PG_URL names a server (each run in a
 * database of its own, dropped afterwards).
 */
export const PG_URL = process.env.QUARRY_TEST_PG_URL;

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  skip: string | false;
  open(dir: string): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

async function pgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `quarry_iam_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const DIALECTS: TestDialect[] = [
  {
    name: 'sqlite',
    skip: false,
    async open(dir) {
      const store = await openStore({ dataDir: dir });
      return { store, cleanup: () => store.close() };
    },
  },
  {
    name: 'postgres',
    skip: PG_URL ? false : 'set QUARRY_TEST_PG_URL to run against PostgreSQL',
    async open(dir) {
      const db = await pgDatabase();
      const store = await openStore({ dataDir: dir, url: db.url });
      return {
        store,
        async cleanup() {
          await store.close();
          await db.drop();
        },
      };
    },
  },
];
