/**
 * How a word filter reads one code point: its kind, and the lower-case, accent-free, look-alike-folded characters it
 * stands for. Folding is context-free on purpose: a configured word and the text it is looked for in go through the
 * same table, so an all-Cyrillic "ѕех" and the Latin word meet in the middle whatever script surrounds them.
 */
export const CharKind = {
  /** Zero-width, format, combining and other characters that render as nothing or only decorate a neighbour. */
  Invisible: 0,
  Space: 1,
  /** A letter of a script that separates words with spaces (after folding: Latin a–z for every look-alike). */
  Letter: 2,
  /** An ASCII digit (full-width, circled and superscript digits fold to these). */
  Digit: 3,
  /** A character that stands for a letter in leetspeak when it sits inside a word: @ $ ! | + ( * € ¡ § ¢. */
  LeetSymbol: 4,
  /**
   * A letter of a script written without spaces (Han, kana, Thai ...) or a pictographic symbol (emoji): a word of its
   * own, so a match may start or end on either side of it.
   */
  Standalone: 5,
  Punctuation: 6,
} as const;
export type CharKind = (typeof CharKind)[keyof typeof CharKind];

export interface FoldedCodePoint {
  kind: CharKind;
  /** Folded UTF-16 code units (usually one; NFKD can expand "ﬁ" to f, i). Empty for invisible characters. */
  chars: readonly string[];
  /** The kind of each folded character (they can differ: "½" is 1, ⁄, 2). */
  kinds: readonly CharKind[];
}

/**
 * Look-alikes that NFKD leaves alone: Cyrillic, Greek and Armenian letters, Latin small capitals and IPA letters that
 * render like a–z. Keys are lower case (folding lowers first).
 */
const LOOK_ALIKES: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's',
  і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ь: 'b', ԍ: 'g', ո: 'n', ս: 'u', օ: 'o', հ: 'h',
  ց: 'g', ք: 'p', ɡ: 'g', ɑ: 'a', ı: 'i', ȷ: 'j', ʟ: 'l', ɩ: 'i', ʋ: 'u', ɒ: 'a', ɛ: 'e', ɔ: 'c', ʀ: 'r', ʏ: 'y',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
  ω: 'w', ς: 'c', μ: 'u', ϲ: 'c', ϳ: 'j',
  // Latin small capitals
  ᴀ: 'a', ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ᴍ: 'm', ɴ: 'n', ᴏ: 'o',
  ᴘ: 'p', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z',
};

/** Leetspeak readings; a digit also keeps its own reading, so "mp3" and "area 51" still match as written. */
export const LEET_READINGS: Readonly<Record<string, readonly string[]>> = {
  '0': ['o'],
  '1': ['i', 'l'],
  '3': ['e'],
  '4': ['a'],
  '5': ['s'],
  '7': ['t'],
  '8': ['b'],
  '9': ['g'],
  '@': ['a'],
  $: ['s'],
  '!': ['i'],
  '|': ['l', 'i'],
  '+': ['t'],
  '(': ['c'],
  '€': ['e'],
  '¡': ['i'],
  '§': ['s'],
  '¢': ['c'],
  // Masking hides a vowel ("f*ck", "sh*t", "c*nt"); the star also keeps its own reading, for configured words with one.
  '*': ['a', 'e', 'i', 'o', 'u', '*'],
};

// Characters that draw nothing: Hangul fillers, Khmer inherent vowels, Mongolian variation selectors, the combining
// grapheme joiner (a mark anyway), and emoji skin-tone modifiers, which only tint the emoji before them.
const ALSO_INVISIBLE = new Set([0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180c, 0x180d, 0x180f, 0x3164, 0xffa0]);
const INVISIBLE = /^[\p{Cf}\p{M}\p{Cc}\p{Cs}\p{Co}\p{Cn}]$/u;
const SPACE = /^[\p{Z}\s]$/u;
const LETTER = /^\p{L}$/u;
const NO_SPACE_SCRIPT =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]$/u;
const PICTOGRAPH = /^[\p{Extended_Pictographic}\p{So}]$/u;
const MARKS = /\p{M}/gu;

const NONE: FoldedCodePoint = { kind: CharKind.Invisible, chars: [], kinds: [] };
const ascii: FoldedCodePoint[] = [];
for (let c = 0; c < 0x80; c++) ascii.push(classify(String.fromCharCode(c), c));
const cache = new Map<number, FoldedCodePoint>();
const CACHE_LIMIT = 65_536;

/** Folds the code point `cp` (whose UTF-16 text is `ch`). */
export function foldCodePoint(cp: number, ch: string): FoldedCodePoint {
  if (cp < 0x80) return ascii[cp]!;
  let hit = cache.get(cp);
  if (hit === undefined) {
    hit = classify(ch, cp);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cp, hit);
  }
  return hit;
}

function classify(ch: string, cp: number): FoldedCodePoint {
  if (cp < 0x80) {
    const lower = ch.toLowerCase();
    const kind = asciiKind(cp);
    return kind === CharKind.Invisible ? NONE : { kind, chars: [lower], kinds: [kind] };
  }
  // Invisible first: JavaScript's \s counts the zero-width no-break space (U+FEFF) as a space.
  if (ALSO_INVISIBLE.has(cp) || (cp >= 0x1f3fb && cp <= 0x1f3ff) || INVISIBLE.test(ch)) return NONE;
  if (cp === 0x2028 || cp === 0x2029 || SPACE.test(ch)) return { kind: CharKind.Space, chars: [' '], kinds: [CharKind.Space] };
  if (ch in LEET_READINGS) return { kind: CharKind.LeetSymbol, chars: [ch], kinds: [CharKind.LeetSymbol] };
  // Regional indicators (🇦 … 🇿) spell letters in some filter-evasion tricks; they fold to a–z.
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) {
    const letter = String.fromCharCode(0x61 + cp - 0x1f1e6);
    return { kind: CharKind.Letter, chars: [letter], kinds: [CharKind.Letter] };
  }
  if (NO_SPACE_SCRIPT.test(ch) || (!LETTER.test(ch) && PICTOGRAPH.test(ch) && ch.normalize('NFKD') === ch)) {
    return { kind: CharKind.Standalone, chars: [ch], kinds: [CharKind.Standalone] };
  }
  const folded = ch.normalize('NFKD').toLowerCase().normalize('NFKD').replace(MARKS, '');
  const chars: string[] = [];
  const kinds: CharKind[] = [];
  for (const c of folded) {
    const mapped = LOOK_ALIKES[c] ?? c;
    const code = mapped.codePointAt(0)!;
    const kind =
      code < 0x80
        ? asciiKind(code)
        : LETTER.test(mapped)
          ? CharKind.Letter
          : SPACE.test(mapped)
            ? CharKind.Space
            : INVISIBLE.test(mapped)
              ? CharKind.Invisible
              : CharKind.Punctuation;
    if (kind === CharKind.Invisible) continue;
    chars.push(mapped);
    kinds.push(kind);
  }
  if (chars.length === 0) return NONE;
  return { kind: kinds[0]!, chars, kinds };
}

function asciiKind(cp: number): CharKind {
  if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) return CharKind.Letter;
  if (cp >= 0x30 && cp <= 0x39) return CharKind.Digit;
  if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d)) return CharKind.Space;
  if (cp < 0x20 || cp === 0x7f) return CharKind.Invisible;
  if (String.fromCharCode(cp) in LEET_READINGS) return CharKind.LeetSymbol;
  return CharKind.Punctuation;
}
