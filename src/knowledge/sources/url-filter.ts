import { setFlagsFromString } from 'node:v8';

/** Bedrock's bound on one filter pattern. */
export const MAX_URL_FILTER_LENGTH = 1000;
/** URLs longer than this are never crawled, so a filter never runs on more. */
export const MAX_CRAWL_URL_LENGTH = 2048;

let linear: boolean | undefined;

/**
 * V8 ships a linear-time regular-expression engine (no backtracking, so no catastrophic patterns) behind a flag that
 * only enables the `l` flag on RegExp; nothing else changes. It is turned on once, on first use. Where a future
 * runtime lacks it, patterns fall back to the backtracking engine behind static checks.
 */
function linearEngine(): boolean {
  if (linear === undefined) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      // A literal /a/l would not even parse where the flag is missing; the constructor throws, which is caught.
      // biome-ignore lint/complexity/useRegexLiterals: see above
      linear = new RegExp('a', 'l').test('a');
    } catch {
      linear = false;
    }
  }
  return linear;
}

/**
 * Compiles a user's URL filter (Bedrock's inclusionFilters / exclusionFilters; matched anywhere in the URL, so
 * `\.pdf$` and `.*\.pdf$` both work). Throws an Error whose message says what is wrong with the pattern.
 *
 * Regexes from users must not hang the crawler on a hostile URL: with the linear engine matching is linear in the
 * URL whatever the pattern (it refuses lookarounds and backreferences, which it cannot run in linear time). Without
 * it, nested quantifiers, quantified alternations and backreferences are refused (the exponential cases), at most
 * one unbounded quantifier is allowed (each more multiplies the worst case by the URL's length), and URLs are capped
 * at MAX_CRAWL_URL_LENGTH.
 */
export function compileUrlFilter(pattern: string): RegExp {
  if (typeof pattern !== 'string' || pattern.length === 0) throw new Error('a URL filter must be a non-empty string');
  if (pattern.length > MAX_URL_FILTER_LENGTH) throw new Error(`a URL filter may be at most ${MAX_URL_FILTER_LENGTH} characters`);
  let plain: RegExp;
  try {
    plain = new RegExp(pattern);
  } catch (e) {
    throw new Error(`not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (linearEngine()) {
    try {
      return new RegExp(pattern, 'l');
    } catch {
      throw new Error('lookarounds and backreferences are not supported in URL filters (they cannot be matched in linear time)');
    }
  }
  const hazard = backtrackingHazard(pattern);
  if (hazard) throw new Error(hazard);
  return plain;
}

/** Why a pattern could backtrack for a long time, or undefined. A scan of the source, not a full parser. */
export function backtrackingHazard(pattern: string): string | undefined {
  // Per open group: whether it holds a quantifier or an alternation so far.
  const groups: Array<{ quantified: boolean; alternation: boolean }> = [];
  let unbounded = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) return 'backreferences are not supported in URL filters';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i) || pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) {
        return 'lookarounds are not supported in URL filters';
      }
      groups.push({ quantified: false, alternation: false });
    } else if (c === '|') {
      const g = groups.at(-1);
      if (g) g.alternation = true;
    } else if (c === ')') {
      const g = groups.pop();
      const q = quantifierAt(pattern, i + 1);
      if (g && q) {
        if (g.quantified) return 'nested quantifiers such as (a+)+ are not supported in URL filters';
        if (g.alternation && q.unbounded) return 'a repeated alternation such as (a|b)* is not supported in URL filters';
      }
      if (g && (g.quantified || q)) markQuantified(groups);
    } else {
      const q = quantifierAt(pattern, i);
      if (q) {
        markQuantified(groups);
        if (q.unbounded && ++unbounded > 1) return 'at most one unbounded quantifier (*, + or {n,}) is supported in URL filters on this runtime';
      }
    }
  }
  return undefined;
}

function markQuantified(groups: Array<{ quantified: boolean }>) {
  for (const g of groups) g.quantified = true;
}

function quantifierAt(pattern: string, i: number): { unbounded: boolean } | undefined {
  const c = pattern[i];
  if (c === '*' || c === '+') return { unbounded: true };
  if (c === '?') return { unbounded: false };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (m) return { unbounded: m[2] !== undefined && m[3] === '' };
  }
  return undefined;
}
