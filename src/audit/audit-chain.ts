import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditEventsTable } from './tables.js';

/** The previous hash of each account's first event. */
export const GENESIS_HASH = '0'.repeat(64);

// Every column but the hash itself, listed rather than spread so that a column added later changes no existing hash
// until it is added here on purpose (with a new chain version).
const HASHED = [
  'id',
  'account_id',
  'seq',
  'event_time',
  'event_name',
  'action',
  'category',
  'read_only',
  'principal_id',
  'principal_name',
  'principal_type',
  'auth_method',
  'key_id',
  'access_key_id',
  'source_ip',
  'user_agent',
  'resources',
  'request_parameters',
  'outcome',
  'error_code',
  'error_message',
  'http_status',
  'request_id',
  'wire_api',
  'prev_hash',
] as const satisfies readonly (keyof AuditEventsTable)[];

// The canonical JSON of a row, by hand: the keys are fixed, so their order and encoding are computed once, and every
// value is a string, a number or null (which JSON.stringify writes exactly as canonicalJson would).
const NUMERIC: ReadonlySet<string> = new Set(['seq', 'read_only', 'http_status']);
const SORTED = ['v', ...HASHED].sort();
const PREFIXES = SORTED.map((k, i) => `${i ? ',' : '{'}${JSON.stringify(k)}:`);
const VERSION = 1;

/**
 * SHA-256 (hex) over the canonical JSON (canonical-json.ts) of the row without its hash, with `v` the chain format's
 * version. Numbers are normalised because a driver may hand back an integer column as a string; everything else is
 * hashed exactly as stored.
 */
export function hashAuditRow(row: Omit<AuditEventsTable, 'hash'>): string {
  let text = '';
  for (let i = 0; i < SORTED.length; i++) {
    const k = SORTED[i]!;
    const value = k === 'v' ? VERSION : (row[k as (typeof HASHED)[number]] ?? null);
    text += PREFIXES[i] + JSON.stringify(NUMERIC.has(k) && value !== null ? Number(value) : value);
  }
  return createHash('sha256').update(`${text}}`).digest('hex');
}

/** The same text through the general serialiser: what hashAuditRow must equal (its test compares the two). */
export function canonicalAuditText(row: Omit<AuditEventsTable, 'hash'>): string {
  const fields: Record<string, unknown> = { v: VERSION };
  for (const k of HASHED) {
    const value = row[k] ?? null;
    fields[k] = NUMERIC.has(k) && value !== null ? Number(value) : value;
  }
  return canonicalJson(fields);
}
