import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Logger, silentLogger, validation } from '../../core/index.js';
import type { Store } from '../database.js';
import { timeOrderedId } from '../time-ordered-id.js';
import { jobJson } from './job-json.js';
import { JobLeaseLostError } from './job-lease-lost-error.js';
import { JobLeases } from './job-leases.js';
import type { EnqueueOptions, Job, JobHandler, JobQueue, JobState, JobWorker, WorkOptions } from './job-queue.js';
import { type JobsTable, type JobTables, toJob } from './jobs-table.js';
import { PollingJobWorker } from './polling-job-worker.js';
import { defaultRetryBackoff, type RetryBackoff } from './retry-delay.js';

export interface StoreJobQueueOptions {
  logger?: Logger;
  /** The clock for every stored time (claims, leases, run_at); tests skew it to play a worker whose lease lapsed. */
  now?: () => Date;
  /** Delay before retrying a failed attempt: baseMs, doubled per failure up to maxMs, with jitter. */
  backoff?: Partial<RetryBackoff>;
  /** Names this process in the jobs it claims (Job.worker); `<host>:<pid>` by default. */
  workerId?: string;
}

const JOB_STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const satisfies readonly JobState[];
const DEFAULT_MAX_ATTEMPTS = 3;
const MAX_LIST = 500;
// Enqueue with a dedupe key races: the insert loses to a job that may finish before we read it back. Each round trip
// that happens in means the other job is gone, so a few rounds always settle.
const DEDUPE_ROUNDS = 5;

