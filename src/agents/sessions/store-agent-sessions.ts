import { randomUUID } from 'node:crypto';
import { QuarryError } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import type { AgentDefinition } from '../orchestration/agent-definition.js';
import type { AgentSessionStore, HeldSession, SessionRef } from '../orchestration/agent-session-store.js';
import type { AgentSession } from '../orchestration/agent-sessions.js';
import { decodeSession, encodeSession } from '../orchestration/session-codec.js';
import type { AgentTables } from '../tables.js';

export interface StoreAgentSessionsOptions {
  /**
   * How long a claim lasts without renewal. The holder renews it every third of this while it runs, so only a replica
   * that died mid-invocation leaves a session claimed, and then for at most this long.
   */
  leaseMs?: number;
  now?: () => number;
}

const DEFAULT_LEASE_MS = 60_000;
/** Expired sessions are deleted by whichever replica next opens one, at most this often. */
const SWEEP_EVERY_MS = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * InvokeAgent sessions in the store, shared by every replica on it. A session is claimed by an atomic conditional
 * write (insert-if-absent, or take-if-unclaimed), so two invocations of one session on two replicas cannot both run:
 * the second is a ConflictException, as on one replica. The state is written back when the invocation lets go.
 */
export class StoreAgentSessions implements AgentSessionStore {
  private readonly db;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(db: Database, opts: StoreAgentSessionsOptions = {}) {
    this.db = db.withTables<AgentTables>();
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.now = opts.now ?? Date.now;
  }

  async acquire(ref: SessionRef, ttlMs: number, agent: AgentDefinition): Promise<HeldSession> {
    const now = this.now();
    this.sweep(now);
    const token = randomUUID();
    const key = { scope: ref.accountId, agent_id: ref.agentId, alias_id: ref.aliasId, session_id: ref.sessionId };
    const claim = { lease_token: token, lease_until: iso(now + this.leaseMs) };
    let state: string | null = null;
    // Twice at most: the row can vanish between the insert that found it and the take (a sweep on some replica
    // deleting it as expired and unclaimed), and then the insert is tried again.
    for (let attempt = 1; ; attempt++) {
      const inserted = await this.db
        .insertInto('agent_sessions')
        .values({ ...key, ...claim, state: null, expires_at: iso(now + ttlMs), updated_at: iso(now) })
        .onConflict((oc) => oc.columns(['scope', 'agent_id', 'alias_id', 'session_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0)) break;
      const taken = await this.byKey(this.db.updateTable('agent_sessions').set(claim), key)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', iso(now))]))
        .returning(['state', 'expires_at'])
        .executeTakeFirst();
      if (taken) {
        // Idle past its TTL: it starts over, whatever it held.
        if (taken.expires_at >= iso(now)) state = taken.state;
        break;
      }
      if (attempt === 2) throw new QuarryError('ConflictException', `Session ${ref.sessionId} is already handling an invocation; wait for it to finish.`);
    }
    const decoded = state ? decodeSession(state, agent) : undefined;
    const session: AgentSession = { sessionAttributes: {}, promptSessionAttributes: {}, history: [], ...decoded, busy: true, lastUsed: now, ttlMs };
    const renew = setInterval(() => {
      this.byKey(this.db.updateTable('agent_sessions').set({ lease_until: iso(this.now() + this.leaseMs) }), key)
        .where('lease_token', '=', token)
        .execute()
        // A failed renewal is retried on the next tick; the lease outlasts two missed ones.
        .catch(() => undefined);
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    renew.unref();
    let released = false;
    const release = () => {
      if (released) return false;
      released = true;
      clearInterval(renew);
      session.busy = false;
      return true;
    };
    return {
      session,
      save: async () => {
        if (!release()) return;
        const at = this.now();
        // Only while still the holder: a claim that lapsed (this replica stalled past the lease) was taken over, and
        // the newer invocation's state wins.
        await this.byKey(
          this.db.updateTable('agent_sessions').set({ state: encodeSession(session), lease_token: null, lease_until: null, expires_at: iso(at + ttlMs), updated_at: iso(at) }),
          key,
        )
          .where('lease_token', '=', token)
          .execute();
      },
      end: async () => {
        if (!release()) return;
        await this.byKey(this.db.deleteFrom('agent_sessions'), key).where('lease_token', '=', token).execute();
      },
    };
  }

  private byKey<Q extends { where: (...a: never[]) => unknown }>(q: Q, key: { scope: string; agent_id: string; alias_id: string; session_id: string }): Q {
    // biome-ignore lint/suspicious/noExplicitAny: the builder's where() is overloaded per query kind; the four columns exist on all of them.
    const w = q as any;
    return w.where('scope', '=', key.scope).where('agent_id', '=', key.agent_id).where('alias_id', '=', key.alias_id).where('session_id', '=', key.session_id);
  }

  /** Deletes sessions idle past their TTL that no one holds; best effort, off the request's path. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const at = iso(now);
    this.db
      .deleteFrom('agent_sessions')
      .where('expires_at', '<', at)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .execute()
      .catch(() => undefined);
  }
}
