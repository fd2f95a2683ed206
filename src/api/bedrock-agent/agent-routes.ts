import { Hono } from 'hono';
import { type AgentsModule, createAgentSchema, createAliasSchema, listSchema, updateAgentSchema, updateAliasSchema } from '../../agents/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { scopeOf } from '../shared/authorize-request.js';
import { both, bodyReader, onAgent, onAlias, onAny, skipInUseCheck } from './agent-route-helpers.js';
import { page } from './pagination.js';

/**
 * The agent half of the Bedrock Agents control plane (`@aws-sdk/client-bedrock-agent`): agents, PrepareAgent, versions
 * and aliases. Paths and status codes are the SDK's; every call is authorized on the agent's (or alias's) ARN in the
 * caller's account and confined to it. Action groups, knowledge bases and collaborators are in agent-part-routes.ts.
 */
export function agentRoutes(agents: AgentsModule, region: string, maxBodyBytes: number): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const body = bodyReader(maxBodyBytes);
  const s = agents.service;

  for (const path of both('/agents/')) {
    app.put(path, async (c) => {
      await onAny(c, 'bedrock:CreateAgent');
      const input = await body.json(c, createAgentSchema, 'CreateAgent request');
      return c.json({ agent: await s.createAgent(scopeOf(c), input) }, 202);
    });
    app.post(path, async (c) => {
      await onAny(c, 'bedrock:ListAgents');
      const q = await body.optional(c, listSchema, 'ListAgents request');
      const scope = scopeOf(c);
      const { items, nextToken } = await page(q.maxResults, q.nextToken, (limit, after) => s.listAgents(scope, limit, after), (i) => i.key);
      return c.json({ agentSummaries: items.map((i) => i.summary), ...(nextToken ? { nextToken } : {}) });
    });
  }

  for (const path of both('/agents/:agentId/')) {
    app.get(path, async (c) => {
      await onAgent(c, region, 'bedrock:GetAgent');
      return c.json({ agent: await s.getAgent(scopeOf(c), c.req.param('agentId')!) });
    });
    app.put(path, async (c) => {
      await onAgent(c, region, 'bedrock:UpdateAgent');
      const input = await body.json(c, updateAgentSchema, 'UpdateAgent request');
      return c.json({ agent: await s.updateAgent(scopeOf(c), c.req.param('agentId')!, input) }, 202);
    });
    app.delete(path, async (c) => {
      await onAgent(c, region, 'bedrock:DeleteAgent');
      return c.json(await s.deleteAgent(scopeOf(c), c.req.param('agentId')!, skipInUseCheck(c)), 202);
    });
    // PrepareAgent is a POST on the agent itself.
    app.post(path, async (c) => {
      await onAgent(c, region, 'bedrock:PrepareAgent');
      return c.json(await s.prepareAgent(scopeOf(c), c.req.param('agentId')!), 202);
    });
  }

  for (const path of both('/agents/:agentId/agentversions/')) {
    app.post(path, async (c) => {
      await onAgent(c, region, 'bedrock:ListAgentVersions');
      const q = await body.optional(c, listSchema, 'ListAgentVersions request');
      const scope = scopeOf(c);
      const agentId = c.req.param('agentId')!;
      const { items, nextToken } = await page(q.maxResults, q.nextToken, (limit, after) => s.listVersions(scope, agentId, limit, after), (i) => i.key);
      return c.json({ agentVersionSummaries: items.map((i) => i.summary), ...(nextToken ? { nextToken } : {}) });
    });
  }
  for (const path of both('/agents/:agentId/agentversions/:agentVersion/')) {
    app.get(path, async (c) => {
      await onAgent(c, region, 'bedrock:GetAgentVersion');
      const { agentId, agentVersion } = c.req.param() as { agentId: string; agentVersion: string };
      return c.json({ agentVersion: await s.getVersion(scopeOf(c), agentId, agentVersion) });
    });
    app.delete(path, async (c) => {
      await onAgent(c, region, 'bedrock:DeleteAgentVersion');
      const { agentId, agentVersion } = c.req.param() as { agentId: string; agentVersion: string };
      return c.json(await s.deleteVersion(scopeOf(c), agentId, agentVersion), 202);
    });
  }

  for (const path of both('/agents/:agentId/agentaliases/')) {
    app.put(path, async (c) => {
      await onAgent(c, region, 'bedrock:CreateAgentAlias');
      const input = await body.json(c, createAliasSchema, 'CreateAgentAlias request');
      return c.json({ agentAlias: await s.createAlias(scopeOf(c), c.req.param('agentId')!, input) }, 202);
    });
    app.post(path, async (c) => {
      await onAgent(c, region, 'bedrock:ListAgentAliases');
      const q = await body.optional(c, listSchema, 'ListAgentAliases request');
      const scope = scopeOf(c);
      const agentId = c.req.param('agentId')!;
      const { items, nextToken } = await page(q.maxResults, q.nextToken, (limit, after) => s.listAliases(scope, agentId, limit, after), (i) => i.key);
      return c.json({ agentAliasSummaries: items.map((i) => i.summary), ...(nextToken ? { nextToken } : {}) });
    });
  }
  for (const path of both('/agents/:agentId/agentaliases/:agentAliasId/')) {
    app.get(path, async (c) => {
      await onAlias(c, region, 'bedrock:GetAgentAlias');
      const { agentId, agentAliasId } = c.req.param() as { agentId: string; agentAliasId: string };
      return c.json({ agentAlias: await s.getAlias(scopeOf(c), agentId, agentAliasId) });
    });
    app.put(path, async (c) => {
      await onAlias(c, region, 'bedrock:UpdateAgentAlias');
      const input = await body.json(c, updateAliasSchema, 'UpdateAgentAlias request');
      const { agentId, agentAliasId } = c.req.param() as { agentId: string; agentAliasId: string };
      return c.json({ agentAlias: await s.updateAlias(scopeOf(c), agentId, agentAliasId, input) }, 202);
    });
    app.delete(path, async (c) => {
      await onAlias(c, region, 'bedrock:DeleteAgentAlias');
      const { agentId, agentAliasId } = c.req.param() as { agentId: string; agentAliasId: string };
      return c.json(await s.deleteAlias(scopeOf(c), agentId, agentAliasId), 202);
    });
  }
  return app;
}
