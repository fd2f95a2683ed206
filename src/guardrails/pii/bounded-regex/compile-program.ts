import type { CharTest } from './char-test.js';
import type { Assertion, RegexNode } from './parse-regex.js';

export type Instruction =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; prefer: number; other: number }
  | { op: 'jump'; to: number }
  | { op: 'assert'; what: Assertion }
  | { op: 'match' };

/**
 * Thompson-style program for the Pike VM. The VM's cost per character is proportional to the program length, so the
 * program is capped: counted repetitions are expanded copies, and `(a{1000}){1000}` must be refused, not compiled.
 */
export function compileProgram(node: RegexNode, maxInstructions: number, tooLarge: () => never): Instruction[] {
  const program: Instruction[] = [];
  const emit = (inst: Instruction): number => {
    if (program.length >= maxInstructions) tooLarge();
    program.push(inst);
    return program.length - 1;
  };

  const compile = (n: RegexNode): void => {
    switch (n.kind) {
      case 'empty':
        return;
      case 'char':
        emit({ op: 'char', test: n.test });
        return;
      case 'assert':
        emit({ op: 'assert', what: n.what });
        return;
      case 'concat':
        for (const item of n.items) compile(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        n.options.forEach((option, i) => {
          if (i < n.options.length - 1) {
            const split = emit({ op: 'split', prefer: 0, other: 0 });
            (program[split] as { prefer: number }).prefer = program.length;
            compile(option);
            jumps.push(emit({ op: 'jump', to: 0 }));
            (program[split] as { other: number }).other = program.length;
          } else compile(option);
        });
        for (const j of jumps) (program[j] as { to: number }).to = program.length;
        return;
      }
      case 'repeat': {
        for (let i = 0; i < n.min; i++) compile(n.node);
        if (n.max === Number.POSITIVE_INFINITY) {
          const loop = emit({ op: 'split', prefer: 0, other: 0 });
          const body = program.length;
          compile(n.node);
          emit({ op: 'jump', to: loop });
          setSplit(program, loop, body, program.length, n.greedy);
          return;
        }
        const splits: number[] = [];
        for (let i = n.min; i < n.max; i++) {
          const split = emit({ op: 'split', prefer: 0, other: 0 });
          splits.push(split);
          compile(n.node);
          (program[split] as { prefer: number }).prefer = split + 1;
        }
        for (const s of splits) setSplit(program, s, s + 1, program.length, n.greedy);
        return;
      }
      default: {
        const exhaustive: never = n;
        throw new Error(`unknown regex node ${JSON.stringify(exhaustive)}`);
      }
    }
  };

  compile(node);
  emit({ op: 'match' });
  return program;
}

function setSplit(program: Instruction[], at: number, body: number, exit: number, greedy: boolean): void {
  program[at] = greedy ? { op: 'split', prefer: body, other: exit } : { op: 'split', prefer: exit, other: body };
}
