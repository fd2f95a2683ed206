import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { EmbeddedVectorStoreFactory } from './embedded-vector-store.js';
import { MemoryVectorStoreFactory } from './memory-vector-store.js';
import { PgvectorVectorStoreFactory } from './pgvector-vector-store.js';
import { vectorStoreConformance } from './vector-store-conformance.js';

vectorStoreConformance({
  name: 'memory',
  async setup() {
    const factory = new MemoryVectorStoreFactory();
    return { factory, reopen: async () => factory, teardown: async () => {} };
  },
});

vectorStoreConformance({
  name: 'embedded (usearch + SQLite)',
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-vectors-'));
    return {
      factory: new EmbeddedVectorStoreFactory({ dir }),
      reopen: async () => new EmbeddedVectorStoreFactory({ dir }),
      teardown: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
});

/**
 * pgvector through the real `pg` driver and wire protocol: PGlite (PostgreSQL compiled to WebAssembly, with pgvector)
 * behind a local socket. PGlite serves one connection at a time, so the pool has one; a restart is a new pool.
 */
vectorStoreConformance({
  name: 'pgvector (PGlite over the wire)',
  async setup() {
    const db = await PGlite.create({ extensions: { vector } });
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    const pools: pg.Pool[] = [];
    const factory = () => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      pools.push(pool);
      // A sparser graph than pgvector's defaults: HNSW inserts in WebAssembly are ~4x faster, and the code is the same.
      return new PgvectorVectorStoreFactory({ pool, hnsw: { m: 8, efConstruction: 16 } });
    };
    let current = factory();
    return {
      get factory() {
        return current;
      },
      // PGlite serves one connection at a time: a restart ends the old pool before the new one connects.
      async reopen() {
        await pools.at(-1)!.end();
        while (server.getStats().activeConnections > 0) await new Promise((r) => setTimeout(r, 5));
        current = factory();
        return current;
      },
      async teardown() {
        for (const p of pools) await p.end().catch(() => {});
        await server.stop();
        await db.close();
      },
    };
  },
});

/**
 * The pgvector server a scale-out run shares between its test processes (scripts/run-tests.mjs sets
 * QUARRY_TEST_PGVECTOR_URL): the factory's own pool of several connections, in a schema of its own, dropped after.
 */
const PGVECTOR_URL = process.env.QUARRY_TEST_PGVECTOR_URL;
if (PGVECTOR_URL) {
  vectorStoreConformance({
    name: 'pgvector (QUARRY_TEST_PGVECTOR_URL)',
    async setup() {
      const schema = `quarry_v_${randomBytes(6).toString('hex')}`;
      const factories: PgvectorVectorStoreFactory[] = [];
      const make = () => {
        const url = new URL(PGVECTOR_URL);
        url.searchParams.set('schema', schema);
        factories.push(new PgvectorVectorStoreFactory({ pool: url.toString(), hnsw: { m: 8, efConstruction: 16 } }));
        return factories.at(-1)!;
      };
      return {
        factory: make(),
        reopen: async () => make(),
        async teardown() {
          for (const f of factories) await f.close();
          const admin = new pg.Client({ connectionString: PGVECTOR_URL });
          await admin.connect();
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.end();
        },
      };
    },
  });
}

/**
 * A real PostgreSQL when QUARRY_TEST_PG_URL names one (CI's), in a database of its own: the whole suite if it has
 * pgvector, otherwise the error a user without pgvector sees.
 */
const PG_URL = process.env.QUARRY_TEST_PG_URL;
if (PG_URL) {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const available = (await admin.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).rows.length > 0;
  await admin.end();
  const withDatabase = async () => {
    const name = `quarry_v_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const d = new pg.Client({ connectionString: PG_URL });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await d.end();
      },
    };
  };
  if (available) {
    vectorStoreConformance({
      name: 'pgvector (QUARRY_TEST_PG_URL)',
      async setup() {
        const db = await withDatabase();
        const factories: PgvectorVectorStoreFactory[] = [];
        const make = () => {
          factories.push(new PgvectorVectorStoreFactory(db.url));
          return factories.at(-1)!;
        };
        return {
          factory: make(),
          reopen: async () => make(),
          async teardown() {
            for (const f of factories) await f.close();
            await db.drop();
          },
        };
      },
    });
  } else {
    test('PostgreSQL without pgvector: opening an index says what is missing', async () => {
      const db = await withDatabase();
      const factory = new PgvectorVectorStoreFactory(db.url);
      try {
        await assert.rejects(factory.open({ indexId: 'kb', dimensions: 4 }), /no pgvector extension/);
      } finally {
        await factory.close();
        await db.drop();
      }
    });
  }
}
