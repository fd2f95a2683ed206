import { patternSymbols, runSymbol, WordTrie } from './word-trie.js';
import { Gap, MAX_READINGS, type WordUnits, wordUnits } from './word-units.js';

/** One occurrence of a configured word or phrase. Offsets are UTF-16 indices into the text as given. */
export interface WordOccurrence {
  /** Index of the entry in the list the matcher was built from. */
  entry: number;
  start: number;
  end: number;
  /** `text.slice(start, end)`: the word as written, with whatever disguised it. */
  text: string;
}

/**
 * Text is folded and scanned in windows of this many characters, so memory stays bounded (about 40 bytes a character
 * while a window is in hand) however long the text; nothing is skipped.
 */
export const WINDOW = 65_536;
/**
 * A match starting in one window may run on into the next by up to this many characters. Configured words are at most
 * 100 characters; spelled out with spaces or dots they double, so this leaves room for a lot of padding besides.
 */
export const LOOKAHEAD = 8_192;

/** A word or phrase to find. */
export interface WordEntry {
  text: string;
  /**
   * Also find it inside longer words ("assfucker" for "fuck"). Only for roots no innocent word contains; a word in
   * `innocentWords` that happens to contain one ("Scunthorpe") is let through.
   */
  anywhere?: boolean;
}

export interface WordMatcherOptions {
  /** Folded whole words in which an `anywhere` entry is not reported. */
  innocentWords?: Iterable<string>;
}

/**
 * Finds configured words and phrases on word boundaries of the folded text, in one left-to-right pass: from every
 * place a word may begin, a walk down the trie, which dies within a few letters on ordinary text and never goes deeper
 * than the longest entry. So the cost is linear in the text, whatever the number of entries.
 */
export class WordMatcher {
  private readonly wholeWords = new WordTrie();
  private readonly anywhere = new WordTrie();
  private readonly innocent: ReadonlySet<string>;
  private readonly entryCount: number;

  /** Entries that fold to nothing matchable (only punctuation) are rejected by the caller's schema, not here. */
  constructor(entries: readonly (string | WordEntry)[], options: WordMatcherOptions = {}) {
    entries.forEach((e, i) => {
      const entry = typeof e === 'string' ? { text: e } : e;
      const symbols = patternSymbols(wordUnits(entry.text, 0, entry.text.length, 'pattern'));
      if (symbols.length > 0) (entry.anywhere ? this.anywhere : this.wholeWords).insert(symbols, i);
    });
    this.entryCount = Math.max(1, entries.length);
    this.innocent = new Set([...(options.innocentWords ?? [])].map(foldedWord));
  }

  get nodeCount(): number {
    return this.wholeWords.nodeCount + this.anywhere.nodeCount;
  }

  find(text: string): WordOccurrence[] {
    const found = new Map<number, WordOccurrence>();
    const stride = this.entryCount;
    const emit = (entry: number, start: number, end: number) => {
      const key = start * stride + entry;
      const previous = found.get(key);
      if (!previous || previous.end < end) found.set(key, { entry, start, end, text: text.slice(start, end) });
    };
    for (let from = 0; from < text.length; ) {
      const to = windowEnd(text, from);
      const units = wordUnits(text, from, Math.min(text.length, to + LOOKAHEAD));
      const runs = letterRuns(units);
      scan(this.wholeWords, units, runs, to, false, emit);
      if (this.anywhere.nodeCount > 1) {
        scan(this.anywhere, units, runs, to, true, (entry, start, end, first) => {
          if (this.innocent.size === 0 || !this.innocent.has(wordAround(units, runs, first))) emit(entry, start, end);
        });
      }
      from = to;
    }
    return [...found.values()].sort((a, b) => a.start - b.start || a.end - b.end || a.entry - b.entry);
  }
}

/**
 * Walks `trie` from every run that starts before `startLimit` (an offset into the original text): at word boundaries
 * only, unless `anywhere`, in which case matches may also begin and end inside words.
 */
