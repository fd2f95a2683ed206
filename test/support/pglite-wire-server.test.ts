import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type PgliteWireServer, startPgliteWireServer } from './pglite-wire-server.js';

/**
 * The pglite wire server through the real `pg` driver, the way a scale-out test run uses it: several pools at once,
 * transactions from different clients, the extended protocol (every parameterised query), errors mid-unit and clients
 * that vanish mid-transaction. Nothing here depends on timing: each check waits for the answers it needs.
 */
describe('pglite wire server', () => {
  let server: PgliteWireServer;
  const pools: pg.Pool[] = [];
  const pool = (max: number) => {
    const p = new pg.Pool({ connectionString: server.url, max });
    pools.push(p);
    return p;
  };

  before(async () => {
    server = await startPgliteWireServer();
    const p = pool(1);
    await p.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await p.query('INSERT INTO counter VALUES (1, 0)');
    await p.query('CREATE TABLE items (id text PRIMARY KEY, owner int NOT NULL, body text NOT NULL, embedding vector(3))');
  });

  after(async () => {
    for (const p of pools) await p.end().catch(() => {});
    await server.stop();
  });

  test('parameterised queries from several pools at once each get their own answers', async () => {
    const ps = [pool(4), pool(4), pool(4)];
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        ps[i % ps.length]!.query<{ x: number; s: string }>('SELECT $1::int * 2 AS x, $2::text AS s', [i, `q${i}`]),
      ),
    );
    assert.deepEqual(
      answers.map((r) => r.rows),
      answers.map((_, i) => [{ x: i * 2, s: `q${i}` }]),
    );
  });

  test('transactions from different clients are serialised, not interleaved: no lost update', async () => {
    const ps = [pool(3), pool(3), pool(3)];
    const increment = async (p: pg.Pool) => {
      const c = await p.connect();
      try {
        await c.query('BEGIN');
        const { rows } = await c.query<{ n: number }>('SELECT n FROM counter WHERE id = $1', [1]);
        // A read-modify-write that loses updates if another client's statements land between these two.
        await c.query('UPDATE counter SET n = $1 WHERE id = $2', [rows[0]!.n + 1, 1]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    };
    await Promise.all(Array.from({ length: 45 }, (_, i) => increment(ps[i % ps.length]!)));
    const { rows } = await ps[0]!.query<{ n: number }>('SELECT n FROM counter WHERE id = 1');
    assert.equal(rows[0]!.n, 45);
  });

  test('a rolled-back transaction leaves nothing behind and frees the backend', async () => {
    const p = pool(2);
    const c = await p.connect();
    await c.query('BEGIN');
    await c.query('INSERT INTO items (id, owner, body) VALUES ($1, $2, $3)', ['rolled-back', 1, 'x']);
    // Another client's query waits for the transaction (the backend is this client's until it ends).
    const other = pool(1).query<{ count: string }>('SELECT count(*) FROM items WHERE id = $1', ['rolled-back']);
    await c.query('ROLLBACK');
    c.release();
    assert.equal((await other).rows[0]!.count, '0');
  });

  test('an error inside a transaction keeps it failed until ROLLBACK, and other clients go on afterwards', async () => {
    const p = pool(2);
    const c = await p.connect();
    try {
      await c.query('BEGIN');
      await assert.rejects(c.query('SELECT $1::int', ['not a number']), /invalid input syntax/);
      await assert.rejects(c.query('SELECT 1'), /current transaction is aborted/);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
    const concurrent = await Promise.all([pool(2).query('SELECT 1 AS one'), p.query('SELECT 2 AS two')]);
    assert.deepEqual(
      concurrent.map((r) => r.rows[0]),
      [{ one: 1 }, { two: 2 }],
    );
  });

  test('errors outside a transaction answer only their own query', async () => {
    const p = pool(4);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? p.query('SELECT * FROM no_such_table') : p.query<{ i: number }>('SELECT $1::int AS i', [i]))),
    );
    results.forEach((r, i) => {
      if (i % 3 === 0) assert.match(String(r.status === 'rejected' && r.reason), /no_such_table/);
      else assert.deepEqual(r.status === 'fulfilled' && r.value.rows, [{ i }]);
    });
  });

  test('a client that disconnects mid-transaction is rolled back and does not keep the backend', async () => {
    const c = new pg.Client({ connectionString: server.url });
    // Losing the connection is the point here, not an error to report.
    c.on('error', () => {});
    await c.connect();
    await c.query('BEGIN');
    await c.query('INSERT INTO items (id, owner, body) VALUES ($1, $2, $3)', ['abandoned', 1, 'x']);
    // Queued behind the open transaction; it must be answered once the client is gone.
    const waiting = pool(1).query<{ count: string }>('SELECT count(*) FROM items WHERE id = $1', ['abandoned']);
    const ended = new Promise((resolve) => c.once('end', resolve));
    (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await ended;
    assert.equal((await waiting).rows[0]!.count, '0');
  });

  test('a client that disconnects while queued behind a transaction is dropped from the queue', async () => {
    const holder = new pg.Client({ connectionString: server.url });
    await holder.connect();
    const queued = new pg.Client({ connectionString: server.url });
    queued.on('error', () => {});
    // Connected first: connecting, too, waits for the backend.
    await queued.connect();
    await holder.query('BEGIN');
    const ended = new Promise((resolve) => queued.once('end', resolve));
    const lost = queued.query('INSERT INTO items (id, owner, body) VALUES ($1, $2, $3)', ['never', 1, 'x']).catch(() => 'lost');
    (queued as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await ended;
    assert.equal(await lost, 'lost');
    await holder.query('INSERT INTO items (id, owner, body) VALUES ($1, $2, $3)', ['held', 1, 'x']);
    await holder.query('COMMIT');
    await holder.end();
    const { rows } = await pool(1).query<{ id: string }>("SELECT id FROM items WHERE id IN ('never', 'held')");
    assert.deepEqual(
      rows.map((r) => r.id),
      ['held'],
    );
  });

  test('large messages both ways survive being split across TCP chunks', async () => {
    const p = pool(2);
    const body = 'abcdefghij'.repeat(200_000);
    await Promise.all([
      p.query('INSERT INTO items (id, owner, body) VALUES ($1, $2, $3)', ['big-1', 2, body]),
      p.query('INSERT INTO items (id, owner, body) VALUES ($1, $2, $3)', ['big-2', 2, body.toUpperCase()]),
    ]);
    const { rows } = await pool(1).query<{ id: string; body: string }>('SELECT id, body FROM items WHERE owner = 2 ORDER BY id');
    assert.deepEqual(
      rows.map((r) => [r.id, r.body.length, r.body.slice(0, 3)]),
      [
        ['big-1', body.length, 'abc'],
        ['big-2', body.length, 'ABC'],
      ],
    );
  });

  test('pgvector: vectors go in as parameters and come back ranked by cosine distance', async () => {
    const ps = [pool(2), pool(2)];
    const vectors: [string, number[]][] = [
      ['v-x', [1, 0, 0]],
      ['v-y', [0, 1, 0]],
      ['v-xy', [1, 1, 0]],
      ['v-z', [0, 0, 1]],
    ];
    await Promise.all(
      vectors.map(([id, v], i) =>
        ps[i % 2]!.query('INSERT INTO items (id, owner, body, embedding) VALUES ($1, 3, $2, $3::vector)', [id, id, JSON.stringify(v)]),
      ),
    );
    const { rows } = await ps[1]!.query<{ id: string }>('SELECT id FROM items WHERE owner = 3 ORDER BY embedding <=> $1::vector LIMIT 3', ['[1,0.1,0]']);
    assert.deepEqual(
      rows.map((r) => r.id),
      ['v-x', 'v-xy', 'v-y'],
    );
  });

  test('simple-protocol scripts with several statements, and clients that connect and leave many times', async () => {
    for (let i = 0; i < 5; i++) {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      const results = (await c.query(`SELECT ${i} AS a; SELECT ${i + 1} AS b`)) as unknown as pg.QueryResult[];
      assert.deepEqual(
        results.map((r) => r.rows[0]),
        [{ a: i }, { b: i + 1 }],
      );
      await c.end();
    }
  });
});

describe('pgvector test server process', () => {
  test('prints a URL that serves pgvector, and exits when its stdin closes', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/pgvector-test-server.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      let out = '';
      for await (const chunk of child.stdout) {
        out += chunk;
        if (out.includes('\n')) break;
      }
      const url = out.split('\n')[0]!;
      assert.match(url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const { rows } = await c.query<{ d: number }>("SELECT '[1,2,3]'::vector <-> $1::vector AS d", ['[1,2,4]']);
      assert.equal(rows[0]!.d, 1);
      await c.end();
      const exited = once(child, 'exit');
      child.stdin.end();
      const [code] = await exited;
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });
});
