import { QuarryError } from '../../../core/errors.js';
import { compileProgram, type Instruction } from './compile-program.js';
import { parseRegex } from './parse-regex.js';
import { runPikeVm } from './pike-vm.js';
import { regexSyntaxError } from './regex-syntax-error.js';

/** Bedrock's limit on a guardrail regex pattern. */
export const MAX_PATTERN_LENGTH = 500;
const MAX_INSTRUCTIONS = 20_000;
/** Work allowed per character per instruction before a run is stopped; typical patterns use well under 1. */
const STEPS_PER_UNIT = 4;

/**
 * A user-supplied regex run by a linear-time engine instead of V8's backtracking one. Chosen over refusing "risky"
 * patterns: static ReDoS checks miss polynomial cases (`\d+\d+\d+x`, `.*a.*a.*a`) and refuse harmless nested
 * quantifiers (`(\d{3}-)+\d{4}`), while a Pike VM costs at most characters × program size on any pattern. What it
 * cannot do in linear time — backreferences and lookaround — is refused with a clear error at compile time.
 */
export class BoundedRegex {
  private constructor(
    readonly source: string,
    private readonly program: Instruction[],
  ) {}

  /** Throws a ValidationException naming the problem and its offset in the pattern. */
  static compile(pattern: string): BoundedRegex {
    if (typeof pattern !== 'string' || pattern.length === 0) throw regexSyntaxError(String(pattern), 0, 'empty pattern');
    if (pattern.length > MAX_PATTERN_LENGTH) {
      throw regexSyntaxError(pattern, MAX_PATTERN_LENGTH, `longer than ${MAX_PATTERN_LENGTH} characters`);
    }
    const { node } = parseRegex(pattern);
    const program = compileProgram(node, MAX_INSTRUCTIONS, () => {
      throw regexSyntaxError(
        pattern,
        0,
        `compiles to more than ${MAX_INSTRUCTIONS} instructions (reduce counted repetitions)`,
      );
    });
    return new BoundedRegex(pattern, program);
  }

  get size(): number {
    return this.program.length;
  }

  /**
   * Non-empty, non-overlapping matches as [start, end) pairs. The work is bounded by STEPS_PER_UNIT × (text length
   * + 1) × program size; a text that would need more is refused with an error rather than answered partially, since
   * a guardrail that silently stops looking would let the rest through.
   */
  findAll(text: string): Array<[number, number]> {
    const budget = STEPS_PER_UNIT * (text.length + 1) * this.program.length + 100_000;
    const run = runPikeVm(this.program, text, budget);
    if (run.exhausted) {
      throw new QuarryError(
        'ValidationException',
        `Regex /${this.source.slice(0, 80)}/ needs more than ${budget} steps on this ${text.length}-character text; simplify it.`,
      );
    }
    return run.matches;
  }
}
