import { IAM_NAME, MAX_USER_NAME } from '../iam-names.js';
import type { ClaimMapping, OidcConfig } from './oidc-config.js';

export interface MappedAccess {
  accountId: string;
  userName: string;
  isAdmin: boolean;
  roles: string[];
  policies: string[];
  /** Every role and policy the mappings of that account name: what sign-in may add or take away (nothing else). */
  managedRoles: string[];
  managedPolicies: string[];
}

export type MapResult = { ok: true; access: MappedAccess } | { ok: false; reason: string };

type Claims = Record<string, unknown>;

function holds(claims: Claims, m: ClaimMapping): boolean {
  if (m.claim === undefined) return true;
  const v = claims[m.claim];
  if (m.value === undefined) return v !== undefined && v !== null && v !== false;
  // Providers send groups as a list, a space-separated string (some scopes-like claims), or a single value.
  if (Array.isArray(v)) return v.some((x) => x === m.value);
  if (typeof v === 'string' && typeof m.value === 'string' && v !== m.value) return v.split(' ').includes(m.value);
  return v === m.value;
}

/** A name IAM accepts (letters, digits, + = , . @ _ -, 64 at most), from a claim that may hold anything. */
export function iamUserName(raw: unknown, subject: string): string {
  const from = typeof raw === 'string' && raw.length > 0 ? raw : `oidc-${subject}`;
  const cleaned = from.replace(/[^A-Za-z0-9+=,.@_-]/g, '_').slice(0, MAX_USER_NAME);
  return IAM_NAME.test(cleaned) ? cleaned : `oidc-${subject.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_USER_NAME - 5)}`;
}

/**
 * What a signed-in identity becomes in Quarry, from its claims alone. Deny by default: no matching mapping, an email
 * outside allowedDomains, or an unverified email where domains are checked all refuse.
 */
export function mapClaims(config: OidcConfig, claims: Claims, defaultAccountId: string): MapResult {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (!subject) return { ok: false, reason: 'The ID token names no subject.' };
  if (config.allowedDomains) {
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
    const domain = email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : '';
    // An unverified address proves nothing about the domain: anyone can type one at many providers.
    if (!domain || claims.email_verified === false || !config.allowedDomains.includes(domain)) {
      return { ok: false, reason: 'Your email domain is not allowed to sign in to this Quarry server.' };
    }
  }
  const matched = config.claimMappings.filter((m) => holds(claims, m));
  if (matched.length === 0) return { ok: false, reason: 'No claim mapping of this Quarry server matches your account at the identity provider.' };
  const accountId = matched.find((m) => m.account)?.account ?? defaultAccountId;
  const inAccount = (m: ClaimMapping) => (m.account ?? defaultAccountId) === accountId;
  const mine = matched.filter(inAccount);
  const all = config.claimMappings.filter(inAccount);
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    ok: true,
    access: {
      accountId,
      userName: iamUserName(claims[config.userNameClaim], subject),
      isAdmin: mine.some((m) => m.admin === true),
      roles: uniq(mine.flatMap((m) => m.roles)),
      policies: uniq(mine.flatMap((m) => m.policies)),
      managedRoles: uniq(all.flatMap((m) => m.roles)),
      managedPolicies: uniq(all.flatMap((m) => m.policies)),
    },
  };
}
