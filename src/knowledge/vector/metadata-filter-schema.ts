import { z } from 'zod';
import { validation } from '../../core/errors.js';
import type { MetadataFilter } from '../metadata.js';

/**
 * Bedrock's RetrievalFilter as users send it (Retrieve, RetrieveAndGenerate, agents). Bedrock itself bounds the key to
 * 100 characters and andAll/orAll to at least 2 members; the nesting, list and string bounds are ours, so a hostile filter
 * cannot make a store compile a SQL statement of unbounded size.
 */
export const MAX_FILTER_DEPTH = 5;
const MAX_MEMBERS = 100;
const MAX_LIST = 1000;
const MAX_STRING = 2048;

const OPERATORS = [
  'equals',
  'notEquals',
  'greaterThan',
  'greaterThanOrEquals',
  'lessThan',
  'lessThanOrEquals',
  'in',
  'notIn',
  'startsWith',
  'listContains',
  'stringContains',
  'andAll',
  'orAll',
] as const;

// U+0000 cannot be stored (PostgreSQL refuses it), so no filter value holding it could match anything.
const text = z
  .string()
  .max(MAX_STRING)
  .refine((s) => !s.includes('\u0000'));
const scalar = z.union([text, z.number(), z.boolean()], {
  error: 'value must be a string, a finite number or a boolean',
});
const attribute = (value: z.ZodType, what: string) =>
  z.strictObject(
    {
      key: z
        .string({ error: 'key must be a string' })
        .min(1, 'key must not be empty')
        .max(100, 'key is longer than 100 characters')
        .refine((s) => !s.includes('\u0000'), 'key must not contain U+0000'),
      value: z.unknown().superRefine((v, ctx) => {
        if (v === undefined) ctx.addIssue({ code: 'custom', message: `value is required (${what})` });
        else if (!value.safeParse(v).success) ctx.addIssue({ code: 'custom', message: `value must be ${what}` });
      }),
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `unexpected field(s) ${iss.keys.join(', ')}: an attribute has key and value` : undefined) },
  );

const equalsValue = attribute(
  z.union([scalar, z.array(scalar).max(MAX_LIST)]),
  `a string, number, boolean or a list of at most ${MAX_LIST} of them`,
);
const numberValue = attribute(z.number(), 'a finite number');
const listValue = attribute(z.array(scalar).min(1).max(MAX_LIST), `a list of 1 to ${MAX_LIST} strings, numbers or booleans`);
const stringValue = attribute(text, `a string of at most ${MAX_STRING} characters`);
const scalarValue = attribute(scalar, 'a string, number or boolean');

function filterAt(depth: number): z.ZodType<MetadataFilter> {
  const child: z.ZodType =
    depth < MAX_FILTER_DEPTH
      ? z.lazy(() => filterAt(depth + 1))
      : z.custom(() => false, { error: `andAll/orAll nest at most ${MAX_FILTER_DEPTH} levels deep` });
  const members = (name: string) =>
    z
      .array(child, { error: `${name} must be a list of filters` })
      .min(2, `${name} needs at least 2 filters (Bedrock's minimum)`)
      .max(MAX_MEMBERS, `${name} takes at most ${MAX_MEMBERS} filters`);
  return z
    .strictObject(
      {
        equals: equalsValue.optional(),
        notEquals: equalsValue.optional(),
        greaterThan: numberValue.optional(),
        greaterThanOrEquals: numberValue.optional(),
        lessThan: numberValue.optional(),
        lessThanOrEquals: numberValue.optional(),
        in: listValue.optional(),
        notIn: listValue.optional(),
        startsWith: stringValue.optional(),
        listContains: scalarValue.optional(),
        stringContains: stringValue.optional(),
        andAll: members('andAll').optional(),
        orAll: members('orAll').optional(),
      },
      {
        error: (iss) => {
          if (iss.code === 'unrecognized_keys') return `unknown filter operator(s) ${iss.keys.join(', ')}; expected one of ${OPERATORS.join(', ')}`;
          if (iss.code === 'invalid_type') return 'a filter must be an object with exactly one operator';
          return undefined;
        },
      },
    )
    .superRefine((f, ctx) => {
      const set = Object.entries(f).filter(([, v]) => v !== undefined);
      if (set.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: set.length
            ? `a filter has exactly one operator (got ${set.map(([k]) => k).join(', ')}); combine them with andAll or orAll`
            : `a filter has exactly one operator, one of ${OPERATORS.join(', ')}`,
        });
      }
    })
    .transform((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as MetadataFilter) as unknown as z.ZodType<MetadataFilter>;
}

export const metadataFilterSchema: z.ZodType<MetadataFilter> = filterAt(1);

/** Validates a filter from any caller; the message names the path, e.g. `andAll.1.in.value: ...`. */
export function parseMetadataFilter(input: unknown): MetadataFilter {
  const parsed = metadataFilterSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw validation(`Invalid metadata filter: ${where}${issue.message}`, parsed.error);
}
