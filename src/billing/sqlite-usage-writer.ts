import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { UsageRecordsTable, UsageTagsTable } from './tables.js';
import { USAGE_COLUMNS, type UsageRowWriter } from './usage-row-writer.js';

/**
 * Stores journaled usage rows in a SQLite file from a worker thread with its own connection, off the event loop.
 *
 * Inserting a row costs about 10 µs on this machine (22 bound values, five indexes), so the journal's batch of 160
 * rows every 50 ms at concurrency 1 stalled the event loop for ~1.7 ms, and whichever request was in flight waited
 * that long: it set the gateway's p99 at concurrency 1 (2 ms against the undici proxy's 0.4). Here the event loop only
 * hands the rows over (their journal lines, as one string) and hears back once they are committed; the record was
 * durable before (journaled, see UsageJournal), so nothing about durability changes. SQLite in WAL mode lets the
 * server's own connection read meanwhile; its transactions begin IMMEDIATE and wait for the worker's (see database.ts).
 */
export class SqliteUsageWriter implements UsageRowWriter {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private readonly idle: (() => void)[] = [];

  constructor(private readonly file: string) {}

  write(rows: UsageRecordsTable[], tags: UsageTagsTable[], lines?: string[]): Promise<void> {
    const w = this.worker ?? this.start();
    const id = this.nextId++;
    // Held open only while a write is in flight: an idle writer never keeps the process alive.
    if (this.pending.size === 0) w.ref();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The journal's lines, when there are, go as one string: copying a string costs the event loop far less than
      // a structured clone of the row objects (the worker parses them).
      w.postMessage(lines ? { id, lines: lines.join('\n'), tags } : { id, rows, tags });
    });
  }

  /** Waits for the writes in flight, then closes the worker's connection. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    if (this.pending.size) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.ref();
    w.postMessage({ close: true });
    await exited;
  }

  /** Settles what the worker held; once nothing is in flight, lets the process exit and wakes a waiting close(). */
  private settle(id: number, error: Error | undefined): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (error) p.reject(error);
    else p.resolve();
    if (this.pending.size) return;
    this.worker?.unref();
    for (const wake of this.idle.splice(0)) wake();
  }

  private start(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { driver, file: this.file, columns: USAGE_COLUMNS } });
    w.unref();
    w.on('message', (m: { id: number; error?: string }) => this.settle(m.id, m.error === undefined ? undefined : new Error(m.error)));
    // A worker that dies fails what it held (the meter retries it, and its journal segment keeps it meanwhile); the
    // next write starts another.
    const gone = (err?: Error) => {
      if (this.worker === w) this.worker = undefined;
      const e = err ?? new Error('the usage writer thread exited');
      for (const id of [...this.pending.keys()]) this.settle(id, e);
    };
    w.on('error', gone);
    w.on('exit', () => gone());
    this.worker = w;
    return w;
  }
}

// CommonJS, evaluated: a worker given a .ts file would need the TypeScript loader, which this code does not.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const columns = workerData.columns;
let db, writeGroup;
function open() {
  const d = new SQLite(workerData.file);
  try {
    // The same settings as the server's connection: durable against a killed process, and patient with its writes.
    d.pragma('synchronous = NORMAL');
    d.pragma('busy_timeout = 5000');
    const insertRow = d.prepare('INSERT INTO "usage_records" (' + columns.map((c) => '"' + c + '"').join(', ') + ') VALUES (' + columns.map(() => '?').join(', ') + ') ON CONFLICT ("id") DO NOTHING');
    const insertTag = d.prepare('INSERT INTO "usage_tags" ("record_id", "key", "value") VALUES (?, ?, ?) ON CONFLICT ("record_id", "key") DO NOTHING');
    writeGroup = d.transaction((rows, tags) => {
      const values = new Array(columns.length);
      for (const row of rows) {
        for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]];
        insertRow.run(values);
      }
      for (const t of tags) insertTag.run(t.record_id, t.key, t.value);
    });
  } catch (e) {
    d.close();
    throw e;
  }
  db = d;
}
parentPort.on('message', (m) => {
  if (m.close) {
    try { db && db.close(); } catch {}
    process.exit(0);
  }
  try {
    if (!db) open();
    // IMMEDIATE: the write lock is taken first, waiting its turn, rather than on a snapshot another writer can outdate.
    writeGroup.immediate(m.lines !== undefined ? m.lines.split('\\n').map((l) => JSON.parse(l)) : m.rows, m.tags);
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    // (A connection that failed to open is opened afresh for the next group.)
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});
`;
