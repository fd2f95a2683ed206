/**
 * Turns a model's answer with `[n]` source markers into Bedrock's shape: the text without markers, and a citation per
 * cited passage whose span points into that text. A passage is the text since the previous citation, so every cited
 * claim is covered; markers naming sources that do not exist are dropped rather than invented into references.
 */
export interface CitedPart {
  text: string;
  /** Offsets into the cleaned answer; `end` is inclusive, as in Bedrock's responses. */
  span: { start: number; end: number };
  /** 0-based indexes into the sources the prompt listed. */
  sources: number[];
}

const MARKERS = /(?:\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\])+/g;

export function extractCitations(raw: string, sourceCount: number): { text: string; parts: CitedPart[] } {
  let text = '';
  let last = 0;
  let partStart = 0;
  const parts: CitedPart[] = [];
  for (const m of raw.matchAll(MARKERS)) {
    text += raw.slice(last, m.index);
    last = m.index! + m[0].length;
    const sources = [...m[0].matchAll(/\d{1,3}/g)].map((n) => Number(n[0]) - 1).filter((n) => n >= 0 && n < sourceCount);
    const unique = [...new Set(sources)];
    const start = skipSpace(text, partStart);
    if (unique.length && text.length > start) parts.push({ text: text.slice(start), span: { start, end: text.length - 1 }, sources: unique });
    partStart = text.length;
  }
  text += raw.slice(last);
  return { text, parts };
}

/** A passage starts after the punctuation that closed the previous cited sentence ("… [1]. Next" → "Next"). */
function skipSpace(s: string, i: number): number {
  while (i < s.length && /[\s.,;:!?]/.test(s[i]!)) i++;
  return i;
}

/**
 * For streams: holds back a tail that might be the start of a marker (`[`, `[1`, ` [12,`), so markers split across
 * chunks are still removed. `push` returns the text safe to emit now; `flush` the rest at the end.
 */
export class MarkerStripper {
  private raw_ = '';
  private emitted = 0;
  constructor(private readonly sourceCount: number) {}

  push(delta: string): string {
    this.raw_ += delta;
    // Trailing space is held back too: a marker that follows removes the space before it.
    const pending = /\s*(?:\[[\d,\s]*)?$/.exec(this.raw_);
    const safeRaw = this.raw_.slice(0, pending!.index);
    const clean = extractCitations(safeRaw, this.sourceCount).text;
    const out = clean.slice(this.emitted);
    this.emitted = clean.length;
    return out;
  }

  raw(): string {
    return this.raw_;
  }

  flush(): { text: string; parts: CitedPart[] } {
    const all = extractCitations(this.raw_, this.sourceCount);
    const rest = all.text.slice(this.emitted);
    this.emitted = all.text.length;
    return { text: rest, parts: all.parts };
  }
}
