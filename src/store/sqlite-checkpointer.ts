import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints SQLite's write-ahead log from a worker thread, off the event loop.
 *
 * By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000 pages: that commit copies the pages
 * into the database file and fsyncs it, on the event loop, while a request waits on it. A metered request commits its
 * usage record before it is answered, so a third of the cost of that commit (35% in bench/.out micro-runs on this
 * machine) was checkpoints landing on some request or other. Here one worker per process holds its own connection to
 * each open database and runs a PASSIVE checkpoint (which never blocks the writer) every CHECKPOINT_MS; the main
 * connection keeps SQLite's own checkpointing only as a backstop at BACKSTOP_PAGES, for a worker that has died.
 */
export const CHECKPOINT_MS = 500;
export const BACKSTOP_PAGES = 10_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const open = new Map();
const tick = () => {
  for (const db of open.values()) {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closed: the next tick tries again */ }
  }
};
setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m.add) {
    try {
      const db = new SQLite(m.add);
      db.pragma('busy_timeout = 1000');
      open.set(m.add, db);
    } catch { /* the main connection keeps its backstop */ }
  } else if (m.remove) {
    const db = open.get(m.remove);
    open.delete(m.remove);
    try { db?.close(); } catch {}
    parentPort.postMessage({ removed: m.id });
  }
});
`;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, () => void>();
const users = new Map<string, number>();

function ensureWorker(): Worker {
  if (worker) return worker;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, intervalMs: CHECKPOINT_MS } });
  // The worker never keeps the process alive; a store's close() waits for its reply itself.
  w.unref();
  w.on('message', (m: { removed?: number }) => {
    if (m.removed === undefined) return;
    pending.get(m.removed)?.();
    pending.delete(m.removed);
  });
  const gone = () => {
    if (worker === w) worker = undefined;
    for (const done of pending.values()) done();
    pending.clear();
  };
  w.on('error', gone);
  w.on('exit', gone);
  worker = w;
  return w;
}

/**
 * Starts checkpointing `file` in the background; the returned function stops it and resolves once the worker has
 * closed its connection, so the caller's own close is the last one (SQLite then folds the WAL in and removes it).
 */
export function checkpointInBackground(file: string): () => Promise<void> {
  const w = ensureWorker();
  users.set(file, (users.get(file) ?? 0) + 1);
  if (users.get(file) === 1) w.postMessage({ add: file });
  let released = false;
  return () => {
    if (released) return Promise.resolve();
    released = true;
    const left = (users.get(file) ?? 1) - 1;
    if (left > 0) {
      users.set(file, left);
      return Promise.resolve();
    }
    users.delete(file);
    const current = worker;
    if (!current) return Promise.resolve();
    const id = nextId++;
    const done = new Promise<void>((resolve) => pending.set(id, resolve));
    current.postMessage({ remove: file, id });
    return done.then(() => {
      if (users.size === 0 && worker === current) {
        worker = undefined;
        void current.terminate();
      }
    });
  };
}
