import type { DomNode } from './html-to-text.js';

/**
 * Guards measured on linkedom + Readability, which are fine on real pages and slow on hostile ones: linkedom's parse
 * is quadratic in nesting depth (20,000 nested `<div>`s: 0.7 s; 200,000: 60 s), Readability grows with the element
 * count and the summed depth (50,000 elements 50 deep: 11 s). Past these bounds a cheaper reading is used instead.
 */
export const MAX_TAG_NESTING = 2_000;
export const MAX_READABILITY_ELEMENTS = 30_000;
export const MAX_READABILITY_DEPTH_SUM = 300_000;

/** Tags that are never closed implicitly, so counting them over-estimates nesting only for broken markup. */
const CONTAINERS = new Set([
  'div',
  'span',
  'section',
  'article',
  'main',
  'aside',
  'header',
  'footer',
  'nav',
  'blockquote',
  'ul',
  'ol',
  'table',
  'form',
  'a',
  'b',
  'i',
  'u',
  'em',
  'strong',
  'font',
  'center',
  'small',
  'big',
  'code',
]);

/** The deepest nesting of container tags in the markup, found in one pass over the string before any parsing. */
export function tagNestingEstimate(html: string): number {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]{0,15})/g;
  let depth = 0;
  let max = 0;
  for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
    if (!CONTAINERS.has(m[2].toLowerCase())) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else max = Math.max(max, ++depth);
  }
  return max;
}

/** Element count and the sum of every element's depth, walked without recursion. */
export function domShape(root: DomNode): { elements: number; depthSum: number } {
  let elements = 0;
  let depthSum = 0;
  const stack: [DomNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node.nodeType !== 1) continue;
    elements++;
    depthSum += depth;
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) stack.push([children[i], depth + 1]);
  }
  return { elements, depthSum };
}
