/**
 * Sentences of `text` as [start, end) spans, trimmed: cut after . ! ? (and their full-width forms) followed by
 * whitespace, and at line breaks. A sentence longer than `maxLength` is cut further at the last space before the limit
 * (hard, if it has none), so every span is bounded and the spans cover every non-space character, in order.
 */
export function sentenceSpans(text: string, maxLength = 400): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const push = (start: number, end: number) => {
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    while (end - start > maxLength) {
      let cut = text.lastIndexOf(' ', start + maxLength);
      if (cut <= start) cut = start + maxLength;
      spans.push([start, cut]);
      start = cut;
      while (start < end && isSpace(text.charCodeAt(start))) start++;
    }
    if (end > start) spans.push([start, end]);
  };
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      push(start, i);
      start = i + 1;
    } else if (isSentenceEnd(c) && (i + 1 >= text.length || isSpace(text.charCodeAt(i + 1)) || c > 0x3000)) {
      push(start, i + 1);
      start = i + 1;
    }
  }
  push(start, text.length);
  return spans;
}

/** . ! ? and their full-width forms 。！？ */
const isSentenceEnd = (c: number) => c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3002 || c === 0xff01 || c === 0xff1f;

/** JavaScript's \s, by code unit (this runs on every character of every answer and source). */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}
