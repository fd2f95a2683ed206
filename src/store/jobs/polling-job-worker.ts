import { type Logger, QuarryError } from '../../core/index.js';
import { JobLeaseLostError } from './job-lease-lost-error.js';
import type { JobContext, JobHandler, JobWorker } from './job-queue.js';
import { jobJson } from './job-json.js';
import type { JobLeases, Lease } from './job-leases.js';
import { type RetryBackoff, retryDelayMs } from './retry-delay.js';

export interface PollingJobWorkerOptions {
  type: string;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  backoff: RetryBackoff;
  logger: Logger;
  /** Where the queue finds this process's running jobs, to abort one it cancels without waiting for a poll. */
  local: Map<string, AbortController>;
}

interface Running {
  lease: Lease;
  controller: AbortController;
  /** Set when this worker's stop() aborted the handler: the job goes back to the queue rather than failing. */
  stopping: boolean;
  settled: Promise<void>;
  heartbeats: NodeJS.Timeout;
}

/**
 * Claims jobs of one type by polling, runs up to `concurrency` handlers, and keeps their leases alive. One timer per
 * running job heartbeats at a third of the lease so two heartbeats can be missed before the lease lapses; each poll
 * also checks, with one read, that the running jobs are still ours, which is how a cancellation made by another
 * process reaches the handler within a poll interval instead of a heartbeat interval.
 */
export class PollingJobWorker<P> implements JobWorker {
  private readonly running = new Map<string, Running>();
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** A wake-up that came while the loop was busy claiming: the next idle wait is skipped so it is not lost. */
  private woken = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly leases: JobLeases,
    private readonly handler: JobHandler<P>,
    private readonly opts: PollingJobWorkerOptions,
  ) {
    this.loop = this.run();
  }

  /** Cuts the current idle wait short (a job of this type was just enqueued here, or a slot came free). */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    for (const r of this.running.values()) {
      r.stopping = true;
      r.controller.abort(new JobLeaseLostError(r.lease.job.id, 'worker-stopping'));
    }
    // A handler that ignores its signal must not hold shutdown forever; after one lease length its job is handed back
    // anyway, and its late completion is a no-op because the token changed.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.opts.leaseMs);
    });
    await Promise.race([Promise.all([...this.running.values()].map((r) => r.settled)), grace]);
    clearTimeout(timer);
    for (const r of this.running.values()) {
      this.opts.logger.warn({ jobId: r.lease.job.id }, 'job handler ignored its abort signal; releasing its lease');
      clearInterval(r.heartbeats);
      await this.leases.release(r.lease.job.id, r.lease.token).catch(() => {});
    }
  }

  private async run(): Promise<void> {
    const { logger, pollMs } = this.opts;
    while (!this.stopped) {
      this.woken = false;
      try {
        await this.noticeLostLeases();
        await this.fill();
      } catch (e) {
        logger.error({ err: e, type: this.opts.type }, 'job worker poll failed; retrying after the poll interval');
      }
      if (this.stopped) break;
      if (this.woken) {
        this.woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async fill(): Promise<void> {
    const { type, concurrency, leaseMs } = this.opts;
    while (!this.stopped && this.running.size < concurrency) {
      const lease = await this.leases.claim<P>(type, leaseMs);
      if (!lease) return;
      if (this.stopped) {
        await this.leases.release(lease.job.id, lease.token);
        return;
      }
      const { job } = lease;
      if (job.attempts > job.maxAttempts) {
        // Every attempt so far ended with the lease lapsing: the job kills or hangs its workers. Stop handing it out.
        await this.leases.fail(
          job.id,
          lease.token,
          `Gave up after ${job.maxAttempts} attempts: the worker running the job stopped heartbeating each time (crashed or stalled)`,
        );
        continue;
      }
      this.start(lease);
    }
  }

  private async noticeLostLeases(): Promise<void> {
    if (!this.running.size) return;
    const all = [...this.running.values()].map((r) => ({ id: r.lease.job.id, token: r.lease.token }));
    const states = await this.leases.leaseStates(all);
    for (const [id, state] of states) if (state !== 'held') this.lose(id, state);
  }

  private lose(id: string, reason: JobLeaseLostError['reason']): void {
    const r = this.running.get(id);
    if (r && !r.controller.signal.aborted) r.controller.abort(new JobLeaseLostError(id, reason));
  }

  private start(lease: Lease<P>): void {
    const { leaseMs, logger } = this.opts;
    const { job, token } = lease;
    const controller = new AbortController();
    let beating = false;
    const heartbeat = async (progress?: Record<string, unknown>): Promise<void> => {
      if (controller.signal.aborted) throw controller.signal.reason;
      const state = await this.leases.heartbeat(job.id, token, leaseMs, progress === undefined ? undefined : jobJson(progress, 'progress'));
      if (state !== 'held') {
        this.lose(job.id, state);
        throw controller.signal.reason;
      }
    };
    const fenced: JobContext['fenced'] = async (fn) => {
      if (controller.signal.aborted) throw controller.signal.reason;
      try {
        return await this.leases.fenced(job.id, token, leaseMs, fn);
      } catch (e) {
        if (e instanceof JobLeaseLostError) this.lose(job.id, e.reason);
        throw e;
      }
    };
    const timer = setInterval(() => {
      if (beating) return;
      beating = true;
      heartbeat()
        .catch((e) => {
          if (!(e instanceof JobLeaseLostError)) logger.warn({ err: e, jobId: job.id }, 'job heartbeat failed; trying again');
        })
        .finally(() => {
          beating = false;
        });
    }, Math.max(1, Math.floor(leaseMs / 3)));
    const r: Running = { lease, controller, stopping: false, settled: Promise.resolve(), heartbeats: timer };
    this.running.set(job.id, r);
    this.opts.local.set(job.id, controller);
    r.settled = (async () => {
      let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, result: await this.handler(job, { signal: controller.signal, heartbeat, fenced }) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      clearInterval(timer);
      await this.settle(r, outcome);
    })()
      .catch((e) => logger.error({ err: e, jobId: job.id }, 'could not record a job outcome; its lease will lapse and it will run again'))
      .finally(() => {
        this.running.delete(job.id);
        if (this.opts.local.get(job.id) === controller) this.opts.local.delete(job.id);
        this.wake();
      });
  }

  private async settle(r: Running, outcome: { ok: true; result: unknown } | { ok: false; error: unknown }): Promise<void> {
    const { job, token } = r.lease;
    const { logger } = this.opts;
    if (outcome.ok) {
      let result: string;
      try {
        result = jobJson(outcome.result, 'result');
      } catch (e) {
        await this.leases.fail(job.id, token, (e as Error).message);
        return;
      }
      // A lapsed or cancelled lease makes this a no-op: somebody else owns the job's outcome now.
      if (!(await this.leases.complete(job.id, token, result))) {
        logger.info({ jobId: job.id }, 'ignored the completion of a job this worker no longer holds');
      }
      return;
    }
    if (r.stopping) {
      await this.leases.release(job.id, token);
      return;
    }
    if (r.controller.signal.aborted) return;
    const message = errorMessage(outcome.error);
    const retryable = !(QuarryError.isInstance(outcome.error) && !outcome.error.retryable);
    if (retryable && job.attempts < job.maxAttempts) {
      await this.leases.retryLater(job.id, token, message, retryDelayMs(job.attempts, this.opts.backoff));
    } else {
      await this.leases.fail(job.id, token, message);
    }
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return typeof e === 'string' ? e : `Non-error thrown: ${String(e)}`;
}
