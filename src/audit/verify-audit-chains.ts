import type { Kysely } from 'kysely';
import { GENESIS_HASH, hashAuditRow } from './audit-chain.js';
import type { AuditTables } from './tables.js';

/** A hash an operator noted earlier (from a previous report), kept outside the database to catch a chain rewritten whole. */
export interface ChainAnchor {
  accountId: string;
  sequence: number;
  hash: string;
}

export interface VerifyOptions {
  /** Only this account's chain; absent: every chain. */
  accountId?: string;
  anchors?: readonly ChainAnchor[];
}

export type ChainBreakReason =
  /** The event's content no longer matches its hash: a column was edited (a swap of two events reads so too). */
  | 'modified'
  /** Sequence numbers skip: events were deleted. */
  | 'missing'
  /** The event is intact but does not link to the one before it: events were reordered, or one was forged in between. */
  | 'unlinked'
  /** Events beyond the chain's recorded head: appended by someone other than the audit writer. */
  | 'unexpected'
  /** The chain stops before its recorded head: events were deleted from the end. */
  | 'truncated'
  /** The last event and the recorded head disagree. */
  | 'head-mismatch'
  /** The chain disagrees with a hash noted earlier. */
  | 'anchor-mismatch';

export interface ChainBreak {
  sequence: number;
  eventId: string | null;
  reason: ChainBreakReason;
  message: string;
}

export interface ChainReport {
  accountId: string;
  valid: boolean;
  /** Events checked (up to the first break). */
  events: number;
  head: { sequence: number; hash: string } | null;
  firstBreak?: ChainBreak;
}

export interface VerifyReport {
  valid: boolean;
  eventsChecked: number;
  chains: ChainReport[];
}

const PAGE = 1000;

/**
 * Walks each account's chain in sequence order, recomputing every hash, and stops at the first broken link. Safe while
 * writers append: the head is read before the walk and only events up to it are checked (events and head commit
 * together, so all of those are visible); events past the head are looked for before the head is read again, so an
 * append racing the check cannot pass for a forged one.
 */
export async function verifyAuditChains(db: Kysely<AuditTables>, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const accounts = opts.accountId !== undefined ? [opts.accountId] : await chainAccounts(db);
  const chains: ChainReport[] = [];
  for (const accountId of accounts) chains.push(await verifyChain(db, accountId, opts.anchors?.filter((a) => a.accountId === accountId) ?? []));
  return { valid: chains.every((c) => c.valid), eventsChecked: chains.reduce((n, c) => n + c.events, 0), chains };
}

async function chainAccounts(db: Kysely<AuditTables>): Promise<string[]> {
  const heads = await db.selectFrom('audit_chain_heads').select('account_id').execute();
  const events = await db.selectFrom('audit_events').select('account_id').distinct().execute();
  return [...new Set([...heads, ...events].map((r) => r.account_id))].sort();
}

async function readHead(db: Kysely<AuditTables>, accountId: string) {
  const h = await db.selectFrom('audit_chain_heads').select(['seq', 'hash']).where('account_id', '=', accountId).executeTakeFirst();
  return h ? { sequence: Number(h.seq), hash: h.hash } : null;
}

async function verifyChain(db: Kysely<AuditTables>, accountId: string, anchors: readonly ChainAnchor[]): Promise<ChainReport> {
  const head = await readHead(db, accountId);
  const report = (events: number, firstBreak?: ChainBreak): ChainReport => ({ accountId, valid: !firstBreak, events, head, ...(firstBreak ? { firstBreak } : {}) });
  const bySeq = new Map(anchors.map((a) => [a.sequence, a.hash]));
  const headSeq = head?.sequence ?? 0;
  let lastSeq = 0;
  let prev = GENESIS_HASH;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('seq', '>', lastSeq)
      .where('seq', '<=', headSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (!Number.isInteger(seq) || seq <= lastSeq) {
        return report(count, { sequence: seq, eventId: row.id, reason: 'unexpected', message: `event ${row.id} has the sequence number ${row.seq}, which no writer assigns: it was inserted` });
      }
      if (seq !== lastSeq + 1) {
        const gap = seq - lastSeq - 1;
        return report(count, {
          sequence: lastSeq + 1,
          eventId: null,
          reason: 'missing',
          message: `${gap === 1 ? `event ${lastSeq + 1} is` : `events ${lastSeq + 1} to ${seq - 1} are`} missing: deleted from the chain`,
        });
      }
      if (hashAuditRow(row) !== row.hash) {
        return report(count, { sequence: seq, eventId: row.id, reason: 'modified', message: `event ${seq} (${row.id}) was modified: its content does not match its hash` });
      }
      if (row.prev_hash !== prev) {
        return report(count, {
          sequence: seq,
          eventId: row.id,
          reason: 'unlinked',
          message: `event ${seq} (${row.id}) does not follow event ${lastSeq}: events were reordered or replaced`,
        });
      }
      const anchored = bySeq.get(seq);
      if (anchored !== undefined && anchored !== row.hash) {
        return report(count, { sequence: seq, eventId: row.id, reason: 'anchor-mismatch', message: `event ${seq} (${row.id}) has hash ${row.hash}, not the anchored ${anchored}: the chain was rewritten` });
      }
      prev = row.hash;
      lastSeq = seq;
      count++;
    }
    if (rows.length < PAGE) break;
  }
  if (lastSeq < headSeq) {
    return report(count, { sequence: lastSeq + 1, eventId: null, reason: 'truncated', message: `the chain ends at event ${lastSeq} but its head is at ${headSeq}: events were deleted from the end` });
  }
  if (head && head.hash !== prev) {
    return report(count, { sequence: headSeq, eventId: null, reason: 'head-mismatch', message: `the chain's head names hash ${head.hash} but event ${headSeq} has ${prev}` });
  }
  for (const a of anchors) {
    if (a.sequence > headSeq) {
      return report(count, { sequence: a.sequence, eventId: null, reason: 'anchor-mismatch', message: `the anchored event ${a.sequence} is beyond the chain's end (${headSeq}): the chain was cut back` });
    }
  }
  // Rows the walk cannot reach (a sequence number below 1) were put there by hand.
  const stray = await db.selectFrom('audit_events').select(['id', 'seq']).where('account_id', '=', accountId).where('seq', '<', 1).limit(1).executeTakeFirst();
  if (stray) {
    return report(count, { sequence: Number(stray.seq), eventId: stray.id, reason: 'unexpected', message: `event ${stray.id} has the sequence number ${stray.seq}, which no writer assigns: it was inserted` });
  }
  // Highest stored sequence first, the head second: an append committed in between moves the head past it.
  const max = await db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).where('account_id', '=', accountId).executeTakeFirst();
  const maxSeq = max?.seq === null || max?.seq === undefined ? 0 : Number(max.seq);
  const nowHead = await readHead(db, accountId);
  if (maxSeq > (nowHead?.sequence ?? 0)) {
    const extraSeq = (nowHead?.sequence ?? 0) + 1;
    const extra = await db.selectFrom('audit_events').select(['id', 'seq']).where('account_id', '=', accountId).where('seq', '>=', extraSeq).orderBy('seq').limit(1).executeTakeFirst();
    const seq = extra ? Number(extra.seq) : extraSeq;
    return report(count, {
      sequence: seq,
      eventId: extra?.id ?? null,
      reason: 'unexpected',
      message: nowHead ? `event ${seq} lies beyond the chain's head (${nowHead.sequence}): it was inserted` : `events exist but the chain has no head: they were inserted`,
    });
  }
  return report(count);
}
