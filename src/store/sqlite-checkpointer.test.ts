import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from './database.js';
import { CHECKPOINT_MS } from './sqlite-checkpointer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the WAL is checkpointed in the background, not by a commit, and closing folds it in and removes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-ckpt-'));
  try {
    const store = await openStore({ dataDir: dir });
    await sql`create table t (id integer primary key, v text)`.execute(store.db);
    // About 1,500 pages: past SQLite's default autocheckpoint (1,000), below the backstop.
    for (let i = 0; i < 300; i++) await sql`insert into t (v) values (${'x'.repeat(20_000)})`.execute(store.db);
    // Only a checkpoint moves rows from the WAL into the database file, and at 1,500 pages the main connection makes
    // none of its own (its backstop is 10,000): the file grows only if the worker checkpoints.
    const dbFile = join(dir, 'quarry.db');
    for (let i = 0; i < 40 && statSync(dbFile).size < 5_000_000; i++) await sleep(CHECKPOINT_MS / 2);
    assert.ok(statSync(dbFile).size > 5_000_000, `the rows reached the database file (${statSync(dbFile).size} bytes)`);
    const count = await sql<{ n: number }>`select count(*) as n from t`.execute(store.db);
    assert.equal(count.rows[0]!.n, 300);
    await store.close();
    assert.equal(existsSync(join(dir, 'quarry.db-wal')), false, 'the last connection to close removes the WAL');
    const again = await openStore({ dataDir: dir });
    assert.equal((await sql<{ n: number }>`select count(*) as n from t`.execute(again.db)).rows[0]!.n, 300);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stores opened and closed in turn share the one worker and leave nothing running', async () => {
  const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'quarry-ckpt-')));
  try {
    const stores = await Promise.all(dirs.map((dataDir) => openStore({ dataDir })));
    for (const s of stores) await sql`create table t (id integer primary key)`.execute(s.db);
    await Promise.all(stores.map((s) => s.close()));
    for (const d of dirs) assert.equal(existsSync(join(d, 'quarry.db-wal')), false);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
