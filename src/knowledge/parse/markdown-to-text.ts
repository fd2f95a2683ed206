import { parse as parseYaml } from 'yaml';
import { decodeEntities } from './decode-entities.js';

/**
 * Markdown to the text a reader sees: heading, emphasis, link, image and table syntax goes, the words stay. Code blocks
 * are kept verbatim (their content is often what a question is about). Written as a line scanner with bounded,
 * backtracking-free patterns because the input is untrusted and may be megabytes on one line.
 */
export function markdownToText(markdown: string): { text: string; title?: string } {
  const { body, title: frontTitle } = splitFrontMatter(markdown);
  const lines = body.split('\n');
  const out: string[] = [];
  let title = frontTitle;
  let fence: { char: string; length: number } | undefined;
  let inComment = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      const close = FENCE.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length && close[2].trim() === '') fence = undefined;
      else out.push(line);
      continue;
    }
    if (inComment) {
      const end = line.indexOf('-->');
      if (end < 0) continue;
      inComment = false;
      pushText(out, line.slice(end + 3));
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      fence = { char: open[1][0], length: open[1].length };
      continue;
    }
    const commentStart = line.indexOf('<!--');
    if (commentStart >= 0 && !line.includes('-->', commentStart + 4)) {
      inComment = true;
      pushText(out, line.slice(0, commentStart));
      continue;
    }

    const heading = atxHeading(line);
    if (heading !== undefined) {
      title ??= heading || undefined;
      out.push('', heading, '');
      continue;
    }
    const next = lines[i + 1];
    if (next !== undefined && line.trim() !== '' && SETEXT.test(next) && !LIST_ITEM.test(line) && !QUOTE.test(line)) {
      const heading = inline(line.trim());
      title ??= heading || undefined;
      out.push('', heading, '');
      i++;
      continue;
    }
    // Lines past the bound are prose: testing block patterns on them would only cost time.
    const short = line.length <= 1000;
    if (short && (THEMATIC_BREAK.test(line) || LINK_DEFINITION.test(line) || TABLE_DELIMITER.test(line))) continue;
    pushText(out, blockLine(line));
  }
  const text = out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return { text, title };
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const ATX_OPEN = /^ {0,3}#{1,6}(?=[ \t]|$)/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LINK_DEFINITION = /^ {0,3}\[[^\]\n]{1,999}\]:[ \t]*\S/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])[ \t]/;
const QUOTE = /^ {0,3}>/;

function pushText(out: string[], text: string): void {
  out.push(inline(text).trimEnd());
}

/** The text of an ATX heading (`## Title ##`), or undefined when the line is not one. */
function atxHeading(line: string): string | undefined {
  const open = ATX_OPEN.exec(line);
  if (!open) return undefined;
  let content = line.slice(open[0].length).trim();
  let end = content.length;
  while (end > 0 && content[end - 1] === '#') end--;
  if (end === 0) content = '';
  else if (end < content.length && (content[end - 1] === ' ' || content[end - 1] === '\t')) content = content.slice(0, end);
  return inline(content.trim());
}

/** Removes block-level prefixes (quote markers, bullet styles, table pipes) from one line. */
function blockLine(line: string): string {
  let s = line.replace(/^( {0,3}>[ \t]?)+/, '');
  s = s.replace(/^(\s*)[*+][ \t]+/, '$1- ');
  s = s.replace(/^(\s*- )\[[ xX]\][ \t]+/, '$1');
  const trimmed = s.trim();
  if (trimmed.length > 1 && trimmed.startsWith('|') && trimmed.endsWith('|')) s = trimmed.slice(1, -1).trim();
  return s;
}

/** Inline markup of one line; code spans are kept as they are, without their backticks. */
function inline(line: string): string {
  let out = '';
  let rest = line;
  for (;;) {
    const open = /`+/.exec(rest);
    if (!open) break;
    const close = rest.indexOf(open[0], open.index + open[0].length);
    if (close < 0) break;
    out += inlineMarkup(rest.slice(0, open.index)) + rest.slice(open.index + open[0].length, close).trim();
    rest = rest.slice(close + open[0].length);
  }
  return out + inlineMarkup(rest);
}

function inlineMarkup(s: string): string {
  // Escaped punctuation is set aside in the private-use area first, so no markup pattern below can match it.
  const escaped = s.replace(/\\([!-/:-@[-`{-~])/g, (_, c: string) => String.fromCharCode(0xe000 + c.charCodeAt(0)));
  const plain = decodeEntities(
    stripLinks(stripComments(escaped))
      .replace(/<((?:https?|mailto):[^<>\s]{1,2000})>/g, '$1')
      .replace(/<\/?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,2000})?\/?>/g, '')
      // Emphasis markers at a word boundary go; a lone `*` between spaces or the `_` in snake_case stay.
      .replace(/(\*\*|__|~~)(?=\S)/g, '')
      .replace(/(?<=\S)(\*\*|__|~~)/g, '')
      .replace(/(?<![\w*])[*_](?=[^\s*_])/g, '')
      .replace(/(?<=[^\s*_])[*_](?![\w*])/g, ''),
  );
  return plain.replace(/[\ue021-\ue07e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
}

/**
 * `[text](url)`, `![alt](src)` and `[text][ref]` become their text. A scan with remembered positions of the next `]`
 * and `)` rather than a regex: bracket-heavy hostile lines would make a regex quadratic.
 */
function stripLinks(s: string): string {
  let out = '';
  let i = 0;
  let nextClose = -2;
  let nextParen = -2;
  const close = (from: number) => {
    if (nextClose === -1 || nextClose >= from) return nextClose;
    nextClose = s.indexOf(']', from);
    return nextClose;
  };
  const paren = (from: number) => {
    if (nextParen === -1 || nextParen >= from) return nextParen;
    nextParen = s.indexOf(')', from);
    return nextParen;
  };
  for (;;) {
    let open = s.indexOf('[', i);
    if (open < 0) break;
    const end = close(open + 1);
    if (end < 0) break;
    // The innermost `[` before the `]`: `[[[x](y)` links only `x`.
    open = s.lastIndexOf('[', end);
    const label = s.slice(open + 1, end);
    const start = open > i && s[open - 1] === '!' ? open - 1 : open;
    if (s[end + 1] === '(' && paren(end + 2) >= 0) {
      out += s.slice(i, start) + label;
      i = paren(end + 2) + 1;
    } else if (s[end + 1] === '[' && close(end + 2) >= 0) {
      out += s.slice(i, start) + label;
      i = close(end + 2) + 1;
    } else {
      out += s.slice(i, end + 1);
      i = end + 1;
    }
  }
  return out + s.slice(i);
}

function stripComments(s: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = s.indexOf('<!--', i);
    if (open < 0) break;
    const end = s.indexOf('-->', open + 4);
    if (end < 0) break;
    out += s.slice(i, open);
    i = end + 3;
  }
  return out + s.slice(i);
}

/** YAML front matter is metadata for static-site tools, not prose; its `title` is the best title there is. */
function splitFrontMatter(markdown: string): { body: string; title?: string } {
  const m = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(markdown.slice(0, 64 * 1024));
  if (!m) return { body: markdown };
  let title: string | undefined;
  try {
    const data: unknown = parseYaml(m[1]);
    if (data && typeof data === 'object' && 'title' in data && typeof data.title === 'string' && data.title.trim()) {
      title = data.title.trim();
    }
  } catch {
    // Not YAML after all (a document that opens with a horizontal rule): keep it as text.
    return { body: markdown };
  }
  return { body: markdown.slice(m[0].length), title };
}
