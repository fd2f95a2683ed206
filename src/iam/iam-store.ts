import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { notFound, QuarryError } from '../core/index.js';
import type { Database } from '../store/index.js';
import { principalInAccount } from './account-scope.js';
import { AttachedPolicyCache, type StoredPolicy } from './attached-policy-cache.js';
import { ApiKeyAdmin } from './api-key-admin.js';
import { checkDescription, checkName } from './iam-names.js';
import type { AccountView, PolicyView, RoleView, UserView } from './iam-views.js';
import { isUniqueViolation } from '../store/index.js';
import type { KeyStore } from './key-store.js';
import { type AttachedPolicy, type PolicyDocument, parsePolicyDocument } from './policy/index.js';
import type { PolicySource } from './policy-source.js';
import type { Principal } from './principal.js';
import type { IamTables, PoliciesTable, PrincipalsTable, RolesTable } from './tables.js';

export interface IamStoreOptions {
  /** The account of principals stored without one, and the one whose administrators may manage accounts. */
  defaultAccountId: string;
  /** Milliseconds since 1970; tests move it. Defaults to the key store's clock. */
  now?: () => number;
}

export type PolicyTarget = { userName: string } | { roleName: string };

/**
 * Accounts, users, roles, managed policies and attachments — every method but the account ones confined to one
 * account, so a caller can only ever name what its own account holds (anything else is "not found", never "denied",
 * and so does not reveal that it exists). Also the PolicySource the authorizer asks on every request.
 */
export class IamStore implements PolicySource {
  private readonly db: Kysely<IamTables>;
  private readonly cache: AttachedPolicyCache;
  readonly defaultAccountId: string;
  readonly keys: ApiKeyAdmin;
  private readonly now: () => number;

