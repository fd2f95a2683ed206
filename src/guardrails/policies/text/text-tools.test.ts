import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentTerms } from './content-terms.js';
import { cosine, similarityScore } from './embed-texts.js';
import { CharKind, foldCodePoint } from './fold-code-point.js';
import { lightStem } from './light-stem.js';
import { sentenceSpans } from './sentence-spans.js';

const fold = (ch: string) => foldCodePoint(ch.codePointAt(0)!, ch);

describe('foldCodePoint', () => {
  test('look-alikes, widths and styles fold to ASCII letters', () => {
    for (const ch of ['а', 'Α', 'ο', 'ｓ', '𝐬', 'ⓢ', 'ᴀ', 'é', 'Ä']) assert.equal(fold(ch).kind, CharKind.Letter, ch);
    assert.deepEqual(fold('ﬁ').chars, ['f', 'i']);
    assert.deepEqual(fold('①').chars, ['1']);
    assert.deepEqual(fold('🇫').chars, ['f']);
  });
  test('invisible characters fold to nothing, including U+FEFF which \\s calls a space', () => {
    for (const ch of ['\u200B', '\u200D', '\uFEFF', '\u202E', '\u00AD', '\u0301', '\u{E0041}', '\u{1F3FD}']) {
      assert.equal(fold(ch).chars.length, 0, JSON.stringify(ch));
    }
  });
  test('spaces, leet symbols, scripts without spaces and emoji', () => {
    assert.equal(fold('\u3000').kind, CharKind.Space);
    assert.equal(fold('\u2029').kind, CharKind.Space);
    assert.equal(fold('$').kind, CharKind.LeetSymbol);
    assert.equal(fold('字').kind, CharKind.Standalone);
    assert.equal(fold('😀').kind, CharKind.Standalone);
    assert.equal(fold('™').kind, CharKind.Letter, 'a symbol that decomposes to letters is read as letters');
  });
});

describe('lightStem', () => {
  test('inflections meet', () => {
    for (const [a, b] of [['investing', 'investments'], ['symptoms', 'symptom'], ['running', 'run'], ['advised', 'advise'], ['dogs', 'dog']]) {
      assert.equal(lightStem(a!), lightStem(b!), `${a} ~ ${b}`);
    }
  });
  test('a final s that is not a plural stays', () => {
    for (const w of ['class', 'status', 'bonus', 'analysis']) assert.notEqual(lightStem(w), w.slice(0, -1), w);
  });
  test('short and non-ASCII words are left alone', () => {
    assert.equal(lightStem('bus'), 'bus');
    assert.equal(lightStem('größe'), 'größe');
  });
});

describe('contentTerms', () => {
  test('stopwords dropped, numbers canonical, names marked, contractions folded', () => {
    const terms = contentTerms("I'd say Acme's revenue was 1,200.50 USD, five times Tim's. It's 3.5% now.");
    assert.deepEqual(
      terms.map((t) => [t.key, t.kind]),
      [
        ['acme', 'name'],
        ['revenu', 'word'],
        ['1200.5', 'number'],
        ['usd', 'name'],
        ['5', 'number'],
        ['tim', 'word'],
        ['tim', 'name'],
        ['3.5%', 'number'],
      ],
    );
    for (const t of terms) assert.ok(t.end > t.start);
  });
  test('decimal commas and thousands separators', () => {
    assert.deepEqual(contentTerms('3,5 and 3,500 and 007').map((t) => t.key), ['3.5', '3500', '7']);
  });
  test('cached word keys: a name is still told by its place, and a full cache changes no result', () => {
    const text = 'Paris is big. We like Paris and five parisians.';
    const first = contentTerms(text).map((t) => [t.key, t.kind]);
    assert.deepEqual(first, [
      ['paris', 'word'],
      ['big', 'word'],
      ['paris', 'name'],
      ['5', 'number'],
      ['paris', 'word'],
    ]);
    // More distinct words than the cache holds (it is cleared when full), then the same text, as a new string.
    contentTerms(Array.from({ length: 60_000 }, (_, i) => `w${i.toString(36)}x`).join(' '));
    assert.deepEqual(contentTerms(` ${text}`.slice(1)).map((t) => [t.key, t.kind]), first);
  });
});

describe('sentenceSpans', () => {
  test('cut at sentence ends and line breaks, trimmed, long sentences bounded', () => {
    const text = 'One. Two?  Three!\nFour 3.5 five。Six ' + 'word '.repeat(120);
    const spans = sentenceSpans(text, 100);
    assert.deepEqual(spans.slice(0, 5).map(([s, e]) => text.slice(s, e)), ['One.', 'Two?', 'Three!', 'Four 3.5 five。', 'Six word word word word word word word word word word word word word word word word word word word']);
    for (const [s, e] of spans) assert.ok(e - s <= 100 && e > s);
    assert.deepEqual(sentenceSpans(''), []);
    assert.deepEqual(sentenceSpans('   \n  '), []);
  });
});

describe('similarity helpers', () => {
  test('cosine and its mapping', () => {
    assert.equal(cosine([1, 0], [1, 0]), 1);
    assert.equal(cosine([0, 0], [1, 0]), 0);
    assert.equal(similarityScore(0.2, 0.3, 0.8), 0);
    assert.ok(Math.abs(similarityScore(0.55, 0.3, 0.8) - 0.5) < 1e-9);
    assert.equal(similarityScore(0.9, 0.3, 0.8), 1);
  });
});
