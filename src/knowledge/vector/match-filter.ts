import type { FilterAttribute, Metadata, MetadataFilter, MetadataValue } from '../metadata.js';

/**
 * Bedrock's RetrievalFilter evaluated in JavaScript (the in-memory store, and the reference the SQL compilers are held to
 * by the conformance suite). The semantics, where Bedrock's documentation leaves room, are ours and are the same in every
 * store:
 * - Values are typed: a string never equals a number or a boolean ("1989" is not 1989); numbers compare numerically.
 * - A missing key never matches a positive operator. `notEquals` is the complement of `equals`, so it matches a missing
 *   key, as Bedrock documents ("the key is not present in the document"); `notIn` is likewise the complement of `in`.
 * - `equals` compares a scalar with a scalar and a list with a list (same members, same order); a list attribute never
 *   equals a scalar — `listContains` asks that question.
 * - `in` matches a scalar attribute equal to one of the values, or a list attribute sharing a member with them.
 * - `greaterThan`… compare numbers only; a non-number attribute does not match.
 * - `startsWith` and `stringContains` match a string attribute, or a list attribute with a member that matches
 *   (Bedrock documents the list case for `stringContains`). Both are case-sensitive.
 * - `listContains` matches a list attribute that has the value as a member.
 * The filter is assumed valid (see `metadataFilterSchema`); an empty `andAll` would match everything.
 */
export function matchesFilter(filter: MetadataFilter, metadata: Metadata): boolean {
  if ('andAll' in filter && filter.andAll) return filter.andAll.every((f) => matchesFilter(f, metadata));
  if ('orAll' in filter && filter.orAll) return filter.orAll.some((f) => matchesFilter(f, metadata));
  const [op, attr] = leafOf(filter);
  return matchesLeaf(op, metadata[attr.key], attr.value);
}

/** The one operator of a leaf filter (entries left `undefined` by a JavaScript caller are skipped). */
export function leafOf(filter: MetadataFilter): [LeafOperator, FilterAttribute] {
  const entry = Object.entries(filter).find(([, v]) => v !== undefined);
  if (!entry) throw new Error('empty metadata filter');
  return entry as [LeafOperator, FilterAttribute];
}

export type LeafOperator = Exclude<KeysOfUnion<MetadataFilter>, 'andAll' | 'orAll'>;
type KeysOfUnion<T> = T extends unknown ? keyof T : never;

function matchesLeaf(op: LeafOperator, actual: MetadataValue | undefined, expected: FilterAttribute['value']): boolean {
  if (actual === undefined) return op === 'notEquals' || op === 'notIn';
  switch (op) {
    case 'notEquals':
      return !matchesLeaf('equals', actual, expected);
    case 'notIn':
      return !matchesLeaf('in', actual, expected);
    case 'equals':
      if (Array.isArray(expected)) {
        return Array.isArray(actual) && actual.length === expected.length && actual.every((a, i) => sameScalar(a, expected[i]));
      }
      return !Array.isArray(actual) && sameScalar(actual, expected);
    case 'in': {
      const values = Array.isArray(expected) ? expected : [expected];
      const members: unknown[] = Array.isArray(actual) ? actual : [actual];
      return members.some((a) => values.some((v) => sameScalar(a, v)));
    }
    case 'greaterThan':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected;
    case 'greaterThanOrEquals':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'lessThan':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected;
    case 'lessThanOrEquals':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
    case 'startsWith':
      return typeof expected === 'string' && someString(actual, (s) => s.startsWith(expected));
    case 'stringContains':
      return typeof expected === 'string' && someString(actual, (s) => s.includes(expected));
    case 'listContains':
      return Array.isArray(actual) && actual.some((a) => sameScalar(a, expected));
    default: {
      const unreachable: never = op;
      throw new Error(`unknown filter operator ${String(unreachable)}`);
    }
  }
}

function sameScalar(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && typeof a !== 'object' && a === b;
}

function someString(actual: MetadataValue, test: (s: string) => boolean): boolean {
  if (typeof actual === 'string') return test(actual);
  return Array.isArray(actual) && actual.some((m) => typeof m === 'string' && test(m));
}
