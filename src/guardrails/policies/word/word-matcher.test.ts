import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LOOKAHEAD, WINDOW, WordMatcher } from './word-matcher.js';

const words = (m: WordMatcher, text: string) => m.find(text).map((o) => o.text);
const entries = (m: WordMatcher, text: string) => m.find(text).map((o) => o.entry);

describe('word matching survives disguises', () => {
  const m = new WordMatcher(['badword', 'shit', 'ass', 'kill', 'bad phrase', 'self-harm']);
  const cases: Array<[string, string[]]> = [
    ['This is a BadWord here', ['BadWord']],
    ['BADWORD', ['BADWORD']],
    ['b a d w o r d', ['b a d w o r d']],
    ['b.a.d.w.o.r.d!', ['b.a.d.w.o.r.d']],
    ['b-a-d_w-o-r-d', ['b-a-d_w-o-r-d']],
    ['sh!t happens', ['sh!t']],
    ['$h1t', ['$h1t']],
    ['5h17', ['5h17']],
    ['a55, @ss and a$$', ['a55', '@ss', 'a$$']],
    ['ki11 it', ['ki11']],
    ['shiiiiit', ['shiiiiit']],
    ['baaaadwooord', ['baaaadwooord']],
    ['b\u200Ba\u200Cd\u200Dw\uFEFFo\u2060r\u00ADd', ['b\u200Ba\u200Cd\u200Dw\uFEFFo\u2060r\u00ADd']],
    ['s\u202Eh\u202Ci\u2066t\u2069', ['s\u202Eh\u202Ci\u2066t']], // bidi controls (the trailing one is not part of the word)
    ['s\u{E0020}h\u{E0041}it', ['s\u{E0020}h\u{E0041}it']], // tag characters
    ['ЅНІТ', ['ЅНІТ']], // Cyrillic look-alikes
    ['ѕhіt', ['ѕhіt']], // mixed Cyrillic and Latin
    ['κιll', ['κιll']], // Greek
    ['ｓｈｉｔ', ['ｓｈｉｔ']], // full-width
    ['𝐬𝐡𝐢𝐭 and 𝓈𝒽𝒾𝓉', ['𝐬𝐡𝐢𝐭', '𝓈𝒽𝒾𝓉']], // mathematical alphanumerics
    ['ⓢⓗⓘⓣ', ['ⓢⓗⓘⓣ']],
    ['shït and s̶h̶i̶t̶', ['shït', 's̶h̶i̶t̶']], // diacritics and strike-through combining marks
    ['f*ck off, sh*t', ['sh*t']],
    ['a bad, phrase', ['bad, phrase']],
    ['badphrase', ['badphrase']],
    ['selfharm, self harm and self-harm', ['selfharm', 'self harm', 'self-harm']],
    ['shit!!! and (shit)', ['shit', 'shit']],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(words(m, text), expected));
  }
});

describe('no Scunthorpe problem', () => {
  const m = new WordMatcher(['cunt', 'ass', 'shit', 'penis', 'god', 'tit', 'cum', 'anal', 'rape', 'hell']);
  const innocent = [
    'Scunthorpe United played in Essex and Sussex.',
    'The class assassin passed the bass to the assistant.',
    'Shittim wood; a mishit; the shiitake mushroom.',
    'The pen is mightier than the sword.',
    'Good morning; the goods were good.',
    'A title, a titan, an institute; the petition was cumulative and circumspect.',
    'An analysis of the canal; an Al Pacino film.',
    'The therapist ate a grape and drapes were hung. Hello, shell!',
    'I was at the as-yet unnamed cafe; as soon as possible.',
    'Room 455, call 555-0100, $55 total.',
  ];
  for (const text of innocent) test(text, () => assert.deepEqual(words(m, text), []));
});

