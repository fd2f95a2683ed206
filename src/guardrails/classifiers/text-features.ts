import { CUE_PATTERNS } from './cue-patterns.js';
import { SlotTable } from './slot-table.js';

/**
 * Hashed features of one window of canonical text, the same at training and at classification time:
 * - words and word pairs;
 * - character 3-, 4- and 5-grams across word boundaries (spelling variants, word pieces, punctuation such as `[DAN]:`);
 * - one feature per cue pattern that matches (`CUE_PATTERNS`) and per lexicon class a word or phrase belongs to.
 * Each feature is hashed into `2^bits` slots with a hash-chosen sign, so collisions tend to cancel rather than add.
 * Word and character counts are log-scaled and each group is L2-normalised (a window's length does not change its
 * score); cue counts are log-scaled only, so every extra cue adds evidence.
 */
export interface SparseFeatures {
  indices: Int32Array;
  values: Float32Array;
}

/** Phrase hash → bit mask of lexicon classes (bit i = `classes[i]`). */
export interface Lexicon {
  classes: readonly string[];
  entries: ReadonlyMap<number, number>;
}

export const EMPTY_LEXICON: Lexicon = { classes: [], entries: new Map() };

const SALT_WORD = 0x1b873593;
const SALT_PAIR = 0x5bd1e995;
const SALT_CHAR = 0x27d4eb2f;
const SALT_CUE = 0x165667b1;
const GROUP_WEIGHT = Math.SQRT1_2;
const CUE_WEIGHT = 0.5;
/** log(1 + n) for the small whole counts nearly every feature has. */
const LOG1P = Float64Array.from({ length: 64 }, (_, n) => Math.log1p(n));
const GROUP_WORDS = 0;
const GROUP_CHARS = 1;
const GROUP_CUES = 2;

export class FeatureExtractor {
  readonly bits: number;
  private readonly lexicon: Lexicon;
  private readonly cueSlots: Int32Array;
  private readonly cueSigns: Float32Array;
  private readonly lexiconSlots: Int32Array;
  private readonly lexiconSigns: Float32Array;
  /** Signed counts per slot, keyed by slot + group·2^bits so the three groups are kept apart. */
  private readonly counts = new SlotTable();
  private group = 0;
  private words: Int32Array = new Int32Array(512);
  /** `prepare`'s table: per position, the 3-, 4- and 5-gram's (slot + group·2^bits)·2 + sign bit. */
  private grams = new Int32Array(4096);
  private prepared: string | undefined;
  private outIndices = new Int32Array(4096);
  private outValues = new Float32Array(4096);

  constructor(bits: number, lexicon: Lexicon = EMPTY_LEXICON) {
    if (!Number.isInteger(bits) || bits < 10 || bits > 24) throw new RangeError('feature bits must be an integer in 10..24');
    this.bits = bits;
    this.lexicon = lexicon;
    const slot = (name: string) => fmix(hashString(name, SALT_CUE));
    this.cueSlots = Int32Array.from(CUE_PATTERNS, ([name]) => this.slotOf(slot(`cue:${name}`)));
    this.cueSigns = Float32Array.from(CUE_PATTERNS, ([name]) => signOf(slot(`cue:${name}`)));
    this.lexiconSlots = Int32Array.from(lexicon.classes, (name) => this.slotOf(slot(`lex:${name}`)));
    this.lexiconSigns = Float32Array.from(lexicon.classes, (name) => signOf(slot(`lex:${name}`)));
  }

  /**
   * Features of `text` (canonical text, one window), in fresh arrays. A slot may appear more than once (once per
   * group); a dot product does not mind.
   */
  extract(text: string): SparseFeatures {
    const shared = this.extractShared(text);
    return { indices: shared.indices.slice(), values: shared.values.slice() };
  }

  /**
   * Which cue patterns match anywhere in `text` (1) or nowhere (0). A pattern that matches nowhere in a canonical text
   * matches nowhere in a window of it cut at spaces either, since the patterns look no further than a word boundary
   * past what they match; `extractShared` can then skip it for every such window.
   */
  possibleCues(text: string): Uint8Array {
    const out = new Uint8Array(CUE_PATTERNS.length);
    for (let p = 0; p < CUE_PATTERNS.length; p++) {
      const pattern = CUE_PATTERNS[p]![1];
      pattern.lastIndex = 0;
      out[p] = pattern.exec(text) === null ? 0 : 1;
    }
    return out;
  }

