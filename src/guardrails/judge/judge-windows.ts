import { validation } from '../../core/errors.js';

/** Characters each window repeats from the one before, so a sentence cut at a boundary is still read whole once. */
const OVERLAP = 200;

/**
 * Cuts text into windows (offsets) of at most `size` characters for the judge, preferring to cut after a sentence end or at a
 * space in the window's last quarter. Every character lies in some window: text is never truncated. More windows than
 * `max` is refused with a ValidationException, so one request cannot buy unbounded judge calls.
 */
export function judgeWindows(text: string, size: number, max: number): Array<[number, number]> {
  if (text.length <= size) return [[0, text.length]];
  const windows: Array<[number, number]> = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) end = cutPoint(text, start, end);
    windows.push([start, end]);
    if (windows.length > max) {
      throw validation(`The text (${text.length} characters) needs more than ${max} windows of ${size} characters for the guardrail's LLM judge; send it in smaller pieces.`);
    }
    if (end >= text.length) break;
    start = Math.max(end - OVERLAP, start + 1);
  }
  return windows;
}

function cutPoint(text: string, start: number, end: number): number {
  const floor = start + Math.floor((end - start) * 0.75);
  for (let i = end - 1; i > floor; i--) {
    const c = text[i]!;
    if ((c === '.' || c === '!' || c === '?' || c === '\n') && /\s/.test(text[i + 1] ?? ' ')) return i + 1;
  }
  for (let i = end - 1; i > floor; i--) if (/\s/.test(text[i]!)) return i + 1;
  return end;
}
