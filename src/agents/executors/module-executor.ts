import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MODULE_WORKER_SOURCE as MODULE_WORKER } from './module-worker-source.js';

export interface ModuleRunLimits {
  timeoutMs: number;
  /** Old-generation heap of the worker; the worker is stopped when it needs more. */
  maxMemoryMb: number;
  /** Characters of the JSON result kept; more is cut inside the worker and noted. */
  maxOutputChars: number;
}

export const DEFAULT_MODULE_LIMITS: ModuleRunLimits = { timeoutMs: 30_000, maxMemoryMb: 128, maxOutputChars: 1_000_000 };

export type ModuleResult = { ok: true; value: unknown } | { ok: true; truncatedText: string; size: number } | { ok: false; error: string };

type WorkerMessage = { ok: true; json: string } | { ok: true; truncated: string; size: number } | { ok: false; error: string };

/**
 * Runs a registered module's handler in a worker thread: its own V8 isolate and heap, so it cannot reach the
 * server's objects (keys, sessions, the store), with an empty environment so it cannot read the server's secrets,
 * a heap cap, and a deadline after which the worker is terminated, a busy loop included. It is not a sandbox
 * against hostile code (a module can use fs and the network, as a Lambda can): the operator registers the modules.
 */
export function runModule(path: string, event: unknown, limits: ModuleRunLimits, signal?: AbortSignal): Promise<ModuleResult> {
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(MODULE_WORKER, {
      eval: true,
      workerData: { url: pathToFileURL(path).href, event, maxOutputChars: limits.maxOutputChars },
      env: {},
      // The server's own flags (its TypeScript loader, inspector) are not the module's business.
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, limits.maxMemoryMb / 8)), stackSizeMb: 4 },
    });
    // The module's console output is drained and dropped: unread, it would pile up in the server's memory.
    worker.stdout.resume();
    worker.stderr.resume();
    const finish = (r: ModuleResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, error: `The function did not finish within ${limits.timeoutMs} ms and was stopped.` }), limits.timeoutMs);
    const onAbort = () => finish({ ok: false, error: 'The invocation was cancelled.' });
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: WorkerMessage) => {
      if (!m.ok) finish(m);
      else if ('truncated' in m) finish({ ok: true, truncatedText: m.truncated, size: m.size });
      else {
        try {
          finish({ ok: true, value: JSON.parse(m.json) });
        } catch {
          finish({ ok: false, error: 'The function returned unreadable output.' });
        }
      }
    });
    worker.once('error', (e: Error & { code?: string }) => {
      finish({
        ok: false,
        error: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `The function ran out of memory (limit ${limits.maxMemoryMb} MB) and was stopped.` : `The function crashed: ${e.message.slice(0, 2000)}`,
      });
    });
    worker.once('exit', (code) =>
      finish({
        ok: false,
        // Exit code 0 without a message: the handler's promise never settled and nothing was left for it to wait on.
        error: code === 0 ? 'The function returned a promise that never settled.' : `The function exited (code ${code}) without returning a result.`,
      }),
    );
  });
}
