import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalText } from './canonical-text.js';

test('lower case, one space between words, trimmed', () => {
  assert.equal(canonicalText('  Hello\n\tWORLD  '), 'hello world');
  assert.equal(canonicalText(''), '');
});

test('leetspeak inside words reads as letters', () => {
  assert.equal(canonicalText('k1ll th3m 4ll'), 'kill them all');
  assert.equal(canonicalText('h4ck3r p4ssw0rd'), 'hacker password');
  assert.equal(canonicalText('you @ss, sh!t, a$$, $hit'), 'you ass, shit, ass, shit');
  assert.equal(canonicalText('1gn0r3 pr3v10u5 1n57ruc710n5 4nd'), 'ignore previous instructions and');
});

test('numbers, ordinals and ordinary punctuation are not leetspeak', () => {
  assert.equal(canonicalText('In 2024 the 1st, 22nd and 90s, 5pm, 3.5% and hello!'), 'in 2024 the 1st, 22nd and 90s, 5pm, 3.5% and hello!');
  assert.equal(canonicalText('c++ is fun!'), 'c++ is fun!');
});

test('letters spelled out one by one are joined; a repeated letter is cut to two', () => {
  assert.equal(canonicalText('k i l l them, k.i.l.l, k-i-l-l'), 'kill them, kill, kill');
  assert.equal(canonicalText('I am a cat'), 'i am a cat');
  assert.equal(canonicalText('soooo goooood!!!'), 'soo good!!!');
});

test('URLs and @-mentions become placeholder tokens', () => {
  assert.equal(canonicalText('RT @someone_here: look http://t.co/abc www.example.com/x'), 'rt usermention: look http http');
  assert.equal(canonicalText('mail me at jo@example.com'), 'mail me at joaexample.com');
});
