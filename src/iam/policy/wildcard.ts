import { ShiftAnd } from './shift-and.js';

/**
 * IAM wildcards: `*` matches any run of characters (the empty one too), `?` exactly one UTF-16 code unit; nothing else
 * is special (no brackets, no escapes — `${*}` and `${?}` in policy text become literal parts before this sees them).
 *
 * No regular expression is ever built from policy text. A pattern is split at its stars into segments; the first must
 * match at the start, the last at the end, and the ones between are found left-most, each search starting where the
 * previous match ended — for `*`-separated globs the left-most choice is always safe, so there is no backtracking.
 * Segments without `?` are found with `indexOf`; a segment with `?` by Shift-And (shift-and.ts), linear for up to 32
 * characters and a word operation per 32 beyond — never the quadratic position-by-position comparison.
 */

interface Segment {
  readonly text: string;
  /** Indexes of `?` wildcards in `text`; null when the segment is literal. */
  readonly any: readonly number[] | null;
  /** For a middle segment with wildcards: its searcher, built once. */
  readonly search?: ShiftAnd;
}

export class Wildcard {
  /** Set when the pattern has no wildcard at all: matching is string equality. */
  private readonly exact: string | undefined;
  private readonly first: Segment;
  private readonly middle: readonly Segment[];
  /** Absent when the pattern has no `*`: the value must then be exactly as long as `first`. */
  private readonly last: Segment | undefined;
  private readonly minLength: number;
  /** True for `*` (or `**`…): every value matches. */
  readonly matchesEverything: boolean;

  constructor(segments: readonly Segment[]) {
    this.first = segments[0]!;
    this.last = segments.length > 1 ? segments.at(-1) : undefined;
    this.middle = segments
      .slice(1, -1)
      .filter((s) => s.text.length > 0)
      .map((s) => (s.any ? { ...s, search: new ShiftAnd(s.text, s.any) } : s));
    this.minLength = segments.reduce((n, s) => n + s.text.length, 0);
    this.exact = segments.length === 1 && this.first.any === null ? this.first.text : undefined;
    this.matchesEverything = segments.length > 1 && this.minLength === 0;
  }

  matches(value: string): boolean {
    if (this.exact !== undefined) return value === this.exact;
    if (this.matchesEverything) return true;
    if (value.length < this.minLength) return false;
    const { first, last } = this;
    if (!last) return value.length === first.text.length && segmentAt(first, value, 0);
    if (!segmentAt(first, value, 0)) return false;
    const end = value.length - last.text.length;
    if (!segmentAt(last, value, end)) return false;
    let pos = first.text.length;
    for (const seg of this.middle) {
      const at = findSegment(seg, value, pos, end);
      if (at < 0) return false;
      pos = at + seg.text.length;
    }
    return true;
  }
}

function segmentAt(seg: Segment, value: string, at: number): boolean {
  if (seg.any === null) return value.startsWith(seg.text, at);
  const { text, any } = seg;
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    if (k < any.length && any[k] === i) {
      k++;
      continue;
    }
    if (value.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** Left-most start of `seg` in `value` with the whole match inside [from, limit), or -1. */
function findSegment(seg: Segment, value: string, from: number, limit: number): number {
  const last = limit - seg.text.length;
  if (seg.any === null) {
    const at = value.indexOf(seg.text, from);
    return at >= 0 && at <= last ? at : -1;
  }
  return last < from ? -1 : seg.search!.find(value, from, limit);
}

/**
 * Builds a pattern from pieces where wildcards count (policy text) and pieces that are literal (substituted policy
 * variables): a user named `*` must not turn `user/${aws:username}` into `user/*`.
 */
export class WildcardBuilder {
  private readonly done: Segment[] = [];
  private text = '';
  private any: number[] = [];

  /** Appends policy text: `*` and `?` are wildcards. */
  pattern(s: string): this {
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c === '*') this.cut();
      else {
        if (c === '?') this.any.push(this.text.length);
        this.text += c;
      }
    }
    return this;
  }

  /** Appends text that matches only itself, stars and question marks included. */
  literal(s: string): this {
    this.text += s;
    return this;
  }

  build(): Wildcard {
    this.cut();
    return new Wildcard(this.done);
  }

  private cut(): void {
    this.done.push({ text: this.text, any: this.any.length ? this.any : null });
    this.text = '';
    this.any = [];
  }
}

export const wildcard = (pattern: string): Wildcard => new WildcardBuilder().pattern(pattern).build();

export const hasWildcard = (s: string): boolean => s.includes('*') || s.includes('?');
