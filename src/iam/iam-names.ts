import { validation } from '../core/index.js';

/**
 * Names of users, roles and policies, as IAM allows them. They become the last part of ARNs (`user/<name>`), so the
 * character set stays inside what canonicalResource accepts, and no `/` so that `user/${aws:username}` cannot reach
 * another path.
 */
export const IAM_NAME = /^[A-Za-z0-9+=,.@_-]+$/;
export const MAX_USER_NAME = 64;
export const MAX_ROLE_NAME = 64;
export const MAX_POLICY_NAME = 128;
export const MAX_DESCRIPTION = 1000;
export const ACCOUNT_ID = /^\d{12}$/;

export type NameKind = 'user' | 'role' | 'policy' | 'account';

const MAX: Record<NameKind, number> = { user: MAX_USER_NAME, role: MAX_ROLE_NAME, policy: MAX_POLICY_NAME, account: MAX_USER_NAME };

/** Throws a ValidationException unless `name` is a valid name of this kind. */
export function checkName(kind: NameKind, name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX[kind] || !IAM_NAME.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name) : String(name);
    throw validation(`Invalid ${kind} name ${shown}: use 1 to ${MAX[kind]} letters, digits and + = , . @ _ -.`);
  }
  return name;
}

export function checkDescription(d: string | null | undefined): string | null {
  if (d === undefined || d === null) return null;
  if (d.length > MAX_DESCRIPTION) throw validation(`The description is longer than ${MAX_DESCRIPTION} characters.`);
  return d;
}
