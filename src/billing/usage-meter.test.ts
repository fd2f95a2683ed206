import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { silentLogger } from '../core/index.js';
import { migrate, openStore, type Store } from '../store/index.js';
import { billingMigrations } from './tables.js';
import { UsageMeter } from './usage-meter.js';
import { testUsageRecord } from './usage-test-kit.js';

// Both dialects: PostgreSQL when QUARRY_TEST_PG_URL names a server (a database of its own, dropped afterwards).
const PG_URL = process.env.QUARRY_TEST_PG_URL;

async function openDialect(name: 'sqlite' | 'postgres', dir: string): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (name === 'sqlite') {
    const store = await openStore({ dataDir: dir });
    return { store, cleanup: () => store.close() };
  }
  const db = `quarry_meter_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${db}`;
  const store = await openStore({ dataDir: dir, url: url.toString() });
  return {
    store,
    async cleanup() {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await c.end();
    },
  };
}

const record = testUsageRecord;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`usage meter on ${dialect}`, { skip: dialect === 'postgres' && !PG_URL ? 'set QUARRY_TEST_PG_URL to run against PostgreSQL' : false }, () => {
    let store: Store;
    let dir: string;
    let cleanup: () => Promise<void>;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'quarry-meter-'));
      ({ store, cleanup } = await openDialect(dialect, dir));
      await migrate(store.db, billingMigrations);
    });
    after(async () => {
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const count = async (requestPrefix: string) =>
      Number(
        (
          await sql<{ n: number }>`SELECT COUNT(*) AS n FROM usage_records WHERE request_id LIKE ${`${requestPrefix}%`}`.execute(store.db)
        ).rows[0]!.n,
      );

    test('durable: a record is stored when record() resolves, and concurrent records share commits', async () => {
      const meter = new UsageMeter(store.db, silentLogger);
      await meter.record(record('one'));
      assert.equal(await count('one'), 1);
      await Promise.all(Array.from({ length: 500 }, (_, i) => meter.record(record(`many-${i}`))));
      assert.equal(await count('many-'), 500);
      const s = meter.stats();
      assert.equal(s.records, 501);
      assert.ok(s.commits <= 10, `500 concurrent records took ${s.commits} commits`);
      assert.ok(s.largestGroup >= 100);
    });

    test('idempotent: writing a record id again inserts nothing', async () => {
      const meter = new UsageMeter(store.db, silentLogger);
      const id = 'fixed-id-1';
      await meter.record(record('idem', { id }));
      await meter.record(record('idem', { id, input_tokens: 99 }));
      await Promise.all([meter.record(record('idem', { id })), meter.record(record('idem', { id }))]);
      assert.equal(await count('idem'), 1);
      const [row] = await meter.query({ requestId: 'idem' });
      assert.equal(row!.input_tokens, 1);
    });

    test('the added columns and tags are stored; tags get one row each', async () => {
      const meter = new UsageMeter(store.db, silentLogger);
      await meter.record(
        record('tagged', { account_id: '111122223333', deployment_id: 'd-east', provider_id: 'east', region: 'us-west-2', images: 2, cache_hit: 1, saved_usd: 0.25, tags: { team: 'search', env: 'prod' } }),
      );
      const [row] = await meter.query({ requestId: 'tagged' });
      assert.deepEqual(
        { ...row, id: undefined, time: undefined },
        {
          ...record('tagged'),
          id: undefined,
          time: undefined,
          account_id: '111122223333',
          deployment_id: 'd-east',
          provider_id: 'east',
          region: 'us-west-2',
          images: 2,
          cache_hit: 1,
          saved_usd: 0.25,
          tags: '{"team":"search","env":"prod"}',
        },
      );
      const tags = await sql<{ key: string; value: string }>`SELECT key, value FROM usage_tags WHERE record_id = ${row!.id} ORDER BY key`.execute(store.db);
      assert.deepEqual(tags.rows, [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'search' },
      ]);
    });

    test('buffered: record() returns at once and the write follows; flush() waits for it', async () => {
      const meter = new UsageMeter(store.db, silentLogger, { mode: 'buffered' });
      await meter.record(record('buffered-1'));
      assert.equal(await count('buffered-1'), 0, 'not written yet');
      await meter.flush();
      assert.equal(await count('buffered-1'), 1);
    });

    test('a store that keeps failing rejects the waiting records (after retries) instead of dropping them silently', async () => {
      const brokenDir = mkdtempSync(join(tmpdir(), 'quarry-meter-broken-'));
      const broken = await openStore({ dataDir: brokenDir });
      const meter = new UsageMeter(broken.db, silentLogger); // no migrations: the table does not exist
      await assert.rejects(meter.record(record('lost')), /usage_records/);
      assert.equal(meter.stats().failures, 1);
      await broken.close();
      rmSync(brokenDir, { recursive: true, force: true });
    });
  });
}