  constructor(
    db: Database,
    keyStore: KeyStore,
    opts: IamStoreOptions,
  ) {
    this.db = db.withTables<IamTables>();
    this.defaultAccountId = opts.defaultAccountId;
    this.now = opts.now ?? keyStore.now;
    this.cache = new AttachedPolicyCache((id) => this.loadPolicies(id), this.now);
    this.keys = new ApiKeyAdmin(this.db, keyStore, (accountId, userName) => this.user(accountId, userName), this.now, this.defaultAccountId);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  // ---- PolicySource ---------------------------------------------------------------------------------------------

  policiesFor(principal: Principal): Promise<readonly AttachedPolicy[]> {
    return this.cache.get(principal.id);
  }

  /** A user of the account and the policies that apply to it, for the simulator. */
  async policiesOfUser(accountId: string, userName: string): Promise<{ user: PrincipalsTable; policies: readonly AttachedPolicy[] }> {
    const user = await this.user(accountId, userName);
    return { user, policies: await this.cache.get(user.id) };
  }

  /** The policies attached to a role of the account, for the simulator. */
  async policiesOfRole(accountId: string, roleName: string): Promise<readonly AttachedPolicy[]> {
    const role = await this.role(accountId, roleName);
    const rows = await this.db
      .selectFrom('role_policies')
      .innerJoin('policies', 'policies.id', 'role_policies.policy_id')
      .select(['policies.id', 'policies.name', 'policies.document'])
      .where('role_policies.role_id', '=', role.id)
      .orderBy('policies.name')
      .execute();
    return rows.map((r) => this.cache.attached(r));
  }

  /** Policies attached to the principal directly, then those of its roles; each once, in name order within each. */
  private async loadPolicies(principalId: string): Promise<StoredPolicy[]> {
    const direct = await this.db
      .selectFrom('user_policies')
      .innerJoin('policies', 'policies.id', 'user_policies.policy_id')
      .select(['policies.id', 'policies.name', 'policies.document'])
      .where('user_policies.principal_id', '=', principalId)
      .orderBy('policies.name')
      .execute();
    const viaRoles = await this.db
      .selectFrom('role_members')
      .innerJoin('role_policies', 'role_policies.role_id', 'role_members.role_id')
      .innerJoin('policies', 'policies.id', 'role_policies.policy_id')
      .select(['policies.id', 'policies.name', 'policies.document'])
      .where('role_members.principal_id', '=', principalId)
      .orderBy('policies.name')
      .execute();
    const seen = new Set<string>();
    return [...direct, ...viaRoles].filter((p) => !seen.has(p.id) && seen.add(p.id));
  }

  // ---- Accounts -------------------------------------------------------------------------------------------------

  /** Makes sure the account exists (the server's default account, at start). */
  async ensureAccount(accountId: string, name: string): Promise<void> {
    await this.db
      .insertInto('accounts')
      .values({ id: accountId, name, created_at: this.iso() })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async createAccount(name: string): Promise<AccountView> {
    checkName('account', name);
    // 12 random digits: a collision is astronomically rare, but costs only a retry.
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = String(randomInt(1e6)).padStart(6, '0') + String(randomInt(1e6)).padStart(6, '0');
      const row = { id, name, created_at: this.iso() };
      try {
        await this.db.insertInto('accounts').values(row).execute();
        return accountView(row);
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        const byName = await this.db.selectFrom('accounts').select('id').where('name', '=', name).executeTakeFirst();
        if (byName) throw new QuarryError('ConflictException', `An account named ${name} already exists.`);
      }
    }
    throw new QuarryError('InternalServerException', 'Could not find a free account id.');
  }

  async listAccounts(): Promise<AccountView[]> {
    return (await this.db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').execute()).map(accountView);
  }

  async account(accountId: string): Promise<AccountView> {
    const row = await this.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    if (!row) throw notFound(`No account ${accountId}.`);
    return accountView(row);
  }

  // ---- Users ----------------------------------------------------------------------------------------------------

  private users(accountId: string) {
    return this.db.selectFrom('principals').selectAll().where(principalInAccount(accountId, this.defaultAccountId));
  }

  async listUsers(accountId: string): Promise<UserView[]> {
    return (await this.users(accountId).orderBy('name').execute()).map((r) => this.userView(r));
  }

  /** The user's row; ResourceNotFoundException when the account has no such user. */
  async user(accountId: string, userName: string): Promise<PrincipalsTable> {
    const row = await this.users(accountId).where('name', '=', userName).executeTakeFirst();
    if (!row) throw notFound(`No user named ${userName}.`);
    return row;
  }

  async userById(accountId: string, principalId: string): Promise<PrincipalsTable> {
    const row = await this.users(accountId).where('id', '=', principalId).executeTakeFirst();
    if (!row) throw notFound(`No user with id ${principalId}.`);
    return row;
  }

  userView(r: PrincipalsTable): UserView {
    return { userId: r.id, userName: r.name, accountId: r.account_id ?? this.defaultAccountId, isAdmin: Number(r.is_admin) === 1, createdAt: r.created_at };
  }

  async createUser(accountId: string, userName: string, isAdmin = false): Promise<UserView> {
    checkName('user', userName);
    await this.refuseSimilarName('principals', accountId, userName, 'user');
    const row: PrincipalsTable = { id: `p-${randomUUID()}`, name: userName, is_admin: isAdmin ? 1 : 0, created_at: this.iso(), account_id: accountId };
    try {
      await this.db.insertInto('principals').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `A user named ${userName} already exists.`);
      throw e;
    }
    return this.userView(row);
  }

  /** Deletes the user with its keys, role memberships and policy attachments. */
  async deleteUser(accountId: string, userName: string): Promise<void> {
    const user = await this.user(accountId, userName);
    const keyIds = await this.db.transaction().execute(async (tx) => {
      const keys = await tx.selectFrom('api_keys').select('id').where('principal', '=', user.id).execute();
      await tx.deleteFrom('api_keys').where('principal', '=', user.id).execute();
      await tx.deleteFrom('role_members').where('principal_id', '=', user.id).execute();
      await tx.deleteFrom('user_policies').where('principal_id', '=', user.id).execute();
      await tx.deleteFrom('principals').where('id', '=', user.id).execute();
      return keys.map((k) => k.id);
    });
    this.keys.forget(keyIds, user.id);
    this.cache.invalidate();
  }

  /** The roles a user belongs to and the policies attached to it directly. */
  async userDetails(accountId: string, userName: string): Promise<{ user: UserView; roles: string[]; policies: string[] }> {
    const user = await this.user(accountId, userName);
    const roles = await this.db
      .selectFrom('role_members')
      .innerJoin('roles', 'roles.id', 'role_members.role_id')
      .select('roles.name')
      .where('role_members.principal_id', '=', user.id)
      .orderBy('roles.name')
      .execute();
    const policies = await this.db
      .selectFrom('user_policies')
      .innerJoin('policies', 'policies.id', 'user_policies.policy_id')
      .select('policies.name')
      .where('user_policies.principal_id', '=', user.id)
      .orderBy('policies.name')
      .execute();
    return { user: this.userView(user), roles: roles.map((r) => r.name), policies: policies.map((p) => p.name) };
  }

  // ---- Roles ----------------------------------------------------------------------------------------------------

  async listRoles(accountId: string): Promise<RoleView[]> {
    return (await this.db.selectFrom('roles').selectAll().where('account_id', '=', accountId).orderBy('name').execute()).map(roleView);
  }

  async role(accountId: string, roleName: string): Promise<RolesTable> {
    const row = await this.db.selectFrom('roles').selectAll().where('account_id', '=', accountId).where('name', '=', roleName).executeTakeFirst();
    if (!row) throw notFound(`No role named ${roleName}.`);
    return row;
  }

  async createRole(accountId: string, roleName: string, description?: string | null): Promise<RoleView> {
    checkName('role', roleName);
    await this.refuseSimilarName('roles', accountId, roleName, 'role');
    const row: RolesTable = { id: `r-${randomUUID()}`, account_id: accountId, name: roleName, description: checkDescription(description), created_at: this.iso() };
    try {
      await this.db.insertInto('roles').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `A role named ${roleName} already exists.`);
      throw e;
    }
    return roleView(row);
  }

