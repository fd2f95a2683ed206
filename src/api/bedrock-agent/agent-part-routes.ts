import { Hono } from 'hono';
import {
  type AgentsModule,
  associateCollaboratorSchema,
  associateKnowledgeBaseSchema,
  createActionGroupSchema,
  listSchema,
  updateActionGroupSchema,
  updateAgentKnowledgeBaseSchema,
  updateCollaboratorSchema,
} from '../../agents/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { scopeOf } from '../shared/authorize-request.js';
import { both, bodyReader, onAgent, pageOf, skipInUseCheck } from './agent-route-helpers.js';

type VersionParams = { agentId: string; agentVersion: string };

/**
 * Action groups, knowledge bases and collaborators of an agent version (`/agents/{id}/agentversions/{version}/…`),
 * in the shapes of `@aws-sdk/client-bedrock-agent`. Writes only reach the DRAFT; a numbered version answers reads
 * from its snapshot. Authorized on the agent's ARN, as on Bedrock.
 */
export function agentPartRoutes(agents: AgentsModule, region: string, maxBodyBytes: number): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const body = bodyReader(maxBodyBytes);
  const p = agents.parts;
  const base = '/agents/:agentId/agentversions/:agentVersion';

  for (const path of both(`${base}/actiongroups/`)) {
    app.put(path, async (c) => {
      await onAgent(c, region, 'bedrock:CreateAgentActionGroup');
      const input = await body.json(c, createActionGroupSchema, 'CreateAgentActionGroup request');
      const { agentId, agentVersion } = c.req.param() as VersionParams;
      return c.json({ agentActionGroup: await p.createActionGroup(scopeOf(c), agentId, agentVersion, input) });
    });
    app.post(path, async (c) => {
      await onAgent(c, region, 'bedrock:ListAgentActionGroups');
      const q = await body.optional(c, listSchema, 'ListAgentActionGroups request');
      const { agentId, agentVersion } = c.req.param() as VersionParams;
      const { items, nextToken } = await pageOf(await p.listActionGroups(scopeOf(c), agentId, agentVersion), q.maxResults, q.nextToken);
      return c.json({ actionGroupSummaries: items.map((i) => i.summary), ...(nextToken ? { nextToken } : {}) });
    });
  }
  for (const path of both(`${base}/actiongroups/:actionGroupId/`)) {
    app.get(path, async (c) => {
      await onAgent(c, region, 'bedrock:GetAgentActionGroup');
      const { agentId, agentVersion, actionGroupId } = c.req.param() as VersionParams & { actionGroupId: string };
      return c.json({ agentActionGroup: await p.getActionGroup(scopeOf(c), agentId, agentVersion, actionGroupId) });
    });
    app.put(path, async (c) => {
      await onAgent(c, region, 'bedrock:UpdateAgentActionGroup');
      const input = await body.json(c, updateActionGroupSchema, 'UpdateAgentActionGroup request');
      const { agentId, agentVersion, actionGroupId } = c.req.param() as VersionParams & { actionGroupId: string };
      return c.json({ agentActionGroup: await p.updateActionGroup(scopeOf(c), agentId, agentVersion, actionGroupId, input) });
    });
    app.delete(path, async (c) => {
      await onAgent(c, region, 'bedrock:DeleteAgentActionGroup');
      const { agentId, agentVersion, actionGroupId } = c.req.param() as VersionParams & { actionGroupId: string };
      await p.deleteActionGroup(scopeOf(c), agentId, agentVersion, actionGroupId, skipInUseCheck(c));
      return c.body(null, 204);
    });
  }

  for (const path of both(`${base}/knowledgebases/`)) {
    app.put(path, async (c) => {
      await onAgent(c, region, 'bedrock:AssociateAgentKnowledgeBase');
      const input = await body.json(c, associateKnowledgeBaseSchema, 'AssociateAgentKnowledgeBase request');
      const { agentId, agentVersion } = c.req.param() as VersionParams;
      return c.json({ agentKnowledgeBase: await p.associateKnowledgeBase(scopeOf(c), agentId, agentVersion, input) });
    });
    app.post(path, async (c) => {
      await onAgent(c, region, 'bedrock:ListAgentKnowledgeBases');
      const q = await body.optional(c, listSchema, 'ListAgentKnowledgeBases request');
      const { agentId, agentVersion } = c.req.param() as VersionParams;
      const { items, nextToken } = await pageOf(await p.listKnowledgeBases(scopeOf(c), agentId, agentVersion), q.maxResults, q.nextToken);
      return c.json({ agentKnowledgeBaseSummaries: items.map((i) => i.summary), ...(nextToken ? { nextToken } : {}) });
    });
  }
  for (const path of both(`${base}/knowledgebases/:knowledgeBaseId/`)) {
    app.get(path, async (c) => {
      await onAgent(c, region, 'bedrock:GetAgentKnowledgeBase');
      const { agentId, agentVersion, knowledgeBaseId } = c.req.param() as VersionParams & { knowledgeBaseId: string };
      return c.json({ agentKnowledgeBase: await p.getKnowledgeBase(scopeOf(c), agentId, agentVersion, knowledgeBaseId) });
    });
    app.put(path, async (c) => {
      await onAgent(c, region, 'bedrock:UpdateAgentKnowledgeBase');
      const input = await body.json(c, updateAgentKnowledgeBaseSchema, 'UpdateAgentKnowledgeBase request');
      const { agentId, agentVersion, knowledgeBaseId } = c.req.param() as VersionParams & { knowledgeBaseId: string };
      return c.json({ agentKnowledgeBase: await p.updateKnowledgeBase(scopeOf(c), agentId, agentVersion, knowledgeBaseId, input) });
    });
    app.delete(path, async (c) => {
      await onAgent(c, region, 'bedrock:DisassociateAgentKnowledgeBase');
      const { agentId, agentVersion, knowledgeBaseId } = c.req.param() as VersionParams & { knowledgeBaseId: string };
      await p.disassociateKnowledgeBase(scopeOf(c), agentId, agentVersion, knowledgeBaseId);
      return c.body(null, 204);
    });
  }

  for (const path of both(`${base}/agentcollaborators/`)) {
    app.put(path, async (c) => {
      await onAgent(c, region, 'bedrock:AssociateAgentCollaborator');
      const input = await body.json(c, associateCollaboratorSchema, 'AssociateAgentCollaborator request');
      const { agentId, agentVersion } = c.req.param() as VersionParams;
      return c.json({ agentCollaborator: await p.associateCollaborator(scopeOf(c), agentId, agentVersion, input) });
    });
    app.post(path, async (c) => {
      await onAgent(c, region, 'bedrock:ListAgentCollaborators');
      const q = await body.optional(c, listSchema, 'ListAgentCollaborators request');
      const { agentId, agentVersion } = c.req.param() as VersionParams;
      const { items, nextToken } = await pageOf(await p.listCollaborators(scopeOf(c), agentId, agentVersion), q.maxResults, q.nextToken);
      return c.json({ agentCollaboratorSummaries: items.map((i) => i.summary), ...(nextToken ? { nextToken } : {}) });
    });
  }
  for (const path of both(`${base}/agentcollaborators/:collaboratorId/`)) {
    app.get(path, async (c) => {
      await onAgent(c, region, 'bedrock:GetAgentCollaborator');
      const { agentId, agentVersion, collaboratorId } = c.req.param() as VersionParams & { collaboratorId: string };
      return c.json({ agentCollaborator: await p.getCollaborator(scopeOf(c), agentId, agentVersion, collaboratorId) });
    });
    app.put(path, async (c) => {
      await onAgent(c, region, 'bedrock:UpdateAgentCollaborator');
      const input = await body.json(c, updateCollaboratorSchema, 'UpdateAgentCollaborator request');
      const { agentId, agentVersion, collaboratorId } = c.req.param() as VersionParams & { collaboratorId: string };
      return c.json({ agentCollaborator: await p.updateCollaborator(scopeOf(c), agentId, agentVersion, collaboratorId, input) });
    });
    app.delete(path, async (c) => {
      await onAgent(c, region, 'bedrock:DisassociateAgentCollaborator');
      const { agentId, agentVersion, collaboratorId } = c.req.param() as VersionParams & { collaboratorId: string };
      await p.disassociateCollaborator(scopeOf(c), agentId, agentVersion, collaboratorId);
      return c.body(null, 204);
    });
  }
  return app;
}
