import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Store } from '../database.js';
import { JobLeaseLostError } from './job-lease-lost-error.js';
import type { Job } from './job-queue.js';
import { type JobTables, type JobsTable, toJob } from './jobs-table.js';

/** A claimed job and the token every later write about it must present. */
export interface Lease<P = unknown> {
  job: Job<P>;
  token: string;
}

/** 'lost': the lease lapsed and another worker claimed the job (or the row is gone). */
export type LeaseState = 'held' | 'cancelled' | 'lost';

/** Error text is for people reading a job's status, not a log: keep rows bounded. */
const MAX_ERROR_CHARS = 4000;

/**
 * The statements a worker runs about the jobs it holds. Each write after the claim carries `lease_token = ?` and
 * `state = 'RUNNING'` in its WHERE clause, so whatever happened meanwhile (the lease lapsed and another worker claimed
 * the job, or it was cancelled) turns a stale worker's write into a no-op instead of a second completion.
 */
export class JobLeases {
  private readonly db: Kysely<JobTables>;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    /** Recorded on each claim, so an operator (or a test) can tell which replica runs a job. */
    private readonly workerId: string,
  ) {
    this.db = store.db.withTables<JobTables>();
  }

  /**
   * Takes the next due job of a type: a QUEUED one whose run_at has come, or a RUNNING one whose lease lapsed (its
   * worker died or stalled). On PostgreSQL, FOR UPDATE SKIP LOCKED lets concurrent claimers pass over each other's
   * candidate instead of queueing behind it; SQLite has one writer at a time, so the single UPDATE is atomic as it is.
   */
  async claim<P>(type: string, leaseMs: number): Promise<Lease<P> | undefined> {
    const now = this.now();
    const at = now.toISOString();
    const token = randomBytes(16).toString('hex');
    const row = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        state: 'RUNNING',
        attempts: eb('attempts', '+', 1),
        lease_token: token,
        lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
        worker: this.workerId,
        started_at: eb.fn.coalesce('started_at', eb.val(at)),
        updated_at: at,
      }))
      .where('id', '=', (eb) => {
        const next = eb
          .selectFrom('jobs as j')
          .select('j.id')
          .where('j.type', '=', type)
          .where((w) =>
            w.or([
              w.and([w('j.state', '=', 'QUEUED'), w('j.run_at', '<=', at)]),
              w.and([w('j.state', '=', 'RUNNING'), w('j.lease_expires_at', '<', at)]),
            ]),
          )
          .orderBy('j.run_at')
          .orderBy('j.id')
          .limit(1);
        return this.store.dialect === 'postgres' ? next.forUpdate().skipLocked() : next;
      })
      .returningAll()
      .executeTakeFirst();
    return row ? { job: toJob<P>(row), token } : undefined;
  }

  /** Extends the lease (and stores progress when given); says why not when the lease is no longer ours. */
  async heartbeat(id: string, token: string, leaseMs: number, progress?: string): Promise<LeaseState> {
    const now = this.now();
    const r = await this.db
      .updateTable('jobs')
      .set({
        lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
        updated_at: now.toISOString(),
        ...(progress === undefined ? {} : { progress }),
      })
      .where('id', '=', id)
      .where('lease_token', '=', token)
      .where('state', '=', 'RUNNING')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return 'held';
    return (await this.leaseStates([{ id, token }])).get(id) ?? 'lost';
  }

  /**
   * `fn` inside one transaction that starts by extending the lease under the usual `lease_token = ?` condition: no row
   * updated means the lease is gone and nothing is written; otherwise `fn`'s writes commit together with the proof
   * that the lease was held at commit (on PostgreSQL the updated row stays locked until then, so a claim's SKIP LOCKED
   * passes over it rather than taking the job mid-write). On SQLite the one-writer lock gives the same.
   */
  async fenced<T>(id: string, token: string, leaseMs: number, fn: (trx: Transaction<object>) => Promise<T>): Promise<T> {
    let held = false;
    const value = await this.store.db.transaction().execute(async (trx) => {
      const now = this.now();
      const r = await trx
        .withTables<JobTables>()
        .updateTable('jobs')
        .set({ lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(), updated_at: now.toISOString() })
        .where('id', '=', id)
        .where('lease_token', '=', token)
        .where('state', '=', 'RUNNING')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return undefined;
      held = true;
      return fn(trx);
    });
    if (!held) {
      const state = (await this.leaseStates([{ id, token }])).get(id);
      throw new JobLeaseLostError(id, state === 'cancelled' ? 'cancelled' : 'lost');
    }
    return value as T;
  }

  /** Whether each lease is still held, in one read (run each poll, so remote cancellations are noticed promptly). */
  async leaseStates(leases: { id: string; token: string }[]): Promise<Map<string, LeaseState>> {
    const states = new Map<string, LeaseState>(leases.map((l) => [l.id, 'lost']));
    if (!leases.length) return states;
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'lease_token', 'state'])
      .where(
        'id',
        'in',
        leases.map((l) => l.id),
      )
      .execute();
    const tokens = new Map(leases.map((l) => [l.id, l.token]));
    for (const r of rows) {
      if (r.state === 'CANCELLED') states.set(r.id, 'cancelled');
      else if (r.state === 'RUNNING' && r.lease_token === tokens.get(r.id)) states.set(r.id, 'held');
    }
    return states;
  }

  async complete(id: string, token: string, result: string): Promise<boolean> {
    const at = this.now().toISOString();
    return this.finishIfHeld(id, token, { state: 'SUCCEEDED', result, error: null, finished_at: at, updated_at: at });
  }

  async fail(id: string, token: string, message: string): Promise<boolean> {
    const at = this.now().toISOString();
    return this.finishIfHeld(id, token, { state: 'FAILED', error: bounded(message), finished_at: at, updated_at: at });
  }

  /** Back to the queue after a failed attempt; the error stays visible while the job waits for its retry. */
  async retryLater(id: string, token: string, message: string, delayMs: number): Promise<boolean> {
    const now = this.now();
    return this.finishIfHeld(id, token, {
      state: 'QUEUED',
      error: bounded(message),
      run_at: new Date(now.getTime() + delayMs).toISOString(),
      updated_at: now.toISOString(),
    });
  }

  /**
   * Hands a job back for another worker to take at once. A worker that stops on purpose has not failed the job, so the
   * attempt is given back too.
   */
  async release(id: string, token: string): Promise<boolean> {
    const at = this.now().toISOString();
    const r = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        state: 'QUEUED',
        attempts: eb('attempts', '-', 1),
        lease_token: null,
        lease_expires_at: null,
        run_at: at,
        updated_at: at,
      }))
      .where('id', '=', id)
      .where('lease_token', '=', token)
      .where('state', '=', 'RUNNING')
      .where('attempts', '>', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private async finishIfHeld(id: string, token: string, set: Partial<JobsTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ ...set, lease_token: null, lease_expires_at: null })
      .where('id', '=', id)
      .where('lease_token', '=', token)
      .where('state', '=', 'RUNNING')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}

function bounded(message: string): string {
  return message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS)}…` : message;
}
