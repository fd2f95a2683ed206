import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AgentDefinition, AgentMemoryStore } from '../../agents/orchestration/index.js';
import { QuarryError } from '../../core/index.js';
import { resourceArn } from '../../iam/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { validate } from '../shared/parse-body.js';

export interface AgentMemoryRouteDeps {
  memory: AgentMemoryStore;
  resolveAgent: (accountId: string, agentId: string, aliasId: string) => Promise<AgentDefinition>;
  region: string;
}

const AGENT_ID = /^[0-9a-zA-Z]{10}$/;
// Bedrock's own patterns: memoryId [0-9a-zA-Z._:-]{2,100}, sessionId the same.
const memoryId = z.string().regex(/^[0-9a-zA-Z._:-]{2,100}$/, 'memoryId is 2-100 letters, digits, ".", "_", ":" or "-"');
const getQuery = z
  .object({
    memoryId,
    memoryType: z.literal('SESSION_SUMMARY', { message: 'memoryType must be SESSION_SUMMARY' }),
    maxItems: z.coerce.number().int().min(1).max(1000).optional(),
    nextToken: z.string().regex(/^\d{1,6}$/, 'nextToken is not one this server gave').optional(),
  })
  .strict();
const deleteQuery = z.object({ memoryId, sessionId: memoryId.optional() }).strict();

/**
 * GetAgentMemory and DeleteAgentMemory (`/agents/{agentId}/agentAliases/{agentAliasId}/memories`): the session
 * summaries an agent keeps under a caller's memory id, newest first, as `@aws-sdk/client-bedrock-agent-runtime` reads
 * them. Authorized on the alias like InvokeAgent. A summary's `sessionExpiryTime` is when the agent's storage days run
 * out for it; no start time is given, because only the end of a session is recorded.
 */
export function agentMemoryRoutes(deps: AgentMemoryRouteDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const target = async (c: Context<ApiEnv>, action: 'bedrock:GetAgentMemory' | 'bedrock:DeleteAgentMemory') => {
    const agentId = c.req.param('agentId') ?? '';
    const aliasId = c.req.param('aliasId') ?? '';
    if (!AGENT_ID.test(agentId) || !AGENT_ID.test(aliasId)) throw new QuarryError('ValidationException', 'agentId and agentAliasId are 10 letters or digits.');
    const accountId = scopeOf(c);
    await authorizeRequest(c, action, resourceArn({ type: 'agent-alias', id: `${agentId}/${aliasId}`, region: deps.region, accountId }));
    const agent = await deps.resolveAgent(accountId, agentId, aliasId);
    return { accountId, agent };
  };

  app.get('/agents/:agentId/agentAliases/:aliasId/memories', async (c) => {
    const { accountId, agent } = await target(c, 'bedrock:GetAgentMemory');
    const q = validate(getQuery, c.req.query(), 'GetAgentMemory request');
    if (!agent.memory?.enabled) return c.json({ memoryContents: [] });
    const days = agent.memory.storageDays;
    const all = (await deps.memory.recent({ accountId, agentId: agent.agentId, memoryId: q.memoryId }, days, Number.MAX_SAFE_INTEGER)).reverse();
    const start = q.nextToken ? Number(q.nextToken) : 0;
    const page = all.slice(start, start + (q.maxItems ?? 100));
    const next = start + page.length < all.length ? String(start + page.length) : undefined;
    return c.json({
      memoryContents: page.map((s) => ({
        sessionSummary: { memoryId: q.memoryId, sessionId: s.sessionId, sessionExpiryTime: new Date(s.at + days * 86_400_000).toISOString(), summaryText: s.summary },
      })),
      ...(next ? { nextToken: next } : {}),
    });
  });

  app.delete('/agents/:agentId/agentAliases/:aliasId/memories', async (c) => {
    const { accountId, agent } = await target(c, 'bedrock:DeleteAgentMemory');
    const q = validate(deleteQuery, c.req.query(), 'DeleteAgentMemory request');
    await deps.memory.delete({ accountId, agentId: agent.agentId, memoryId: q.memoryId }, q.sessionId);
    return c.json({}, 202);
  });

  return app;
}
