import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { QuarryError, validation } from '../../core/errors.js';
import { parseContentRange } from './content-range.js';
import { type HttpGetResponse, httpGet } from './http-get.js';
import { type ModelSource, parseModelSource } from './model-source.js';
import { PARTIAL_SUFFIX, modelFilePath, modelsDir } from './models-dir.js';
import { type OnProgress, ProgressMeter } from './progress-meter.js';
import {
  cancelledError,
  checksumError,
  interruptedError,
  isUnreachable,
  statusError,
  unreachableError,
} from './pull-errors.js';
import { hashFileInto, sha256OfFile } from './sha256-of-file.js';

export interface PullModelOptions {
  /** The server's data directory; files land in `<dataDir>/models/`. */
  dataDir: string;
  /** Expected sha256 (hex, optionally prefixed `sha256:`). Without it the hash the server states is used, if any. */
  sha256?: string;
  onProgress?: OnProgress;
  /** Cancels the pull; the partial file is kept so the next pull resumes. */
  signal?: AbortSignal;
  /** Hugging Face endpoint for `hf:` sources; defaults to $HF_ENDPOINT, then https://huggingface.co. */
  hfEndpoint?: string;
  /** Hugging Face token for gated/private repos; defaults to $HF_TOKEN. Sent only to the Hub's own origin. */
  hfToken?: string;
  /** Store under this name instead of the last segment of the source. */
  fileName?: string;
  /** How long to wait for a connection. Short values make an offline start fail fast. Default 15 s. */
  connectTimeoutMs?: number;
  /** Longest silence allowed while waiting for headers or body bytes. Default 60 s. */
  idleTimeoutMs?: number;
  /** How many times one pull resumes by itself after the connection breaks mid-download. Default 3. */
  retries?: number;
}

export interface PulledModel {
  /** File name inside the models folder. */
  name: string;
  path: string;
  sizeBytes: number;
  /** Digest of the file; absent when an existing file was reused without a sha256 to check. */
  sha256?: string;
  /** What the file was checked against: a known sha256, only the announced size, or nothing the server stated. */
  verified: 'sha256' | 'size' | 'none';
  /** True when the file was already there and nothing was downloaded. */
  reused: boolean;
}

// Two pulls of one file in this process would interleave writes into one partial file.
const inFlight = new Set<string>();
// Errors after which the same pull may resume on its own; everything else surfaces at once.
const resumable = new WeakSet<QuarryError>();

const RETRY_BASE_MS = 200;

/**
 * Downloads a model file into `<dataDir>/models/`, resuming an earlier partial download, and renames it onto its
 * final name only after it verified, so the engine never sees half a file.
 */
export async function pullModel(source: string, opts: PullModelOptions): Promise<PulledModel> {
  const src = parseModelSource(source, { hfEndpoint: opts.hfEndpoint });
  const name = opts.fileName ?? src.fileName;
  const finalPath = modelFilePath(opts.dataDir, name);
  const wanted = normalizeSha256(opts.sha256);
  if (inFlight.has(finalPath)) {
    throw new QuarryError('ConflictException', `${name} is already being pulled; wait for that pull to finish.`);
  }
  inFlight.add(finalPath);
  try {
    const dir = modelsDir(opts.dataDir);
    await mkdir(dir, { recursive: true }).catch((e) => {
      throw diskError(`create ${dir}`, e);
    });
    const existing = await stat(finalPath).catch(() => undefined);
    if (existing?.isFile()) return await reuseExisting(name, finalPath, existing.size, wanted);

    const idle = opts.idleTimeoutMs ?? 60_000;
    const dispatcher = new Agent({
      connect: { timeout: opts.connectTimeoutMs ?? 15_000 },
      headersTimeout: idle,
      bodyTimeout: idle,
    });
    try {
      return await downloadWithRetries({
        src,
        name,
        dir,
        finalPath,
        partialPath: finalPath + PARTIAL_SUFFIX,
        wanted,
        opts,
        dispatcher,
        meter: new ProgressMeter(opts.onProgress),
        received: 0,
      });
    } finally {
      await dispatcher.destroy().catch(() => undefined);
    }
  } finally {
    inFlight.delete(finalPath);
  }
}

