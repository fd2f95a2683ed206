import type { DocumentTokens } from './document-tokens.js';

/** A window of tokens, `[start, end)`. */
export interface TokenRange {
  start: number;
  end: number;
}

// How good a cut is, by the text on either side of it. Higher wins; among equals the one nearest the window's end.
const NONE = 0;
const WORD = 1;
const SENTENCE = 2;
const PARAGRAPH = 3;

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\u00a0';
const SENTENCE_END = new Set(['.', '!', '?', '…', ';', '。', '！', '？', '；']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»']);

function cutQuality(text: string, pos: number): number {
  const before = text[pos - 1];
  const after = text[pos];
  if (!isSpace(before) && !isSpace(after)) {
    // CJK sentences end without a space after the terminator.
    return before === '。' || before === '！' || before === '？' ? SENTENCE : NONE;
  }
  if ((before === '\n' && (after === '\n' || text[pos - 2] === '\n')) || (after === '\n' && text[pos + 1] === '\n')) return PARAGRAPH;
  let i = pos - 1;
  while (i >= 0 && isSpace(text[i])) i--;
  while (i >= 0 && CLOSERS.has(text[i]!)) i--;
  return SENTENCE_END.has(text[i]!) ? SENTENCE : WORD;
}

/**
 * Cuts tokens `[from, to)` into windows of at most `maxTokens`, each next window starting `overlapTokens` before the
 * previous one ended. A window ends at the best boundary in its second half — paragraph, then sentence, then
 * whitespace — and only mid-word when its second half has no whitespace at all (CJK, long identifiers, base64).
 * Overlapping windows start at a word boundary where one is near. Work is O(tokens × windows per token).
 */
export function splitTokenRange(tokens: DocumentTokens, from: number, to: number, maxTokens: number, overlapTokens = 0): TokenRange[] {
  const { text, starts } = tokens;
  const out: TokenRange[] = [];
  let start = from;
  while (start < to) {
    let end = Math.min(start + maxTokens, to);
    if (end < to) end = bestCut(text, starts, start, end, to);
    out.push({ start, end });
    if (end >= to) break;
    let next = end;
    if (overlapTokens > 0) {
      next = Math.max(end - overlapTokens, start + 1);
      // Prefer the first word start inside the overlap, so a window does not open mid-word.
      for (let t = next; t < end; t++) {
        if (starts[t] !== starts[t - 1] && cutQuality(text, starts[t]!) >= WORD) {
          next = t;
          break;
        }
      }
    }
    start = next;
  }
  return out;
}

function bestCut(text: string, starts: Int32Array, start: number, end: number, to: number): number {
  const lo = start + Math.max(1, Math.ceil((end - start) / 2));
  let best = end;
  let bestQuality = -1;
  for (let t = end; t >= lo; t--) {
    // Tokens that share a start are pieces of one character: no cut between them.
    if (starts[t] === starts[t - 1]) continue;
    const q = cutQuality(text, starts[t]!);
    if (q > bestQuality) {
      best = t;
      bestQuality = q;
      if (q === PARAGRAPH) break;
    }
  }
  // A window of one multi-token character has no valid cut at all: take the whole character.
  if (bestQuality < 0) {
    let t = end;
    while (t < to && starts[t] === starts[t - 1]) t++;
    return t;
  }
  return best;
}
