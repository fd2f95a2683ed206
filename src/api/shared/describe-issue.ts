import type { z } from 'zod';

export type PathFormat = (path: readonly PropertyKey[]) => string;

export const dotted: PathFormat = (path) => (path.length ? path.map(String).join('.') : '(body)');
export const pointer: PathFormat = (path) => `#${path.map((p) => `/${String(p)}`).join('')}`;

/**
 * One validation issue as a sentence that names the field. zod says only "Invalid input" for a failed union (content
 * blocks, string-or-array fields). Wording follows Bedrock's own ("extraneous key [x] is not permitted"), which
 * clients may match on, for every wire format alike; the useful message is in the branch that matched the value's shape, or — for a
 * union of single-key objects such as Converse content blocks — the list of keys that would have been accepted.
 */
export function describeIssue(i: z.core.$ZodIssue, at: PathFormat = dotted): string {
  if (i.code === 'invalid_union' && i.errors.length) {
    const keys = unionKeys(i.errors, i.input);
    if (keys) return `${at(i.path)}: expected exactly one of the keys ${keys.expected.join(', ')}; got ${keys.got.length ? keys.got.join(', ') : 'none'}`;
    const inner = closestBranch(i.errors);
    if (inner) return describeIssue({ ...inner, path: [...i.path, ...inner.path] } as z.core.$ZodIssue, at);
    const expected = i.errors.flatMap((b) => (b[0]?.code === 'invalid_type' ? [b[0].expected] : []));
    return `${at(i.path)}: expected one of ${[...new Set(expected)].join(', ')}`;
  }
  // A schema's own message (OpenAI's "Unrecognized request argument(s)") wins over the generic one.
  if (i.code === 'unrecognized_keys' && !i.message.startsWith('Unrecognized key')) return `${at(i.path)}: ${i.message}`;
  if (i.code === 'unrecognized_keys') return `${at(i.path)}: extraneous key [${i.keys.join(', ')}] is not permitted`;
  if ((i.code === 'invalid_type' || i.code === 'invalid_value') && i.input === undefined && i.path.length > 0) {
    return `${at(i.path.slice(0, -1))}: required key [${String(i.path.at(-1))}] not found`;
  }
  return `${at(i.path)}: ${i.message}`;
}

/** For a union of strict single-key objects that all rejected the value's keys: which keys would have done. */
function unionKeys(branches: z.core.$ZodIssue[][], input: unknown): { expected: string[]; got: string[] } | undefined {
  const expected: string[] = [];
  for (const issues of branches) {
    // A branch whose own key is present but whose value is wrong is the closest match: let closestBranch report it.
    const missing = issues.find((x) => x.path.length === 1 && x.input === undefined && x.code !== 'unrecognized_keys');
    if (!missing) return undefined;
    expected.push(String(missing.path[0]));
  }
  const got = input && typeof input === 'object' && !Array.isArray(input) ? Object.keys(input) : [];
  return expected.length > 1 ? { expected, got } : undefined;
}

function closestBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue | undefined {
  let best: z.core.$ZodIssue | undefined;
  for (const issues of branches) {
    const first = issues[0];
    if (!first || (first.code === 'invalid_type' && first.path.length === 0)) continue;
    if (!best || first.path.length > best.path.length) best = first;
  }
  return best;
}
