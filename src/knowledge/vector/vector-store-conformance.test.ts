import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      return new PgvectorVectorStoreFactory({ pool });
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
