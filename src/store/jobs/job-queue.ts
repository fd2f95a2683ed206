import type { Transaction } from 'kysely';

/**
 * The durable job queue (ingestion, batch, evaluation). Jobs live in the store, so on PostgreSQL any replica may claim
 * one. A claim is a lease: a worker that dies stops heartbeating, its lease lapses and another worker resumes the job.
 * Completion is conditional on still holding the lease, so a job is never completed twice even if a stalled worker
 * wakes up after losing it; handlers must therefore be idempotent (resume from their own checkpoints).
 */
export type JobState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface Job<P = unknown> {
  id: string;
  type: string;
  /** Owner scope (account/project) so listing never crosses tenants. */
  scope: string;
  payload: P;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  /** Free-form progress the handler reports through heartbeats (statistics, checkpoints). */
  progress: Record<string, unknown>;
  result?: unknown;
  error?: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** The process that claimed it last (see StoreJobQueueOptions.workerId): who runs it now, or who finished it. */
  worker?: string;
}

export interface EnqueueOptions {
  scope: string;
  maxAttempts?: number;
  /** Earliest start (ISO time). */
  runAt?: string;
  /** At most one QUEUED or RUNNING job per key and type; enqueueing again returns the existing job. */
  dedupeKey?: string;
}

export interface JobContext {
  /** Aborted when the lease is lost, the job is cancelled or the worker stops. */
  signal: AbortSignal;
  /** Extends the lease and stores progress; throws if the lease was lost so the handler stops. */
  heartbeat(progress?: Record<string, unknown>): Promise<void>;
  /**
   * Runs `fn` in one store transaction that commits only if this worker still holds the lease, and extends it. The
   * handler's own bookkeeping (checkpoints, statistics, a final status) written through `trx` therefore never lands
   * after another worker took the job over: a stale worker gets JobLeaseLostError and nothing of `fn` is kept. On
   * PostgreSQL the job row stays locked until commit, so a claimer skips it meanwhile instead of racing the write.
   */
  fenced<T>(fn: (trx: Transaction<object>) => Promise<T>): Promise<T>;
}

export type JobHandler<P = unknown> = (job: Job<P>, ctx: JobContext) => Promise<unknown>;

export interface WorkOptions {
  concurrency?: number;
  /** How long a claim lasts without a heartbeat. */
  leaseMs?: number;
  /** How often an idle worker polls for new jobs. */
  pollMs?: number;
}

export interface JobWorker {
  /** Stops claiming, aborts running handlers and waits for them to settle (their jobs go back to the queue). */
  stop(): Promise<void>;
}

export interface JobQueue {
  enqueue<P>(type: string, payload: P, opts: EnqueueOptions): Promise<Job<P>>;
  get(id: string, scope?: string): Promise<Job | undefined>;
  list(filter: { type?: string; scope: string; states?: JobState[]; limit?: number; before?: string }): Promise<Job[]>;
  /** A QUEUED job is cancelled at once; a RUNNING one has its signal aborted at the next heartbeat. */
  cancel(id: string, scope: string): Promise<Job | undefined>;
  work<P>(type: string, handler: JobHandler<P>, opts?: WorkOptions): JobWorker;
}
