import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker as TesseractWorker } from 'tesseract.js';

/**
 * One tesseract.js worker (a worker thread running the WASM engine), created on first use and shared by every OCR call
 * in the process. Calls run one at a time; time waiting in the queue does not count against a call's timeout.
 *
 * The English model comes from the installed `@tesseract.js-data/eng` package (the LSTM-only `best_int` build, the
 * smaller and faster of the two it ships), read from disk with the cache turned off: tesseract.js downloads from a CDN
 * only when no `langPath` is given or it is a URL, and writes a cache file to the working directory unless told not to.
 *
 * A failed, timed-out or aborted recognition terminates the worker: tesseract's WASM instance is unusable after an
 * abort, and a stuck job can only be stopped by ending its thread. The next call starts a fresh one. An idle worker
 * does not hold the process open and is ended after a minute.
 */

const IDLE_MS = 60_000;

let engine: Promise<Engine> | undefined;
let queue: Promise<unknown> = Promise.resolve();
let idleTimer: NodeJS.Timeout | undefined;

interface Engine {
  tesseract: TesseractWorker;
  thread: ThreadHandle;
  /** Set when the thread errors or exits on its own; the running call is failed with it. */
  crashed?: Error;
  onCrash?: (e: Error) => void;
}

/** The worker_threads Worker that tesseract.js keeps on its worker object but does not type. */
interface ThreadHandle {
  on(event: 'error', listener: (e: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  ref(): void;
  unref(): void;
}

export class OcrError extends Error {
  override readonly name = 'OcrError';
}

/** Where the English model lies on disk: a local path, which tesseract.js reads with fs instead of fetching. */
export function englishModelPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/** Recognises the text of one image (PNG, JPEG, TIFF, BMP or WebP bytes). */
export function recognizeImage(image: Uint8Array, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string> {
  const run = queue.then(() => recognizeNow(image, opts));
  queue = run.catch(() => undefined);
  return run;
}

/** Ends the shared worker (tests, shutdown). A later call starts a new one. */
export async function closeOcr(): Promise<void> {
  const current = engine;
  engine = undefined;
  clearTimeout(idleTimer);
  const e = await current?.catch(() => undefined);
  if (e) await terminate(e);
}

async function recognizeNow(image: Uint8Array, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string> {
  opts.signal?.throwIfAborted();
  clearTimeout(idleTimer);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let current: Engine | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OcrError(`OCR timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    onAbort = () => reject(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    current = await Promise.race([liveEngine(), stopped]);
    const e = current;
    e.thread.ref();
    const crashed = new Promise<never>((_, reject) => {
      e.onCrash = (err) => reject(new OcrError(`OCR engine crashed: ${err.message}`, { cause: err }));
    });
    // tesseract.js copies a Buffer; other byte views it would take for a path or a URL.
    const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
    const result = await Promise.race([e.tesseract.recognize(bytes), stopped, crashed]);
    e.onCrash = undefined;
    e.thread.unref();
    scheduleIdleClose();
    return result.data.text;
  } catch (err) {
    // Whatever went wrong, the engine may be mid-job or broken: only a new one is safe for the next call.
    if (current) void discard(current);
    else {
      const starting = engine;
      engine = undefined;
      void starting?.then(terminate, () => undefined);
    }
    if (opts.signal?.aborted && err === opts.signal.reason) throw err;
    throw err instanceof OcrError ? err : new OcrError(`OCR failed: ${message(err)}`, { cause: err });
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** The shared engine, started on first use; one that died while idle is replaced. */
async function liveEngine(): Promise<Engine> {
  for (let attempt = 0; ; attempt++) {
    engine ??= startEngine();
    const pending = engine;
    let e: Engine;
    try {
      e = await pending;
    } catch (err) {
      if (engine === pending) engine = undefined;
      throw new OcrError(`OCR engine failed to start: ${message(err)}`, { cause: err });
    }
    if (!e.crashed) return e;
    if (engine === pending) engine = undefined;
    if (attempt > 0) throw new OcrError(`OCR engine crashed on start: ${e.crashed.message}`);
  }
}

async function startEngine(): Promise<Engine> {
  const { createWorker, OEM } = await import('tesseract.js');
  const tesseract = await createWorker('eng', OEM.LSTM_ONLY, {
    langPath: englishModelPath(),
    cacheMethod: 'none',
    gzip: true,
    logger: () => {},
    // Without a handler tesseract.js rethrows a failed job inside its message listener: an uncaught exception.
    errorHandler: () => {},
  });
  const thread = (tesseract as unknown as { worker: ThreadHandle }).worker;
  const e: Engine = { tesseract, thread };
  // tesseract.js listens for errors with `onerror`, which Node's Worker ignores; an unheard 'error' event would throw.
  const crash = (err: Error) => {
    e.crashed ??= err;
    e.onCrash?.(err);
  };
  thread.on('error', crash);
  thread.on('exit', (code) => crash(new Error(`OCR thread exited with code ${code}`)));
  thread.unref();
  return e;
}

async function discard(e: Engine | undefined): Promise<void> {
  if (!e) return;
  if (engine && (await engine.catch(() => undefined)) === e) engine = undefined;
  await terminate(e);
}

async function terminate(e: Engine): Promise<void> {
  e.onCrash = undefined;
  e.crashed ??= new Error('terminated');
  try {
    await e.tesseract.terminate();
  } catch {
    // Already gone.
  }
}

function scheduleIdleClose(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void closeOcr(), IDLE_MS);
  idleTimer.unref();
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
