import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type QuarryError, toQuarryError } from '../../core/errors.js';
import { parseModelSource } from './model-source.js';
import { modelFilePath } from './models-dir.js';
import type { OnProgress } from './progress-meter.js';
import { pullModel } from './pull-model.js';

/**
 * The text model pulled on a first start with none present: Qwen2.5 0.5B Instruct at Q4_K_M, about 490 MB, small
 * enough for a laptop's CPU and good enough to try chat and tools. Its sha256 is checked against the one the Hub states.
 */
export const DEFAULT_TEXT_MODEL = 'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf';

export interface EnsureDefaultModelOptions {
  dataDir: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** Defaults to $HF_ENDPOINT, then https://huggingface.co. */
  hfEndpoint?: string;
  /** Default 3 s: long enough for a real connection, short enough that an offline first start barely notices. */
  connectTimeoutMs?: number;
  /** Defaults to DEFAULT_TEXT_MODEL. */
  source?: string;
}

export type EnsureDefaultModelResult =
  | { ok: true; path: string; pulled: boolean }
  | { ok: false; reason: string; error?: QuarryError };

/**
 * Makes sure the default text model is on disk, pulling it if needed. Never throws: a server must start without it,
 * so failures come back as a reason to log. Honours HF_HUB_OFFLINE=1 like the Hub's own clients.
 */
export async function ensureDefaultModel(opts: EnsureDefaultModelOptions): Promise<EnsureDefaultModelResult> {
  const source = opts.source ?? DEFAULT_TEXT_MODEL;
  let path: string;
  try {
    path = modelFilePath(opts.dataDir, parseModelSource(source, { hfEndpoint: opts.hfEndpoint }).fileName);
  } catch (e) {
    const error = toQuarryError(e);
    return { ok: false, reason: error.message, error };
  }
  if ((await stat(path).catch(() => undefined))?.isFile()) return { ok: true, path, pulled: false };
  if (isTruthy(process.env.HF_HUB_OFFLINE)) {
    return { ok: false, reason: `HF_HUB_OFFLINE is set, so ${source} was not downloaded; place a .gguf file in ${dirname(path)}.` };
  }
  try {
    const pulled = await pullModel(source, {
      dataDir: opts.dataDir,
      onProgress: opts.onProgress,
      signal: opts.signal,
      hfEndpoint: opts.hfEndpoint,
      connectTimeoutMs: opts.connectTimeoutMs ?? 3_000,
      // A server that accepts the connection but never answers (a captive portal, a dead proxy) must not hold up a start.
      idleTimeoutMs: 15_000,
    });
    return { ok: true, path: pulled.path, pulled: !pulled.reused };
  } catch (e) {
    const error = toQuarryError(e);
    return { ok: false, reason: error.message, error };
  }
}

function isTruthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}
