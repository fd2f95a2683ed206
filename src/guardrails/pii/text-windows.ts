/**
 * Cuts long text into windows of at most `size` characters for work whose memory grows with the text (the name
 * recognizer keeps one object per word). A window ends at the last paragraph or line break in its second half, else at
 * a sentence end, else at a space, so no word, and rarely a sentence, is split; a run with no space at all is cut hard.
 * The windows cover the text exactly, in order, without overlap.
 */
export function textWindows(text: string, size: number): Array<[start: number, end: number]> {
  const windows: Array<[number, number]> = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const half = start + Math.floor(size / 2);
      const slice = text.slice(half, end);
      const cut = [slice.lastIndexOf('\n\n'), slice.lastIndexOf('\n'), lastSentenceEnd(slice), slice.lastIndexOf(' ')].find(
        (i) => i >= 0,
      );
      if (cut !== undefined) end = half + cut + 1;
    }
    windows.push([start, end]);
    start = end;
  }
  return windows;
}

/** Index of the last '.', '!' or '?' followed by whitespace, or -1. */
function lastSentenceEnd(slice: string): number {
  for (let i = slice.length - 2; i >= 0; i--) {
    const ch = slice[i];
    if ((ch === '.' || ch === '!' || ch === '?') && /\s/.test(slice[i + 1]!)) return i;
  }
  return -1;
}
