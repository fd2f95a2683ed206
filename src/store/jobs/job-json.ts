import { validation } from '../../core/index.js';

/** Payloads, progress and results are rows, not files: anything this large belongs in the blob store. */
export const MAX_JOB_JSON_BYTES = 1024 * 1024;

/** JSON text for a job column; refuses what JSON cannot carry (BigInt, cycles) and what is too large, with a clear error. */
export function jobJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value ?? null);
  } catch (e) {
    throw validation(`The job ${what} must be JSON-serialisable: ${(e as Error).message}`, e);
  }
  text ??= 'null';
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_JOB_JSON_BYTES) {
    throw validation(`The job ${what} is ${bytes} bytes of JSON; the limit is ${MAX_JOB_JSON_BYTES} (store large data in the blob store)`);
  }
  return text;
}
