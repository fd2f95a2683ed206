import type { Kysely } from 'kysely';
import { notFound, validation } from '../core/index.js';
import { principalInAccount } from './account-scope.js';
import { checkDescription } from './iam-names.js';
import type { ApiKeyStatus, ApiKeyView, NewApiKeyView } from './iam-views.js';
import type { KeyRow, KeyStore, NewAccessKey, NewBearerKey } from './key-store.js';
import type { IamTables, PrincipalsTable } from './tables.js';

export interface CreateKeyInput {
  type: 'bearer' | 'sigv4';
  name?: string | null;
  description?: string | null;
  expiresAt?: Date | null;
}

export interface UpdateKeyInput {
  enabled?: boolean;
  name?: string | null;
  description?: string | null;
  expiresAt?: Date | null;
}

const MAX_KEY_NAME = 128;

/**
 * The key lifecycle within one account: create (the secret is in the answer and nowhere else), list (never a secret),
 * enable and disable, rotate with a grace period, expire, delete. A key of another account is "not found".
 */
export class ApiKeyAdmin {
  constructor(
    private readonly db: Kysely<IamTables>,
    private readonly keyStore: KeyStore,
    private readonly user: (accountId: string, userName: string) => Promise<PrincipalsTable>,
    private readonly now: () => number,
    private readonly defaultAccountId: string = keyStore.defaultAccountId ?? '',
  ) {}

  async create(accountId: string, userName: string, input: CreateKeyInput): Promise<NewApiKeyView> {
    const owner = await this.user(accountId, userName);
    const opts = { name: keyName(input.name), description: checkDescription(input.description), expiresAt: this.futureExpiry(input.expiresAt) };
    const created = input.type === 'bearer' ? await this.keyStore.addBearerKey(owner.id, undefined, opts) : await this.keyStore.addAccessKey(owner.id, undefined, undefined, opts);
    const row = await this.keyStore.key(created.keyId);
    if (!row) throw new Error(`key ${created.keyId} vanished after creation`);
    return withSecret(this.view(row, owner.name), created);
  }

  async list(accountId: string, userName: string): Promise<ApiKeyView[]> {
    const owner = await this.user(accountId, userName);
    return (await this.keyStore.keysOf([owner.id])).map((k) => this.view(k, owner.name));
  }

  /** Every key of every user of the account (never another account's), by owner then age; never a secret. */
  async listAll(accountId: string): Promise<ApiKeyView[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .innerJoin('principals', 'principals.id', 'api_keys.principal')
      .selectAll('api_keys')
      .select('principals.name as owner_name')
      .where(principalInAccount(accountId, this.defaultAccountId))
      .orderBy('principals.name')
      .orderBy('api_keys.created_at')
      .orderBy('api_keys.id')
      .execute();
    return rows.map(({ owner_name, ...k }) => this.view(k, owner_name));
  }

  /** A key of the account and its owner; ResourceNotFoundException for a key of another account or none. */
  async owned(accountId: string, keyId: string): Promise<{ key: KeyRow; owner: PrincipalsTable }> {
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('principals', 'principals.id', 'api_keys.principal')
      .selectAll('api_keys')
      .select(['principals.name as owner_name', 'principals.is_admin as owner_is_admin', 'principals.account_id as owner_account', 'principals.created_at as owner_created'])
      .where('api_keys.id', '=', keyId)
      .where(principalInAccount(accountId, this.defaultAccountId))
      .executeTakeFirst();
    if (!row) throw notFound(`No API key ${keyId}.`);
    const { owner_name, owner_is_admin, owner_account, owner_created, ...key } = row;
    return { key, owner: { id: key.principal, name: owner_name, is_admin: owner_is_admin, account_id: owner_account, created_at: owner_created } };
  }

  async update(accountId: string, keyId: string, patch: UpdateKeyInput): Promise<ApiKeyView> {
    const { owner } = await this.owned(accountId, keyId);
    const change: Parameters<KeyStore['updateKey']>[1] = {};
    if (patch.enabled !== undefined) change.disabled = !patch.enabled;
    if (patch.name !== undefined) change.name = keyName(patch.name);
    if (patch.description !== undefined) change.description = checkDescription(patch.description);
    if (patch.expiresAt !== undefined) change.expiresAt = patch.expiresAt;
    await this.keyStore.updateKey(keyId, change);
    return this.view((await this.keyStore.key(keyId))!, owner.name);
  }

  async rotate(accountId: string, keyId: string, opts: { graceSeconds?: number; expiresAt?: Date | null }): Promise<{ previous: ApiKeyView; key: NewApiKeyView }> {
    const { owner } = await this.owned(accountId, keyId);
    const grace = opts.graceSeconds ?? 0;
    if (!Number.isFinite(grace) || grace < 0) throw validation('graceSeconds must be a number of seconds, 0 or more.');
    const { created } = await this.keyStore.rotate(keyId, grace * 1000, opts.expiresAt === undefined ? undefined : this.futureExpiry(opts.expiresAt));
    const [previous, next] = await Promise.all([this.keyStore.key(keyId), this.keyStore.key(created.keyId)]);
    return { previous: this.view(previous!, owner.name), key: withSecret(this.view(next!, owner.name), created) };
  }

  async delete(accountId: string, keyId: string): Promise<void> {
    await this.owned(accountId, keyId);
    await this.keyStore.deleteKey(keyId);
  }

  /** Drops cached authentications (the keys or their owner are gone). */
  forget(keyIds: readonly string[], principalId?: string): void {
    this.keyStore.forgetKeys(keyIds);
    if (principalId) this.keyStore.forgetPrincipal(principalId);
  }

  view(k: KeyRow, userName: string): ApiKeyView {
    const v: ApiKeyView = { keyId: k.id, userName, type: k.kind, hint: k.hint, status: this.status(k), createdAt: k.created_at };
    if (k.kind === 'sigv4') v.accessKeyId = k.lookup;
    if (k.name) v.name = k.name;
    if (k.description) v.description = k.description;
    if (k.last_used_at) v.lastUsedAt = k.last_used_at;
    if (k.expires_at) v.expiresAt = k.expires_at;
    if (k.replaced_by) v.replacedBy = k.replaced_by;
    return v;
  }

  private status(k: KeyRow): ApiKeyStatus {
    if (k.expires_at && Date.parse(k.expires_at) <= this.now()) return 'Expired';
    return Number(k.disabled) ? 'Inactive' : 'Active';
  }

  private futureExpiry(at: Date | null | undefined): Date | null {
    if (!at) return null;
    if (Number.isNaN(at.getTime())) throw validation('expiresAt is not a valid time.');
    if (at.getTime() <= this.now()) throw validation(`expiresAt ${at.toISOString()} is in the past; a new key must expire in the future.`);
    return at;
  }
}

function keyName(name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  if (name.length === 0 || name.length > MAX_KEY_NAME) throw validation(`A key name has 1 to ${MAX_KEY_NAME} characters.`);
  return name;
}

function withSecret(view: ApiKeyView, created: NewBearerKey | NewAccessKey): NewApiKeyView {
  return 'apiKey' in created ? { ...view, apiKey: created.apiKey } : { ...view, secretAccessKey: created.secretAccessKey };
}
