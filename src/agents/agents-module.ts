import { QuarryError } from '../core/index.js';
import type { GuardrailModule } from '../guardrails/index.js';
import type { KnowledgeModule } from '../knowledge/index.js';
import type { Database } from '../store/index.js';
import { agentDefinitionFromVersion } from './agent-definition-from-version.js';
import { AgentFunctionRegistry } from './agent-functions.js';
import { AgentPartsRepository } from './agent-parts-repository.js';
import { AgentPartsService } from './agent-parts-service.js';
import { AgentRepository } from './agent-repository.js';
import { AgentService } from './agent-service.js';
import type { AgentDefinition } from './orchestration/agent-definition.js';
import type { AgentMemoryStore, AgentSessionStore } from './orchestration/agent-session-store.js';
import type { AgentModelPort, GuardrailLookup, KnowledgeBaseLookup } from './prepare-agent.js';
import { StoreAgentMemory } from './sessions/store-agent-memory.js';
import { StoreAgentSessions } from './sessions/store-agent-sessions.js';

export interface AgentsModuleOptions {
  /** Migrated with agentMigrations. */
  db: Database;
  region: string;
  /** Prepare checks the agent's models here (the runtime satisfies it). */
  models: AgentModelPort;
  /** Knowledge bases agents may use; without it, associating one is refused. */
  knowledge?: KnowledgeModule;
  /** Guardrails an agent may name; without it, an agent with a guardrail cannot be prepared. */
  guardrails?: GuardrailModule;
  /** The functions the operator registered (`agents.functions`). */
  functions?: AgentFunctionRegistry;
}

/** The agent resources (Bedrock Agents' control plane) assembled: agents, versions, aliases and their parts. */
export class AgentsModule {
  readonly service: AgentService;
  readonly parts: AgentPartsService;
  readonly functions: AgentFunctionRegistry;
  /** InvokeAgent sessions and cross-session memory, in the store: a session goes on on whichever replica is asked next. */
  readonly sessions: AgentSessionStore;
  readonly memory: AgentMemoryStore;
  private readonly region: string;

  constructor(opts: AgentsModuleOptions) {
    const agents = new AgentRepository(opts.db);
    const parts = new AgentPartsRepository(agents);
    this.functions = opts.functions ?? new AgentFunctionRegistry();
    this.region = opts.region;
    this.sessions = new StoreAgentSessions(opts.db);
    this.memory = new StoreAgentMemory(opts.db);
    const knowledgeBases = opts.knowledge ? knowledgeBaseLookup(opts.knowledge) : undefined;
    const guardrails = opts.guardrails ? guardrailLookup(opts.guardrails) : undefined;
    this.service = new AgentService({ agents, parts, models: opts.models, functions: this.functions, knowledgeBases, guardrails, region: opts.region });
    this.parts = new AgentPartsService({ agents, parts, service: this.service, functions: this.functions, knowledgeBases });
  }

  /**
   * What InvokeAgent runs for an alias of an agent in `accountId` (the orchestrator's AgentResolver): the prepared
   * DRAFT for TSTALIASID, otherwise the version the alias routes to.
   */
  async definition(accountId: string, agentId: string, aliasId: string): Promise<AgentDefinition> {
    const r = await this.service.resolveAlias(accountId, agentId, aliasId);
    return agentDefinitionFromVersion({ accountId, region: this.region, agentId: r.agent.id, aliasId, version: r.version, snapshot: r.snapshot }, this.functions);
  }
}

/** Not-found is an answer (false); any other failure is the caller's error. */
async function found(lookup: Promise<unknown>): Promise<boolean> {
  try {
    await lookup;
    return true;
  } catch (e) {
    if (QuarryError.isInstance(e) && e.code === 'ResourceNotFoundException') return false;
    throw e;
  }
}

function knowledgeBaseLookup(k: KnowledgeModule): KnowledgeBaseLookup {
  return { exists: (scope, id) => found(k.service.repo.knowledgeBase(scope, id)) };
}

function guardrailLookup(g: GuardrailModule): GuardrailLookup {
  return { exists: (scope, identifier, version) => found(g.service.get(scope, identifier, version)) };
}
