import { type ContentTerm, contentTerms } from '../text/content-terms.js';
import { keyPrefix } from '../text/key-prefix.js';
import { sentenceSpans } from '../text/sentence-spans.js';

/** Stems this long or longer also match by their first `PREFIX` letters, for half credit ("diagnose"/"diagnostic"). */
export const PREFIX = 6;
export const PARTIAL = 0.5;

/**
 * The grounding source, indexed once per check: its sentences, and for every content term (and every long term's
 * prefix) the sentences that hold it. A claim is scored against windows of three neighbouring sentences, so support
 * must come from one place in the source, not from words scattered over all of it.
 */
export class SourceIndex {
  readonly sentences: Array<[number, number]>;
  private readonly postings = new Map<string, number[]>();
  private readonly prefixes = new Map<string, number[]>();

  constructor(readonly text: string) {
    this.sentences = sentenceSpans(text);
    const terms = contentTerms(text);
    let s = 0;
    for (const term of terms) {
      while (s + 1 < this.sentences.length && this.sentences[s]![1] <= term.start) s++;
      add(this.postings, term.key, s);
      if (term.key.length >= PREFIX) add(this.prefixes, keyPrefix(term.key, PREFIX), s);
    }
  }

  get windowCount(): number {
    return this.sentences.length;
  }

  /** Window `w` spans sentences w-radius … w+radius. */
  window(w: number, radius = 1): [number, number] {
    const first = this.sentences[Math.max(0, w - radius)]!;
    const last = this.sentences[Math.min(this.sentences.length - 1, w + radius)]!;
    return [first[0], last[1]];
  }

  /** 1 when the term is in the source, `PARTIAL` when only its prefix is, else 0. */
  presence(term: ContentTerm): number {
    if (this.postings.has(term.key)) return 1;
    return term.key.length >= PREFIX && this.prefixes.has(keyPrefix(term.key, PREFIX)) ? PARTIAL : 0;
  }

  /**
   * For each window (sentences w-radius … w+radius) that holds any of `terms`, the summed weight of the terms it
   * holds, each term once per window, prefix-only matches at half weight.
   */
  windowScores(terms: readonly ContentTerm[], weight: (t: ContentTerm) => number, radius = 1): Map<number, number> {
    const scores = new Map<number, number>();
    const seen = new Set<string>();
    for (const term of terms) {
      if (seen.has(term.key)) continue;
      seen.add(term.key);
      let sentences = this.postings.get(term.key);
      let credit = 1;
      if (!sentences && term.key.length >= PREFIX) {
        sentences = this.prefixes.get(keyPrefix(term.key, PREFIX));
        credit = PARTIAL;
      }
      if (!sentences) continue;
      const w = weight(term) * credit;
      let last = -1;
      for (const s of sentences) {
        const to = Math.min(this.sentences.length - 1, s + radius);
        for (let win = Math.max(last + 1, s - radius, 0); win <= to; win++) scores.set(win, (scores.get(win) ?? 0) + w);
        last = to;
      }
    }
    return scores;
  }
}

function add(map: Map<string, number[]>, key: string, sentence: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [sentence]);
  else if (list.at(-1) !== sentence) list.push(sentence);
}
