import type { z } from 'zod';
import { validation } from '../../../core/index.js';
import { describeIssue, pointer } from '../../shared/describe-issue.js';

export { pointer };

/**
 * Validates a native body and reports problems the way Bedrock does for InvokeModel ("Malformed input request:
 * #/path: …, please reformat your input and try again."), naming the field, so clients that match on Bedrock's
 * wording keep working and people see what to fix.
 */
export function decodeBody<T extends z.ZodType>(schema: T, body: unknown, format: string): z.infer<T> {
  const r = schema.safeParse(body, { reportInput: true });
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 5).map((i) => describeIssue(i, pointer));
  const more = r.error.issues.length > 5 ? ` (and ${r.error.issues.length - 5} more)` : '';
  throw validation(`Malformed input request: ${issues.join('; ')}${more} — expected the ${format} body format, please reformat your input and try again.`);
}
