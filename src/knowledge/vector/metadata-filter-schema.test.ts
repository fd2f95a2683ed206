import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../core/errors.js';
import type { MetadataFilter } from '../metadata.js';
import { MAX_FILTER_DEPTH, metadataFilterSchema, parseMetadataFilter } from './metadata-filter-schema.js';

const leaf: MetadataFilter = { equals: { key: 'a', value: 1 } };

function nest(depth: number): unknown {
  return depth === 1 ? leaf : { andAll: [nest(depth - 1), leaf] };
}

test('every Bedrock operator with a well-typed value parses unchanged', () => {
  const filters: MetadataFilter[] = [
    { equals: { key: 'genre', value: 'x' } },
    { equals: { key: 'tags', value: ['a', 'b'] } },
    { notEquals: { key: 'draft', value: true } },
    { greaterThan: { key: 'year', value: 1989 } },
    { greaterThanOrEquals: { key: 'year', value: -1.5 } },
    { lessThan: { key: 'year', value: 0 } },
    { lessThanOrEquals: { key: 'year', value: 1e9 } },
    { in: { key: 'g', value: ['a', 1, true] } },
    { notIn: { key: 'g', value: ['a'] } },
    { startsWith: { key: 'g', value: 'pre' } },
    { listContains: { key: 'tags', value: 'a' } },
    { stringContains: { key: 'g', value: '' } },
    { orAll: [leaf, { andAll: [leaf, leaf] }] },
  ];
  for (const f of filters) assert.deepEqual(parseMetadataFilter(f), f);
  assert.deepEqual(metadataFilterSchema.parse({ equals: { key: 'a', value: 1 }, in: undefined }), leaf, 'undefined members dropped');
});

test('invalid filters are ValidationExceptions whose message names the path and the rule', () => {
  const cases: [unknown, RegExp][] = [
    [null, /exactly one operator/],
    [[], /exactly one operator/],
    ['equals', /exactly one operator/],
    [{}, /exactly one operator, one of equals/],
    [{ equals: leaf.equals, notEquals: leaf.equals }, /exactly one operator \(got equals, notEquals\)/],
    [{ like: { key: 'a', value: 'x' } }, /unknown filter operator\(s\) like/],
    [{ andAll: [leaf] }, /^Invalid metadata filter: andAll: andAll needs at least 2/],
    [{ orAll: [] }, /orAll needs at least 2/],
    [{ orAll: Array(101).fill(leaf) }, /at most 100/],
    [{ andAll: leaf }, /andAll must be a list/],
    [{ andAll: [leaf, { in: { key: 'b', value: [] } }] }, /andAll\.1\.in\.value: value must be a list of 1 to 1000/],
    [{ greaterThan: { key: 'y', value: '1989' } }, /greaterThan\.value: value must be a finite number/],
    [{ lessThan: { key: 'y', value: Number.NaN } }, /finite number/],
    [{ equals: { key: 'y', value: Number.POSITIVE_INFINITY } }, /equals\.value/],
    [{ equals: { key: 'y', value: { nested: 1 } } }, /equals\.value/],
    [{ equals: { key: 'y', value: null } }, /equals\.value/],
    [{ equals: { key: 'y' } }, /value is required/],
    [{ equals: { key: '', value: 1 } }, /key must not be empty/],
    [{ equals: { key: 'k'.repeat(101), value: 1 } }, /longer than 100/],
    [{ equals: { key: 1, value: 1 } }, /key must be a string/],
    [{ equals: { key: 'a', value: 1, op: 'x' } }, /unexpected field\(s\) op/],
    [{ startsWith: { key: 'a', value: 1 } }, /startsWith\.value: value must be a string/],
    [{ stringContains: { key: 'a', value: 'x'.repeat(3000) } }, /at most 2048/],
    [{ listContains: { key: 'a', value: ['x'] } }, /listContains\.value/],
    [{ in: { key: 'a', value: Array(1001).fill('x') } }, /1 to 1000/],
    [{ equals: { key: 'a', value: 'nul\u0000' } }, /equals\.value/],
    [nest(MAX_FILTER_DEPTH + 1), new RegExp(`nest at most ${MAX_FILTER_DEPTH} levels`)],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseMetadataFilter(input),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && message.test(e.message),
      `${JSON.stringify(input)?.slice(0, 80)} should fail with ${message}`,
    );
  }
  assert.doesNotThrow(() => parseMetadataFilter(nest(MAX_FILTER_DEPTH)));
});

test('a deeply nested hostile filter is refused quickly, not recursed into', () => {
  let deep: unknown = leaf;
  for (let i = 0; i < 5000; i++) deep = { andAll: [deep, leaf] };
  const started = performance.now();
  assert.throws(() => parseMetadataFilter(deep), /nest at most/);
  assert.ok(performance.now() - started < 1000);
});
