import { type Message, QuarryError } from '../../core/index.js';
import type { ScoredChunk } from '../../knowledge/index.js';
import type { AgentActionGroup, AgentFunction } from './agent-definition.js';
import type { ReturnControlInput } from './agent-events.js';
import type { AgentSessionStore, HeldSession, SessionRef } from './agent-session-store.js';

/** A call handed to the caller (return of control, or a confirmation to ask for), waiting for its result. */
export interface PendingCall {
  toolUseId: string;
  toolName: string;
  group: AgentActionGroup;
  fn: AgentFunction;
  args: Record<string, unknown>;
  input: ReturnControlInput;
  /** Asked for a confirmation only: on CONFIRM the loop runs the action itself. */
  confirmation: boolean;
}

/** Where an invocation stopped to return control, so the next call with the results can carry on. */
export interface PendingReturnControl {
  invocationId: string;
  /** The conversation up to and including the model's turn that asked for the calls. */
  messages: Message[];
  /** Results of the calls of that turn that were not handed to the caller, in the order the model asked. */
  done: Map<string, { text: string; status: 'success' | 'error' }>;
  toolUseIds: string[];
  calls: PendingCall[];
  iterations: number;
  tokens: number;
  references: ScoredChunk[];
  repeats: Map<string, number>;
  inputText: string;
}

export interface AgentSession {
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
  /** User questions and the agent's answers, oldest first; tool chatter is not kept between invocations. */
  history: Message[];
  pending?: PendingReturnControl;
  /** Memory summaries already loaded for this session (from a memoryId), so each invocation need not re-read. */
  memoryContent?: string;
  memoryId?: string;
  busy: boolean;
  lastUsed: number;
  ttlMs: number;
}

export interface AgentSessionsOptions {
  /** Least recently used sessions are dropped beyond this many. */
  maxSessions?: number;
  now?: () => number;
}

/** Pairs of messages (question, answer) kept per session; older ones fall off. */
const MAX_HISTORY_MESSAGES = 40;

/**
 * Sessions in this process's memory, keyed by account, agent, alias and session id, each expiring after its agent's
 * idle TTL. For one process (the orchestrator's default and its tests); with several replicas the server keeps them
 * in the store (StoreAgentSessions), where a session continues on whichever replica the next request lands.
 */
export class AgentSessions implements AgentSessionStore {
  private readonly sessions = new Map<string, AgentSession>();
  private readonly max: number;
  private readonly now: () => number;

  constructor(opts: AgentSessionsOptions = {}) {
    this.max = opts.maxSessions ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  static key(accountId: string, agentId: string, aliasId: string, sessionId: string): string {
    return `${accountId}\u0000${agentId}\u0000${aliasId}\u0000${sessionId}`;
  }

  async acquire(ref: SessionRef, ttlMs: number): Promise<HeldSession> {
    const key = AgentSessions.key(ref.accountId, ref.agentId, ref.aliasId, ref.sessionId);
    const session = this.open(key, ttlMs);
    if (session.busy) throw new QuarryError('ConflictException', `Session ${ref.sessionId} is already handling an invocation; wait for it to finish.`);
    session.busy = true;
    return {
      session,
      save: async () => {
        session.busy = false;
        this.touch(session);
      },
      end: async () => {
        session.busy = false;
        this.end(key);
      },
    };
  }

  /** The live session under `key`, or a fresh one when there is none or it sat idle past its TTL. */
  open(key: string, ttlMs: number): AgentSession {
    const now = this.now();
    let s = this.sessions.get(key);
    if (s && !s.busy && now - s.lastUsed > s.ttlMs) s = undefined;
    if (s) this.sessions.delete(key);
    else s = { sessionAttributes: {}, promptSessionAttributes: {}, history: [], busy: false, lastUsed: now, ttlMs };
    s.ttlMs = ttlMs;
    s.lastUsed = now;
    // Re-inserted so the map's order is least recently used first.
    this.sessions.set(key, s);
    this.evict(now);
    return s;
  }

  /** The session if it exists and has not expired, without creating or refreshing it. */
  peek(key: string): AgentSession | undefined {
    const s = this.sessions.get(key);
    return s && (s.busy || this.now() - s.lastUsed <= s.ttlMs) ? s : undefined;
  }

  touch(s: AgentSession): void {
    s.lastUsed = this.now();
  }

  end(key: string): void {
    this.sessions.delete(key);
  }

  get size(): number {
    return this.sessions.size;
  }

  private evict(now: number): void {
    for (const [k, s] of this.sessions) {
      if (this.sessions.size <= this.max && now - s.lastUsed <= s.ttlMs) break;
      if (s.busy) continue;
      this.sessions.delete(k);
    }
  }
}

/** Keeps the latest exchanges, starting at a user message so the conversation stays well formed. */
export function trimHistory(history: Message[]): Message[] {
  if (history.length <= MAX_HISTORY_MESSAGES) return history;
  let start = history.length - MAX_HISTORY_MESSAGES;
  while (start < history.length && history[start]!.role !== 'user') start++;
  return history.slice(start);
}
