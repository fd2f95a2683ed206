import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type Kysely, type Migration, sql } from 'kysely';
import pg from 'pg';
import { openStore } from './database.js';
import { migrate } from './migrate.js';

/** PostgreSQL parts run when QUARRY_TEST_PG_URL names a server; each test works in a schema of its own, dropped after. */
const PG_URL = process.env.QUARRY_TEST_PG_URL;
const pgSkip = PG_URL ? false : 'set QUARRY_TEST_PG_URL to run against PostgreSQL';

function schemaUrl(schema: string): string {
  const u = new URL(PG_URL!);
  u.searchParams.set('schema', schema);
  return u.toString();
}

async function withSchemas(n: number, fn: (schemas: string[]) => Promise<void>): Promise<void> {
  const schemas = Array.from({ length: n }, () => `quarry_mig_${randomBytes(5).toString('hex')}`);
  try {
    await fn(schemas);
  } finally {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  }
}

/** Migrations that count how often they ran: a second run of `01` would fail on the table, of `02` would add a row. */
const counted: Record<string, Migration> = {
  '2026-01-01-01-table': {
    async up(db: Kysely<object>) {
      await db.schema.createTable('runs').addColumn('name', 'text', (c) => c.notNull()).execute();
      await sql`insert into runs (name) values ('01')`.execute(db);
    },
  },
  '2026-01-01-02-slow': {
    async up(db: Kysely<object>) {
      // Long enough that the three migrators surely overlap.
      await sql`select pg_sleep(0.3)`.execute(db);
      await sql`insert into runs (name) values ('02')`.execute(db);
    },
  },
};

