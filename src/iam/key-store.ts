import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { QuarryError } from '../core/index.js';
import { type SealedColumn, type SecretKeyring, sealContext } from '../secrets/index.js';
import { type Database, isUniqueViolation } from '../store/index.js';
import { principalInAccount } from './account-scope.js';
import type { Principal } from './principal.js';
import type { ApiKeysTable, IamTables } from './tables.js';

export interface NewBearerKey {
  keyId: string;
  /** Shown once; only its hash is stored. */
  apiKey: string;
}
export interface NewAccessKey {
  keyId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface KeyOptions {
  name?: string | null;
  description?: string | null;
  /** The key is refused from this instant on; absent or null: it never expires. */
  expiresAt?: Date | null;
}

export type KeyState = 'active' | 'disabled' | 'expired';

/** What authentication learns from a key: whose it is, whether it may be used now and, for SigV4, its secret. */
export interface KeyLookup {
  principal: Principal;
  state: KeyState;
  /** ISO time the key expires (or expired), when it has one. */
  expiresAt?: string;
  secret?: string;
}

export interface KeyStoreOptions {
  /** The account of principals stored without one (rows from before accounts existed). */
  defaultAccountId?: string;
  /** Milliseconds since 1970; tests move it to cross expiry instants. */
  now?: () => number;
  /** The server's region: the one SigV4 credentials must be scoped to. Default us-east-1, as the configuration's. */
  region?: string;
}

export type KeyRow = ApiKeysTable;

/** The column IAM keeps recoverable secrets in: the keyring seals rows left in an earlier format at start. */
export const API_KEY_SECRET_COLUMN: SealedColumn = { table: 'api_keys', id: 'id', column: 'secret_sealed' };
const secretContext = (keyId: string) => sealContext(API_KEY_SECRET_COLUMN.table, API_KEY_SECRET_COLUMN.column, keyId);

interface Cached {
  principal: Principal;
  kind: 'bearer' | 'sigv4';
  secret?: string;
  /** The stored form `secret` was opened from: a reload that finds it unchanged skips the decryption. */
  sealed?: string;
  disabled: boolean;
  /** Epoch ms the key expires; Infinity when it does not. */
  keyExpires: number;
  expiresAt?: string;
  /** Epoch ms this entry stops being trusted. */
  until: number;
}

// Authentication runs on every request; a short-lived cache keeps the store off the hot path while a change made on
// another replica still takes effect within this many milliseconds. Changes made here invalidate at once, and expiry
// is checked on every hit, so an expired key never lives on in the cache.
const CACHE_MS = 5_000;
// Only keys that exist are cached, so the bound is only reached by a very large fleet of keys; emptying is cheap.
const MAX_CACHED = 10_000;

// crypto.hash is the one-shot digest: a third of createHash's cost for a key, and no Hash object per request.
export const hashKey = (key: string) => hash('sha256', key, 'hex');

const newBearerSecret = () => `qk-${randomBytes(24).toString('base64url')}`;
const newAccessKeyId = () => `QK${randomBytes(9).toString('hex').toUpperCase()}`;
const newSecretAccessKey = () => randomBytes(30).toString('base64url');

/**
 * Credentials: bearer keys stored as sha256 hashes (they are long random strings, so a plain hash is enough and the
 * lookup is one indexed equality), SigV4 secrets sealed by the secrets keyring (an HMAC key must be recoverable). Opened
 * secrets live only in the authentication cache below, so a SigV4 request pays no decryption and no extra query. Account
 * scoping of key management lives in IamStore; this class knows keys by id and serves authentication.
 */
export class KeyStore {
  private readonly db: Kysely<IamTables>;
  private readonly cache = new Map<string, Cached>();
  /** Key id → last use (epoch ms), formatted only when written: a request pays for a Map.set, not a date string. */
  private readonly pendingLastUsed = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | undefined;
  readonly defaultAccountId: string | undefined;
  readonly now: () => number;
  readonly region: string;

  constructor(
    db: Database,
    private readonly keyring: SecretKeyring,
    opts: KeyStoreOptions = {},
  ) {
    this.db = db.withTables<IamTables>();
    this.defaultAccountId = opts.defaultAccountId;
    this.now = opts.now ?? Date.now;
    this.region = opts.region ?? 'us-east-1';
  }

