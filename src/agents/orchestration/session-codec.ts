import { z } from 'zod';
import type { Message } from '../../core/index.js';
import type { ScoredChunk } from '../../knowledge/index.js';
import type { AgentDefinition } from './agent-definition.js';
import type { ReturnControlInput } from './agent-events.js';
import type { AgentSession, PendingCall, PendingReturnControl } from './agent-sessions.js';

/** What a session keeps between invocations, as plain data: no Maps, no executors, no vectors. */
export type StoredSessionState = Pick<AgentSession, 'sessionAttributes' | 'promptSessionAttributes' | 'history' | 'memoryContent' | 'memoryId'>;

const stringMap = z.record(z.string(), z.string());
// Rows are our own writes, possibly by another (older or newer) replica: checked for shape, not re-validated deeply.
const storedCall = z.object({
  toolUseId: z.string(),
  toolName: z.string(),
  group: z.string(),
  fn: z.string(),
  args: z.record(z.string(), z.unknown()),
  input: z.custom<ReturnControlInput>((v) => typeof v === 'object' && v !== null),
  confirmation: z.boolean(),
});
const storedPending = z.object({
  invocationId: z.string(),
  messages: z.array(z.custom<Message>((v) => typeof v === 'object' && v !== null)),
  done: z.array(z.tuple([z.string(), z.object({ text: z.string(), status: z.enum(['success', 'error']) })])),
  toolUseIds: z.array(z.string()),
  calls: z.array(storedCall),
  iterations: z.number().int().nonnegative(),
  tokens: z.number().nonnegative(),
  references: z.array(z.custom<ScoredChunk>((v) => typeof v === 'object' && v !== null)),
  repeats: z.array(z.tuple([z.string(), z.number()])),
  inputText: z.string(),
});
const storedSession = z.object({
  v: z.literal(1),
  sessionAttributes: stringMap,
  promptSessionAttributes: stringMap,
  history: z.array(z.custom<Message>((v) => typeof v === 'object' && v !== null)),
  memoryContent: z.string().optional(),
  memoryId: z.string().optional(),
  pending: storedPending.optional(),
});

/**
 * A session as one JSON document. A pending return of control names its action groups and functions instead of
 * carrying them: the executors hold operator secrets (HTTP headers) that have no business in the store, and on resume
 * they are taken from the agent as it runs now.
 */
export function encodeSession(s: AgentSession): string {
  const p = s.pending;
  return JSON.stringify({
    v: 1,
    sessionAttributes: s.sessionAttributes,
    promptSessionAttributes: s.promptSessionAttributes,
    history: s.history,
    ...(s.memoryContent !== undefined ? { memoryContent: s.memoryContent } : {}),
    ...(s.memoryId !== undefined ? { memoryId: s.memoryId } : {}),
    ...(p
      ? {
          pending: {
            invocationId: p.invocationId,
            messages: p.messages,
            done: [...p.done],
            toolUseIds: p.toolUseIds,
            calls: p.calls.map((c) => ({ toolUseId: c.toolUseId, toolName: c.toolName, group: c.group.name, fn: c.fn.name, args: c.args, input: c.input, confirmation: c.confirmation })),
            iterations: p.iterations,
            tokens: p.tokens,
            references: p.references.map(({ vector: _vector, ...rest }) => rest),
            repeats: [...p.repeats],
            inputText: p.inputText,
          },
        }
      : {}),
  });
}

/**
 * The session stored as `json`, or undefined when it cannot be read (then the caller starts a fresh one rather than
 * fail every later invocation on a bad row). A return of control whose action no longer exists in `agent` — the
 * alias moved to a version without it — is dropped, so its results are refused as answering nothing.
 */
export function decodeSession(json: string, agent: AgentDefinition): Omit<AgentSession, 'busy' | 'lastUsed' | 'ttlMs'> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const r = storedSession.safeParse(raw);
  if (!r.success) return undefined;
  const d = r.data;
  return {
    sessionAttributes: d.sessionAttributes,
    promptSessionAttributes: d.promptSessionAttributes,
    history: d.history,
    ...(d.memoryContent !== undefined ? { memoryContent: d.memoryContent } : {}),
    ...(d.memoryId !== undefined ? { memoryId: d.memoryId } : {}),
    ...(d.pending ? pendingOf(d.pending, agent) : {}),
  };
}

function pendingOf(p: z.infer<typeof storedPending>, agent: AgentDefinition): { pending?: PendingReturnControl } {
  const calls: PendingCall[] = [];
  for (const c of p.calls) {
    const group = agent.actionGroups.find((g) => g.name === c.group);
    const fn = group?.functions.find((f) => f.name === c.fn);
    if (!group || !fn) return {};
    calls.push({ toolUseId: c.toolUseId, toolName: c.toolName, group, fn, args: c.args, input: c.input, confirmation: c.confirmation });
  }
  return {
    pending: {
      invocationId: p.invocationId,
      messages: p.messages,
      done: new Map(p.done),
      toolUseIds: p.toolUseIds,
      calls,
      iterations: p.iterations,
      tokens: p.tokens,
      references: p.references,
      repeats: new Map(p.repeats),
      inputText: p.inputText,
    },
  };
}
