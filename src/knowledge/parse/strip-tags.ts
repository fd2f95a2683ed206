import { decodeEntities } from './decode-entities.js';

/**
 * Text of markup too hostile to build a DOM for: script and style bodies go, every tag goes, entities are decoded.
 * Only `indexOf` scans and a `<[^<>]*>` pattern, so the cost stays linear however the input is shaped.
 */
export function stripTags(html: string): string {
  let s = removeElement(html, 'script');
  s = removeElement(s, 'style');
  return decodeEntities(s.replace(/<[^<>]*>/g, ' '))
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
}

function removeElement(html: string, name: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let i = 0;
  for (;;) {
    const open = lower.indexOf(`<${name}`, i);
    if (open < 0) break;
    const close = lower.indexOf(`</${name}`, open);
    out += html.slice(i, open);
    if (close < 0) return out;
    const end = html.indexOf('>', close);
    i = end < 0 ? html.length : end + 1;
  }
  return out + html.slice(i);
}