const name = (what: string, max: number) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`)
    .refine((s) => !/[\p{Cc}]/u.test(s), `${what} must not contain control characters`);

const typeSchema = name('type', 200);
const enqueueSchema = z.object({
  scope: name('scope', 500),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  runAt: z.iso.datetime({ offset: true }).optional(),
  dedupeKey: name('dedupeKey', 500).optional(),
});
const listSchema = z.object({
  scope: name('scope', 500),
  type: typeSchema.optional(),
  states: z.array(z.enum(JOB_STATES)).optional(),
  limit: z.number().int().min(1).max(MAX_LIST).optional(),
  before: z.string().max(100).optional(),
});
const workSchema = z.object({
  concurrency: z.number().int().min(1).max(1000).optional(),
  leaseMs: z.number().int().min(50).max(24 * 3600_000).optional(),
  pollMs: z.number().int().min(5).max(3600_000).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw validation(`Invalid ${what}: ${z.prettifyError(r.error)}`, r.error);
  return r.data;
}

/**
 * The job queue on the project's store: one `jobs` table, the same statements on SQLite and PostgreSQL. Any process
 * with the store open may enqueue or work; leases (see JobLeases) make a job's outcome single even when workers die or
 * stall. Run `migrate(db, jobMigrations)` first.
 */
export class StoreJobQueue implements JobQueue {
  private readonly db: Kysely<JobTables>;
  private readonly leases: JobLeases;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly backoff: RetryBackoff;
  private readonly workers = new Map<string, Set<PollingJobWorker<never>>>();
  private readonly local = new Map<string, AbortController>();

  constructor(store: Store, opts: StoreJobQueueOptions = {}) {
    this.db = store.db.withTables<JobTables>();
    this.now = opts.now ?? (() => new Date());
    this.logger = opts.logger ?? silentLogger;
    this.backoff = { ...defaultRetryBackoff, ...opts.backoff };
    this.leases = new JobLeases(store, this.now, opts.workerId ?? `${hostname()}:${process.pid}`);
  }

  async enqueue<P>(type: string, payload: P, opts: EnqueueOptions): Promise<Job<P>> {
    parse(typeSchema, type, 'job type');
    const o = parse(enqueueSchema, opts, 'job options');
    const now = this.now();
    const at = now.toISOString();
    const row: JobsTable = {
      id: timeOrderedId(now.getTime()),
      type,
      scope: o.scope,
      payload: jobJson(payload, 'payload'),
      state: 'QUEUED',
      attempts: 0,
      max_attempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      progress: '{}',
      result: null,
      error: null,
      dedupe_key: o.dedupeKey ?? null,
      run_at: o.runAt ? new Date(o.runAt).toISOString() : at,
      lease_token: null,
      lease_expires_at: null,
      worker: null,
      created_at: at,
      updated_at: at,
      started_at: null,
      finished_at: null,
    };
    const job = row.dedupe_key === null ? await this.insert(row) : await this.insertDeduped(row);
    for (const w of this.workers.get(type) ?? []) w.wake();
    return job as Job<P>;
  }

  private async insert(row: JobsTable): Promise<Job> {
    await this.db.insertInto('jobs').values(row).execute();
    return toJob(row);
  }

  /** The partial unique index decides; ON CONFLICT DO NOTHING turns losing the race into reading the winner. */
  private async insertDeduped(row: JobsTable): Promise<Job> {
    for (let round = 0; round < DEDUPE_ROUNDS; round++) {
      const inserted = await this.db.insertInto('jobs').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
      if (inserted) return toJob(inserted);
      const existing = await this.db
        .selectFrom('jobs')
        .selectAll()
        .where('scope', '=', row.scope)
        .where('type', '=', row.type)
        .where('dedupe_key', '=', row.dedupe_key)
        .where('state', 'in', ['QUEUED', 'RUNNING'])
        .executeTakeFirst();
      if (existing) return toJob(existing);
    }
    throw new Error(`Could not enqueue job ${row.type} with dedupe key ${row.dedupe_key}: it kept conflicting`);
  }

  async get(id: string, scope?: string): Promise<Job | undefined> {
    if (typeof id !== 'string' || !id) return undefined;
    let q = this.db.selectFrom('jobs').selectAll().where('id', '=', id);
    if (scope !== undefined) q = q.where('scope', '=', scope);
    const row = await q.executeTakeFirst();
    return row && toJob(row);
  }

  /** Newest first; pass the last id of a page as `before` for the next page. */
  async list(filter: { type?: string; scope: string; states?: JobState[]; limit?: number; before?: string }): Promise<Job[]> {
    const f = parse(listSchema, filter, 'job listing filter');
    if (f.states?.length === 0) return [];
    let q = this.db
      .selectFrom('jobs')
      .selectAll()
      .where('scope', '=', f.scope)
      .orderBy('id', 'desc')
      .limit(f.limit ?? 50);
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    if (f.states) q = q.where('state', 'in', f.states);
    if (f.before !== undefined) q = q.where('id', '<', f.before);
    return (await q.execute()).map((r) => toJob(r));
  }

  async cancel(id: string, scope: string): Promise<Job | undefined> {
    if (typeof id !== 'string' || !id || typeof scope !== 'string') return undefined;
    const at = this.now().toISOString();
    // Clearing the token is what stops a running job: its worker's next heartbeat or poll finds the lease gone.
    const row = await this.db
      .updateTable('jobs')
      .set({ state: 'CANCELLED', lease_token: null, lease_expires_at: null, finished_at: at, updated_at: at })
      .where('id', '=', id)
      .where('scope', '=', scope)
      .where('state', 'in', ['QUEUED', 'RUNNING'])
      .returningAll()
      .executeTakeFirst();
    if (!row) return this.get(id, scope);
    this.local.get(id)?.abort(new JobLeaseLostError(id, 'cancelled'));
    return toJob(row);
  }

  work<P>(type: string, handler: JobHandler<P>, opts: WorkOptions = {}): JobWorker {
    parse(typeSchema, type, 'job type');
    const o = parse(workSchema, opts, 'worker options');
    const worker = new PollingJobWorker<P>(this.leases, handler, {
      type,
      concurrency: o.concurrency ?? 1,
      leaseMs: o.leaseMs ?? 30_000,
      pollMs: o.pollMs ?? 500,
      backoff: this.backoff,
      logger: this.logger.child({ jobType: type }),
      local: this.local,
    });
    const set = this.workers.get(type) ?? new Set();
    set.add(worker as PollingJobWorker<never>);
    this.workers.set(type, set);
    return {
      stop: async () => {
        set.delete(worker as PollingJobWorker<never>);
        await worker.stop();
      },
    };
  }
}
