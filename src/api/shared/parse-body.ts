import type { z } from 'zod';
import { QuarryError, validation } from '../../core/index.js';
import { describeIssue } from './describe-issue.js';

// One decoder serves every call: decoding without `stream` keeps no state between calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON body with a clear error: malformed JSON, invalid UTF-8 and schema violations each say what is wrong. */
export function parseJsonBody(raw: Uint8Array): unknown {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw validation('The request body is not valid UTF-8.');
  }
  if (text.trim() === '') throw validation('The request body is empty; a JSON object is required.');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw validation(`The request body is not valid JSON: ${(e as Error).message}`);
  }
}

export function validate<T extends z.ZodType>(schema: T, value: unknown, what = 'request'): z.infer<T> {
  // The issues need their inputs to be worded well, but asking zod for them on every parse takes its compiled fast
  // path away (a chat request validated in 7 µs instead of 3): a valid body is parsed plainly, and only an invalid
  // one is parsed again for its issues.
  const ok = schema.safeParse(value);
  if (ok.success) return ok.data;
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 5).map((i) => describeIssue(i));
  throw new QuarryError('ValidationException', `${issues.length} validation error(s) in the ${what}: ${issues.join('; ')}`);
}
