import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Database, isUniqueViolation } from '../store/index.js';
import { formatEnvelope, gcmOpen, gcmSeal, newKey, parseEnvelope, SecretDecryptError, unwrapKey, wrapKey } from './envelope.js';
import { isLegacySealed, openLegacySealed } from './legacy-sealed.js';
import type { MasterKey, MasterKeys } from './master-keys.js';
import { firstUnsealed, type SealedColumn, sealedColumnLabel, sealUnsealedRows } from './sealed-columns.js';
import type { SecretKeysTable, SecretTables } from './secret-tables.js';

/** The keyring cannot be opened with the master key this process has: the server must not start. */
export class KeyringStartupError extends Error {
  override name = 'KeyringStartupError';
}

export interface SecretKeyringOptions {
  /** Every column holding sealed secrets: rows still in plaintext (or an earlier format) are sealed at start. */
  columns?: readonly SealedColumn[];
  /**
   * How stale this replica's idea of the active key may be before sealing reloads it, ms. A rotation waits twice this
   * long before its last pass, so that no replica is still sealing with the key being retired.
   */
  refreshMs?: number;
  now?: () => number;
}

const keyAad = (id: string) => `quarry keyring key ${id}`;
const dataKeyAad = (keyId: string) => `quarry data key under ${keyId}`;
const newKeyId = () => `kek-${randomBytes(8).toString('hex')}`;

/**
 * Envelope encryption for every persisted secret. Each secret gets its own AES-256-GCM data key; data keys are
 * wrapped by the keyring's active key; keyring keys are wrapped by the master key (QUARRY_MASTER_KEY or a key file),
 * which never touches a record. Several keyring keys coexist (an envelope names its key), which is what lets
 * rotation re-wrap records in the background while every replica keeps reading and writing.
 */
export class SecretKeyring {
  readonly db: Kysely<SecretTables>;
  readonly columns: readonly SealedColumn[];
  readonly refreshMs: number;
  private readonly now: () => number;
  private keys = new Map<string, Buffer>();
  private activeId = '';
  private loadedAt = Number.NEGATIVE_INFINITY;
  private reloading: Promise<void> | undefined;

