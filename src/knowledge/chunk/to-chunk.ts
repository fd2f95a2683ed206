import type { PageSpan } from '../parse/parsed-document.js';
import type { Chunk } from './chunk.js';

const WHITESPACE = /\s/;

/**
 * The chunk for characters `[start, end)` of `text`, without the whitespace at its edges (offsets follow the trim),
 * or undefined when nothing but whitespace is left.
 */
export function toChunk(text: string, start: number, end: number, pages: readonly PageSpan[] | undefined, parentText?: string): Chunk | undefined {
  while (start < end && WHITESPACE.test(text[start]!)) start++;
  while (end > start && WHITESPACE.test(text[end - 1]!)) end--;
  if (start === end) return undefined;
  const chunk: Chunk = { text: text.slice(start, end), start, end };
  if (parentText !== undefined) chunk.parentText = parentText;
  const page = pageNumberAt(pages, start);
  if (page !== undefined) chunk.pageNumber = page;
  return chunk;
}

/** The page holding character `pos`: the last page starting at or before it (pages may leave gaps between them). */
export function pageNumberAt(pages: readonly PageSpan[] | undefined, pos: number): number | undefined {
  if (!pages?.length) return undefined;
  let lo = 0;
  let hi = pages.length - 1;
  if (pos < pages[0]!.start) return pages[0]!.pageNumber;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (pages[mid]!.start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return pages[lo]!.pageNumber;
}
