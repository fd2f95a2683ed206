import { QuarryError } from '../../../core/errors.js';

/** A custom pattern the bounded engine refuses, with the reason and where in the pattern it was found. */
export function regexSyntaxError(pattern: string, at: number, reason: string): QuarryError {
  const shown = pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern;
  return new QuarryError('ValidationException', `Invalid regex /${shown}/ at offset ${at}: ${reason}`);
}
