import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { AuditLog, auditMigrations, hashAuditRow } from '../../src/audit/index.js';
import { sampleEvent } from '../../src/audit/audit-test-kit.js';
import { silentLogger } from '../../src/core/index.js';
import { migrate, openStore, type Store } from '../../src/store/index.js';

/**
 * Several writers on one PostgreSQL database — separate pools, as separate replicas would have — appending at once.
 * Each test run works in a schema of its own (search_path on the connection), dropped afterwards.
 */
const PG_URL = process.env.QUARRY_TEST_PG_URL;
const skip = PG_URL ? false : 'set QUARRY_TEST_PG_URL to run against PostgreSQL';

let schema: string;
let dir: string;
const stores: Store[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function openInSchema(): Promise<Store> {
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const store = await openStore({ dataDir: dir, url: url.toString() });
  stores.push(store);
  return store;
}

before(async () => {
  if (skip) return;
  schema = `quarry_audit_${randomBytes(6).toString('hex')}`;
  dir = mkdtempSync(join(tmpdir(), 'quarry-audit-pg-'));
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  const first = await openInSchema();
  await migrate(first.db, auditMigrations);
});

after(async () => {
  if (skip) return;
  for (const s of stores) await s.close();
  await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  rmSync(dir, { recursive: true, force: true });
});

test('writers in several processes keep one valid chain per account', { skip }, async (t) => {
  const writers = await Promise.all(
    [0, 1, 2].map(async () => new AuditLog((await openInSchema()).db, silentLogger, { dialect: 'postgres', flushAt: 7, flushMs: 5 })),
  );
  const accounts = ['111111111111', '222222222222'];
  const PER_WRITER = 210;
  // Interleaved: every writer appends to both accounts in small batches, so their transactions race on the same heads.
  await Promise.all(
    writers.map(async (w, wi) => {
      for (let i = 0; i < PER_WRITER; i++) {
        w.record(sampleEvent({ accountId: accounts[i % 2]!, eventName: `W${wi}-${i}` }));
        if (i % 5 === 0) await new Promise((r) => setImmediate(r));
      }
      await w.close();
    }),
  );
  t.diagnostic(`chain-head conflicts retried: ${writers.map((w) => w.conflicts).join(', ')}`);
  // The race this test is about did happen: appends found the head moved and were retried (typically dozens each).
  assert.ok(
    writers.some((w) => w.conflicts > 0),
    'no writer ever lost a race for the head',
  );
  const db = stores[0]!.db;
  const counts = await sql<{ account_id: string; n: string; max: number; min: number }>`
    SELECT account_id, count(*) AS n, max(seq) AS max, min(seq) AS min FROM audit_events GROUP BY account_id ORDER BY account_id`.execute(db);
  assert.deepEqual(
    counts.rows.map((r) => [r.account_id, Number(r.n), Number(r.min), Number(r.max)]),
    accounts.map((a) => [a, (PER_WRITER * writers.length) / 2, 1, (PER_WRITER * writers.length) / 2]),
  );
  const report = await writers[0]!.verify();
  assert.equal(report.valid, true, JSON.stringify(report.chains.map((c) => c.firstBreak)));
  assert.equal(report.eventsChecked, PER_WRITER * writers.length);
  // Every writer's events made it, each once.
  const names = await sql<{ event_name: string }>`SELECT event_name FROM audit_events`.execute(db);
  assert.equal(new Set(names.rows.map((r) => r.event_name)).size, PER_WRITER * writers.length);
});

test('verify while another writer appends reports no false break; tampering is still found', { skip }, async () => {
  const writer = new AuditLog((await openInSchema()).db, silentLogger, { dialect: 'postgres', flushAt: 3, flushMs: 1 });
  const reader = new AuditLog(stores[0]!.db, silentLogger, { dialect: 'postgres' });
  let stop = false;
  const appending = (async () => {
    for (let i = 0; !stop; i++) {
      writer.record(sampleEvent({ accountId: '111111111111' }));
      if (i % 3 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await writer.close();
  })();
  for (let i = 0; i < 5; i++) {
    const r = await reader.verify({ accountId: '111111111111' });
    assert.equal(r.valid, true, JSON.stringify(r.chains[0]?.firstBreak));
  }
  stop = true;
  await appending;

  const db = stores[0]!.db;
  await sql`UPDATE audit_events SET user_agent = 'forged' WHERE account_id = '222222222222' AND seq = 10`.execute(db);
  const r = await reader.verify({ accountId: '222222222222' });
  assert.equal(r.chains[0]?.firstBreak?.reason, 'modified');
  assert.equal(r.chains[0]?.firstBreak?.sequence, 10);
  // Rows read back from PostgreSQL hash exactly as they were written.
  const row = (await sql`SELECT * FROM audit_events WHERE account_id = '111111111111' AND seq = 1`.execute(db)).rows[0] as { hash: string };
  assert.equal(hashAuditRow(row as never), row.hash);
});

test('queries on PostgreSQL: resource prefixes are literal and case-sensitive', { skip }, async () => {
  const w = new AuditLog(stores[0]!.db, silentLogger, { dialect: 'postgres' });
  w.record(sampleEvent({ accountId: '333333333333', resources: ['arn:aws:bedrock:us-east-1:333333333333:knowledge-base/ABC_%\\"x'] }));
  w.record(sampleEvent({ accountId: '333333333333', resources: ['arn:aws:bedrock:us-east-1:333333333333:knowledge-base/abc'] }));
  await w.close();
  const find = async (p: string) => (await w.query({ accountId: '333333333333', resourcePrefix: p, maxResults: 10 })).events.length;
  assert.equal(await find('arn:aws:bedrock:us-east-1:333333333333:knowledge-base/'), 2);
  assert.equal(await find('arn:aws:bedrock:us-east-1:333333333333:knowledge-base/ABC'), 1);
  assert.equal(await find('arn:aws:bedrock:us-east-1:333333333333:knowledge-base/ABC_%\\"'), 1);
  assert.equal(await find('arn:aws:bedrock:us-east-1:333333333333:knowledge-base/A_C'), 0);
  assert.equal(await find('arn:aws:bedrock:us-east-1:333333333333:knowledge-base/%'), 0);
  const page = await w.query({ accountId: '333333333333', maxResults: 1 });
  assert.ok(page.next);
  assert.equal((await w.query({ accountId: '333333333333', maxResults: 1, after: page.next })).events.length, 1);
});