describe('migrate on PostgreSQL', { skip: pgSkip }, () => {
  test('three migrators started at once on a fresh schema: all succeed, each migration runs once', async () => {
    await withSchemas(1, async ([schema]) => {
      const stores = await Promise.all([0, 1, 2].map(() => openStore({ dataDir: '/nonexistent', url: schemaUrl(schema!) })));
      try {
        const results = await Promise.allSettled(stores.map((s) => migrate(s.db, counted)));
        assert.deepEqual(
          results.map((r) => r.status),
          ['fulfilled', 'fulfilled', 'fulfilled'],
          JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))),
        );
        const { rows } = await sql<{ name: string }>`select name from runs order by name`.execute(stores[0]!.db);
        assert.deepEqual(rows, [{ name: '01' }, { name: '02' }]);
        const applied = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(stores[0]!.db);
        assert.equal(applied.rows[0]!.n, 2);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });

  test('the advisory lock is held for the whole run and released after', async () => {
    await withSchemas(1, async ([schema]) => {
      const store = await openStore({ dataDir: '/nonexistent', url: schemaUrl(schema!) });
      const probe = new pg.Client({ connectionString: PG_URL });
      await probe.connect();
      const tryLock = async () => {
        const { rows } = await probe.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [0x5152594d, schema]);
        if (rows[0]!.ok) await probe.query('select pg_advisory_unlock($1, hashtext($2))', [0x5152594d, schema]);
        return rows[0]!.ok;
      };
      try {
        const running = migrate(store.db, counted);
        await new Promise((r) => setTimeout(r, 150));
        assert.equal(await tryLock(), false, 'another session cannot take the lock mid-migration');
        await running;
        assert.equal(await tryLock(), true, 'the lock is released when the run ends');
      } finally {
        await probe.end();
        await store.close();
      }
    });
  });

  test('a failed migration releases the lock and reports its name; the next start retries it', async () => {
    await withSchemas(1, async ([schema]) => {
      const store = await openStore({ dataDir: '/nonexistent', url: schemaUrl(schema!) });
      try {
        const broken: Record<string, Migration> = { '2026-01-01-03-broken': { up: async (db) => void (await sql`select * from no_such_table`.execute(db)) } };
        await assert.rejects(migrate(store.db, counted, broken), /2026-01-01-03-broken/);
        // Same pool, so a leaked lock would not block here; a second store (another replica) would hang on it.
        const other = await openStore({ dataDir: '/nonexistent', url: schemaUrl(schema!) });
        try {
          await migrate(other.db, counted);
        } finally {
          await other.close();
        }
      } finally {
        await store.close();
      }
    });
  });

  test('schemas of one database migrate independently (each keeps its own bookkeeping)', async () => {
    await withSchemas(2, async ([a, b]) => {
      const sa = await openStore({ dataDir: '/nonexistent', url: schemaUrl(a!) });
      const sb = await openStore({ dataDir: '/nonexistent', url: schemaUrl(b!) });
      try {
        await migrate(sa.db, counted);
        // With `a`'s kysely_migration already present, Kysely alone would skip creating `b`'s and fail.
        await migrate(sb.db, counted);
        for (const [s, store] of [[a, sa], [b, sb]] as const) {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from runs`.execute(store.db);
          assert.equal(rows[0]!.n, 2, `schema ${s}`);
        }
        assert.equal(sa.schema, a);
      } finally {
        await sa.close();
        await sb.close();
      }
    });
  });

  test('migrations are not disturbed by other schemas of the database being created, altered and dropped meanwhile', async () => {
    // Other deployments or test runs sharing the database: Kysely's stock introspector looked up every schema's tables
    // by name and failed ("schema … does not exist") when one went away mid-query (current-schema-introspector.ts).
    await withSchemas(3, async (schemas) => {
      const churner = new pg.Client({ connectionString: PG_URL });
      await churner.connect();
      let churning = true;
      let rounds = 0;
      const churn = (async () => {
        while (churning) {
          const other = `quarry_churn_${randomBytes(5).toString('hex')}`;
          await churner.query(`CREATE SCHEMA ${other}`);
          await churner.query(`CREATE TABLE ${other}.t (id serial primary key, a text, b text, c text)`);
          await churner.query(`ALTER TABLE ${other}.t ADD COLUMN d text`);
          await churner.query(`DROP SCHEMA ${other} CASCADE`);
          rounds++;
        }
      })();
      const stores = await Promise.all(schemas.map((s) => openStore({ dataDir: '/nonexistent', url: schemaUrl(s) })));
      try {
        // Many small migrations, each a separate look-up of the migration tables' state, while the churn runs.
        const many: Record<string, Migration> = {};
        for (let i = 0; i < 20; i++) {
          many[`2026-01-02-${String(i).padStart(2, '0')}-t`] = {
            async up(db: Kysely<object>) {
              await db.schema.createTable(`t${i}`).addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('v', 'text').execute();
            },
          };
        }
        for (let round = 0; round < 5; round++) {
          const batch = Object.fromEntries(Object.entries(many).slice(0, (round + 1) * 4));
          await Promise.all(stores.map((s) => migrate(s.db, batch)));
        }
        const tables = await stores[0]!.db.introspection.getTables();
        assert.deepEqual(
          tables.map((t) => t.name),
          Array.from({ length: 20 }, (_, i) => `t${i}`).sort(),
          'the introspector sees this schema and nothing else',
        );
        assert.ok(tables.every((t) => t.schema === schemas[0]));
        assert.equal(tables.find((t) => t.name === 't0')!.columns.find((c) => c.name === 'id')!.isAutoIncrementing, true);
      } finally {
        churning = false;
        await churn;
        await churner.end();
        for (const s of stores) await s.close();
      }
      assert.ok(rounds > 0);
    });
  });

  test('a schema name that is not a plain identifier is refused', async () => {
    for (const bad of ['Public', 'a;drop table x', 'a b', '1abc', 'x'.repeat(64)]) {
      const u = new URL(PG_URL!);
      u.searchParams.set('schema', bad);
      await assert.rejects(openStore({ dataDir: '/nonexistent', url: u.toString() }), /must be a lower-case identifier/);
    }
  });
});

test('migrate on SQLite runs each migration once across repeated starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-migrate-'));
  try {
    const once: Record<string, Migration> = {
      '2026-01-01-01-t': { up: async (db) => void (await db.schema.createTable('t').addColumn('x', 'integer').execute()) },
    };
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ dataDir: dir });
      await migrate(store.db, once);
      await store.close();
    }
    await assert.rejects(
      (async () => {
        const store = await openStore({ dataDir: dir });
        try {
          await migrate(store.db, once, { '2026-01-01-01-t': once['2026-01-01-01-t']! });
        } finally {
          await store.close();
        }
      })(),
      /Two migrations are named/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
