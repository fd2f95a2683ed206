import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { openTestKeyring } from '../../test/iam/test-keyring.js';
import { billingMigrations, UsageMeter } from '../billing/index.js';
import { silentLogger } from '../core/index.js';
import { bootstrapCredentials, iamMigrations, KeyStore } from '../iam/index.js';
import { secretMigrations } from '../secrets/index.js';
import { openStore, type Store } from './database.js';
import { migrate } from './migrate.js';

/**
 * The same store code on both dialects. PostgreSQL runs when QUARRY_TEST_PG_URL names a server (CI sets it to the
 * machine's PostgreSQL); each run gets a database of its own, dropped afterwards.
 */
const PG_URL = process.env.QUARRY_TEST_PG_URL;

async function withPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `quarry_t_${randomBytes(6).toString('hex')}`;
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

const dialects: { name: string; open(dir: string): Promise<{ store: Store; cleanup(): Promise<void> }> }[] = [
  {
    name: 'sqlite',
    async open(dir) {
      const store = await openStore({ dataDir: dir });
      return { store, cleanup: () => store.close() };
    },
  },
  {
    name: 'postgres',
    async open(dir) {
      const db = await withPgDatabase();
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

for (const d of dialects) {
  describe(`store on ${d.name}`, { skip: d.name === 'postgres' && !PG_URL ? 'set QUARRY_TEST_PG_URL to run against PostgreSQL' : false }, () => {
    const dir = mkdtempSync(join(tmpdir(), `quarry-store-${d.name}-`));
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('migrations (twice, concurrently), keys, bootstrap and usage records', async () => {
      const { store, cleanup } = await d.open(dir);
      try {
        assert.equal(store.dialect, d.name);
        // Several replicas start at once: the migrator's lock must make that safe.
        await Promise.all([migrate(store.db, iamMigrations, billingMigrations, secretMigrations), migrate(store.db, iamMigrations, billingMigrations, secretMigrations)]);
        await migrate(store.db, iamMigrations, billingMigrations, secretMigrations);
        const keys = new KeyStore(store.db, await openTestKeyring(store.db, dir));
        const boot = await bootstrapCredentials(keys, dir, {});
        assert.ok(boot.generated);
        assert.equal((await keys.findBearer(boot.generated.apiKey))?.isAdmin, true);
        assert.equal((await keys.findAccessKey(boot.generated.accessKeyId))?.secret, boot.generated.secretAccessKey);
        assert.equal(await keys.findBearer('qk-nope'), undefined);
        await keys.flush();

        const meter = new UsageMeter(store.db, silentLogger);
        for (let i = 0; i < 120; i++) {
          meter.record({
            request_id: `r${i}`,
            time: new Date(Date.UTC(2026, 10, 23, 0, 0, i)).toISOString(),
            principal: 'p1',
            key_id: 'k1',
            model_id: 'm',
            api: 'test',
            input_tokens: i,
            output_tokens: 2 * i,
            cache_read_tokens: 0,
            cache_write_tokens: 0,
            cost_usd: i / 1000,
            latency_ms: 5,
            outcome: 'ok',
          });
        }
        await meter.flush();
        const rows = await meter.query({ principal: 'p1', since: '2026-11-23T00:01:00.000Z' });
        assert.equal(rows.length, 60);
        assert.equal(Number(rows[0]!.input_tokens), 60);
        assert.equal(Number(rows.at(-1)!.cost_usd), 0.119);
      } finally {
        await cleanup();
      }
    });
  });
}
