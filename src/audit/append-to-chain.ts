import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../store/index.js';
import { GENESIS_HASH, hashAuditRow } from './audit-chain.js';
import type { AuditEventsTable, AuditTables } from './tables.js';

export type UnchainedRow = Omit<AuditEventsTable, 'account_id' | 'seq' | 'prev_hash' | 'hash'>;

/** Another writer moved the head between our read and our compare-and-set. */
class ChainMoved extends Error {}

const MAX_ATTEMPTS = 50;
// SQLite caps bound parameters per statement (32766); 27 columns a row.
const INSERT_CHUNK = 200;

/**
 * Appends rows to one account's chain in one transaction: read the head, link and hash the rows after it, move the head
 * with a compare-and-set on its sequence number, insert. Writers in other processes (replicas on one PostgreSQL)
 * serialise on the head row: the loser of a race finds the head moved (its UPDATE matches nothing, or its INSERT of a
 * first head or of an already-taken (account, seq) breaks a unique constraint), rolls back and tries again on the new
 * head. So the chain stays one line however many replicas write, and a batch costs one transaction, not one per event.
 *
 * A retry after a commit whose acknowledgement was lost would append the same events again; rows whose ids are
 * already stored are dropped first, so each event is stored once.
 */
export async function appendToChain(db: Kysely<AuditTables>, accountId: string, rows: readonly UnchainedRow[]): Promise<{ stored: number; conflicts: number }> {
  let pending = rows;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction().execute(async (trx) => {
        const head = await trx.selectFrom('audit_chain_heads').select(['seq', 'hash']).where('account_id', '=', accountId).executeTakeFirst();
        const headSeq = head ? Number(head.seq) : 0;
        let seq = headSeq;
        let prev = head?.hash ?? GENESIS_HASH;
        const chained: AuditEventsTable[] = pending.map((r) => {
          const row = { ...r, account_id: accountId, seq: ++seq, prev_hash: prev };
          prev = hashAuditRow(row);
          return { ...row, hash: prev };
        });
        const now = new Date().toISOString();
        if (!head) {
          await trx.insertInto('audit_chain_heads').values({ account_id: accountId, seq, hash: prev, updated_at: now }).execute();
        } else {
          const moved = await trx
            .updateTable('audit_chain_heads')
            .set({ seq, hash: prev, updated_at: now })
            .where('account_id', '=', accountId)
            .where('seq', '=', headSeq)
            .executeTakeFirst();
          if (Number(moved.numUpdatedRows) !== 1) throw new ChainMoved();
        }
        for (let i = 0; i < chained.length; i += INSERT_CHUNK) await trx.insertInto('audit_events').values(chained.slice(i, i + INSERT_CHUNK)).execute();
      });
      return { stored: pending.length, conflicts: attempt - 1 };
    } catch (e) {
      if (!(e instanceof ChainMoved || isUniqueViolation(e)) || attempt >= MAX_ATTEMPTS) throw e;
      if (isUniqueViolation(e)) {
        const stored = await storedIds(db, pending.map((r) => r.id));
        if (stored.size) pending = pending.filter((r) => !stored.has(r.id));
        if (!pending.length) return { stored: 0, conflicts: attempt };
      }
      // Jittered backoff: writers that collided should not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)));
    }
  }
}

async function storedIds(db: Kysely<AuditTables>, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('audit_events').select('id').where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}