  /**
   * Like `extract`, but the arrays are views of buffers the next call overwrites: for scoring, not for keeping.
   * `cues`, from `possibleCues` of a text this window was cut from at spaces, skips the patterns that cannot match.
   */
  extractShared(text: string, cues?: Uint8Array): SparseFeatures {
    this.prepare(text);
    return this.extractWindow(text, 0, text.length, cues);
  }

  /**
   * Reads a whole canonical text once for `extractWindow`: the slot and sign of every character n-gram by position.
   * A text is classified in windows at two scales that read each character about three times; an n-gram's slot does
   * not depend on the window it is counted in, so it is hashed once here instead of once per window.
   */
  prepare(text: string): void {
    const n = text.length;
    if (this.grams.length < 3 * n) this.grams = new Int32Array(3 * n + 64);
    const grams = this.grams;
    const shift = 32 - this.bits;
    const group = GROUP_CHARS << this.bits;
    for (let i = 0; i + 3 <= n; i++) {
      let h = SALT_CHAR;
      for (let k = 0; k < 5 && i + k < n; k++) {
        h = Math.imul(h ^ text.charCodeAt(i + k), 0x01000193);
        if (k >= 2) {
          const f = fmix(h + k);
          grams[3 * i + k - 2] = (((f >>> shift) + group) << 1) | (f & 1);
        }
      }
    }
    this.prepared = text;
  }

  /**
   * The features of the window `[start, end)` of `text`, which `prepare` has read; the same as `extractShared` of
   * that slice, in the same order (so scores summed over them are the same to the bit). Shared buffers, as there.
   */
  extractWindow(text: string, start: number, end: number, cues?: Uint8Array): SparseFeatures {
    if (this.prepared !== text) throw new Error('extractWindow: prepare(text) first');
    const counts = this.counts;
    counts.clear();
    this.group = GROUP_WORDS;
    const wordCount = this.wordFeatures(text, start, end);
    this.charFeatures(start, end);
    this.group = GROUP_CUES;
    this.cueFeatures(text, start, end, wordCount, cues);

    // Counts are log-scaled in place and each group's squared norm summed in the order the slots were first added.
    const bits = this.bits;
    let wordNorm = 0;
    let charNorm = 0;
    const size = counts.size;
    for (let k = 0; k < size; k++) {
      const c = counts.sumAt(k);
      const a = c < 0 ? -c : c;
      const log = a < LOG1P.length && a === Math.floor(a) ? LOG1P[a]! : Math.log1p(a);
      const v = c < 0 ? -log : log;
      counts.setSumAt(k, v);
      const group = counts.slotAt(k) >>> bits;
      if (group === GROUP_WORDS) wordNorm += v * v;
      else if (group === GROUP_CHARS) charNorm += v * v;
    }
    const wordScale = wordNorm > 0 ? GROUP_WEIGHT / Math.sqrt(wordNorm) : 0;
    const charScale = charNorm > 0 ? GROUP_WEIGHT / Math.sqrt(charNorm) : 0;
    const mask = (1 << bits) - 1;
    if (this.outIndices.length < size) {
      this.outIndices = new Int32Array(size * 2);
      this.outValues = new Float32Array(size * 2);
    }
    const indices = this.outIndices;
    const values = this.outValues;
    let at = 0;
    for (let k = 0; k < size; k++) {
      const v = counts.sumAt(k);
      if (v === 0) continue;
      const key = counts.slotAt(k);
      const group = key >>> bits;
      indices[at] = key & mask;
      values[at++] = v * (group === GROUP_WORDS ? wordScale : group === GROUP_CHARS ? charScale : CUE_WEIGHT);
    }
    return { indices: indices.subarray(0, at), values: values.subarray(0, at) };
  }

  private slotOf(hash: number): number {
    return hash >>> (32 - this.bits);
  }

  private add(hash: number): void {
    const h = fmix(hash);
    this.counts.add((h >>> (32 - this.bits)) + (this.group << this.bits), (h & 1) === 1 ? 1 : -1);
  }

  private addSlot(slot: number, signed: number): void {
    this.counts.add(slot + (this.group << this.bits), signed);
  }

