import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../store/index.js';

/**
 * The stores billing tests run on: SQLite always, PostgreSQL when QUARRY_TEST_PG_URL names a server (CI sets it).
 * Each PostgreSQL store lives in a schema of its own (search_path set on every pooled connection), dropped afterwards;
 * cheaper than a database per test and just as isolated.
 */
export const PG_URL = process.env.QUARRY_TEST_PG_URL;

export interface BillingTestStore {
  store: Store;
  cleanup(): Promise<void>;
}

export interface BillingTestDialect {
  name: 'sqlite' | 'postgres';
  skip: string | false;
  open(): Promise<BillingTestStore>;
}

async function pgSchemaStore(dir: string): Promise<BillingTestStore> {
  const schema = `quarry_billing_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const store = await openStore({ dataDir: dir, url: url.toString() });
  return {
    store,
    async cleanup() {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const BILLING_TEST_DIALECTS: BillingTestDialect[] = [
  {
    name: 'sqlite',
    skip: false,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'quarry-billing-'));
      const store = await openStore({ dataDir: dir });
      return {
        store,
        async cleanup() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: PG_URL ? false : 'set QUARRY_TEST_PG_URL to run against PostgreSQL',
    open: () => pgSchemaStore(mkdtempSync(join(tmpdir(), 'quarry-billing-pg-'))),
  },
];
