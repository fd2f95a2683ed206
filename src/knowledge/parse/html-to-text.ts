/** The slice of the DOM this module reads; linkedom's nodes (and browsers') have it. */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly nodeValue: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

/** Never text a reader sees. */
const SKIPPED = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'MATH',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'CANVAS',
  'HEAD',
  'TITLE',
  'SELECT',
  'INPUT',
  'BUTTON',
  'TEXTAREA',
]);
/** Set apart by a blank line, so a chunker can split between them. */
const PARAGRAPHS = new Set([
  'P',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'BLOCKQUOTE',
  'PRE',
  'TABLE',
  'UL',
  'OL',
  'DL',
  'FIGURE',
  'HR',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'HEADER',
  'FOOTER',
  'ASIDE',
  'NAV',
  'FORM',
  'FIELDSET',
  'DETAILS',
  'ADDRESS',
]);
/** On a line of their own. */
const LINES = new Set(['DIV', 'LI', 'TR', 'DT', 'DD', 'FIGCAPTION', 'SUMMARY', 'CAPTION', 'BR', 'LEGEND']);
const CELLS = new Set(['TD', 'TH']);

/**
 * The readable text under a DOM node: blocks on their own lines (paragraphs and headings apart by a blank line), list
 * items as `- ` or `1. ` lines, table rows as cells joined by ` | `, `<pre>` kept verbatim, whitespace elsewhere collapsed.
 * Walks with an explicit stack: hostile HTML nests deeper than the call stack goes.
 */
export function htmlToText(root: DomNode): string {
  const w = new TextWriter();
  type Frame = { node: DomNode; exit: boolean };
  const stack: Frame[] = [{ node: root, exit: false }];
  const lists: { ordered: boolean; next: number }[] = [];
  const rows: { cells: number }[] = [];
  let pre = 0;
  // Inside a table cell, blocks (Word puts a <p> in every cell) separate by a space, to keep the row on one line.
  let cell = 0;
  const separate = (lines: number) => (cell > 0 ? w.text(' ') : w.breakLines(lines));

  while (stack.length > 0) {
    const { node, exit } = stack.pop()!;
    if (node.nodeType === TEXT || node.nodeType === CDATA) {
      if (pre > 0) w.raw(node.nodeValue ?? '');
      else w.text(node.nodeValue ?? '');
      continue;
    }
    const name = node.nodeName.toUpperCase();
    if (node.nodeType === ELEMENT && SKIPPED.has(name)) continue;
    if (exit) {
      if (name === 'PRE') pre--;
      else if (name === 'UL' || name === 'OL') lists.pop();
      else if (name === 'TR') rows.pop();
      else if (CELLS.has(name)) cell--;
      if (PARAGRAPHS.has(name)) separate(2);
      else if (LINES.has(name)) separate(1);
      continue;
    }
    if (PARAGRAPHS.has(name)) separate(2);
    else if (LINES.has(name)) separate(1);
    if (name === 'PRE') pre++;
    else if (name === 'UL' || name === 'OL') lists.push({ ordered: name === 'OL', next: 1 });
    else if (name === 'TR') rows.push({ cells: 0 });
    else if (name === 'LI') {
      const list = lists.at(-1);
      w.raw(list?.ordered ? `${list.next++}. ` : '- ');
    } else if (CELLS.has(name)) {
      const row = rows.at(-1);
      if (row && row.cells++ > 0) {
        w.breakLines(0);
        w.raw(' | ');
      }
      cell++;
    }
    stack.push({ node, exit: true });
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], exit: false });
  }
  return w.toString();
}

/** Joins inline text with single spaces and block breaks with newlines, never both, never at the very start. */
class TextWriter {
  private readonly parts: string[] = [];
  private breaks = 0;
  private space = false;

  text(s: string): void {
    const collapsed = s.replace(/\s+/g, ' ');
    if (collapsed === '') return;
    if (collapsed === ' ') {
      this.space = true;
      return;
    }
    if (collapsed.startsWith(' ')) this.space = true;
    this.flush();
    this.parts.push(collapsed.trim());
    this.space = collapsed.endsWith(' ');
  }

  raw(s: string): void {
    if (s === '') return;
    this.flush();
    this.parts.push(s);
  }

  breakLines(n: number): void {
    this.breaks = Math.max(this.breaks, n);
    this.space = false;
  }

  private flush(): void {
    if (this.parts.length > 0) {
      if (this.breaks > 0) this.parts.push('\n'.repeat(this.breaks));
      else if (this.space && !this.parts[this.parts.length - 1].endsWith(' ')) this.parts.push(' ');
    }
    this.breaks = 0;
    this.space = false;
  }

  toString(): string {
    return this.parts
      .join('')
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}
