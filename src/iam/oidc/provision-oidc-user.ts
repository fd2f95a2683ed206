import type { Kysely } from 'kysely';
import { QuarryError } from '../../core/index.js';
import type { IamStore } from '../iam-store.js';
import type { IamTables } from '../tables.js';
import type { ConsoleSignInTables } from './console-sign-in-tables.js';
import type { MappedAccess } from './map-claims.js';

export interface ProvisionedUser {
  principalId: string;
  userName: string;
  created: boolean;
  /** Roles or policies a mapping names that the account does not have: skipped, and said in the log. */
  missing: string[];
}

/**
 * Creates or updates the Quarry user of an identity at the provider: the user is found by (issuer, subject, account),
 * never by name, so an identity whose email happens to equal an existing user's name cannot take that user over —
 * it is refused instead. Administrator flag, roles and policies follow the claim mappings on every sign-in, but only
 * for the roles and policies the mappings name: what an administrator granted by hand stays.
 */
export async function provisionOidcUser(
  iam: IamStore,
  db: Kysely<ConsoleSignInTables & IamTables>,
  identity: { issuer: string; subject: string },
  access: MappedAccess,
  now: string,
): Promise<ProvisionedUser> {
  await iam.account(access.accountId);
  const linked = await db
    .selectFrom('oidc_identities as i')
    .innerJoin('principals as p', 'p.id', 'i.principal_id')
    .select(['p.id', 'p.name', 'p.is_admin'])
    .where('i.issuer', '=', identity.issuer)
    .where('i.subject', '=', identity.subject)
    .where('i.account_id', '=', access.accountId)
    .executeTakeFirst();
  let principalId: string;
  let userName: string;
  let created = false;
  if (linked) {
    principalId = linked.id;
    userName = linked.name;
    if ((Number(linked.is_admin) === 1) !== access.isAdmin) {
      await db.updateTable('principals').set({ is_admin: access.isAdmin ? 1 : 0 }).where('id', '=', principalId).execute();
    }
    await db
      .updateTable('oidc_identities')
      .set({ last_sign_in_at: now })
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .where('account_id', '=', access.accountId)
      .execute();
  } else {
    // A link left behind by a deleted user is replaced; the name is then taken afresh.
    await db
      .deleteFrom('oidc_identities')
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .where('account_id', '=', access.accountId)
      .execute();
    try {
      const user = await iam.createUser(access.accountId, access.userName, access.isAdmin);
      principalId = user.userId;
      userName = user.userName;
      created = true;
    } catch (e) {
      if (QuarryError.isInstance(e) && e.code === 'ConflictException') {
        throw new QuarryError(
          'ConflictException',
          `A user named ${access.userName} already exists in account ${access.accountId} and was not created by this sign-in; an administrator must delete or rename it first.`,
        );
      }
      throw e;
    }
    await db
      .insertInto('oidc_identities')
      .values({ ...identity, account_id: access.accountId, principal_id: principalId, created_at: now, last_sign_in_at: now })
      .execute();
  }
  const missing = await syncGrants(iam, access, userName);
  return { principalId, userName, created, missing };
}

async function syncGrants(iam: IamStore, access: MappedAccess, userName: string): Promise<string[]> {
  const has = await iam.userDetails(access.accountId, userName);
  const missing: string[] = [];
  const tryTo = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      if (QuarryError.isInstance(e) && e.code === 'ResourceNotFoundException') missing.push(what);
      else throw e;
    }
  };
  for (const role of access.managedRoles) {
    const want = access.roles.includes(role);
    if (want && !has.roles.includes(role)) await tryTo(`role ${role}`, () => iam.addRoleMember(access.accountId, role, userName));
    if (!want && has.roles.includes(role)) await tryTo(`role ${role}`, () => iam.removeRoleMember(access.accountId, role, userName));
  }
  for (const policy of access.managedPolicies) {
    const want = access.policies.includes(policy);
    if (want && !has.policies.includes(policy)) await tryTo(`policy ${policy}`, () => iam.attachPolicy(access.accountId, policy, { userName }));
    if (!want && has.policies.includes(policy)) await tryTo(`policy ${policy}`, () => iam.detachPolicy(access.accountId, policy, { userName }));
  }
  return missing;
}
