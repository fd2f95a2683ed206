import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openStore, type Store } from '../database.js';
import { migrate } from '../migrate.js';
import type { JobWorker } from './job-queue.js';
import { jobMigrations } from './jobs-table.js';

/**
 * For the job queue's tests (not part of the product): a migrated database per dialect, more connections to it (each
 * Store is what one replica would hold), and small async helpers. PostgreSQL runs when QUARRY_TEST_PG_URL names a
 * server; each run gets a database of its own.
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
      // pg's Pool.end() resolves when its clients have been asked to end, not when they have: a forced drop right away
      // terminates connections still closing, and an idle pg client's error is an uncaught exception in its process.
      for (let i = 0; i < 100; i++) {
        const r = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (r.rows[0].n === 0) break;
        await sleep(20);
      }
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

// Short leases and polls keep the suites fast; the logic does not depend on the durations.
export const LEASE = 300;
export const POLL = 20;
export const fast = { leaseMs: LEASE, pollMs: POLL };

export interface QueueSuite {
  /** Two connections to one database: two replicas. */
  store: Store;
  other: Store;
  /** Registers a worker to be stopped after the suite. */
  work(w: JobWorker): JobWorker;
  /** A job type of the test's own, so one database serves the whole suite. */
  t(name: string): string;
}

/** Declares the same tests once per dialect, each dialect in a database of its own. */
export function describeOnEachDialect(title: string, body: (s: QueueSuite) => void): void {
  for (const dialect of testDialects) {
    describe(`${title} on ${dialect}`, { skip: skipReason(dialect) }, () => {
      const dir = mkdtempSync(join(tmpdir(), `quarry-jobs-${dialect}-`));
      let db: TestDatabase | undefined;
      const workers: JobWorker[] = [];
      let seq = 0;
      const s = {
        work(w: JobWorker) {
          workers.push(w);
          return w;
        },
        t: (name: string) => `${name}-${seq++}`,
      } as QueueSuite;
      before(async () => {
        db = await createTestDatabase(dialect, dir);
        s.store = await db.connect();
        s.other = await db.connect();
      });
      after(async () => {
        await Promise.all(workers.map((w) => w.stop()));
        await db?.drop();
        rmSync(dir, { recursive: true, force: true });
      });
      body(s);
    });
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Resolves with the signal's reason once it aborts. */
export const aborted = (signal: AbortSignal) =>
  new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
