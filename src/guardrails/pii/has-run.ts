/**
 * Whether `text` holds `length` UTF-16 units in a row that all pass `member`. A pattern that needs such a run (a
 * 40-character secret key, a 17-character VIN) cannot match without one, and this one pass costs far less than the
 * pattern trying every position of the text behind its lookbehind.
 */
export function hasRun(text: string, length: number, member: (code: number) => boolean): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (!member(text.charCodeAt(i))) run = 0;
    else if (++run >= length) return true;
  }
  return false;
}