function scan(
  trie: WordTrie,
  units: WordUnits,
  runs: LetterRuns,
  startLimit: number,
  anywhere: boolean,
  emit: (entry: number, start: number, end: number, firstRun: number) => void,
): void {
  // Two state sets, swapped each step; typed and reused because this loop runs once per letter of every request.
  let states = new NodeSet();
  let next = new NodeSet();
  for (let first = 0; first < runs.count; first++) {
    if (units.start[runs.firstUnit[first]!]! >= startLimit) break;
    if (!anywhere && runs.gapBefore[first] === Gap.Joined) continue;
    states.clear();
    states.add(0);
    for (let j = first; j < runs.count; j++) {
      next.clear();
      const count = runs.count_[j]!;
      const base = runs.firstUnit[j]! * MAX_READINGS;
      for (let s = 0; s < states.size; s++) {
        const node = states.nodes[s]!;
        for (let r = 0; r < MAX_READINGS; r++) {
          const reading = units.readings[base + r]!;
          if (reading < 0) break;
          if (count !== 2) next.add(trie.child(node, runSymbol(reading, false)));
          if (count >= 2) next.add(trie.child(node, runSymbol(reading, true)));
        }
      }
      if (next.size === 0) break;
      const gapAfter = j + 1 < runs.count ? runs.gapBefore[j + 1]! : Gap.Space;
      if (anywhere || gapAfter !== Gap.Joined) {
        for (let s = 0; s < next.size; s++) {
          const entries = trie.entriesAt(next.nodes[s]!);
          if (!entries) continue;
          const start = units.start[runs.firstUnit[first]!]!;
          const end = units.end[runs.lastUnit[j]!]!;
          for (const entry of entries) emit(entry, start, end, first);
        }
      }
      if (j + 1 >= runs.count) break;
      // A space inside a configured word is crossed only between letters standing alone ("b a d"), so "pen is"
      // does not spell a single word; a phrase's own word break (SEP) may line up with any gap, or with none.
      const spaced = gapAfter === Gap.Space && !(runs.alone[j] && runs.alone[j + 1]);
      let swap = states;
      states = next;
      next = swap;
      next.clear();
      for (let s = 0; s < states.size; s++) {
        const node = states.nodes[s]!;
        next.add(trie.sepChild(node));
        if (!spaced) next.add(node);
      }
      if (next.size === 0) break;
      swap = states;
      states = next;
      next = swap;
    }
  }
}

/** A small set of trie nodes; linear membership checks, as a walk rarely holds more than two or three. */
class NodeSet {
  nodes = new Int32Array(16);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  add(node: number): void {
    if (node < 0) return;
    for (let i = 0; i < this.size; i++) if (this.nodes[i] === node) return;
    if (this.size === this.nodes.length) {
      const grown = new Int32Array(this.size * 2);
      grown.set(this.nodes);
      this.nodes = grown;
    }
    this.nodes[this.size++] = node;
  }
}

/** The folded whole word (first readings, between word boundaries) that contains run `j`. */
function wordAround(units: WordUnits, runs: LetterRuns, j: number): string {
  let a = j;
  while (a > 0 && runs.gapBefore[a] === Gap.Joined) a--;
  let b = j;
  while (b + 1 < runs.count && runs.gapBefore[b + 1] === Gap.Joined) b++;
  let word = '';
  for (let k = runs.firstUnit[a]!; k <= runs.lastUnit[b]!; k++) word += String.fromCodePoint(units.readings[k * MAX_READINGS]!);
  return word;
}

function foldedWord(word: string): string {
  const units = wordUnits(word, 0, word.length, 'pattern');
  let out = '';
  for (let k = 0; k < units.count; k++) out += String.fromCodePoint(units.readings[k * MAX_READINGS]!);
  return out;
}

interface LetterRuns {
  count: number;
  firstUnit: Int32Array;
  lastUnit: Int32Array;
  count_: Int32Array;
  gapBefore: Uint8Array;
  /** A single unit with a break on both sides: one letter of a word spelled out. */
  alone: Uint8Array;
}

/**
 * Groups neighbouring units that read exactly alike ("aaa", "$$", "11") into runs. Units that only share a reading
 * ("i1") stay apart, so "ki11" still reads "kill" rather than "kiii".
 */
function letterRuns(units: WordUnits): LetterRuns {
  const n = units.count;
  const firstUnit = new Int32Array(n);
  const lastUnit = new Int32Array(n);
  const counts = new Int32Array(n);
  const gapBefore = new Uint8Array(n);
  const alone = new Uint8Array(n);
  let runs = 0;
  for (let k = 0; k < n; k++) {
    if (runs > 0 && units.gap[k]! <= Gap.LeetSoft && sameReadings(units, k, lastUnit[runs - 1]!)) {
      lastUnit[runs - 1] = k;
      counts[runs - 1]++;
      continue;
    }
    firstUnit[runs] = k;
    lastUnit[runs] = k;
    counts[runs] = 1;
    gapBefore[runs] = units.gap[k]!;
    runs++;
  }
  for (let j = 0; j < runs; j++) {
    const k = firstUnit[j]!;
    alone[j] = counts[j] === 1 && units.gap[k]! !== Gap.Joined && units.gap[k + 1]! !== Gap.Joined ? 1 : 0;
  }
  return { count: runs, firstUnit, lastUnit, count_: counts, gapBefore, alone };
}

function sameReadings(units: WordUnits, a: number, b: number): boolean {
  const r = units.readings;
  const x = a * MAX_READINGS;
  const y = b * MAX_READINGS;
  for (let i = 0; i < MAX_READINGS; i++) if (r[x + i] !== r[y + i]) return false;
  return true;
}

/** The end of the window starting at `from`: just after the last whitespace in its second half, else a hard cut. */
function windowEnd(text: string, from: number): number {
  if (text.length - from <= WINDOW) return text.length;
  const hard = from + WINDOW;
  for (let i = hard; i > from + WINDOW / 2; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) return i;
  }
  // Never cut a surrogate pair in two.
  const c = text.charCodeAt(hard - 1);
  return c >= 0xd800 && c <= 0xdbff ? hard + 1 : hard;
}
