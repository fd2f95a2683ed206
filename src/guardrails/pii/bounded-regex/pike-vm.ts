import type { CharTest } from './char-test.js';
import type { Instruction } from './compile-program.js';
import type { Assertion } from './parse-regex.js';

export interface VmRun {
  /** Non-empty, non-overlapping matches, leftmost-first (the same spans a backtracking engine would report). */
  matches: Array<[start: number, end: number]>;
  /** True when the step budget ran out before the end of the text. */
  exhausted: boolean;
}

const isWordUnit = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Pike's VM: every live thread advances over the same character in lock-step, one thread per program counter, so a
 * search costs at most (characters × instructions) whatever the pattern: no exponential or polynomial blow-up.
 * Thread order is priority order, which gives Perl's leftmost-first answers. `maxSteps` bounds the total work across
 * all searches (restarting after each match can re-read text a greedy thread had run ahead over).
 */
export function runPikeVm(program: Instruction[], text: string, maxSteps: number): VmRun {
  const size = program.length;
  let clistPc = new Int32Array(size);
  let clistStart = new Int32Array(size);
  let nlistPc = new Int32Array(size);
  let nlistStart = new Int32Array(size);
  const marks = new Uint32Array(size);
  const stack = new Int32Array(size * 2 + 2);
  let generation = 0;
  let steps = 0;
  const firstTests = firstCharTests(program);
  const length = text.length;
  const matches: Array<[number, number]> = [];

  // Follows jumps, splits and assertions from `pc` at position `at`, appending char/match threads in priority order.
  const addThread = (
    listPc: Int32Array,
    listStart: Int32Array,
    count: number,
    pc0: number,
    start: number,
    at: number,
    gen: number,
  ): number => {
    let top = 0;
    stack[top++] = pc0;
    while (top > 0) {
      const pc = stack[--top]!;
      if (marks[pc] === gen) continue;
      marks[pc] = gen;
      const inst = program[pc]!;
      switch (inst.op) {
        case 'jump':
          stack[top++] = inst.to;
          break;
        case 'split':
          stack[top++] = inst.other;
          stack[top++] = inst.prefer;
          break;
        case 'assert':
          if (assertionHolds(inst.what, text, at)) stack[top++] = pc + 1;
          break;
        case 'char':
        case 'match':
          listPc[count] = pc;
          listStart[count] = start;
          count++;
          break;
        default: {
          const exhaustive: never = inst;
          throw new Error(`unknown instruction ${JSON.stringify(exhaustive)}`);
        }
      }
    }
    return count;
  };

  let from = 0;
  while (from <= length) {
    let matched = false;
    let matchStart = 0;
    let matchEnd = 0;
    let listGen = ++generation;
    let ccount = 0;
    let at = skipAhead(firstTests, text, from);
    for (;;) {
      if (!matched) ccount = addThread(clistPc, clistStart, ccount, 0, at, at, listGen);
      if (ccount === 0) {
        if (matched || at >= length) break;
        at = skipAhead(firstTests, text, at + (text.codePointAt(at)! > 0xffff ? 2 : 1));
        listGen = ++generation;
        continue;
      }
      const cp = at < length ? text.codePointAt(at)! : -1;
      const width = cp > 0xffff ? 2 : 1;
      const nextGen = ++generation;
      let ncount = 0;
      for (let k = 0; k < ccount; k++) {
        const inst = program[clistPc[k]!]!;
        if (inst.op === 'match') {
          matched = true;
          matchStart = clistStart[k]!;
          matchEnd = at;
          break; // threads after this one have lower priority
        }
        if (inst.op === 'char' && cp >= 0 && inst.test(cp)) {
          ncount = addThread(nlistPc, nlistStart, ncount, clistPc[k]! + 1, clistStart[k]!, at + width, nextGen);
        }
      }
      steps += ccount;
      if (steps > maxSteps) return { matches, exhausted: true };
      [clistPc, nlistPc] = [nlistPc, clistPc];
      [clistStart, nlistStart] = [nlistStart, clistStart];
      ccount = ncount;
      listGen = nextGen;
      if (at >= length) break;
      at += width;
    }
    if (!matched) break;
    if (matchEnd > matchStart) {
      matches.push([matchStart, matchEnd]);
      from = matchEnd;
    } else {
      from = matchStart + (text.codePointAt(matchStart)! > 0xffff ? 2 : 1);
    }
  }
  return { matches, exhausted: false };
}

function assertionHolds(what: Assertion, text: string, at: number): boolean {
  switch (what) {
    case 'start':
      return at === 0;
    case 'end':
      return at === text.length;
    case 'wordBoundary':
    case 'notWordBoundary': {
      const before = at > 0 && isWordUnit(text.charCodeAt(at - 1));
      const after = at < text.length && isWordUnit(text.charCodeAt(at));
      return (before !== after) === (what === 'wordBoundary');
    }
    default: {
      const exhaustive: never = what;
      throw new Error(`unknown assertion ${String(exhaustive)}`);
    }
  }
}

/**
 * The characters a match can start with. When the pattern can match the empty string (or starts with `^`/`$` only)
 * there is no such set and nothing is skipped.
 */
function firstCharTests(program: Instruction[]): CharTest[] | undefined {
  const tests: CharTest[] = [];
  const seen = new Set<number>();
  const stack = [0];
  while (stack.length > 0) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const inst = program[pc]!;
    if (inst.op === 'match') return undefined;
    if (inst.op === 'char') tests.push(inst.test);
    else if (inst.op === 'jump') stack.push(inst.to);
    else if (inst.op === 'split') stack.push(inst.prefer, inst.other);
    else stack.push(pc + 1);
  }
  return tests;
}

function skipAhead(tests: CharTest[] | undefined, text: string, from: number): number {
  if (!tests) return from;
  let at = from;
  while (at < text.length) {
    const cp = text.codePointAt(at)!;
    for (const t of tests) if (t(cp)) return at;
    at += cp > 0xffff ? 2 : 1;
  }
  return at;
}
