/**
 * Sentences of `text` as [start, end) spans, trimmed: cut after . ! ? (and their full-width forms) followed by
 * whitespace, and at line breaks. A sentence longer than `maxLength` is cut further at the last space before the limit
 * (hard, if it has none), so every span is bounded and the spans cover every non-space character, in order.
 */
export function sentenceSpans(text: string, maxLength = 400): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const push = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    while (end - start > maxLength) {
      let cut = text.lastIndexOf(' ', start + maxLength);
      if (cut <= start) cut = start + maxLength;
      spans.push([start, cut]);
      start = cut;
      while (start < end && /\s/.test(text[start]!)) start++;
    }
    if (end > start) spans.push([start, end]);
  };
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      push(start, i);
      start = i + 1;
    } else if ('.!?。！？'.includes(c) && (i + 1 >= text.length || /\s/.test(text[i + 1]!) || c > '\u3000')) {
      push(start, i + 1);
      start = i + 1;
    }
  }
  push(start, text.length);
  return spans;
}
