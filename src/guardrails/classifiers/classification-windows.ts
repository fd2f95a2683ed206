/**
 * Cuts canonical text into the windows that are classified one by one, so a long document is read whole (nothing is
 * truncated) while what a window holds stays comparable to the training examples, and a short attack inside a long
 * harmless document still dominates the window it sits in. Consecutive windows overlap by `overlap` characters so
 * that a phrase cut by one boundary is seen whole in the next window. A window ends at a space in its last quarter
 * when there is one; a run with no space is cut hard. Windows cover the text in order; empty text has none.
 */
export function classificationWindows(
  text: string,
  size = WINDOW_SIZE,
  overlap = WINDOW_OVERLAP,
): Array<[start: number, end: number]> {
  if (!(size > 0) || !(overlap >= 0) || overlap * 2 > size) throw new RangeError('window overlap must be at most half the size');
  const windows: Array<[number, number]> = [];
  if (text.length === 0) return windows;
  let start = 0;
  for (;;) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end - 1);
      if (space > start + (size * 3) / 4) end = space;
    }
    windows.push([start, end]);
    if (end >= text.length) return windows;
    let next = end - overlap;
    // Start the next window on a word: just after the first space in the overlap, if there is one.
    const space = text.indexOf(' ', next);
    if (space >= 0 && space < end) next = space + 1;
    start = Math.max(next, start + 1);
  }
}

/** Characters of canonical text per window: a long jailbreak prompt fits in one, a novel takes many. */
export const WINDOW_SIZE = 2048;
export const WINDOW_OVERLAP = 256;

export interface WindowScale {
  size: number;
  overlap: number;
}

/**
 * Text is read at two scales. Large windows hold a whole jailbreak prompt, whose parts mean little alone; small ones,
 * a sentence or two, keep one injected instruction or insult from being drowned by the harmless text around it (word
 * and character features are normalised per window, so a sentence in 2 KB of other text weighs little). Small windows
 * overlap by half, so any phrase of up to 128 characters lies whole in one of them with at most as much again around
 * it. Text no longer than a small window is one window; the two scales cost about three times one pass over the text.
 */
export const WINDOW_SCALES: readonly WindowScale[] = [
  { size: WINDOW_SIZE, overlap: WINDOW_OVERLAP },
  { size: 256, overlap: 128 },
];

/** The windows of every scale, large first, without repeats (a short text gives one). */
export function windowsAtScales(text: string, scales: readonly WindowScale[] = WINDOW_SCALES): Array<[start: number, end: number]> {
  const out: Array<[number, number]> = [];
  const seen = new Set<number>();
  for (const { size, overlap } of scales) {
    for (const w of classificationWindows(text, size, overlap)) {
      const key = w[0] * 4294967296 + w[1];
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(w);
    }
  }
  return out;
}
