import { sql } from 'kysely';
import type { Database } from '../store/index.js';
import { ENVELOPE_VERSION, isEnvelope } from './envelope.js';

/** A text column whose values are sealed secrets, keyed by a text primary key. Declared by the domain that owns it. */
export interface SealedColumn {
  table: string;
  id: string;
  column: string;
}

/** The AAD of a record's secret: a value copied to another row or column does not open there. */
export const sealContext = (table: string, column: string, id: string) => `${table}.${column}:${id}`;

const label = (c: SealedColumn) => `${c.table}.${c.column}`;

interface Row {
  id: string;
  v: string;
}

async function page(db: Database, c: SealedColumn, where: ReturnType<typeof sql>, after: string | undefined, limit: number): Promise<Row[]> {
  const r = await sql<Row>`select ${sql.ref(c.id)} as id, ${sql.ref(c.column)} as v from ${sql.table(c.table)}
    where ${where} ${after === undefined ? sql`` : sql`and ${sql.ref(c.id)} > ${after}`}
    order by ${sql.ref(c.id)} limit ${limit}`.execute(db);
  return r.rows;
}

/**
 * Rewrites, batch by batch, each value of the column that `select` picks with `transform(value, id)`. Every update is
 * conditional on the value being unchanged since it was read, so a record a request rewrote meanwhile is left to the
 * next pass instead of being overwritten with stale content. Yields between batches: serving continues.
 */
async function rewriteColumn(
  db: Database,
  c: SealedColumn,
  where: ReturnType<typeof sql>,
  transform: (value: string, id: string) => string | Promise<string>,
  batchSize: number,
): Promise<{ seen: number; written: number }> {
  let after: string | undefined;
  let seen = 0;
  let written = 0;
  for (;;) {
    const rows = await page(db, c, where, after, batchSize);
    if (!rows.length) break;
    const updates: { id: string; from: string; to: string }[] = [];
    for (const r of rows) updates.push({ id: r.id, from: r.v, to: await transform(r.v, r.id) });
    await db.transaction().execute(async (tx) => {
      for (const u of updates) {
        const res = await sql`update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${u.to}
          where ${sql.ref(c.id)} = ${u.id} and ${sql.ref(c.column)} = ${u.from}`.execute(tx);
        written += Number(res.numAffectedRows ?? 0n);
      }
    });
    seen += rows.length;
    after = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) break;
    await new Promise((r) => setImmediate(r));
  }
  return { seen, written };
}

// `_` is a LIKE wildcard; key ids are letters, digits and `-` only, so the prefix needs no escaping.
const sealedWith = (c: SealedColumn, keyId: string) => sql`${sql.ref(c.column)} like ${`${ENVELOPE_VERSION}.${keyId}.%`}`;

/** Moves every value sealed under `fromKey` to another key (the caller's `rewrap`); the count it rewrote. */
export async function rewrapColumn(db: Database, c: SealedColumn, fromKey: string, rewrap: (v: string) => string, batchSize: number): Promise<number> {
  return (await rewriteColumn(db, c, sealedWith(c, fromKey), rewrap, batchSize)).written;
}

/** Values not yet sealed as envelopes (plaintext, or an earlier format `toPlain` understands), sealed now. */
export async function sealUnsealedRows(
  db: Database,
  c: SealedColumn,
  seal: (plain: string, context: string) => Promise<string>,
  toPlain: (v: string) => string,
  batchSize: number,
): Promise<number> {
  const where = sql`${sql.ref(c.column)} is not null and ${sql.ref(c.column)} not like ${`${ENVELOPE_VERSION}.%`}`;
  const r = await rewriteColumn(db, c, where, (v, id) => (isEnvelope(v) ? v : seal(toPlain(v), sealContext(c.table, c.column, id))), batchSize);
  return r.written;
}

/** One value of the column in an earlier format, if any (to check the master key opens it before anything is written). */
export async function firstUnsealed(db: Database, c: SealedColumn): Promise<string | undefined> {
  const rows = await page(db, c, sql`${sql.ref(c.column)} is not null and ${sql.ref(c.column)} not like ${`${ENVELOPE_VERSION}.%`}`, undefined, 1);
  return rows[0]?.v;
}

/** How many values of the column each key seals. */
export async function countByKey(db: Database, c: SealedColumn, keyIds: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const k of keyIds) {
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(c.table)} where ${sealedWith(c, k)}`.execute(db);
    out[k] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

export { label as sealedColumnLabel };
