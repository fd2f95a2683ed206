import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { hashKey } from './key-store.js';
import type { ConsoleSignInTables } from './oidc/console-sign-in-tables.js';
import type { Principal } from './principal.js';
import type { IamTables } from './tables.js';

export interface NewConsoleSession {
  sessionId: string;
  /** The cookie value; shown once, stored only as its sha256. */
  token: string;
  expiresAt: Date;
}

export interface ConsoleSessionView {
  sessionId: string;
  principal: Principal;
  method: string;
  subject: string | null;
  expiresAt: string;
}

// Every console request authenticates, so lookups are cached briefly like keys are (key-store.ts): a session revoked
// on this replica is dropped at once, one revoked on another stops working within this many milliseconds.
const CACHE_MS = 5_000;
const MAX_CACHED = 10_000;

/**
 * Console sessions opened by OpenID Connect sign-in: a random 256-bit token in an HttpOnly cookie, its hash in the
 * store, an absolute expiry, and revocation at sign-out. The principal is read from the user's row at lookup, so a
 * deleted user's sessions stop working and a changed administrator flag applies.
 */
export class ConsoleSessions {
  private readonly db: Kysely<ConsoleSignInTables & IamTables>;
  private readonly cache = new Map<string, { view: ConsoleSessionView | undefined; until: number }>();

  constructor(
    db: Database,
    private readonly defaultAccountId: string,
    private readonly now: () => number = Date.now,
  ) {
    this.db = db.withTables<ConsoleSignInTables & IamTables>();
  }

  async create(principalId: string, ttlMs: number, method: string, subject: string | null): Promise<NewConsoleSession> {
    const token = `qs-${randomBytes(32).toString('base64url')}`;
    const sessionId = `s-${randomUUID()}`;
    const now = this.now();
    const expiresAt = new Date(now + ttlMs);
    // Expired rows are useless; deleting them here keeps the table to the sessions alive, with no sweeper to run.
    await this.db.deleteFrom('console_sessions').where('expires_at', '<', new Date(now - 86_400_000).toISOString()).execute();
    await this.db
      .insertInto('console_sessions')
      .values({
        id: sessionId,
        token_hash: hashKey(token),
        principal_id: principalId,
        method,
        subject,
        created_at: new Date(now).toISOString(),
        expires_at: expiresAt.toISOString(),
        revoked_at: null,
      })
      .execute();
    return { sessionId, token, expiresAt };
  }

  /** The live session a cookie names, or undefined (unknown, expired, revoked, or its user deleted). */
  async lookup(token: string): Promise<ConsoleSessionView | undefined> {
    if (!token.startsWith('qs-') || token.length > 128) return undefined;
    const hash = hashKey(token);
    const now = this.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.view && Date.parse(hit.view.expiresAt) > now ? hit.view : undefined;
    const row = await this.db
      .selectFrom('console_sessions as s')
      .innerJoin('principals as p', 'p.id', 's.principal_id')
      .select(['s.id', 's.method', 's.subject', 's.expires_at', 's.revoked_at', 'p.id as pid', 'p.name', 'p.is_admin', 'p.account_id'])
      .where('s.token_hash', '=', hash)
      .executeTakeFirst();
    const view =
      row && row.revoked_at === null && Date.parse(row.expires_at) > now
        ? {
            sessionId: row.id,
            method: row.method,
            subject: row.subject,
            expiresAt: row.expires_at,
            principal: {
              id: row.pid,
              name: row.name,
              keyId: row.id,
              isAdmin: Number(row.is_admin) === 1,
              accountId: row.account_id ?? this.defaultAccountId,
              authMethod: 'session' as const,
            },
          }
        : undefined;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(hash, { view, until: now + CACHE_MS });
    return view;
  }

  /** Revokes the session a cookie names; true when there was a live one. */
  async revoke(token: string): Promise<boolean> {
    const hash = hashKey(token);
    this.cache.delete(hash);
    const r = await this.db
      .updateTable('console_sessions')
      .set({ revoked_at: new Date(this.now()).toISOString() })
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
