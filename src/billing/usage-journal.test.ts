import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { silentLogger } from '../core/index.js';
import { migrate, openStore, type Store } from '../store/index.js';
import { SqliteUsageWriter } from './sqlite-usage-writer.js';
import { billingMigrations } from './tables.js';
import { readSegment, UsageJournal } from './usage-journal.js';
import { UsageMeter, type UsageMeterOptions } from './usage-meter.js';
import { testUsageRecord } from './usage-test-kit.js';

const record = testUsageRecord;

// Every case twice: stored through the server's own connection, and by the worker thread the server uses on a file.
for (const writer of ['connection', 'worker'] as const) {
describe(`usage journal (durable metering on SQLite), stored by the ${writer}`, () => {
  let store: Store;
  let dir: string;
  let n = 0;
  const journalDir = () => join(dir, `journal-${++n}`);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-journal-'));
    store = await openStore({ dataDir: dir });
    await migrate(store.db, billingMigrations);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const meterOf = (opts: UsageMeterOptions, db = store) =>
    new UsageMeter(db.db, silentLogger, writer === 'worker' ? { ...opts, writer: new SqliteUsageWriter(db.file!) } : opts);
  const count = async (prefix: string) =>
    Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM usage_records WHERE request_id LIKE ${`${prefix}%`}`.execute(store.db)).rows[0]!.n);
  const files = (d: string) => readdirSync(d).filter((f) => f.endsWith('.ndjson'));

  test('a record is journaled when record() resolves, stored in a batch later, and its segment then deleted', async () => {
    const jd = journalDir();
    const meter = meterOf({ journal: UsageJournal.open(jd) });
    await meter.record(record('j-one', { tags: { team: 'a' } }));
    assert.equal(await count('j-one'), 0, 'not in the database yet');
    const [segment] = files(jd);
    assert.ok(segment, 'the record is in a journal segment');
    assert.equal(JSON.parse(readFileSync(join(jd, segment), 'utf8').trim()).request_id, 'j-one');
    await Promise.all(Array.from({ length: 300 }, (_, i) => meter.record(record(`j-many-${i}`))));
    await meter.flush();
    assert.equal(await count('j-'), 301);
    assert.deepEqual(files(jd), [], 'every segment whose records are stored is deleted');
    assert.ok(meter.stats().commits < 301, 'records are stored in groups');
    const tags = await sql<{ key: string }>`SELECT t.key FROM usage_tags t JOIN usage_records r ON r.id = t.record_id WHERE r.request_id = 'j-one'`.execute(store.db);
    assert.deepEqual(tags.rows, [{ key: 'team' }]);
    await meter.close();
  });

  test('query() sees journaled records not yet stored', async () => {
    const meter = meterOf({ journal: UsageJournal.open(journalDir()) });
    await meter.record(record('j-query'));
    assert.equal((await meter.query({ requestId: 'j-query' })).length, 1);
    await meter.close();
  });

  test('records a killed process journaled are stored at the next start, exactly once, and a cut-off line is skipped', async () => {
    const jd = journalDir();
    // Its timer never fires during the test: a meter left running would store and delete its segments under recover().
    const dead = meterOf({ journal: UsageJournal.open(jd), journalFlush: { ms: 60_000, at: 1000 } });
    for (let i = 0; i < 5; i++) await dead.record(record(`j-crash-${i}`, { tags: { run: 'crash' } }));
    await dead.flush();
    // The process dies after storing the first five but before their segment is deleted, and journals three more.
    const stored = files(jd);
    for (let i = 5; i < 8; i++) await dead.record(record(`j-crash-${i}`));
    assert.equal(await count('j-crash-'), 5);
    // Abandoned, never flushed: the "killed" meter. A line cut short by the kill ends the newest segment.
    const newest = files(jd).filter((f) => !stored.includes(f));
    assert.equal(newest.length, 1);
    appendFileSync(join(jd, newest[0]!), '{"id":"half-writ');
    // A segment the dead meter had stored but not yet deleted is replayed too: inserts are idempotent on the id.
    writeFileSync(join(jd, `999999-1-00000000.ndjson`), readFileSync(join(jd, newest[0]!), 'utf8').split('\n')[0]!.concat('\n'));

    const next = meterOf({ journal: UsageJournal.open(jd) });
    assert.equal(await next.recover(jd), 4, 'three records and one repeated');
    assert.equal(await count('j-crash-'), 8, 'every journaled record once');
    const perRequest = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM usage_records WHERE request_id LIKE 'j-crash-%' GROUP BY request_id HAVING COUNT(*) > 1`.execute(store.db);
    assert.deepEqual(perRequest.rows, []);
    const tagRows = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM usage_tags WHERE key = 'run'`.execute(store.db);
    assert.equal(Number(tagRows.rows[0]!.n), 5);
    assert.deepEqual(files(jd), [], 'replayed segments are deleted');
    await next.close();
    await dead.close();
    assert.equal(await count('j-crash-'), 8, 'the dead meter stores nothing twice');
  });

  test('a segment gone between listing and reading (another server stored it) is read as empty', () => {
    assert.deepEqual(readSegment(join(dir, 'never-written.ndjson')), { lines: [], torn: 0 });
  });

  test('a segment whose writer is still alive is left alone', () => {
    const jd = journalDir();
    UsageJournal.open(jd);
    // pid 1 is always alive and is not this process.
    writeFileSync(join(jd, '1-5-00000000.ndjson'), `${JSON.stringify({ id: 'x' })}\n`);
    writeFileSync(join(jd, '2147483646-5-00000000.ndjson'), `${JSON.stringify({ id: 'y' })}\n`);
    assert.deepEqual(
      UsageJournal.leftovers(jd).map((p) => p.slice(jd.length + 1)),
      ['2147483646-5-00000000.ndjson'],
    );
  });

  test('a journal that cannot be written fails the record instead of losing it silently', async () => {
    const jd = journalDir();
    const meter = meterOf({ journal: UsageJournal.open(jd) });
    rmSync(jd, { recursive: true });
    await assert.rejects(meter.record(record('j-nowhere')), /ENOENT/);
    assert.equal(meter.stats().failures, 1);
    await meter.close();
  });

  test('buffered mode never journals', async () => {
    const jd = journalDir();
    const meter = meterOf({ mode: 'buffered', journal: UsageJournal.open(jd) });
    await meter.record(record('j-buffered'));
    assert.deepEqual(files(jd), []);
    await meter.close();
    assert.equal(await count('j-buffered'), 1);
  });
  test('a full group is stored at once, without waiting for the timer', async () => {
    const meter = meterOf({ journal: UsageJournal.open(journalDir()), journalFlush: { ms: 60_000, at: 8 } });
    for (let i = 0; i < 8; i++) await meter.record(record(`j-full-${i}`));
    for (let i = 0; i < 50 && meter.stats().commits === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(meter.stats().commits, 1, 'stored in one group');
    assert.equal(await count('j-full-'), 8);
    await meter.record(record('j-full-8'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(meter.stats().records, 8, 'a group short of full waits for the timer');
    await meter.close();
    assert.equal(await count('j-full-'), 9, 'close() stores what waits');
  });

  test('a group the store refuses stays in its journal segment, to be stored at the next start', async () => {
    const brokenDir = mkdtempSync(join(tmpdir(), 'quarry-journal-broken-'));
    const broken = await openStore({ dataDir: brokenDir }); // no migrations: the table does not exist
    const jd = join(brokenDir, 'journal');
    const meter = meterOf({ journal: UsageJournal.open(jd) }, broken);
    await meter.record(record('j-refused'));
    await meter.flush();
    assert.equal(meter.stats().failures, 1);
    assert.equal(files(jd).length, 1, 'the segment is kept');
    await meter.close();
    await broken.close();
    const later = meterOf({ journal: UsageJournal.open(journalDir()) });
    assert.equal(await later.recover(jd), 1);
    assert.equal(await count('j-refused'), 1);
    await later.close();
    rmSync(brokenDir, { recursive: true, force: true });
  });
  test("a transaction on the server's connection that reads, then writes, is not refused while records are stored", async () => {
    // With a usage writer thread on the same file, a deferred transaction whose snapshot that thread outdated could
    // not write ("database is locked"); the store begins its transactions IMMEDIATE (see database.ts).
    await sql`CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER)`.execute(store.db);
    await sql`INSERT OR REPLACE INTO counter VALUES (1, 0)`.execute(store.db);
    const meter = meterOf({ journal: UsageJournal.open(journalDir()), journalFlush: { ms: 1, at: 4 } });
    const until = Date.now() + 500;
    let i = 0;
    const load = (async () => {
      while (Date.now() < until) await Promise.all(Array.from({ length: 16 }, () => meter.record(record(`j-busy-${i++}`))));
    })();
    let done = 0;
    while (Date.now() < until) {
      await store.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(trx);
        await new Promise((r) => setImmediate(r));
        await sql`UPDATE counter SET n = ${rows[0]!.n + 1} WHERE id = 1`.execute(trx);
      });
      done++;
    }
    await load;
    await meter.close();
    const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(store.db);
    assert.equal(rows[0]!.n, done);
    assert.equal(await count('j-busy-'), i);
  });
});
}
