import { z } from 'zod';
import { QuarryError } from '../../core/errors.js';

/**
 * The shape of an IAM JSON identity policy. This schema checks structure, types and counts; compile-policy.ts checks
 * what needs the policy language itself (action and ARN patterns, operators, condition values, variables) and reports
 * in the same form. parsePolicyDocument (parse-policy-document.ts) runs both.
 */

/** Bounds that keep one policy small enough to evaluate in microseconds and to show in one screen. AWS allows 6,144
 * characters for a managed policy and 10,240 for a role's inline policies; Quarry takes the larger. */
export const POLICY_LIMITS = {
  /** Length of the document as minified JSON. */
  maxDocumentChars: 10_240,
  maxStatements: 100,
  /** Entries in one Action, NotAction, Resource or NotResource list. */
  maxListEntries: 100,
  maxStringLength: 2048,
  maxIdLength: 128,
  /** Operators in one statement's Condition. */
  maxConditionOperators: 20,
  /** Keys under one operator. */
  maxConditionKeys: 20,
  /** Values for one key. */
  maxConditionValues: 100,
} as const;

export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
export type PolicyVersion = (typeof POLICY_VERSIONS)[number];

const L = POLICY_LIMITS;

const text = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(L.maxStringLength, `${what} is longer than ${L.maxStringLength} characters`);

const oneOrMany = (what: string) =>
  z.union([
    text(what),
    z
      .array(text(what), { error: `${what} must be a string or an array of strings` })
      .min(1, `${what} must not be an empty list`)
      .max(L.maxListEntries, `${what} has more than ${L.maxListEntries} entries`),
  ]);

// JSON numbers and booleans are accepted as IAM accepts them ("aws:SecureTransport": false) and compared as text.
const conditionValue = z.union(
  [z.string().max(L.maxStringLength, `a condition value is longer than ${L.maxStringLength} characters`), z.number().finite(), z.boolean()],
  { error: 'a condition value is a string, number or boolean' },
);
const conditionValues = z.union([
  conditionValue,
  z
    .array(conditionValue, { error: 'a condition value is a string, number or boolean, or a list of them' })
    .min(1, 'a condition key needs at least one value')
    .max(L.maxConditionValues, `a condition key has more than ${L.maxConditionValues} values`),
]);

export const conditionBlockSchema = z.record(
  z.string(),
  z.record(z.string(), conditionValues, { error: 'each condition operator maps condition keys to values' }),
  { error: 'Condition maps operators to { key: value } objects' },
);

const sid = z
  .string({ error: 'Sid must be a string' })
  .max(L.maxIdLength, `Sid is longer than ${L.maxIdLength} characters`)
  .regex(/^[A-Za-z0-9]*$/, 'Sid may contain only letters and digits');

export const policyStatementSchema = z
  .strictObject(
    {
      Sid: sid.optional(),
      Effect: z.enum(['Allow', 'Deny'], { error: 'Effect must be "Allow" or "Deny"' }),
      Action: oneOrMany('Action').optional(),
      NotAction: oneOrMany('NotAction').optional(),
      Resource: oneOrMany('Resource').optional(),
      NotResource: oneOrMany('NotResource').optional(),
      Condition: conditionBlockSchema.optional(),
    },
    { error: 'a statement is an object with Effect, Action or NotAction, and Resource or NotResource' },
  )
  .superRefine((s, ctx) => {
    if ((s.Action === undefined) === (s.NotAction === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a statement needs exactly one of Action and NotAction' });
    }
    if ((s.Resource === undefined) === (s.NotResource === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a statement needs exactly one of Resource and NotResource' });
    }
  });

export const policyDocumentSchema = z.strictObject(
  {
    Version: z.enum(POLICY_VERSIONS, { error: 'Version must be "2012-10-17" (or the older "2008-10-17")' }),
    Id: z.string().max(L.maxIdLength, `Id is longer than ${L.maxIdLength} characters`).optional(),
    Statement: z.union([
      policyStatementSchema,
      z
        .array(policyStatementSchema, { error: 'Statement must be an object or a list of objects' })
        .min(1, 'Statement must not be an empty list')
        .max(L.maxStatements, `a policy has at most ${L.maxStatements} statements`),
    ]),
  },
  { error: 'a policy document is a JSON object with Version and Statement' },
);

/** A policy as written: Statement, Action, Resource and condition values may each be one item or a list. */
export type PolicyDocument = z.input<typeof policyDocumentSchema>;
export type PolicyStatement = z.input<typeof policyStatementSchema>;
export type ConditionBlock = z.input<typeof conditionBlockSchema>;
export type ConditionValue = z.input<typeof conditionValue>;

export interface PolicyIssue {
  /** Where, e.g. `Statement[1].Condition.StringEquals`; '' for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** A policy that failed validation, with every issue found (the console lists them all). */
export class InvalidPolicyError extends QuarryError {
  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[]) {
    const shown = issues.slice(0, 10).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    const more = issues.length > 10 ? `; and ${issues.length - 10} more` : '';
    super('ValidationException', `Invalid policy document: ${shown.join('; ')}${more}.`);
    this.issues = issues;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/**
 * zod issues as PolicyIssues, given the value that was validated (zod's issues do not carry it). For a one-or-many
 * union only the branch that fits the value's shape speaks, and a missing key reads "X is required".
 */
export function toPolicyIssues(issues: readonly z.core.$ZodIssue[], root: unknown, base: readonly PropertyKey[] = []): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const i of issues) {
    const path = [...base, ...i.path];
    if (i.code === 'invalid_union' && !(path.length > 0 && valueAt(root, path) === undefined)) {
      const fitting = i.errors.filter((branch) => !(branch.length === 1 && isShapeMismatch(branch[0]!)));
      if (fitting.length === 1) {
        out.push(...toPolicyIssues(fitting[0]!, root, path));
        continue;
      }
      // Nothing fits: the last branch (the list form, by convention here) says what both forms are.
      const last = i.errors.at(-1)?.[0];
      if (fitting.length === 0 && last) {
        out.push({ path: formatPath(path), message: i.message === 'Invalid input' ? last.message : i.message });
        continue;
      }
    }
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) out.push({ path: formatPath(path), message: unknownKeyMessage(key) });
      continue;
    }
    if ((i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union') && path.length > 0 && valueAt(root, path) === undefined) {
      out.push({ path: formatPath(path.slice(0, -1)), message: `${String(path.at(-1))} is required` });
      continue;
    }
    out.push({ path: formatPath(path), message: i.message });
  }
  return out;
}

/** The value is of the wrong kind altogether for this branch (a list where a string goes, or the reverse). */
function isShapeMismatch(i: z.core.$ZodIssue): boolean {
  if (i.path.length) return false;
  if (i.code === 'invalid_type') return true;
  return i.code === 'invalid_union' && i.errors.every((b) => b.length === 1 && isShapeMismatch(b[0]!));
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function unknownKeyMessage(key: string): string {
  if (key === 'Principal' || key === 'NotPrincipal') {
    return `${key} is not allowed in an identity-based policy: the principal is whoever the policy is attached to`;
  }
  return `unknown key ${JSON.stringify(key)} (keys are case-sensitive)`;
}
