/** Whether one code point belongs to a character class, a shorthand escape, a literal or `.`. */
export type CharTest = (codePoint: number) => boolean;

const cache = new Map<string, CharTest>();
const CACHE_LIMIT = 4096;

/**
 * Builds the test for one JavaScript regex atom (`[^a-z\p{L}]`, `\d`, `.`, `é`) by handing that atom alone to the
 * native engine: a pattern that can only ever match one character cannot backtrack, so V8 does the Unicode property
 * and case-folding work safely. ASCII answers are tabled once, since most text is ASCII. Throws V8's SyntaxError for
 * an invalid atom.
 */
export function charTest(atom: string, ignoreCase: boolean): CharTest {
  const key = `${ignoreCase ? 'i' : '-'}${atom}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const native = new RegExp(`^(?:${atom})$`, ignoreCase ? 'iu' : 'u');
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = native.test(String.fromCharCode(c)) ? 1 : 0;
  const test: CharTest = (cp) => (cp < 128 ? ascii[cp] === 1 : native.test(String.fromCodePoint(cp)));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, test);
  return test;
}
