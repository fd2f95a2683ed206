import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WildcardBuilder, wildcard } from './wildcard.js';

const CASES: [pattern: string, value: string, expected: boolean][] = [
  ['', '', true],
  ['', 'a', false],
  ['abc', 'abc', true],
  ['abc', 'abcd', false],
  ['*', '', true],
  ['*', 'anything/at:all', true],
  ['**', 'x', true],
  ['a*', 'a', true],
  ['a*', 'ba', false],
  ['*c', 'abc', true],
  ['*c', 'cb', false],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['a?c', 'abbc', false],
  ['??', 'ab', true],
  ['??', 'a', false],
  ['*?', '', false],
  ['*?', 'x', true],
  ['a*b*c', 'aXbYc', true],
  ['a*b*c', 'abc', true],
  ['a*b*c', 'aXcYb', false],
  ['a*a', 'a', false],
  ['a*a', 'aa', true],
  ['ab*ba', 'aba', false],
  ['ab*ba', 'abba', true],
  ['*ab*ab*', 'abab', true],
  ['*ab*ab*', 'aba', false],
  ['a?*?b', 'axyb', true],
  ['a?*?b', 'axb', false],
  ['*/test/*', '1///test///object.jpg', true],
  ['*/test/*', '1-test/object.jpg', false],
  ['x*y?z', 'x--y-z', true],
  ['x*y?z', 'x--yz', false],
  ['x*y?z', 'xy?zy!z', true],
];

test('wildcard: table of * and ? cases', () => {
  for (const [pattern, value, expected] of CASES) {
    assert.equal(wildcard(pattern).matches(value), expected, `${JSON.stringify(pattern)} vs ${JSON.stringify(value)}`);
  }
});

test('wildcard: literal pieces never act as wildcards (substituted variables)', () => {
  const w = new WildcardBuilder().pattern('home/').literal('*').pattern('/*').build();
  assert.equal(w.matches('home/*/x'), true);
  assert.equal(w.matches('home/bob/x'), false);
  const q = new WildcardBuilder().literal('a?').build();
  assert.equal(q.matches('a?'), true);
  assert.equal(q.matches('ab'), false);
  // Regex metacharacters are plain text: nothing here is compiled into a RegExp.
  assert.equal(wildcard('a.c').matches('abc'), false);
  assert.equal(wildcard('[ab]*').matches('[ab]x'), true);
  assert.equal(wildcard('(a|b)').matches('a'), false);
});

/** The textbook dynamic-programming matcher, as a reference for the greedy one. */
function reference(p: string, v: string): boolean {
  let prev = new Array<boolean>(v.length + 1).fill(false);
  prev[0] = true;
  for (let i = 1; i <= p.length; i++) {
    const cur = new Array<boolean>(v.length + 1).fill(false);
    const c = p[i - 1];
    if (c === '*') cur[0] = prev[0]!;
    for (let j = 1; j <= v.length; j++) {
      if (c === '*') cur[j] = prev[j]! || cur[j - 1]!;
      else cur[j] = prev[j - 1]! && (c === '?' || c === v[j - 1]);
    }
    prev = cur;
  }
  return prev[v.length]!;
}

test('wildcard: agrees with a dynamic-programming reference on 20,000 random cases', () => {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    // The high bits: a power-of-two LCG's low bits repeat with short periods.
    return (seed >>> 16) % n;
  };
  const word = (alphabet: string, max: number) => Array.from({ length: rand(max + 1) }, () => alphabet[rand(alphabet.length)]).join('');
  for (let i = 0; i < 20_000; i++) {
    const p = word('ab*?', 7);
    const v = word('ab', 8);
    assert.equal(wildcard(p).matches(v), reference(p, v), `${JSON.stringify(p)} vs ${JSON.stringify(v)}`);
  }
});

test('wildcard: long ? segments (one and several machine words) agree with the reference too', () => {
  let seed = 99;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    // The high bits: a power-of-two LCG's low bits repeat with short periods.
    return (seed >>> 16) % n;
  };
  let matched = 0;
  for (let i = 0; i < 600; i++) {
    const segment = () => Array.from({ length: 20 + rand(80) }, () => 'ab?'[rand(3)]).join('');
    const p = `${rand(2) ? '*' : ''}${segment()}*${segment()}${rand(2) ? '*' : ''}`;
    // Values made from the pattern itself (with its wildcards filled in) match often enough to test both answers.
    const fill = (x: string) => x.replace(/[?*]/g, (c) => (c === '?' ? 'ab'[rand(2)]! : 'ab'.slice(rand(3))));
    // Flip one character now and then, so that near misses are tested as well as matches.
    const flip = (x: string) => {
      const at = rand(x.length + 1);
      return rand(2) ? `${x.slice(0, at)}${x[at] === 'a' ? 'b' : 'a'}${x.slice(at + 1)}` : x;
    };
    const v = rand(4) === 0 ? Array.from({ length: rand(250) }, () => 'ab'[rand(2)]).join('') : flip(fill(p));
    const expected = reference(p, v);
    assert.equal(wildcard(p).matches(v), expected, `${p} vs ${v}`);
    if (expected) matched++;
  }
  assert.ok(matched > 100 && matched < 500, `${matched} of 600 matched`);
});

test('wildcard: hostile patterns stay fast (no backtracking blow-up)', () => {
  const value = 'a'.repeat(2048);
  const hostile = [
    `*${'a*'.repeat(500)}b`,
    `*${'a?'.repeat(300)}b*`,
    `${'*a'.repeat(1000)}*b`,
    `*${'a'.repeat(1000)}b`,
  ];
  for (const p of hostile) {
    const w = wildcard(p);
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) assert.equal(w.matches(value), false);
    const ms = (performance.now() - t0) / 10;
    // A RegExp built from the first pattern takes minutes; this takes well under a millisecond to a few.
    assert.ok(ms < 50, `${p.slice(0, 20)}… took ${ms.toFixed(2)} ms`);
  }
});
