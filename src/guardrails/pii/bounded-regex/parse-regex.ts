import { type CharTest, charTest } from './char-test.js';
import { regexSyntaxError } from './regex-syntax-error.js';

export type Assertion = 'start' | 'end' | 'wordBoundary' | 'notWordBoundary';

export type RegexNode =
  | { kind: 'empty' }
  | { kind: 'char'; test: CharTest }
  | { kind: 'concat'; items: RegexNode[] }
  | { kind: 'alt'; options: RegexNode[] }
  | { kind: 'repeat'; node: RegexNode; min: number; max: number; greedy: boolean }
  | { kind: 'assert'; what: Assertion };

/** Upper bound of a counted repetition: `{n,m}` is expanded into the program, so it must stay small. */
export const MAX_COUNTED_REPEAT = 1000;
const MAX_DEPTH = 100;

/**
 * Parses the subset of JavaScript regex syntax (Unicode mode) that a linear-time engine can run: literals, classes,
 * escapes, `.`, groups, alternation, greedy and lazy quantifiers, `^`, `$`, `\b`, `\B`, and a leading `(?i)` for case
 * folding (common in patterns written for Java or Python). Backreferences and lookaround are refused: they are
 * exactly the features that force backtracking.
 */
export function parseRegex(pattern: string): { node: RegexNode; ignoreCase: boolean } {
  let ignoreCase = false;
  let pos = 0;
  if (pattern.startsWith('(?i)')) {
    ignoreCase = true;
    pos = 4;
  }
  let depth = 0;
  const fail = (reason: string, at = pos): never => {
    throw regexSyntaxError(pattern, at, reason);
  };

  const atomTest = (source: string, at: number): CharTest => {
    try {
      return charTest(source, ignoreCase);
    } catch (e) {
      return fail(e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(e), at);
    }
  };

  function parseAlternation(): RegexNode {
    const options = [parseSequence()];
    while (pattern[pos] === '|') {
      pos++;
      options.push(parseSequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  function parseSequence(): RegexNode {
    const items: RegexNode[] = [];
    while (pos < pattern.length && pattern[pos] !== '|' && pattern[pos] !== ')') items.push(parseQuantified());
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? items[0]! : { kind: 'concat', items };
  }

  function parseQuantified(): RegexNode {
    const atomAt = pos;
    const node = parseAtom();
    const q = parseQuantifier();
    if (!q) return node;
    if (node.kind === 'assert') fail('a quantifier cannot follow an assertion', atomAt);
    if (parseQuantifierAhead()) fail('nothing to repeat');
    return { kind: 'repeat', node, ...q };
  }

  function parseQuantifierAhead(): boolean {
    const c = pattern[pos];
    return c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(pattern.slice(pos)));
  }

  function parseQuantifier(): { min: number; max: number; greedy: boolean } | undefined {
    const c = pattern[pos];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(pattern.slice(pos));
      if (!m) return fail('incomplete quantifier');
      min = Number(m[1]);
      max = m[2] ? (m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY) : min;
      if (max < min) fail('numbers out of order in {} quantifier');
      if (min > MAX_COUNTED_REPEAT || (max !== Number.POSITIVE_INFINITY && max > MAX_COUNTED_REPEAT)) {
        fail(`counted repetition above ${MAX_COUNTED_REPEAT}`);
      }
      pos += m[0].length - 1;
    } else return undefined;
    pos++;
    const greedy = pattern[pos] !== '?';
    if (!greedy) pos++;
    return { min, max, greedy };
  }

  function parseAtom(): RegexNode {
    const at = pos;
    const c = pattern[pos]!;
    switch (c) {
      case '(':
        return parseGroup();
      case '[': {
        let end = pos + 1;
        if (pattern[end] === '^') end++;
        while (end < pattern.length && pattern[end] !== ']') end += pattern[end] === '\\' ? 2 : 1;
        if (end >= pattern.length) fail('unterminated character class');
        pos = end + 1;
        return { kind: 'char', test: atomTest(pattern.slice(at, pos), at) };
      }
      case '.':
        pos++;
        return { kind: 'char', test: atomTest('.', at) };
      case '^':
        pos++;
        return { kind: 'assert', what: 'start' };
      case '$':
        pos++;
        return { kind: 'assert', what: 'end' };
      case '\\':
        return parseEscape();
      case '*':
      case '+':
      case '?':
        return fail('nothing to repeat');
      case '{':
        if (parseQuantifierAhead()) fail('nothing to repeat');
        break;
      case ')':
        return fail('unmatched ")"');
    }
    const cp = pattern.codePointAt(pos)!;
    pos += cp > 0xffff ? 2 : 1;
    return { kind: 'char', test: atomTest(escapeLiteral(String.fromCodePoint(cp)), at) };
  }

  function parseGroup(): RegexNode {
    const at = pos;
    pos++;
    if (pattern[pos] === '?') {
      const kind = pattern.slice(pos, pos + 3);
      if (kind.startsWith('?:')) pos += 2;
      else if (kind === '?<=' || kind === '?<!' || kind.startsWith('?=') || kind.startsWith('?!')) {
        fail('lookahead and lookbehind are not supported (they need a backtracking engine)', at);
      } else if (kind.startsWith('?<')) {
        const m = /^\?<([A-Za-z_$][\w$]*)>/.exec(pattern.slice(pos));
        if (!m) fail('invalid group name', at);
        pos += m![0].length;
      } else fail('invalid group', at);
    }
    if (++depth > MAX_DEPTH) fail(`groups nested deeper than ${MAX_DEPTH}`, at);
    const inner = parseAlternation();
    depth--;
    if (pattern[pos] !== ')') fail('unterminated group', at);
    pos++;
    return inner;
  }

  function parseEscape(): RegexNode {
    const at = pos;
    const next = pattern[pos + 1];
    if (next === undefined) fail('\\ at end of pattern');
    if (next === 'b' || next === 'B') {
      pos += 2;
      return { kind: 'assert', what: next === 'b' ? 'wordBoundary' : 'notWordBoundary' };
    }
    if (/[1-9]/.test(next!) || next === 'k') fail('backreferences are not supported (they need a backtracking engine)', at);
    let end = pos + 2;
    if ((next === 'p' || next === 'P' || next === 'u') && pattern[pos + 2] === '{') {
      end = pattern.indexOf('}', pos + 2) + 1;
      if (end === 0) fail('unterminated escape');
    } else if (next === 'u') end = pos + 6;
    else if (next === 'x') end = pos + 4;
    else if (next === 'c') end = pos + 3;
    else if (next!.codePointAt(0)! > 0xffff) end = pos + 3;
    pos = end;
    return { kind: 'char', test: atomTest(pattern.slice(at, end), at) };
  }

  const node = parseAlternation();
  if (pos < pattern.length) fail('unmatched ")"');
  return { node, ignoreCase };
}

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}
