import type { Hono } from 'hono';
import { ServerActionRunner } from '../../agents/executors/index.js';
import type { AgentsModule } from '../../agents/index.js';
import { AgentOrchestrator, guardResolverOf, knowledgeSearchOf } from '../../agents/orchestration/index.js';
import type { GuardrailModule } from '../../guardrails/index.js';
import type { KnowledgeModule } from '../../knowledge/index.js';
import { createSafeFetch } from '../../net/index.js';
import type { ApiDeps, ApiEnv } from '../shared/api-env.js';
import { agentMemoryRoutes } from './agent-memory-routes.js';
import { invokeAgentRoutes } from './invoke-agent-routes.js';

export interface AgentRuntimeDeps extends ApiDeps {
  agents: AgentsModule;
  knowledge?: KnowledgeModule;
  guardrails?: GuardrailModule;
}

/**
 * InvokeAgent as the server mounts it: the loop over the runtime (so every model call is authorized, admitted and
 * metered as the caller's), the HTTP and module executors, knowledge-base search, the guardrails engine as guard,
 * the control plane's alias resolver for the agent and its collaborators, and sessions and memory in the store.
 */
export function agentRuntimeRoutes(deps: AgentRuntimeDeps): Hono<ApiEnv> {
  const resolveAgent = (accountId: string, agentId: string, aliasId: string) => deps.agents.definition(accountId, agentId, aliasId);
  const orchestrator = new AgentOrchestrator({
    models: deps.runtime,
    runner: new ServerActionRunner({ fetch: createSafeFetch() }),
    resolveAgent,
    sessions: deps.agents.sessions,
    memory: deps.agents.memory,
    ...(deps.knowledge ? { knowledge: knowledgeSearchOf(deps.knowledge) } : {}),
    ...(deps.guardrails ? { guardFor: guardResolverOf(deps.guardrails.engine) } : {}),
  });
  const app = invokeAgentRoutes({ orchestrator, resolveAgent, region: deps.region, maxBodyBytes: deps.maxBodyBytes });
  app.route('/', agentMemoryRoutes({ memory: deps.agents.memory, resolveAgent, region: deps.region }));
  return app;
}
