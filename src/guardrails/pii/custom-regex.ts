import { z } from 'zod';
import { validation } from '../../core/errors.js';
import { BoundedRegex, MAX_PATTERN_LENGTH } from './bounded-regex/bounded-regex.js';

/** A guardrail's own pattern, as in Bedrock's `GuardrailRegexConfig` (name 1–100 characters, pattern 1–500). */
export const customRegexSchema = z
  .object({
    name: z.string().min(1).max(100),
    pattern: z.string().min(1).max(MAX_PATTERN_LENGTH),
    description: z.string().max(1000).optional(),
  })
  .strict();

export type CustomRegex = z.infer<typeof customRegexSchema>;

export interface CompiledCustomRegex {
  name: string;
  regex: BoundedRegex;
}

// Guardrails apply the same few patterns to every request; compiling once per pattern keeps that off the hot path.
const compiled = new Map<string, BoundedRegex>();
const CACHE_LIMIT = 512;

/** Validates and compiles; throws a ValidationException that names the pattern's problem. */
export function compileCustomRegex(input: CustomRegex): CompiledCustomRegex {
  const parsed = customRegexSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw validation(
      `Invalid custom regex ${issue?.path.join('.') || ''}: ${issue?.message ?? 'malformed'}`.replace('  ', ' '),
    );
  }
  const { name, pattern } = parsed.data;
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = BoundedRegex.compile(pattern);
    if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, regex);
  }
  return { name, regex };
}
