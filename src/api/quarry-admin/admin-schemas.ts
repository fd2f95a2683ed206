import { z } from 'zod';
import { validation } from '../../core/index.js';
import { IAM_NAME, MAX_DESCRIPTION, MAX_POLICY_NAME, MAX_ROLE_NAME, MAX_USER_NAME } from '../../iam/index.js';

/** Request bodies of the IAM admin API. Strict: an unknown key is an error, not something silently ignored. */

const name = (max: number) => z.string().min(1).max(max).regex(IAM_NAME, 'use letters, digits and + = , . @ _ -');
export const userName = name(MAX_USER_NAME);
export const roleName = name(MAX_ROLE_NAME);
export const policyName = name(MAX_POLICY_NAME);
const description = z.string().max(MAX_DESCRIPTION);

// Ten years: beyond that an expiry is a typo, and Date would accept absurd values.
const MAX_LIFETIME_S = 10 * 366 * 24 * 3600;
const isoTime = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as 2027-01-31T00:00:00Z' });
const expiry = {
  /** An absolute expiry time (ISO 8601). */
  expiresAt: isoTime.nullable().optional(),
  /** Or a lifetime from now, in seconds. */
  expiresInSeconds: z.number().int().min(1).max(MAX_LIFETIME_S).optional(),
};

/** ListApiKeys across the account: optionally one user's keys. */
export const listKeysQuery = z.strictObject({ userName: userName.optional() });
export const createUserBody = z.strictObject({ userName, isAdmin: z.boolean().optional() });

export const createKeyBody = z.strictObject({
  type: z.enum(['bearer', 'sigv4']).default('bearer'),
  name: z.string().min(1).max(128).optional(),
  description: description.optional(),
  ...expiry,
});

export const updateKeyBody = z.strictObject({
  enabled: z.boolean().optional(),
  name: z.string().min(1).max(128).nullable().optional(),
  description: description.nullable().optional(),
  ...expiry,
});

export const rotateKeyBody = z.strictObject({
  /** How long the old secret keeps working; 0 (the default) ends it now. */
  graceSeconds: z.number().int().min(0).max(30 * 24 * 3600).optional(),
  ...expiry,
});

export const createRoleBody = z.strictObject({ roleName, description: description.optional() });

// The document is validated by the store (parsePolicyDocument), whose messages name the statement and element at fault.
export const createPolicyBody = z.strictObject({ policyName, description: description.optional(), policyDocument: z.unknown() });
export const updatePolicyBody = z.strictObject({ description: description.nullable().optional(), policyDocument: z.unknown() });

const contextValue = z.union([z.string().max(2048), z.array(z.string().max(2048)).max(100), z.number().finite(), z.boolean()]);
export const simulateBody = z
  .strictObject({
    userName: userName.optional(),
    roleName: roleName.optional(),
    action: z.string().min(1).max(256),
    resource: z.string().min(1).max(2048),
    context: z
      .record(z.string().min(1).max(256), contextValue)
      .refine((r) => Object.keys(r).length <= 50, 'at most 50 context keys')
      .optional(),
  })
  .refine((b) => !(b.userName && b.roleName), 'name a user or a role, not both');

export const createAccountBody = z.strictObject({
  name: z.string().min(1).max(64).regex(IAM_NAME, 'use letters, digits and + = , . @ _ -'),
  /** The account's first administrator, created with a bearer key shown once. */
  adminUserName: userName.optional(),
});

/** The expiry a body asks for: undefined (not given), null (none), or a time. */
export function expiryOf(b: { expiresAt?: string | null; expiresInSeconds?: number }, now = Date.now()): Date | null | undefined {
  if (b.expiresAt !== undefined && b.expiresInSeconds !== undefined) throw validation('Give expiresAt or expiresInSeconds, not both.');
  if (b.expiresInSeconds !== undefined) return new Date(now + b.expiresInSeconds * 1000);
  if (b.expiresAt === undefined) return undefined;
  return b.expiresAt === null ? null : new Date(b.expiresAt);
}