interface Pull {
  src: ModelSource;
  name: string;
  dir: string;
  finalPath: string;
  partialPath: string;
  wanted?: string;
  opts: PullModelOptions;
  dispatcher: Dispatcher;
  meter: ProgressMeter;
  /** Bytes in the partial file, for messages. */
  received: number;
}

async function downloadWithRetries(p: Pull): Promise<PulledModel> {
  const retries = p.opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptDownload(p);
    } catch (e) {
      const signal = p.opts.signal;
      if (signal?.aborted) throw cancelledError(p.partialPath, signal.reason);
      const err = classify(p, e);
      if (!resumable.has(err) || attempt >= retries) throw err;
      try {
        await sleep(Math.min(RETRY_BASE_MS * 2 ** attempt, 4_000), undefined, { signal });
      } catch {
        throw cancelledError(p.partialPath, signal?.reason);
      }
    }
  }
}

function classify(p: Pull, e: unknown): QuarryError {
  if (QuarryError.isInstance(e)) return e;
  // Node's file-system errors carry the path they failed on; network errors do not.
  if (typeof (e as { path?: unknown }).path === 'string') return diskError('use the partial download', e);
  if (isUnreachable(e)) return unreachableError(p.src, p.dir, e);
  // Anything else from the network (reset, socket closed mid-body, idle timeout) is worth resuming.
  const err = interruptedError(p.src, p.partialPath, p.received, e);
  resumable.add(err);
  return err;
}

async function attemptDownload(p: Pull): Promise<PulledModel> {
  // One restart from zero is allowed per attempt: after a server ignores Range, or the partial no longer fits the file.
  for (let restarts = 0; ; restarts++) {
    const offset = await fileSize(p.partialPath);
    p.received = offset;
    const res = await request(p, offset);
    const range = parseContentRange(res.headers['content-range']);

    if (res.statusCode === 416 && offset > 0) {
      await res.body.dump();
      // The partial already holds every byte, unless the file upstream changed size since.
      if (range?.total !== undefined && range.total !== offset && restarts === 0) {
        await removePartial(p);
        continue;
      }
      const hash = createHash('sha256');
      await hashFileInto(p.partialPath, hash);
      return finish(p, offset, offset, hash.digest('hex'), res.statedSha256);
    }
    if (res.statusCode === 206 && (range?.start !== offset || range.total === undefined)) {
      // A range we did not ask for: start over rather than splice bytes from the wrong place.
      res.body.destroy();
      if (restarts > 0) throw statusError(p.src, 206, p.dir);
      await removePartial(p);
      continue;
    }
    if (res.statusCode !== 200 && res.statusCode !== 206) {
      await res.body.dump().catch(() => undefined);
      const err = statusError(p.src, res.statusCode, p.dir);
      if (res.statusCode >= 500) resumable.add(err);
      throw err;
    }
    // A 200 to a Range request means the server ignored the range and sends the whole file: overwrite from zero.
    const start = res.statusCode === 206 ? offset : 0;
    const total = res.statusCode === 206 ? range?.total : contentLength(res);
    return receiveBody(p, res, start, total);
  }
}

async function request(p: Pull, offset: number): Promise<HttpGetResponse> {
  const headers: Record<string, string> = { 'user-agent': 'quarry-model-pull', 'accept-encoding': 'identity' };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  const token = p.opts.hfToken ?? process.env.HF_TOKEN;
  return httpGet(p.src.url, {
    headers,
    auth: token && p.src.authOrigin ? { origin: p.src.authOrigin, token } : undefined,
    trustPlainEtag: p.src.kind === 'hf',
    dispatcher: p.dispatcher,
    signal: p.opts.signal,
  });
}