  /**
   * Words and word pairs of `[start, end)`; leaves each word's hash in `this.words` for the lexicon. Returns the word
   * count. Words are read as `forEachWord` reads them in the slice.
   */
  private wordFeatures(text: string, start: number, end: number): number {
    let count = 0;
    let previous = 0;
    let i = start;
    while (i < end) {
      if (!isWordChar(text.charCodeAt(i))) {
        i++;
        continue;
      }
      let h = 0x811c9dc5;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (isWordChar(c) || (c === 0x27 && i + 1 < end && isWordChar(text.charCodeAt(i + 1)))) {
          h = Math.imul(h ^ c, 0x01000193);
          i++;
        } else break;
      }
      const hash = h | 0;
      if (count === this.words.length) this.words = grow(this.words);
      this.words[count++] = hash;
      this.add(hash ^ SALT_WORD);
      if (count > 1) this.add(combine(previous, hash) ^ SALT_PAIR);
      previous = hash;
    }
    return count;
  }

  /** Character 3-, 4- and 5-grams of `[start, end)` that lie wholly inside it, from `prepare`'s table. */
  private charFeatures(start: number, end: number): void {
    const grams = this.grams;
    const counts = this.counts;
    for (let i = start; i + 3 <= end; i++) {
      const top = Math.min(4, end - 1 - i);
      for (let k = 2; k <= top; k++) {
        const g = grams[3 * i + k - 2]!;
        counts.add(g >>> 1, (g & 1) === 1 ? 1 : -1);
      }
    }
  }

  private cueFeatures(text: string, start: number, end: number, wordCount: number, cues: Uint8Array | undefined): void {
    let window: string | undefined;
    for (let p = 0; p < CUE_PATTERNS.length; p++) {
      if (cues && cues[p] === 0) continue;
      window ??= start === 0 && end === text.length ? text : text.slice(start, end);
      const pattern = CUE_PATTERNS[p]![1];
      pattern.lastIndex = 0;
      let hits = 0;
      while (hits < 8 && pattern.exec(window) !== null) hits++;
      if (hits > 0) this.addSlot(this.cueSlots[p]!, this.cueSigns[p]! * hits);
    }
    const entries = this.lexicon.entries;
    if (entries.size === 0) return;
    const hitsPerClass = new Int32Array(this.lexicon.classes.length);
    for (let i = 0; i < wordCount; i++) {
      let phrase = this.words[i]!;
      for (let len = 1; len <= 3 && i + len <= wordCount; len++) {
        if (len > 1) phrase = combine(phrase, this.words[i + len - 1]!);
        const mask = entries.get(phrase);
        if (mask === undefined) continue;
        for (let c = 0; c < hitsPerClass.length; c++) if (mask & (1 << c)) hitsPerClass[c]!++;
      }
    }
    for (let c = 0; c < hitsPerClass.length; c++) {
      if (hitsPerClass[c]! > 0) this.addSlot(this.lexiconSlots[c]!, this.lexiconSigns[c]! * Math.min(hitsPerClass[c]!, 8));
    }
  }
}

/** The key a lexicon stores for a word or phrase of up to three words (canonical text), or undefined. */
export function phraseKey(canonical: string): number | undefined {
  const hashes: number[] = [];
  forEachWord(canonical, (h) => hashes.push(h));
  if (hashes.length === 0 || hashes.length > 3) return undefined;
  return hashes.reduce((phrase, h, i) => (i === 0 ? h : combine(phrase, h)));
}

/**
 * Calls `visit` with the hash of each word: a run of ASCII letters, digits or '_', or of characters beyond ASCII
 * other than Unicode punctuation, with apostrophes inside kept ("don't").
 */
function forEachWord(text: string, visit: (hash: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let h = 0x811c9dc5;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isWordChar(c)) {
        h = Math.imul(h ^ c, 0x01000193);
        i++;
      } else if (c === 0x27 && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) {
        h = Math.imul(h ^ c, 0x01000193);
        i++;
      } else break;
    }
    visit(h | 0);
  }
}

function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || (c >= 0x41 && c <= 0x5a);
  return !((c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || c === 0xa0);
}

function combine(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ b) | 0;
}

function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** MurmurHash3's finaliser: spreads every input bit over the slot bits. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function signOf(hash: number): number {
  return (hash & 1) === 1 ? 1 : -1;
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
