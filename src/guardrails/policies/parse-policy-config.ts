import type { z } from 'zod';
import { validation } from '../../core/errors.js';

/** Parses a policy configuration, turning the first zod issue into a ValidationException that names the field. */
export function parsePolicyConfig<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw validation(`Invalid ${what}${where}: ${issue?.message ?? 'malformed'}`, parsed.error);
}