describe('offsets point into the original text', () => {
  const m = new WordMatcher(['shit', 'kill']);
  test('across astral characters, zero-width characters and combining marks', () => {
    const text = '😀😀 fine 🧪 s\u200Bh\u0301i\u200Bt, then k\u0456ll.';
    const found = m.find(text);
    assert.equal(found.length, 2);
    for (const o of found) assert.equal(text.slice(o.start, o.end), o.text);
    assert.equal(found[0]!.text, 's\u200Bh\u0301i\u200Bt');
    assert.equal(found[1]!.text, 'k\u0456ll');
  });
});

describe('entries in other scripts, symbols and digits', () => {
  const m = new WordMatcher(['哈哈', '🖕', 'area 51', 'сука', 'mp3', 'john']);
  test('scripts without spaces match inside a run of text', () => assert.deepEqual(entries(m, '我哈哈大笑'), [0]));
  test('an emoji with a skin tone', () => assert.deepEqual(entries(m, 'you 🖕🏽'), [1]));
  test('digits as written', () => assert.deepEqual(entries(m, 'Area 51 and mp3 files'), [2, 4]));
  test('a Cyrillic word, written in Cyrillic or with Latin look-alikes', () => {
    assert.deepEqual(entries(m, 'ты сука'), [3]);
    assert.deepEqual(entries(m, 'cyka'), [3]);
  });
  test('a mention still matches', () => assert.deepEqual(entries(m, 'hi @john!'), [5]));
  test('a bare number is not leetspeak', () => assert.deepEqual(entries(new WordMatcher(['ass', 'sos']), '455 505 $55'), []));
});

describe('roots found anywhere', () => {
  const m = new WordMatcher([{ text: 'fuck', anywhere: true }, { text: 'cunt', anywhere: true }, 'shit'], {
    innocentWords: ['Scunthorpe'],
  });
  test('inside compounds', () => assert.deepEqual(words(m, 'assfucker, cuntbag'), ['fuck', 'cunt']));
  test('innocent words are let through', () => assert.deepEqual(words(m, 'Scunthorpe, SCUNTHORPE'), []));
  test('whole-word entries stay whole-word', () => assert.deepEqual(words(m, 'Matsushita bullshit'), []));
});

describe('long text', () => {
  const m = new WordMatcher(['badword', 'bad phrase']);
  test('is scanned to the end in windows; a word across a window edge is found once', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(Math.ceil((WINDOW * 3) / 27));
    // Put a spaced-out word right where the first window may be cut.
    const cut = filler.lastIndexOf(' ', WINDOW) - 5;
    const text = `${filler.slice(0, cut)} b a d w o r d ${filler.slice(cut)} bad phrase`;
    const found = m.find(text);
    assert.deepEqual(
      found.map((o) => o.text),
      ['b a d w o r d', 'bad phrase'],
    );
    assert.equal(found[1]!.end, text.length);
  });
  test('a run with no spaces is cut hard and still scanned', () => {
    const text = `${'x'.repeat(WINDOW + LOOKAHEAD + 10)} badword`;
    assert.deepEqual(words(m, text), ['badword']);
  });
});

describe('bad input', () => {
  const m = new WordMatcher(['badword']);
  test('empty and invisible-only text', () => {
    assert.deepEqual(m.find(''), []);
    assert.deepEqual(m.find('\u200B\u200B\uFEFF'), []);
  });
  test('lone surrogates and control characters are dropped like invisible ones', () => {
    assert.deepEqual(words(m, '\uD800bad\uDC00word \u0000badword\u0007'), ['bad\uDC00word', 'badword']);
  });
  test('hostile repetition stays linear', () => {
    const hostile = new WordMatcher([`${'a '.repeat(49)}a`, 'a'.repeat(100)]);
    // Every letter starts a walk 50 levels deep: the worst case, bounded by the longest entry, not the text.
    const text = 'a '.repeat(20_000);
    const t0 = performance.now();
    const found = hostile.find(text);
    const ms = performance.now() - t0;
    assert.equal(found.length, 20_000 - 49);
    assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  });
});