  async deleteRole(accountId: string, roleName: string): Promise<void> {
    const role = await this.role(accountId, roleName);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('role_members').where('role_id', '=', role.id).execute();
      await tx.deleteFrom('role_policies').where('role_id', '=', role.id).execute();
      await tx.deleteFrom('roles').where('id', '=', role.id).execute();
    });
    this.cache.invalidate();
  }

  async roleDetails(accountId: string, roleName: string): Promise<{ role: RoleView; members: string[]; policies: string[] }> {
    const role = await this.role(accountId, roleName);
    const members = await this.db
      .selectFrom('role_members')
      .innerJoin('principals', 'principals.id', 'role_members.principal_id')
      .select('principals.name')
      .where('role_members.role_id', '=', role.id)
      .orderBy('principals.name')
      .execute();
    const policies = await this.db
      .selectFrom('role_policies')
      .innerJoin('policies', 'policies.id', 'role_policies.policy_id')
      .select('policies.name')
      .where('role_policies.role_id', '=', role.id)
      .orderBy('policies.name')
      .execute();
    return { role: roleView(role), members: members.map((m) => m.name), policies: policies.map((p) => p.name) };
  }

  /** Adds a user to a role; adding a member twice is not an error. */
  async addRoleMember(accountId: string, roleName: string, userName: string): Promise<void> {
    const role = await this.role(accountId, roleName);
    const user = await this.user(accountId, userName);
    await this.db
      .insertInto('role_members')
      .values({ role_id: role.id, principal_id: user.id, created_at: this.iso() })
      .onConflict((oc) => oc.columns(['role_id', 'principal_id']).doNothing())
      .execute();
    this.cache.invalidate();
  }

  async removeRoleMember(accountId: string, roleName: string, userName: string): Promise<void> {
    const role = await this.role(accountId, roleName);
    const user = await this.user(accountId, userName);
    const r = await this.db.deleteFrom('role_members').where('role_id', '=', role.id).where('principal_id', '=', user.id).executeTakeFirst();
    this.cache.invalidate();
    if (Number(r.numDeletedRows) === 0) throw notFound(`User ${userName} is not a member of role ${roleName}.`);
  }

  // ---- Policies -------------------------------------------------------------------------------------------------

  async listPolicies(accountId: string): Promise<PolicyView[]> {
    return (await this.db.selectFrom('policies').selectAll().where('account_id', '=', accountId).orderBy('name').execute()).map(policyView);
  }

  async policy(accountId: string, policyName: string): Promise<PoliciesTable> {
    const row = await this.db.selectFrom('policies').selectAll().where('account_id', '=', accountId).where('name', '=', policyName).executeTakeFirst();
    if (!row) throw notFound(`No policy named ${policyName}.`);
    return row;
  }

  /** The policy with its document and where it is attached. */
  async policyDetails(accountId: string, policyName: string): Promise<{ policy: PolicyView; document: PolicyDocument; users: string[]; roles: string[] }> {
    const row = await this.policy(accountId, policyName);
    const users = await this.db
      .selectFrom('user_policies')
      .innerJoin('principals', 'principals.id', 'user_policies.principal_id')
      .select('principals.name')
      .where('user_policies.policy_id', '=', row.id)
      .orderBy('principals.name')
      .execute();
    const roles = await this.db
      .selectFrom('role_policies')
      .innerJoin('roles', 'roles.id', 'role_policies.role_id')
      .select('roles.name')
      .where('role_policies.policy_id', '=', row.id)
      .orderBy('roles.name')
      .execute();
    return { policy: policyView(row), document: JSON.parse(row.document) as PolicyDocument, users: users.map((u) => u.name), roles: roles.map((r) => r.name) };
  }

  /** `document` is policy JSON text or a parsed value; it is validated here whoever calls. */
  async createPolicy(accountId: string, policyName: string, document: unknown, description?: string | null): Promise<PolicyView> {
    checkName('policy', policyName);
    const text = JSON.stringify(parsePolicyDocument(document));
    await this.refuseSimilarName('policies', accountId, policyName, 'policy');
    const now = this.iso();
    const row: PoliciesTable = { id: `pol-${randomUUID()}`, account_id: accountId, name: policyName, description: checkDescription(description), document: text, created_at: now, updated_at: now };
    try {
      await this.db.insertInto('policies').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `A policy named ${policyName} already exists.`);
      throw e;
    }
    return policyView(row);
  }

  /** Replaces the document (and the description, when given); takes effect for everyone it is attached to. */
  async updatePolicy(accountId: string, policyName: string, document: unknown, description?: string | null): Promise<PolicyView> {
    const row = await this.policy(accountId, policyName);
    const text = JSON.stringify(parsePolicyDocument(document));
    const patch: Partial<PoliciesTable> = { document: text, updated_at: this.iso() };
    if (description !== undefined) patch.description = checkDescription(description);
    await this.db.updateTable('policies').set(patch).where('id', '=', row.id).execute();
    this.cache.invalidate();
    return policyView({ ...row, ...patch });
  }

  /** Refused while the policy is attached, as IAM refuses it: detaching first makes the change of access explicit. */
  async deletePolicy(accountId: string, policyName: string): Promise<void> {
    const row = await this.policy(accountId, policyName);
    await this.db.transaction().execute(async (tx) => {
      const u = await tx.selectFrom('user_policies').select('principal_id').where('policy_id', '=', row.id).limit(1).executeTakeFirst();
      const r = await tx.selectFrom('role_policies').select('role_id').where('policy_id', '=', row.id).limit(1).executeTakeFirst();
      if (u || r) throw new QuarryError('ConflictException', `Policy ${policyName} is still attached; detach it from every user and role first.`);
      await tx.deleteFrom('policies').where('id', '=', row.id).execute();
    });
    this.cache.forgetPolicy(row.id);
  }

  /** Attaching twice is not an error. */
  async attachPolicy(accountId: string, policyName: string, target: PolicyTarget): Promise<void> {
    const policy = await this.policy(accountId, policyName);
    const created_at = this.iso();
    if ('userName' in target) {
      const user = await this.user(accountId, target.userName);
      await this.db
        .insertInto('user_policies')
        .values({ principal_id: user.id, policy_id: policy.id, created_at })
        .onConflict((oc) => oc.columns(['principal_id', 'policy_id']).doNothing())
        .execute();
    } else {
      const role = await this.role(accountId, target.roleName);
      await this.db
        .insertInto('role_policies')
        .values({ role_id: role.id, policy_id: policy.id, created_at })
        .onConflict((oc) => oc.columns(['role_id', 'policy_id']).doNothing())
        .execute();
    }
    this.cache.invalidate();
  }

  async detachPolicy(accountId: string, policyName: string, target: PolicyTarget): Promise<void> {
    const policy = await this.policy(accountId, policyName);
    let deleted: bigint;
    if ('userName' in target) {
      const user = await this.user(accountId, target.userName);
      const r = await this.db.deleteFrom('user_policies').where('principal_id', '=', user.id).where('policy_id', '=', policy.id).executeTakeFirst();
      deleted = r.numDeletedRows;
    } else {
      const role = await this.role(accountId, target.roleName);
      const r = await this.db.deleteFrom('role_policies').where('role_id', '=', role.id).where('policy_id', '=', policy.id).executeTakeFirst();
      deleted = r.numDeletedRows;
    }
    this.cache.invalidate();
    if (Number(deleted) === 0) {
      throw notFound(`Policy ${policyName} is not attached to ${'userName' in target ? `user ${target.userName}` : `role ${target.roleName}`}.`);
    }
  }

  /**
   * Names that differ only in case are refused, as IAM refuses them: ARNs compare case-sensitively, so `Admin` beside
   * `admin` would be two principals a reader of policies easily takes for one.
   */
  private async refuseSimilarName(table: 'principals' | 'roles' | 'policies', accountId: string, name: string, what: string): Promise<void> {
    const lower = name.toLowerCase();
    let existing: { name: string } | undefined;
    if (table === 'principals') {
      existing = await this.db
        .selectFrom('principals')
        .select('name')
        .where(principalInAccount(accountId, this.defaultAccountId))
        .where((eb) => eb(eb.fn('lower', ['name']), '=', lower))
        .executeTakeFirst();
    } else {
      existing = await this.db
        .selectFrom(table)
        .select('name')
        .where('account_id', '=', accountId)
        .where((eb) => eb(eb.fn('lower', ['name']), '=', lower))
        .executeTakeFirst();
    }
    if (existing) throw new QuarryError('ConflictException', `A ${what} named ${existing.name} already exists${existing.name === name ? '' : ' (names differ only in case)'}.`);
  }
}

const accountView = (r: { id: string; name: string; created_at: string }): AccountView => ({ accountId: r.id, name: r.name, createdAt: r.created_at });

function roleView(r: RolesTable): RoleView {
  const v: RoleView = { roleId: r.id, roleName: r.name, createdAt: r.created_at };
  if (r.description) v.description = r.description;
  return v;
}

function policyView(r: PoliciesTable): PolicyView {
  const v: PolicyView = { policyId: r.id, policyName: r.name, createdAt: r.created_at, updatedAt: r.updated_at };
  if (r.description) v.description = r.description;
  return v;
}
