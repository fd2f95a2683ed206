import { type Migration, sql } from 'kysely';
import type { Job, JobState } from './job-queue.js';

// A type (not an interface) so Kysely's withTables<T>() accepts it. Times are ISO strings and JSON is text so the same
// rows, comparisons and statements work on SQLite and PostgreSQL.
export type JobsTable = {
  /** Time-ordered (UUIDv7), so ordering by id is ordering by creation and serves as the listing cursor. */
  id: string;
  type: string;
  scope: string;
  payload: string;
  state: JobState;
  /** Claims so far; a graceful release gives one back. */
  attempts: number;
  max_attempts: number;
  progress: string;
  result: string | null;
  error: string | null;
  dedupe_key: string | null;
  /** Earliest claim time: the requested start, or the end of a retry's backoff. */
  run_at: string;
  /** Random per claim; every write by the worker is conditional on it, which is what makes a stale worker harmless. */
  lease_token: string | null;
  lease_expires_at: string | null;
  /** Which process claimed the job last (`host:pid` unless configured): the one running it now, or the one that finished it. */
  worker: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
};

export type JobTables = { jobs: JobsTable };

export const jobMigrations: Record<string, Migration> = {
  '2026-11-23-03-jobs': {
    async up(db) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('progress', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('dedupe_key', 'text')
        .addColumn('run_at', 'text', (c) => c.notNull())
        .addColumn('lease_token', 'text')
        .addColumn('lease_expires_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      // Claims look for (type, QUEUED, run_at <= now) or (type, RUNNING, lease expired); running jobs are few.
      await db.schema.createIndex('jobs_claim').on('jobs').columns(['type', 'state', 'run_at']).execute();
      await db.schema.createIndex('jobs_scope_id').on('jobs').columns(['scope', 'id']).execute();
      // The dedupe guarantee lives in the database, not in a read-then-insert, so concurrent enqueues on any number of
      // replicas cannot both win. Partial unique indexes read the same on both dialects. Scope is part of the key so
      // one tenant's key never returns another tenant's job.
      await sql`create unique index jobs_dedupe on jobs (scope, type, dedupe_key)
        where dedupe_key is not null and state in ('QUEUED', 'RUNNING')`.execute(db);
    },
  },
  // Added after the table shipped, so it is a column of its own; null on jobs claimed before it existed.
  '2026-11-23-04-jobs-worker': {
    async up(db) {
      await db.schema.alterTable('jobs').addColumn('worker', 'text').execute();
    },
  },
};

function parseJson(text: string, column: string, id: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`Job ${id}: the stored ${column} is not valid JSON`, { cause: e });
  }
}

export function toJob<P = unknown>(row: JobsTable): Job<P> {
  const job: Job<P> = {
    id: row.id,
    type: row.type,
    scope: row.scope,
    payload: parseJson(row.payload, 'payload', row.id) as P,
    state: row.state,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    progress: (parseJson(row.progress, 'progress', row.id) ?? {}) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.result !== null) job.result = parseJson(row.result, 'result', row.id);
  if (row.error !== null) job.error = row.error;
  if (row.started_at !== null) job.startedAt = row.started_at;
  if (row.finished_at !== null) job.finishedAt = row.finished_at;
  if (row.worker) job.worker = row.worker;
  return job;
}
