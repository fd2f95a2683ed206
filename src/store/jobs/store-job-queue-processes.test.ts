import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { StoreJobQueue } from './store-job-queue.js';
import { createTestDatabase, skipReason, testDialects } from './job-queue-test-kit.js';

const CHILD = fileURLToPath(new URL('./job-queue-child-process.ts', import.meta.url));

interface Line {
  pid: number;
  event: 'ready' | 'start' | 'step' | 'done';
  id?: string;
  from?: number;
  step?: number;
}

function startWorker(args: object, lines: Line[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(JSON.parse(l) as Line));
  return child;
}

// Generous: two child processes loading the TypeScript loader and the store can take tens of seconds on a loaded host.
async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// The dialects run side by side: most of the time is the child processes loading, which overlaps well.
describe('StoreJobQueue across processes', { concurrency: true }, () => {
  for (const dialect of testDialects) {
    test(`${dialect}: a worker killed with SIGKILL mid-job finishes on the other process, completed exactly once`, { skip: skipReason(dialect) }, async () => {
      const dir = mkdtempSync(join(tmpdir(), `quarry-jobs-mp-${dialect}-`));
      const db = await createTestDatabase(dialect, dir);
      const children: ChildProcess[] = [];
      try {
        const queue = new StoreJobQueue(await db.connect());
        const type = 'ingest';
        const steps = 6;
        const args = { url: db.url, dataDir: dir, type, steps, stepMs: 60, leaseMs: 300 };
        const lines: Line[] = [];
        children.push(startWorker(args, lines), startWorker(args, lines));
        await waitFor('both workers', () => lines.filter((l) => l.event === 'ready').length === 2);

        const ids = await Promise.all([1, 2, 3].map((n) => queue.enqueue(type, { n }, { scope: 's' }).then((j) => j.id)));
        // Kill whichever process got a job first, once it has checkpointed twice.
        await waitFor('a checkpoint', () => lines.some((l) => l.event === 'step' && l.step === 2));
        const victimPid = lines.find((l) => l.event === 'step' && l.step === 2)!.pid;
        const victim = children.find((c) => c.pid === victimPid)!;
        const survivor = children.find((c) => c !== victim)!;
        victim.kill('SIGKILL');
        await once(victim, 'exit');
        const victimJobs = new Set(lines.filter((l) => l.pid === victimPid && l.event === 'start').map((l) => l.id));
        const victimDone = new Set(lines.filter((l) => l.pid === victimPid && l.event === 'done').map((l) => l.id));
        const interrupted = [...victimJobs].filter((id) => !victimDone.has(id));
        assert.ok(interrupted.length >= 1, 'the victim was killed mid-job');

        const settled = async () => {
          const jobs = await Promise.all(ids.map((id) => queue.get(id)));
          return jobs.every((j) => j?.state === 'SUCCEEDED');
        };
        await waitFor('every job to succeed', settled);
        // Let a straggler show itself if there were one.
        await sleep(400);

        let resumedMidway = 0;
        for (const id of ids) {
          const done = lines.filter((l) => l.event === 'done' && l.id === id);
          assert.equal(done.length, 1, `job ${id} completed ${done.length} times`);
          const job = (await queue.get(id))!;
          assert.equal(job.state, 'SUCCEEDED');
          const result = job.result as { pid: number; resumedFrom: number };
          assert.equal(result.pid, done[0]!.pid, 'the result is from the process that completed it');
          if (interrupted.includes(id)) {
            assert.equal(result.pid, survivor.pid, 'the survivor finished the interrupted job');
            assert.equal(job.attempts, 2);
            // The victim stores a checkpoint before reporting it, so the resume point is at least the last one reported.
            const reported = Math.max(0, ...lines.filter((l) => l.pid === victimPid && l.id === id && l.event === 'step').map((l) => l.step!));
            assert.ok(result.resumedFrom >= reported, `resumed from checkpoint ${result.resumedFrom}, reported ${reported}`);
            if (reported >= 2) resumedMidway++;
            assert.equal(job.progress.step, steps);
          }
        }

        assert.ok(resumedMidway >= 1, 'the job killed after two checkpoints resumed from them, not from scratch');

        // The survivor stops cleanly on SIGTERM.
        survivor.kill('SIGTERM');
        const [code] = await once(survivor, 'exit');
        assert.equal(code, 0);
      } finally {
        for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
        await db.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
