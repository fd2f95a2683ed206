import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../store/index.js';
import type { Principal } from './principal.js';
import type { SecretBox } from './secret-box.js';
import type { IamTables } from './tables.js';

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

interface Resolved {
  principal: Principal;
  secret?: string;
  expires: number;
}

// Authentication runs on every request; a short-lived cache keeps the store off the hot path while a disabled key
// still stops working within this many milliseconds.
const CACHE_MS = 5_000;

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export class KeyStore {
  private readonly db;
  private readonly cache = new Map<string, Resolved>();
  private readonly pendingLastUsed = new Map<string, string>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    db: Database,
    private readonly box: SecretBox,
  ) {
    this.db = db.withTables<IamTables>();
  }

  async createPrincipal(name: string, isAdmin: boolean): Promise<string> {
    const id = `p-${randomUUID()}`;
    await this.db.insertInto('principals').values({ id, name, is_admin: isAdmin ? 1 : 0, created_at: new Date().toISOString() }).execute();
    return id;
  }

  /** The id of the principal with this name, created if absent. */
  async ensurePrincipal(name: string, isAdmin: boolean): Promise<string> {
    const row = await this.db.selectFrom('principals').select('id').where('name', '=', name).executeTakeFirst();
    return row?.id ?? this.createPrincipal(name, isAdmin);
  }

  async countKeys(): Promise<number> {
    const r = await this.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Adds a bearer key; `apiKey` is given when seeding from the environment, generated otherwise. */
  async addBearerKey(principal: string, apiKey = `qk-${randomBytes(24).toString('base64url')}`): Promise<NewBearerKey> {
    const keyId = `k-${randomUUID()}`;
    await this.db
      .insertInto('api_keys')
      .values({
        id: keyId,
        principal,
        kind: 'bearer',
        lookup: hashKey(apiKey),
        secret_sealed: null,
        hint: apiKey.slice(0, 6),
        created_at: new Date().toISOString(),
        last_used_at: null,
        disabled: 0,
      })
      .onConflict((oc) => oc.column('lookup').doNothing())
      .execute();
    return { keyId, apiKey };
  }

  async addAccessKey(
    principal: string,
    accessKeyId = `QK${randomBytes(9).toString('hex').toUpperCase()}`,
    secretAccessKey = randomBytes(30).toString('base64url'),
  ): Promise<NewAccessKey> {
    const keyId = `k-${randomUUID()}`;
    await this.db
      .insertInto('api_keys')
      .values({
        id: keyId,
        principal,
        kind: 'sigv4',
        lookup: accessKeyId,
        secret_sealed: this.box.seal(secretAccessKey),
        hint: accessKeyId.slice(0, 6),
        created_at: new Date().toISOString(),
        last_used_at: null,
        disabled: 0,
      })
      .onConflict((oc) => oc.column('lookup').doNothing())
      .execute();
    return { keyId, accessKeyId, secretAccessKey };
  }

  /** The principal for a bearer key, or undefined. */
  findBearer(apiKey: string): Promise<Principal | undefined> {
    return this.resolve(hashKey(apiKey), 'bearer').then((r) => r?.principal);
  }

  /** The principal and secret for an access key id, or undefined. */
  findAccessKey(accessKeyId: string): Promise<{ principal: Principal; secret: string } | undefined> {
    return this.resolve(accessKeyId, 'sigv4').then((r) => (r?.secret ? { principal: r.principal, secret: r.secret } : undefined));
  }

  private async resolve(lookup: string, kind: 'bearer' | 'sigv4'): Promise<Resolved | undefined> {
    const now = Date.now();
    const hit = this.cache.get(lookup);
    if (hit && hit.expires > now) {
      this.touch(hit.principal.keyId);
      return hit;
    }
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('principals', 'principals.id', 'api_keys.principal')
      .select(['api_keys.id as keyId', 'api_keys.kind', 'api_keys.secret_sealed', 'api_keys.disabled', 'principals.id as pid', 'principals.name', 'principals.is_admin'])
      .where('api_keys.lookup', '=', lookup)
      .executeTakeFirst();
    if (!row || row.disabled || row.kind !== kind) {
      this.cache.delete(lookup);
      return undefined;
    }
    const resolved: Resolved = {
      principal: { id: row.pid, name: row.name, keyId: row.keyId, isAdmin: row.is_admin === 1, authMethod: kind },
      secret: row.secret_sealed ? this.box.open(row.secret_sealed) : undefined,
      expires: now + CACHE_MS,
    };
    this.cache.set(lookup, resolved);
    this.touch(row.keyId);
    return resolved;
  }

  // last_used_at is written in batches: one UPDATE per request would make every call a write transaction.
  private touch(keyId: string): void {
    this.pendingLastUsed.set(keyId, new Date().toISOString());
    this.flushTimer ??= setTimeout(() => void this.flush(), 2_000).unref();
  }

  async flush(): Promise<void> {
    this.flushTimer = undefined;
    const batch = [...this.pendingLastUsed];
    this.pendingLastUsed.clear();
    for (const [id, at] of batch) await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
