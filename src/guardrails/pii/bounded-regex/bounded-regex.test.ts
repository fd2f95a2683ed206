import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuarryError } from '../../../core/errors.js';
import { BoundedRegex } from './bounded-regex.js';

const mine = (pattern: string, text: string) =>
  BoundedRegex.compile(pattern)
    .findAll(text)
    .map(([s, e]) => text.slice(s, e));
const native = (pattern: string, text: string) => {
  const flags = pattern.startsWith('(?i)') ? 'giu' : 'gu';
  return [...text.matchAll(new RegExp(pattern.replace(/^\(\?i\)/, ''), flags))].map((m) => m[0]).filter((m) => m.length > 0);
};

test('finds the same matches as V8 on ordinary patterns (leftmost-first, greedy and lazy)', () => {
  const cases: Array<[string, string]> = [
    ['\\bBK-\\d{6}\\b', 'booking BK-123456, BK-1234567 and xBK-123456'],
    ['a|ab', 'ab ab'],
    ['ab|a', 'ab ab'],
    ['a*?b', 'aaab b'],
    ['\\d+?', '123'],
    ['(?i)hello', 'HeLLo world hello'],
    ['[^\\s@]+@[^\\s@]+', 'x me@ex.com y'],
    ['\\p{Lu}\\p{Ll}+', 'Héllo Wörld'],
    ['^abc$', 'abc'],
    ['^abc', 'abc abc'],
    ['(\\d{3}-)+\\d{4}', 'call 555-123-4567 or 555-9876'],
    ['colou?r', 'color colour colouur'],
    ['[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,4}', 'GB82 WEST 1234 5698 and DE89'],
    ['\\d{2,}', '1 22 333'],
    ['(?:x|y)*z', 'xyxz yz z'],
    ['.', 'a\nb'],
    ['\\Bb', 'ab b'],
    ['😀+', 'a😀😀b'],
  ];
  for (const [pattern, text] of cases) assert.deepEqual(mine(pattern, text), native(pattern, text), pattern);
});

test('patterns that make V8 backtrack exponentially run in linear time', () => {
  const text = `${'a'.repeat(200_000)}!`;
  for (const pattern of ['(a+)+$', '(a|a)*b', '(a|aa)+c', '(\\w+\\s?)+$', '\\d+\\d+\\d+x']) {
    const started = performance.now();
    assert.deepEqual(BoundedRegex.compile(pattern).findAll(text), [], pattern);
    assert.ok(performance.now() - started < 3000, `${pattern} took ${performance.now() - started} ms`);
  }
});

test('refuses what needs backtracking, and malformed or oversized patterns, with the reason and offset', () => {
  const refusals: Array<[string, RegExp]> = [
    ['(a)\\1', /backreferences are not supported.*offset 3|offset 3.*backreferences/],
    ['(?<n>a)\\k<n>', /backreferences/],
    ['(?=a)b', /lookahead and lookbehind/],
    ['(?<!a)b', /lookahead and lookbehind/],
    ['a**', /nothing to repeat/],
    ['(ab', /unterminated group/],
    ['ab)', /unmatched/],
    ['[a-', /unterminated character class/],
    ['a{2000}', /counted repetition above 1000/],
    ['(a{1000}){1000}', /more than 20000 instructions/],
    ['\\q', /Invalid escape/],
    ['', /empty pattern/],
    ['x'.repeat(501), /longer than 500/],
  ];
  for (const [pattern, message] of refusals) {
    assert.throws(
      () => BoundedRegex.compile(pattern),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && message.test(e.message),
      pattern,
    );
  }
});

test('a pattern that can match the empty string reports only non-empty matches and terminates', () => {
  assert.deepEqual(mine('x*', 'axxb'), ['xx']);
  assert.deepEqual(mine('(?:)', 'abc'), []);
});
