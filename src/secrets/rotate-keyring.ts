import { QuarryError } from '../core/index.js';
import { type Database, isUniqueViolation } from '../store/index.js';
import { countByKey, rewrapColumn, sealedColumnLabel } from './sealed-columns.js';
import type { SecretKeyring } from './secret-keyring.js';

export interface RotationOptions {
  /** Records re-wrapped per transaction. */
  batchSize?: number;
  /** How long to wait before the last pass, ms; default twice the keyring's refresh interval plus a second. */
  settleMs?: number;
  /** Told after each pass (for logs and progress). */
  onProgress?: (p: { pass: number; rewrapped: number }) => void;
}

export interface RotationReport {
  previousKeyId: string;
  activeKeyId: string;
  /** True when an interrupted rotation was finished rather than a new one started. */
  resumed: boolean;
  /** Records moved to the new key, per column (`table.column`). */
  rewrapped: Record<string, number>;
  retired: boolean;
  startedAt: string;
  finishedAt: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Rotates the keyring without downtime: (1) in one transaction the active key becomes `retiring` and a new key
 * `active` — the partial unique indexes make a concurrent rotation on another replica fail instead of forking the
 * keyring; (2) every sealed record is re-wrapped under the new key, batch by batch, while both keys are read; (3) after
 * every replica has had time to notice the new active key (settleMs), passes repeat until one finds nothing left;
 * (4) the old key is retired and its material erased. A rotation interrupted anywhere is finished by the next call.
 */
export async function rotateKeyring(keyring: SecretKeyring, opts: RotationOptions = {}): Promise<RotationReport> {
  const batchSize = opts.batchSize ?? 200;
  const settleMs = opts.settleMs ?? keyring.refreshMs * 2 + 1_000;
  const startedAt = new Date().toISOString();
  const { from, to, resumed } = await begin(keyring);
  await keyring.reload();
  const rewrapped: Record<string, number> = Object.fromEntries(keyring.columns.map((c) => [sealedColumnLabel(c), 0]));
  const pass = async (n: number): Promise<number> => {
    let total = 0;
    for (const c of keyring.columns) {
      const moved = await rewrapColumn(keyring.db as unknown as Database, c, from, (v) => keyring.rewrap(v, to), batchSize);
      rewrapped[sealedColumnLabel(c)]! += moved;
      total += moved;
    }
    opts.onProgress?.({ pass: n, rewrapped: total });
    return total;
  };
  await pass(1);
  await sleep(settleMs);
  // A pass can race a write that read the old row; the loop ends when the column holds nothing under the old key.
  for (let n = 2; ; n++) {
    await pass(n);
    const left = await remaining(keyring, from);
    if (left === 0) break;
    if (n >= 20) throw new QuarryError('ConflictException', `Key ${from} still seals ${left} records after ${n} passes; run the rotation again to finish it.`);
  }
  const r = await keyring.db
    .updateTable('secret_keys')
    .set({ state: 'retired', wrapped: '', retired_at: new Date().toISOString() })
    .where('id', '=', from)
    .where('state', '=', 'retiring')
    .executeTakeFirst();
  await keyring.reload();
  return { previousKeyId: from, activeKeyId: to, resumed, rewrapped, retired: Number(r.numUpdatedRows) === 1, startedAt, finishedAt: new Date().toISOString() };
}

async function remaining(keyring: SecretKeyring, keyId: string): Promise<number> {
  let n = 0;
  for (const c of keyring.columns) n += (await countByKey(keyring.db as unknown as Database, c, [keyId]))[keyId] ?? 0;
  return n;
}

async function begin(keyring: SecretKeyring): Promise<{ from: string; to: string; resumed: boolean }> {
  const fresh = keyring.newWrappedKey();
  try {
    return await keyring.db.transaction().execute(async (tx) => {
      // Write first: SQLite then takes its write lock at once (a read first would make two rotating connections
      // deadlock on the upgrade), and on PostgreSQL a second rotation waits on this row and then finds it moved.
      const moved = await tx
        .updateTable('secret_keys')
        .set({ state: 'retiring' })
        .where('state', '=', 'active')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('secret_keys as r').select('r.id').where('r.state', '=', 'retiring'))))
        .returning('id')
        .execute();
      if (moved.length === 1) {
        await tx
          .insertInto('secret_keys')
          .values({ id: fresh.id, state: 'active', master_key_id: fresh.masterKeyId, wrapped: fresh.wrapped, created_at: new Date().toISOString(), retired_at: null })
          .execute();
        return { from: moved[0]!.id, to: fresh.id, resumed: false };
      }
      // A rotation is under way (interrupted, or running on another replica): finish it; its steps are idempotent.
      const rows = await tx.selectFrom('secret_keys').select(['id', 'state']).where('state', 'in', ['active', 'retiring']).execute();
      const active = rows.find((r) => r.state === 'active');
      const retiring = rows.find((r) => r.state === 'retiring');
      if (!active || !retiring) throw new QuarryError('ConflictException', 'Another rotation started at the same moment; try again.');
      return { from: retiring.id, to: active.id, resumed: true };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new QuarryError('ConflictException', 'Another rotation started at the same moment; try again.');
    throw e;
  }
}

export interface KeyringStatus {
  masterKeyId: string;
  activeKeyId: string;
  rotating: boolean;
  keys: { keyId: string; state: string; masterKeyId: string; createdAt: string; retiredAt: string | null; records: number }[];
}

export async function keyringStatus(keyring: SecretKeyring): Promise<KeyringStatus> {
  const rows = await keyring.db.selectFrom('secret_keys').selectAll().orderBy('created_at').orderBy('id').execute();
  const live = rows.filter((r) => r.state !== 'retired').map((r) => r.id);
  const counts: Record<string, number> = {};
  for (const c of keyring.columns) {
    for (const [k, n] of Object.entries(await countByKey(keyring.db as unknown as Database, c, live))) counts[k] = (counts[k] ?? 0) + n;
  }
  return {
    masterKeyId: keyring.master.current.id,
    activeKeyId: rows.find((r) => r.state === 'active')?.id ?? '',
    rotating: rows.some((r) => r.state === 'retiring'),
    keys: rows.map((r) => ({ keyId: r.id, state: r.state, masterKeyId: r.master_key_id, createdAt: r.created_at, retiredAt: r.retired_at, records: counts[r.id] ?? 0 })),
  };
}
