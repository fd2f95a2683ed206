/**
 * A worker process for the multi-process queue test (not part of the product): works one job type on the store named
 * in argv and reports every step on stdout as a JSON line, so the parent can kill it mid-job and count completions.
 * Each job takes `steps` heartbeats and resumes from the step its progress records, as a real ingestion job would.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../database.js';
import { StoreJobQueue } from './store-job-queue.js';

const { url, dataDir, type, steps, stepMs, leaseMs } = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  dataDir: string;
  type: string;
  steps: number;
  stepMs: number;
  leaseMs: number;
};
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ pid: process.pid, ...event })}\n`);

const store = await openStore({ dataDir, url });
const queue = new StoreJobQueue(store);
const worker = queue.work<unknown>(
  type,
  async (job, ctx) => {
    const from = typeof job.progress.step === 'number' ? job.progress.step : 0;
    say({ event: 'start', id: job.id, from });
    for (let step = from + 1; step <= steps; step++) {
      await sleep(stepMs, undefined, { signal: ctx.signal });
      await ctx.heartbeat({ step });
      say({ event: 'step', id: job.id, step });
    }
    say({ event: 'done', id: job.id });
    return { pid: process.pid, resumedFrom: from };
  },
  { concurrency: 2, leaseMs, pollMs: 50 },
);
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
say({ event: 'ready' });