  private constructor(
    db: Database,
    readonly master: MasterKeys,
    opts: SecretKeyringOptions,
  ) {
    this.db = db.withTables<SecretTables>();
    this.columns = opts.columns ?? [];
    this.refreshMs = opts.refreshMs ?? 5_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Opens the keyring, creating its first key on a new store, re-wrapping keys left under an older master key, and
   * sealing secrets stored before envelope encryption. Throws KeyringStartupError when the master key is the wrong one.
   */
  static async open(db: Database, master: MasterKeys, opts: SecretKeyringOptions = {}): Promise<SecretKeyring> {
    const k = new SecretKeyring(db, master, opts);
    await k.start();
    return k;
  }

  /** The key new secrets are sealed with. */
  get activeKeyId(): string {
    return this.activeId;
  }

  private async start(): Promise<void> {
    let rows = await this.liveRows();
    if (!rows.some((r) => r.state === 'active')) {
      // Before the first key is written under this master key, prove it opens what is already stored: a wrong key
      // must not leave a keyring behind that the right one then cannot open.
      await this.checkLegacyRowsOpen();
      const id = newKeyId();
      try {
        await this.db
          .insertInto('secret_keys')
          .values({ id, state: 'active', master_key_id: this.master.current.id, wrapped: wrapKey(this.master.current.key, newKey(), keyAad(id)).toString('base64url'), created_at: new Date(this.now()).toISOString(), retired_at: null })
          .execute();
      } catch (e) {
        // Another replica created the first key at the same moment; use theirs.
        if (!isUniqueViolation(e)) throw e;
      }
      rows = await this.liveRows();
    }
    await this.rewrapUnderCurrentMaster(rows);
    await this.reload();
    for (const c of this.columns) {
      await sealUnsealedRows(this.db as unknown as Database, c, (p, ctx) => this.seal(p, ctx), (v) => (isLegacySealed(v) ? openLegacySealed(v, this.allMasters()) : v), 200);
    }
  }

  private allMasters(): MasterKey[] {
    return [this.master.current, ...this.master.previous];
  }

  private async checkLegacyRowsOpen(): Promise<void> {
    for (const c of this.columns) {
      const v = await firstUnsealed(this.db as unknown as Database, c);
      if (v === undefined || !isLegacySealed(v)) continue;
      try {
        openLegacySealed(v, this.allMasters());
      } catch {
        throw new KeyringStartupError(
          `The master key from ${this.master.source} (${this.master.current.id}) does not open the secrets already in ${sealedColumnLabel(c)}: ` +
            'start with the master key this data was created with (QUARRY_MASTER_KEY or <data dir>/master.key).',
        );
      }
    }
  }

  private liveRows(): Promise<SecretKeysTable[]> {
    return this.db.selectFrom('secret_keys').selectAll().where('state', '!=', 'retired').execute();
  }

  private unwrapRow(row: SecretKeysTable): Buffer {
    const master = this.allMasters().find((m) => m.id === row.master_key_id);
    if (!master) {
      throw new KeyringStartupError(
        `The keyring's key ${row.id} is wrapped with master key ${row.master_key_id}, but ${this.master.source} holds ${this.allMasters()
          .map((m) => m.id)
          .join(', ')}. Start with the master key this store was created with (replicas sharing one store all need the same QUARRY_MASTER_KEY); to change master keys, list the new key first and the old one after it.`,
      );
    }
    try {
      return unwrapKey(master.key, Buffer.from(row.wrapped, 'base64url'), keyAad(row.id), `keyring key ${row.id}`);
    } catch (e) {
      if (e instanceof SecretDecryptError) throw new KeyringStartupError(`${e.message} The secret_keys table was edited, or holds another master key's keys.`);
      throw e;
    }
  }

  /** Keyring keys still under an older master key move to the current one (a handful of rows). */
  private async rewrapUnderCurrentMaster(rows: SecretKeysTable[]): Promise<void> {
    for (const row of rows) {
      if (row.master_key_id === this.master.current.id) continue;
      const key = this.unwrapRow(row);
      await this.db
        .updateTable('secret_keys')
        .set({ master_key_id: this.master.current.id, wrapped: wrapKey(this.master.current.key, key, keyAad(row.id)).toString('base64url') })
        .where('id', '=', row.id)
        .where('master_key_id', '=', row.master_key_id)
        .execute();
    }
  }

  /** Re-reads the keyring from the store (another replica may have rotated it); one read at a time. */
  reload(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const rows = await this.liveRows();
        const keys = new Map<string, Buffer>();
        let active = '';
        for (const row of rows) {
          keys.set(row.id, this.keys.get(row.id) ?? this.unwrapRow(row));
          if (row.state === 'active') active = row.id;
        }
        if (!active) throw new KeyringStartupError('The keyring has no active key (the secret_keys table was edited).');
        this.keys = keys;
        this.activeId = active;
        this.loadedAt = this.now();
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  private async fresh(): Promise<void> {
    if (this.now() - this.loadedAt >= this.refreshMs) await this.reload();
  }

  /** Seals `plain` for the record named by `context` (see sealContext): a new data key, wrapped by the active key. */
  async seal(plain: string, context: string): Promise<string> {
    await this.fresh();
    const keyId = this.activeId;
    const kek = this.keys.get(keyId)!;
    const dataKey = newKey();
    const { iv, body } = gcmSeal(dataKey, Buffer.from(plain, 'utf8'), context);
    return formatEnvelope({ keyId, wrappedKey: wrapKey(kek, dataKey, dataKeyAad(keyId)), iv, body });
  }

  /** Opens a sealed secret; throws SecretDecryptError when it is malformed, edited or sealed for another context. */
  async open(sealed: string, context: string): Promise<string> {
    const e = parseEnvelope(sealed);
    let kek = this.keys.get(e.keyId);
    if (!kek) {
      // Sealed by a replica that already rotated: learn the new key.
      await this.reload();
      kek = this.keys.get(e.keyId);
      if (!kek) throw new SecretDecryptError(`A secret is sealed with key ${e.keyId}, which the keyring does not hold (retired, or never existed).`);
    }
    const dataKey = unwrapKey(kek, e.wrappedKey, dataKeyAad(e.keyId), 'A data key');
    return gcmOpen(dataKey, e.iv, e.body, context, 'A sealed secret').toString('utf8');
  }

  /** The same secret under another key: only the wrapped data key changes. Both keys must be loaded. */
  rewrap(sealed: string, toKeyId: string): string {
    const e = parseEnvelope(sealed);
    if (e.keyId === toKeyId) return sealed;
    const from = this.keys.get(e.keyId);
    const to = this.keys.get(toKeyId);
    if (!from || !to) throw new SecretDecryptError(`Cannot re-wrap from ${e.keyId} to ${toKeyId}: the keyring does not hold both.`);
    const dataKey = unwrapKey(from, e.wrappedKey, dataKeyAad(e.keyId), 'A data key');
    return formatEnvelope({ ...e, keyId: toKeyId, wrappedKey: wrapKey(to, dataKey, dataKeyAad(toKeyId)) });
  }

  /** A new keyring key wrapped by the current master key, for rotation. */
  newWrappedKey(): { id: string; wrapped: string; masterKeyId: string } {
    const id = newKeyId();
    return { id, wrapped: wrapKey(this.master.current.key, newKey(), keyAad(id)).toString('base64url'), masterKeyId: this.master.current.id };
  }
}
