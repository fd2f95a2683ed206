import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../core/index.js';
import { costAllocationTags, MAX_TAG_VALUE, parseTagsHeader } from './cost-allocation-tags.js';

const refused = (f: () => unknown, pattern: RegExp) =>
  assert.throws(f, (e) => QuarryError.isInstance(e) && e.code === 'ValidationException' && pattern.test(e.message));

test('the header reads as key=value pairs, trimmed; empty values are allowed', () => {
  assert.deepEqual(parseTagsHeader('team=search, env=prod ,owner='), { team: 'search', env: 'prod', owner: '' });
  assert.deepEqual(parseTagsHeader('cost-center=a/b:c=d'), { 'cost-center': 'a/b:c=d' });
  assert.deepEqual(parseTagsHeader(' , '), {});
});

test('request metadata and the header merge, the header winning; none gives undefined', () => {
  assert.deepEqual(costAllocationTags('env=prod', { env: 'dev', team: 'x' }), { env: 'prod', team: 'x' });
  assert.equal(costAllocationTags(undefined, undefined), undefined);
  assert.equal(costAllocationTags('', {}), undefined);
});

test('bad tags are refused with a message that names the problem', () => {
  refused(() => parseTagsHeader('team'), /not key=value/);
  refused(() => parseTagsHeader('=x'), /must not be empty/);
  refused(() => parseTagsHeader('a=1,a=2'), /given twice/);
  refused(() => parseTagsHeader('te;am=1'), /letters, digits/);
  refused(() => parseTagsHeader(`k=${'v'.repeat(MAX_TAG_VALUE + 1)}`), /longer than/);
  refused(() => parseTagsHeader(`${'k'.repeat(129)}=v`), /longer than 128/);
  refused(() => parseTagsHeader(Array.from({ length: 17 }, (_, i) => `k${i}=v`).join(',')), /at most 16/);
  refused(() => parseTagsHeader('aws:team=x'), /reserved/);
  refused(() => costAllocationTags(undefined, { team: 'a\u202Eb' }), /invisible/);
  refused(() => costAllocationTags(undefined, { 'a\nb': 'x' }), /control/);
  refused(() => parseTagsHeader('x'.repeat(20_000)), /too long/);
  const many = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`m${i}`, 'v']));
  const header = Array.from({ length: 16 }, (_, i) => `h${i}=v`).join(',');
  refused(() => costAllocationTags(`${header},h16=v`, many), /at most 16/);
  assert.equal(Object.keys(costAllocationTags(header, many)!).length, 32);
  refused(() => costAllocationTags(`${header}`, { ...many, extra: 'x' }), /at most 16/);
});

test('a key such as __proto__ stays plain data', () => {
  const t = costAllocationTags('__proto__=x', undefined)!;
  assert.equal(Object.getPrototypeOf(t), Object.prototype);
  assert.deepEqual(Object.entries(t), [['__proto__', 'x']]);
});
