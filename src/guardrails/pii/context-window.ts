/**
 * The few words around a candidate decide whether nine digits are an SSN or an order number. Context is read from a
 * bounded slice so scoring a candidate costs the same in a tweet and in a book.
 */
export function textBefore(text: string, start: number, chars = 48): string {
  return text.slice(Math.max(0, start - chars), start).toLowerCase();
}

export function textAfter(text: string, end: number, chars = 32): string {
  return text.slice(end, end + chars).toLowerCase();
}

/** True when `pattern` occurs in the slice before `start` or after `end`. */
export function hasContext(text: string, start: number, end: number, pattern: RegExp, before = 48, after = 24): boolean {
  return pattern.test(textBefore(text, start, before)) || (after > 0 && pattern.test(textAfter(text, end, after)));
}