  async createPrincipal(name: string, isAdmin: boolean, accountId = this.defaultAccountId): Promise<string> {
    const id = `p-${randomUUID()}`;
    await this.db
      .insertInto('principals')
      .values({ id, name, is_admin: isAdmin ? 1 : 0, created_at: new Date(this.now()).toISOString(), account_id: accountId ?? null })
      .execute();
    return id;
  }

  /** The id of the principal with this name in the account, created if absent. */
  async ensurePrincipal(name: string, isAdmin: boolean, accountId = this.defaultAccountId): Promise<string> {
    let q = this.db.selectFrom('principals').select('id').where('name', '=', name);
    if (accountId && this.defaultAccountId) q = q.where(principalInAccount(accountId, this.defaultAccountId));
    else q = accountId ? q.where('account_id', '=', accountId) : q.where('account_id', 'is', null);
    const row = await q.executeTakeFirst();
    if (row) return row.id;
    try {
      return await this.createPrincipal(name, isAdmin, accountId);
    } catch (e) {
      // Replicas starting together on one store race to seed the administrator: the loser reads the winner's.
      if (!isUniqueViolation(e)) throw e;
      const again = await q.executeTakeFirst();
      if (!again) throw e;
      return again.id;
    }
  }

  async countKeys(): Promise<number> {
    const r = await this.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Adds a bearer key; `apiKey` is given when seeding from the environment, generated otherwise. */
  async addBearerKey(principal: string, apiKey = newBearerSecret(), opts: KeyOptions = {}, db: Kysely<IamTables> = this.db): Promise<NewBearerKey> {
    const keyId = `k-${randomUUID()}`;
    await db
      .insertInto('api_keys')
      .values(this.keyRow(keyId, principal, 'bearer', hashKey(apiKey), null, apiKey.slice(0, 6), opts))
      .onConflict((oc) => oc.column('lookup').doNothing())
      .execute();
    return { keyId, apiKey };
  }

  async addAccessKey(principal: string, accessKeyId = newAccessKeyId(), secretAccessKey = newSecretAccessKey(), opts: KeyOptions = {}): Promise<NewAccessKey> {
    return this.insertAccessKey(this.db, principal, await this.sealAccessKey(accessKeyId, secretAccessKey), opts);
  }

  // Sealing may read the keyring from the store, so it happens before any transaction: on SQLite's one connection a
  // read outside an open transaction would wait for it forever.
  private async sealAccessKey(accessKeyId: string, secretAccessKey: string): Promise<NewAccessKey & { sealed: string }> {
    const keyId = `k-${randomUUID()}`;
    // Sealed for this row: the ciphertext does not open if copied onto another key's row.
    return { keyId, accessKeyId, secretAccessKey, sealed: await this.keyring.seal(secretAccessKey, secretContext(keyId)) };
  }

  private async insertAccessKey(db: Kysely<IamTables>, principal: string, k: NewAccessKey & { sealed: string }, opts: KeyOptions): Promise<NewAccessKey> {
    await db
      .insertInto('api_keys')
      .values(this.keyRow(k.keyId, principal, 'sigv4', k.accessKeyId, k.sealed, k.accessKeyId.slice(0, 6), opts))
      .onConflict((oc) => oc.column('lookup').doNothing())
      .execute();
    return { keyId: k.keyId, accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
  }

  private keyRow(id: string, principal: string, kind: 'bearer' | 'sigv4', lookup: string, sealed: string | null, hint: string, o: KeyOptions): KeyRow {
    return {
      id,
      principal,
      kind,
      lookup,
      secret_sealed: sealed,
      hint,
      created_at: new Date(this.now()).toISOString(),
      last_used_at: null,
      disabled: 0,
      name: o.name ?? null,
      description: o.description ?? null,
      expires_at: o.expiresAt ? o.expiresAt.toISOString() : null,
      replaced_by: null,
    };
  }

  /** The principal for an active bearer key, or undefined. */
  async findBearer(apiKey: string): Promise<Principal | undefined> {
    const k = await this.lookupBearer(apiKey);
    return k?.state === 'active' ? k.principal : undefined;
  }

  /** The principal and secret for an active access key id, or undefined. */
  async findAccessKey(accessKeyId: string): Promise<{ principal: Principal; secret: string } | undefined> {
    const k = await this.lookupAccessKey(accessKeyId);
    return k?.state === 'active' && k.secret ? { principal: k.principal, secret: k.secret } : undefined;
  }

  /** A bearer key in any state, so authentication can say why a known key is refused; undefined when unknown. */
  lookupBearer(apiKey: string): Promise<KeyLookup | undefined> {
    return this.resolve(hashKey(apiKey), 'bearer');
  }

  /** An access key in any state, with its secret so the signature is checked before the state is disclosed. */
  lookupAccessKey(accessKeyId: string): Promise<KeyLookup | undefined> {
    return this.resolve(accessKeyId, 'sigv4');
  }

  private async resolve(lookup: string, kind: 'bearer' | 'sigv4'): Promise<KeyLookup | undefined> {
    const now = this.now();
    let entry = this.cache.get(lookup);
    if (!entry || entry.until <= now) {
      entry = await this.load(lookup, now);
      if (!entry) return undefined;
    }
    if (entry.kind !== kind) return undefined;
    const state: KeyState = entry.disabled ? 'disabled' : entry.keyExpires <= now ? 'expired' : 'active';
    if (state === 'active') this.touch(entry.principal.keyId);
    const out: KeyLookup = { principal: entry.principal, state };
    if (entry.expiresAt) out.expiresAt = entry.expiresAt;
    if (entry.secret) out.secret = entry.secret;
    return out;
  }

  // One indexed lookup (api_keys.lookup is unique) joined to the principal by primary key.
  private async load(lookup: string, now: number): Promise<Cached | undefined> {
    const previous = this.cache.get(lookup);
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('principals', 'principals.id', 'api_keys.principal')
      .select([
        'api_keys.id as keyId',
        'api_keys.kind',
        'api_keys.secret_sealed',
        'api_keys.disabled',
        'api_keys.expires_at',
        'principals.id as pid',
        'principals.name',
        'principals.is_admin',
        'principals.account_id',
      ])
      .where('api_keys.lookup', '=', lookup)
      .executeTakeFirst();
    if (!row) {
      this.cache.delete(lookup);
      return undefined;
    }
    const principal: Principal = { id: row.pid, name: row.name, keyId: row.keyId, isAdmin: Number(row.is_admin) === 1, authMethod: row.kind };
    const accountId = row.account_id ?? this.defaultAccountId;
    if (accountId) principal.accountId = accountId;
    const entry: Cached = {
      principal,
      kind: row.kind,
      disabled: Number(row.disabled) !== 0,
      keyExpires: row.expires_at ? Date.parse(row.expires_at) : Number.POSITIVE_INFINITY,
      until: now + CACHE_MS,
    };
    if (row.expires_at) entry.expiresAt = row.expires_at;
    if (row.secret_sealed) {
      entry.sealed = row.secret_sealed;
      // A keyring rotation re-wraps the row, so an unchanged stored value means an unchanged secret.
      entry.secret = previous?.sealed === row.secret_sealed && previous.secret ? previous.secret : await this.keyring.open(row.secret_sealed, secretContext(row.keyId));
    }
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(lookup, entry);
    return entry;
  }

  /** Drops cached authentications of these keys, so a change made here takes effect on the next request. */
  forgetKeys(keyIds: readonly string[]): void {
    if (!keyIds.length) return;
    const ids = new Set(keyIds);
    for (const [lookup, e] of this.cache) if (ids.has(e.principal.keyId)) this.cache.delete(lookup);
  }

  /** As forgetKeys, for every key of a principal (its name, admin flag or existence changed). */
  forgetPrincipal(principalId: string): void {
    for (const [lookup, e] of this.cache) if (e.principal.id === principalId) this.cache.delete(lookup);
  }

  async key(keyId: string): Promise<KeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
  }

  async keysOf(principalIds: readonly string[]): Promise<KeyRow[]> {
    if (!principalIds.length) return [];
    return this.db.selectFrom('api_keys').selectAll().where('principal', 'in', principalIds).orderBy('created_at').orderBy('id').execute();
  }

  async updateKey(keyId: string, patch: { disabled?: boolean; name?: string | null; description?: string | null; expiresAt?: Date | null }): Promise<void> {
    const set: Partial<KeyRow> = {};
    if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt ? patch.expiresAt.toISOString() : null;
    if (Object.keys(set).length) await this.db.updateTable('api_keys').set(set).where('id', '=', keyId).execute();
    this.forgetKeys([keyId]);
  }

  /**
   * Replaces a key with a new secret of the same kind, owner, name and description. The old key stays valid for
   * `graceMs` (0: it dies now) and records its successor; rotating it again is refused, so a key has one line of
   * successors. `expiresAt` for the new key defaults to the lifetime the old key was created with.
   */
  async rotate(keyId: string, graceMs: number, expiresAt?: Date | null): Promise<{ old: KeyRow; created: NewBearerKey | NewAccessKey }> {
    const now = this.now();
    // Used only if the key is a SigV4 one; sealed up front (see sealAccessKey).
    const sigv4 = await this.sealAccessKey(newAccessKeyId(), newSecretAccessKey());
    const result = await this.db.transaction().execute(async (tx) => {
      const old = await tx.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
      if (!old) throw new QuarryError('ResourceNotFoundException', `No API key ${keyId}.`);
      if (old.replaced_by) throw new QuarryError('ConflictException', `API key ${keyId} was already rotated; rotate its successor ${old.replaced_by}.`);
      if (Number(old.disabled)) throw new QuarryError('ConflictException', `API key ${keyId} is disabled; enable it before rotating, or create a new key.`);
      const oldExpiry = old.expires_at ? Date.parse(old.expires_at) : Number.POSITIVE_INFINITY;
      if (oldExpiry <= now) throw new QuarryError('ConflictException', `API key ${keyId} expired at ${old.expires_at}; create a new key instead.`);
      const lifetime = old.expires_at ? oldExpiry - Date.parse(old.created_at) : undefined;
      const newExpiry = expiresAt !== undefined ? expiresAt : lifetime !== undefined ? new Date(now + lifetime) : null;
      const opts: KeyOptions = { name: old.name, description: old.description, expiresAt: newExpiry };
      const created = old.kind === 'bearer' ? await this.addBearerKey(old.principal, undefined, opts, tx) : await this.insertAccessKey(tx, old.principal, sigv4, opts);
      const graceEnd = Math.min(oldExpiry, now + Math.max(0, graceMs));
      // The replaced_by guard makes two concurrent rotations of one key end with one winner.
      const r = await tx
        .updateTable('api_keys')
        .set({ expires_at: new Date(graceEnd).toISOString(), replaced_by: created.keyId })
        .where('id', '=', keyId)
        .where('replaced_by', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new QuarryError('ConflictException', `API key ${keyId} was rotated by another request.`);
      return { old, created };
    });
    this.forgetKeys([keyId]);
    return result;
  }

  async deleteKey(keyId: string): Promise<void> {
    await this.db.deleteFrom('api_keys').where('id', '=', keyId).execute();
    this.forgetKeys([keyId]);
  }

  // last_used_at is written in batches: one UPDATE per request would make every call a write transaction.
  private touch(keyId: string): void {
    this.pendingLastUsed.set(keyId, this.now());
    // A failed write must not become an unhandled rejection (which ends the process): the times stay queued for the
    // next flush, and a last-used time is a hint, not worth an error of its own.
    this.flushTimer ??= setTimeout(() => this.flush().catch(() => undefined), 2_000).unref();
  }

  /** Writes the queued last-used times; what fails stays queued (unless a newer time replaced it). */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = [...this.pendingLastUsed];
    this.pendingLastUsed.clear();
    for (const [i, [id, at]] of batch.entries()) {
      try {
        await this.db.updateTable('api_keys').set({ last_used_at: new Date(at).toISOString() }).where('id', '=', id).execute();
      } catch (e) {
        for (const [laterId, laterAt] of batch.slice(i)) if (!this.pendingLastUsed.has(laterId)) this.pendingLastUsed.set(laterId, laterAt);
        throw e;
      }
    }
  }
}
