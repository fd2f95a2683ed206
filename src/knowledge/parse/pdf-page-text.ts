/** The fields of pdf.js's TextItem this module reads (marked-content entries have no `str` and are skipped). */
export interface PdfTextItem {
  str: string;
  /** [a, b, c, d, x, y]: the text matrix; x and y place the item on the page. */
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

/**
 * One page's text from pdf.js's text items, in content-stream order. pdf.js marks most line ends (`hasEOL`); a jump in
 * the baseline it did not mark also starts a line, and a horizontal gap between items on one line becomes a space
 * (PDFs often place words separately without a space character between them).
 */
export function pdfPageText(items: readonly (PdfTextItem | object)[]): string {
  let out = '';
  let prev: { xEnd: number; y: number; height: number } | undefined;
  let lineEnded = true;
  for (const item of items) {
    if (!('str' in item)) continue;
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    if (item.str !== '') {
      if (prev && !lineEnded) {
        const size = Math.max(prev.height, item.height, 1);
        if (Math.abs(y - prev.y) > size * 0.5) out += '\n';
        else if (x - prev.xEnd > size * 0.15 && !isSpace(out.at(-1)) && !isSpace(item.str[0])) out += ' ';
      }
      out += item.str;
      prev = { xEnd: x + item.width, y, height: item.height };
      lineEnded = false;
    }
    if (item.hasEOL) {
      out += '\n';
      lineEnded = true;
    }
  }
  return out
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\t';
}
