import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { silentLogger } from '../core/index.js';
import { migrate, openStore, type Store } from '../store/index.js';
import { hashAuditRow } from './audit-chain.js';
import { AuditLog } from './audit-log.js';
import { sampleEvent } from './audit-test-kit.js';
import { auditMigrations } from './tables.js';

let dir: string;
let store: Store;
let audit: AuditLog;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quarry-audit-'));
  store = await openStore({ dataDir: dir });
  await migrate(store.db, auditMigrations);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await sql`DELETE FROM audit_events`.execute(store.db);
  await sql`DELETE FROM audit_chain_heads`.execute(store.db);
  audit = new AuditLog(store.db, silentLogger, { dialect: 'sqlite' });
});

const t0 = Date.parse('2026-11-24T10:00:00.000Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();

/** Five events in account A (seq 1..5), two in account B. */
async function seed() {
  for (let i = 0; i < 5; i++) audit.record(sampleEvent({ time: at(i), eventName: `E${i}`, resources: [`arn:aws:bedrock:us-east-1:111111111111:knowledge-base/KB${i}`], accountId: '111111111111' }));
  for (let i = 0; i < 2; i++) audit.record(sampleEvent({ time: at(i), accountId: '222222222222' }));
  await audit.flush();
}

const run = (q: string) => sql.raw(q).execute(store.db);

describe('writing and chaining', () => {
  test('each account gets its own chain, numbered from 1 and linked by hash', async () => {
    await seed();
    const rows = await sql<{ account_id: string; seq: number; prev_hash: string; hash: string }>`SELECT * FROM audit_events ORDER BY account_id, seq`.execute(store.db);
    const a = rows.rows.filter((r) => r.account_id === '111111111111');
    assert.deepEqual(
      a.map((r) => r.seq),
      [1, 2, 3, 4, 5],
    );
    assert.equal(a[0]!.prev_hash, '0'.repeat(64));
    for (let i = 1; i < a.length; i++) assert.equal(a[i]!.prev_hash, a[i - 1]!.hash);
    for (const r of rows.rows) assert.equal(hashAuditRow(r as never), r.hash);
    const report = await audit.verify();
    assert.equal(report.valid, true);
    assert.equal(report.eventsChecked, 7);
    assert.deepEqual(
      report.chains.map((c) => [c.accountId, c.head?.sequence]),
      [
        ['111111111111', 5],
        ['222222222222', 2],
      ],
    );
  });

  test('details are derived at flush time, merged into resources and redacted', async () => {
    let calls = 0;
    audit.record(
      sampleEvent({
        details: () => {
          calls++;
          return { resources: ['arn:extra'], requestParameters: { name: 'kb', apiKey: 'sk-secret-value' } };
        },
      }),
    );
    assert.equal(calls, 0, 'nothing derived on the request path');
    await audit.flush();
    assert.equal(calls, 1);
    const { events } = await audit.query({ maxResults: 10 });
    assert.deepEqual(events[0]!.resources, ['*', 'arn:extra']);
    assert.deepEqual(events[0]!.requestParameters, { name: 'kb', apiKey: '[REDACTED]' });
    const raw = await sql<{ request_parameters: string }>`SELECT request_parameters FROM audit_events`.execute(store.db);
    assert.ok(!raw.rows[0]!.request_parameters.includes('sk-secret-value'));
  });

  test('a batch larger than one insert chunk is stored whole and in order', async () => {
    const big = new AuditLog(store.db, silentLogger, { dialect: 'sqlite', flushAt: 10_000 });
    for (let i = 0; i < 450; i++) big.record(sampleEvent({ eventName: `N${i}` }));
    await big.close();
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM audit_events`.execute(store.db);
    assert.equal(Number(r.rows[0]!.n), 450);
    assert.equal((await big.verify()).valid, true);
  });

  test('events the database refused stay queued and are stored once it answers again', async () => {
    await run('ALTER TABLE audit_chain_heads RENAME TO audit_chain_heads_away');
    const retrying = new AuditLog(store.db, silentLogger, { dialect: 'sqlite' });
    retrying.record(sampleEvent({ eventName: 'Kept' }));
    await retrying.flush();
    await run('ALTER TABLE audit_chain_heads_away RENAME TO audit_chain_heads');
    await retrying.close();
    const { events } = await retrying.query({ maxResults: 10 });
    assert.deepEqual(
      events.map((e) => e.eventName),
      ['Kept'],
    );
  });
});

describe('verify finds the first broken link', () => {
  const A = '111111111111';
  const chainA = async () => (await audit.verify({ accountId: A })).chains[0]!;

  test('a modified field', async () => {
    await seed();
    await run(`UPDATE audit_events SET outcome = 'error' WHERE account_id = '${A}' AND seq = 3`);
    const c = await chainA();
    assert.equal(c.valid, false);
    assert.equal(c.firstBreak?.reason, 'modified');
    assert.equal(c.firstBreak?.sequence, 3);
    assert.equal(c.events, 2);
    // The other account's chain is untouched and still verifies.
    const all = await audit.verify();
    assert.equal(all.valid, false);
    assert.equal(all.chains.find((x) => x.accountId === '222222222222')?.valid, true);
  });

  test('a modified field whose hash was recomputed too', async () => {
    await seed();
    const row = (await sql`SELECT * FROM audit_events WHERE account_id = ${A} AND seq = 2`.execute(store.db)).rows[0] as Record<string, unknown>;
    const forged = { ...row, principal_name: 'mallory' };
    const hash = hashAuditRow(forged as never);
    await sql`UPDATE audit_events SET principal_name = 'mallory', hash = ${hash} WHERE id = ${row.id as string}`.execute(store.db);
    const c = await chainA();
    assert.equal(c.firstBreak?.reason, 'unlinked');
    assert.equal(c.firstBreak?.sequence, 3);
  });

  test('a deleted event', async () => {
    await seed();
    await run(`DELETE FROM audit_events WHERE account_id = '${A}' AND seq = 2`);
    const c = await chainA();
    assert.equal(c.firstBreak?.reason, 'missing');
    assert.equal(c.firstBreak?.sequence, 2);
  });

  test('the last event deleted', async () => {
    await seed();
    await run(`DELETE FROM audit_events WHERE account_id = '${A}' AND seq = 5`);
    const c = await chainA();
    assert.equal(c.firstBreak?.reason, 'truncated');
    assert.equal(c.firstBreak?.sequence, 5);
  });

  test('a forged event appended with a valid link and hash', async () => {
    await seed();
    const last = (await sql`SELECT * FROM audit_events WHERE account_id = ${A} AND seq = 5`.execute(store.db)).rows[0] as Record<string, unknown>;
    const forged: Record<string, unknown> = { ...last, id: 'forged-1', seq: 6, prev_hash: last.hash, event_name: 'DeleteKnowledgeBase' };
    forged.hash = hashAuditRow(forged as never);
    await store.db.insertInto('audit_events' as never).values(forged as never).execute();
    const c = await chainA();
    assert.equal(c.firstBreak?.reason, 'unexpected');
    assert.equal(c.firstBreak?.eventId, 'forged-1');
  });

  test('a forged event slipped in the middle (later events renumbered)', async () => {
    await seed();
    await run(`UPDATE audit_events SET seq = seq + 100 WHERE account_id = '${A}' AND seq >= 3`);
    await run(`UPDATE audit_events SET seq = seq - 99 WHERE account_id = '${A}' AND seq >= 103`);
    const two = (await sql`SELECT * FROM audit_events WHERE account_id = ${A} AND seq = 2`.execute(store.db)).rows[0] as Record<string, unknown>;
    const forged: Record<string, unknown> = { ...two, id: 'forged-2', seq: 3, prev_hash: two.hash };
    forged.hash = hashAuditRow(forged as never);
    await store.db.insertInto('audit_events' as never).values(forged as never).execute();
    const c = await chainA();
    assert.equal(c.valid, false);
    assert.equal(c.firstBreak?.sequence, 4);
    assert.equal(c.firstBreak?.reason, 'modified');
  });

  test('a forged event with a sequence number no writer assigns', async () => {
    await seed();
    const one = (await sql`SELECT * FROM audit_events WHERE account_id = ${A} AND seq = 1`.execute(store.db)).rows[0] as Record<string, unknown>;
    await store.db
      .insertInto('audit_events' as never)
      .values({ ...one, id: 'forged-0', seq: 0 } as never)
      .execute();
    const c = await chainA();
    assert.equal(c.firstBreak?.reason, 'unexpected');
    assert.equal(c.firstBreak?.eventId, 'forged-0');
  });

  test('two events swapped', async () => {
    await seed();
    await run(`UPDATE audit_events SET seq = -1 WHERE account_id = '${A}' AND seq = 2`);
    await run(`UPDATE audit_events SET seq = 2 WHERE account_id = '${A}' AND seq = 3`);
    await run(`UPDATE audit_events SET seq = 3 WHERE account_id = '${A}' AND seq = -1`);
    const c = await chainA();
    assert.equal(c.firstBreak?.sequence, 2);
    assert.equal(c.firstBreak?.reason, 'modified');
  });

  test('a whole chain rewritten consistently is caught by an anchor noted earlier', async () => {
    await seed();
    const before = await chainA();
    const anchor = { accountId: A, sequence: before.head!.sequence, hash: before.head!.hash };
    // Rewrite event 1's name and every hash after it, and the head: self-consistent, so only the anchor tells.
    await run(`UPDATE audit_events SET event_name = 'Rewritten' WHERE account_id = '${A}' AND seq = 1`);
    let prev = '0'.repeat(64);
    const rows = (await sql`SELECT * FROM audit_events WHERE account_id = ${A} ORDER BY seq`.execute(store.db)).rows as Record<string, unknown>[];
    for (const r of rows) {
      const h = hashAuditRow({ ...r, prev_hash: prev } as never);
      await sql`UPDATE audit_events SET prev_hash = ${prev}, hash = ${h} WHERE id = ${r.id as string}`.execute(store.db);
      prev = h;
    }
    await sql`UPDATE audit_chain_heads SET hash = ${prev} WHERE account_id = ${A}`.execute(store.db);
    assert.equal((await chainA()).valid, true);
    const anchored = (await audit.verify({ accountId: A, anchors: [anchor] })).chains[0]!;
    assert.equal(anchored.firstBreak?.reason, 'anchor-mismatch');
  });
});

describe('queries', () => {
  beforeEach(async () => {
    audit.record(sampleEvent({ time: at(1), accountId: '111111111111', action: 'bedrock:CreateKnowledgeBase', eventName: 'CreateKnowledgeBase', resources: ['*'] }));
    audit.record(
      sampleEvent({
        time: at(2),
        accountId: '111111111111',
        action: 'bedrock:DeleteKnowledgeBase',
        eventName: 'DeleteKnowledgeBase',
        resources: ['arn:aws:bedrock:us-east-1:111111111111:knowledge-base/ABCDEFGHIJ'],
        outcome: 'error',
        errorCode: 'AccessDeniedException',
        httpStatus: 403,
        principal: { id: 'p-2', name: 'bob', type: 'User', authMethod: 'sigv4', keyId: 'k-2', accessKeyId: 'AKID' },
      }),
    );
    audit.record(
      sampleEvent({
        time: at(3),
        accountId: '222222222222',
        action: 'bedrock:InvokeModel',
        eventName: 'Converse',
        category: 'data',
        resources: ['arn:aws:bedrock:us-east-1::foundation-model/scripted.echo-v1:0'],
      }),
    );
    audit.record(sampleEvent({ time: at(4), accountId: '111111111111', resources: ['arn:aws:bedrock:us-east-1:111111111111:knowledge-base/abcdefghij'] }));
    await audit.flush();
  });
  const names = async (q: Parameters<AuditLog['query']>[0]) => (await audit.query(q)).events.map((e) => `${e.eventName}@${e.eventTime.slice(17, 19)}`);

  test('by account, time, principal, action, outcome, category and resource prefix', async () => {
    assert.equal((await audit.query({ maxResults: 50 })).events.length, 4);
    assert.deepEqual(await names({ maxResults: 50, accountId: '222222222222' }), ['Converse@03']);
    assert.deepEqual(await names({ maxResults: 50, startTime: at(2), endTime: at(4) }), ['Converse@03', 'DeleteKnowledgeBase@02']);
    assert.deepEqual(await names({ maxResults: 50, principal: 'bob' }), ['DeleteKnowledgeBase@02']);
    assert.deepEqual(await names({ maxResults: 50, principal: 'p-2' }), ['DeleteKnowledgeBase@02']);
    assert.deepEqual(await names({ maxResults: 50, action: 'bedrock:InvokeModel' }), ['Converse@03']);
    assert.deepEqual(await names({ maxResults: 50, action: 'Converse' }), ['Converse@03']);
    assert.deepEqual(await names({ maxResults: 50, outcome: 'error' }), ['DeleteKnowledgeBase@02']);
    assert.deepEqual(await names({ maxResults: 50, category: 'data' }), ['Converse@03']);
    // Case-sensitive, and wildcards in the prefix are literal.
    assert.deepEqual(await names({ maxResults: 50, resourcePrefix: 'arn:aws:bedrock:us-east-1:111111111111:knowledge-base/A' }), ['DeleteKnowledgeBase@02']);
    assert.deepEqual(await names({ maxResults: 50, resourcePrefix: 'arn:aws:bedrock:us-east-1:111111111111:knowledge-base/' }), ['CreateKnowledgeBase@04', 'DeleteKnowledgeBase@02']);
    assert.deepEqual(await names({ maxResults: 50, resourcePrefix: 'arn:aws:bedrock:*' }), []);
    assert.deepEqual(await names({ maxResults: 50, resourcePrefix: 'arn:%' }), []);
    assert.deepEqual(await names({ maxResults: 50, resourcePrefix: '"' }), []);
  });

  test('pages newest first with a cursor, each event once', async () => {
    const seen: string[] = [];
    let after: Parameters<AuditLog['query']>[0]['after'];
    for (let i = 0; i < 10; i++) {
      const page = await audit.query({ maxResults: 1, after });
      seen.push(...page.events.map((e) => e.eventTime.slice(17, 19)));
      if (!page.next) break;
      after = page.next;
    }
    assert.deepEqual(seen, ['04', '03', '02', '01']);
  });
});
