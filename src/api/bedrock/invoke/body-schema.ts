import type { z } from 'zod';
import { validation } from '../../../core/index.js';

/**
 * Validates a native body and reports problems the way Bedrock does for InvokeModel ("Malformed input request:
 * #/path: …, please reformat your input and try again."), naming the field, so clients that match on Bedrock's
 * wording keep working and people see what to fix.
 */
export function decodeBody<T extends z.ZodType>(schema: T, body: unknown, format: string): z.infer<T> {
  const r = schema.safeParse(body, { reportInput: true });
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 5).map(describeIssue);
  const more = r.error.issues.length > 5 ? ` (and ${r.error.issues.length - 5} more)` : '';
  throw validation(`Malformed input request: ${issues.join('; ')}${more} — expected the ${format} body format, please reformat your input and try again.`);
}

export const pointer = (path: readonly PropertyKey[]) => `#${path.map((p) => `/${String(p)}`).join('')}`;

function describeIssue(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_union' && i.errors.length) {
    const inner = closestBranch(i.errors);
    if (inner) return describeIssue({ ...inner, path: [...i.path, ...inner.path] } as z.core.$ZodIssue);
    const expected = i.errors.flatMap((b) => (b[0]?.code === 'invalid_type' ? [b[0].expected] : []));
    return `${pointer(i.path)}: expected one of ${[...new Set(expected)].join(', ')}`;
  }
  if (i.code === 'unrecognized_keys') return `${pointer(i.path)}: extraneous key [${i.keys.join(', ')}] is not permitted`;
  if ((i.code === 'invalid_type' || i.code === 'invalid_value') && i.input === undefined && i.path.length > 0) {
    return `${pointer(i.path.slice(0, -1))}: required key [${String(i.path.at(-1))}] not found`;
  }
  return `${pointer(i.path)}: ${i.message}`;
}

/**
 * A union's error (string-or-blocks content, one of several block types) says only "Invalid input"; the useful issue is
 * in the branch that matched the value's type and failed deeper down.
 */
function closestBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue | undefined {
  let best: z.core.$ZodIssue | undefined;
  for (const issues of branches) {
    const first = issues[0];
    if (!first || (first.code === 'invalid_type' && first.path.length === 0)) continue;
    if (!best || first.path.length > best.path.length) best = first;
  }
  return best;
}