async function receiveBody(p: Pull, res: HttpGetResponse, start: number, total: number | undefined): Promise<PulledModel> {
  const hash = createHash('sha256');
  // Hash the bytes kept from before first, so the digest covers the whole file without a second pass at the end.
  if (start > 0) await hashFileInto(p.partialPath, hash);
  let fh: FileHandle;
  try {
    fh = await open(p.partialPath, start > 0 ? 'a' : 'w');
  } catch (e) {
    res.body.destroy();
    throw diskError(`open ${p.partialPath}`, e);
  }
  let received = start;
  p.received = received;
  p.meter.report(received, total);
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      await fh.write(chunk).catch((e) => {
        throw diskError(`write ${p.partialPath}`, e);
      });
      received += chunk.length;
      p.received = received;
      p.meter.add(chunk.length, received, total);
    }
    await fh.sync().catch((e) => {
      throw diskError(`write ${p.partialPath}`, e);
    });
  } finally {
    await fh.close().catch(() => undefined);
  }
  if (total !== undefined && received < total) {
    // The server ended the body cleanly but early (no Content-Length to hold it to): resume like a broken connection.
    const err = interruptedError(p.src, p.partialPath, received, new Error(`body ended at ${received} of ${total} bytes`));
    resumable.add(err);
    throw err;
  }
  if (total !== undefined && received > total) {
    await removePartial(p);
    throw new QuarryError(
      'ServiceUnavailableException',
      `${p.src.url.host} sent ${received} bytes for a ${total}-byte file; the partial download was deleted. Pull again.`,
    );
  }
  return finish(p, received, total, hash.digest('hex'), res.statedSha256);
}

async function finish(
  p: Pull,
  size: number,
  total: number | undefined,
  digest: string,
  stated: string | undefined,
): Promise<PulledModel> {
  const expected = p.wanted ?? stated;
  if (expected && expected !== digest) {
    await removePartial(p);
    throw checksumError(p.name, expected, digest, p.wanted ? 'option' : 'server');
  }
  await rename(p.partialPath, p.finalPath).catch((e) => {
    throw diskError(`rename ${p.partialPath}`, e);
  });
  p.meter.report(size, total ?? size);
  return {
    name: p.name,
    path: p.finalPath,
    sizeBytes: size,
    sha256: digest,
    verified: expected ? 'sha256' : total !== undefined ? 'size' : 'none',
    reused: false,
  };
}

async function reuseExisting(name: string, path: string, size: number, wanted: string | undefined): Promise<PulledModel> {
  if (!wanted) return { name, path, sizeBytes: size, verified: 'none', reused: true };
  const digest = await sha256OfFile(path);
  if (digest !== wanted) {
    throw new QuarryError(
      'ConflictException',
      `${path} already exists with sha256 ${digest}, not ${wanted}. Remove it first (quarry models rm ${name}) to pull again.`,
    );
  }
  return { name, path, sizeBytes: size, sha256: digest, verified: 'sha256', reused: true };
}

function normalizeSha256(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const hex = v.trim().toLowerCase().replace(/^sha256:/, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) throw validation(`sha256 must be 64 hex digits, got ${JSON.stringify(v)}.`);
  return hex;
}

function contentLength(res: HttpGetResponse): number | undefined {
  const v = res.headers['content-length'];
  const n = Number(Array.isArray(v) ? v[0] : v);
  return v !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

async function fileSize(path: string): Promise<number> {
  const s = await stat(path).catch(() => undefined);
  return s?.isFile() ? s.size : 0;
}

async function removePartial(p: Pull): Promise<void> {
  await rm(p.partialPath, { force: true });
  p.received = 0;
}

function diskError(what: string, e: unknown): QuarryError {
  const code = (e as { code?: string }).code ?? 'error';
  const hint =
    code === 'ENOSPC'
      ? 'The disk is full; free space or point --data-dir elsewhere.'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'Check that the data directory is writable.'
        : '';
  return new QuarryError('InternalServerException', `Could not ${what} (${code}). ${hint}`.trim(), { cause: e });
}
