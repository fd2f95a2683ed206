import { type Kysely, sql } from 'kysely';
import { type AuditEvent, type AuditOutcome, type AuditCategory, auditEventView } from './audit-event.js';
import type { AuditTables } from './tables.js';

export interface AuditQuery {
  /** Only this account's events; absent: every account (the server operator only — the route decides who may). */
  accountId?: string;
  /** Inclusive, ISO 8601 in UTC as toISOString writes it. */
  startTime?: string;
  /** Exclusive. */
  endTime?: string;
  /** A principal's id or user name. */
  principal?: string;
  /** An IAM action (`bedrock:CreateKnowledgeBase`) or an event name (`Converse`). */
  action?: string;
  /** Events naming at least one resource ARN that starts with this, matched case-sensitively. */
  resourcePrefix?: string;
  outcome?: AuditOutcome;
  category?: AuditCategory;
  maxResults: number;
  /** Where the previous page stopped (its `nextToken`). */
  after?: AuditCursor;
}

/** Newest first: the event time, then the id to order events of one millisecond. */
export interface AuditCursor {
  time: string;
  id: string;
}

export interface AuditPage {
  events: AuditEvent[];
  next?: AuditCursor;
}

/**
 * One page of events, newest first, by keyset pagination on (event_time, id): stable while new events arrive, and each
 * page costs an index range scan rather than an OFFSET that grows with the page number.
 */
export async function queryAuditEvents(db: Kysely<AuditTables>, dialect: 'sqlite' | 'postgres', q: AuditQuery): Promise<AuditPage> {
  let s = db.selectFrom('audit_events').selectAll();
  if (q.accountId !== undefined) s = s.where('account_id', '=', q.accountId);
  if (q.startTime) s = s.where('event_time', '>=', q.startTime);
  if (q.endTime) s = s.where('event_time', '<', q.endTime);
  if (q.principal) {
    const p = q.principal;
    s = s.where((eb) => eb.or([eb('principal_id', '=', p), eb('principal_name', '=', p)]));
  }
  if (q.action) {
    const a = q.action;
    s = s.where((eb) => eb.or([eb('action', '=', a), eb('event_name', '=', a)]));
  }
  if (q.outcome) s = s.where('outcome', '=', q.outcome);
  if (q.category) s = s.where('category', '=', q.category);
  if (q.resourcePrefix) s = s.where(resourcePrefixMatch(dialect, q.resourcePrefix));
  if (q.after) {
    const { time, id } = q.after;
    s = s.where((eb) => eb.or([eb('event_time', '<', time), eb.and([eb('event_time', '=', time), eb('id', '<', id)])]));
  }
  const rows = await s
    .orderBy('event_time', 'desc')
    .orderBy('id', 'desc')
    .limit(q.maxResults + 1)
    .execute();
  const page = rows.slice(0, q.maxResults);
  const last = page.at(-1);
  return { events: page.map(auditEventView), ...(rows.length > q.maxResults && last ? { next: { time: last.event_time, id: last.id } } : {}) };
}

/**
 * `resources` is a canonical JSON array, so an element starting with the prefix appears as `"` + the prefix as JSON
 * writes it. SQLite's LIKE ignores ASCII case, so SQLite matches with GLOB (case-sensitive); PostgreSQL's LIKE already
 * is. The prefix's own wildcard characters are escaped either way.
 */
function resourcePrefixMatch(dialect: 'sqlite' | 'postgres', prefix: string) {
  const encoded = JSON.stringify(prefix).slice(1, -1);
  if (dialect === 'sqlite') {
    const glob = encoded.replace(/[*?[]/g, (ch) => `[${ch}]`);
    return sql<boolean>`resources GLOB ${`*"${glob}*`}`;
  }
  const like = encoded.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return sql<boolean>`resources LIKE ${`%"${like}%`} ESCAPE '\\'`;
}
