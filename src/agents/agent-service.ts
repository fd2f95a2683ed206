import { QuarryError } from '../core/index.js';
import type { AgentFunctionRegistry } from './agent-functions.js';
import type { AgentSnapshot, AliasRoutingItem } from './agent-records.js';
import { type AgentPartsRepository } from './agent-parts-repository.js';
import { type AgentRepository, routingOf } from './agent-repository.js';
import { agentSummaryView, agentView, aliasSummaryView, aliasView, draftSummaryView, settingsOf, snapshotOf, testAliasView, versionSummaryView, versionView } from './agent-views.js';
import { agentAliasArn, DRAFT, isAgentResourceId, parseAgentAliasArn, TEST_ALIAS_ID } from './ids.js';
import { type AgentModelPort, type DraftParts, type GuardrailLookup, type KnowledgeBaseLookup, prepareProblems } from './prepare-agent.js';
import type { AgentSettings, CreateAgentInput, RoutingConfiguration, UpdateAgentInput } from './schemas.js';
import type { AgentsTable } from './tables.js';
import { isUniqueViolation } from '../store/index.js';

export interface AgentServiceDeps {
  agents: AgentRepository;
  parts: AgentPartsRepository;
  models: AgentModelPort;
  functions: AgentFunctionRegistry;
  knowledgeBases?: KnowledgeBaseLookup;
  guardrails?: GuardrailLookup;
  region: string;
}

/** What an alias runs: the version it routes to and that version's snapshot (the prepared draft for the test alias). */
export interface ResolvedAlias {
  agent: AgentsTable;
  aliasId: string;
  /** `DRAFT` or a version number. */
  version: string;
  snapshot: AgentSnapshot;
}

const invalid = (message: string) => new QuarryError('ValidationException', message);

/** A version path parameter: `DRAFT` or a number; anything else names nothing. */
export function parseVersion(agentId: string, v: string): typeof DRAFT | number {
  if (v === DRAFT) return DRAFT;
  if (/^[1-9][0-9]{0,8}$/.test(v)) return Number(v);
  throw new QuarryError('ResourceNotFoundException', `Version ${v.slice(0, 40)} of agent ${agentId} was not found.`);
}

/**
 * Agents, Prepare, versions and aliases — Bedrock's lifecycle: the DRAFT is edited and prepared; an alias created
 * without a routing snapshots the prepared DRAFT into the next numbered, immutable version; re-pointing an alias at
 * another version is how a change is released (or rolled back). Everything is confined to the caller's scope.
 */
export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  get region(): string {
    return this.deps.region;
  }

  async createAgent(scope: string, input: CreateAgentInput) {
    const { agentName, clientToken, tags: _tags, ...settings } = input;
    const row = await this.deps.agents.insertAgent(scope, agentName, settings, clientToken);
    return agentView(row, this.deps.region);
  }

  async getAgent(scope: string, id: string) {
    return agentView(await this.deps.agents.agent(scope, id), this.deps.region);
  }

  async listAgents(scope: string, limit: number, after?: string) {
    const rows = await this.deps.agents.listAgents(scope, limit, after);
    const latest = await this.deps.agents.latestVersion(
      scope,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ key: r.id, summary: agentSummaryView(r, latest.get(r.id)) }));
  }

  /** Replaces the draft's settings (Bedrock's UpdateAgent is a full replace); the draft must be prepared again. */
  async updateAgent(scope: string, id: string, input: UpdateAgentInput) {
    const { agentName, ...settings } = input;
    const current = settingsOf(await this.deps.agents.agent(scope, id));
    await this.checkCollaborationChange(scope, id, current, settings);
    return agentView(await this.deps.agents.updateAgent(scope, id, agentName, settings), this.deps.region);
  }

  private async checkCollaborationChange(scope: string, id: string, before: AgentSettings, after: AgentSettings) {
    if ((after.agentCollaboration ?? 'DISABLED') !== 'DISABLED' || (before.agentCollaboration ?? 'DISABLED') === 'DISABLED') return;
    const collaborators = await this.deps.parts.collaborators(scope, id, 1);
    if (collaborators.length) throw invalid(`Agent ${id} has collaborators; disassociate them before setting agentCollaboration to DISABLED.`);
  }

  async deleteAgent(scope: string, id: string, skipInUseCheck: boolean) {
    const agent = await this.deps.agents.agent(scope, id);
    if (!skipInUseCheck) {
      const aliases = await this.deps.agents.aliasesOf(this.deps.agents.db, scope, id);
      const arns = [TEST_ALIAS_ID, ...aliases.map((a) => a.id)].map((a) => agentAliasArn(this.deps.region, scope, id, a));
      const users = await this.deps.parts.supervisorsUsing(scope, arns, id);
      if (users.length) {
        throw new QuarryError(
          'ConflictException',
          `Agent ${id} is a collaborator of agent ${[...new Set(users.map((u) => u.agentId))].join(', ')}; disassociate it there first (or pass skipResourceInUseCheck).`,
        );
      }
    }
    await this.deps.agents.deleteAgent(scope, id);
    return { agentId: agent.id, agentStatus: 'DELETING' };
  }

  async draftParts(scope: string, agentId: string): Promise<DraftParts> {
    const [actionGroups, knowledgeBases, collaborators] = await Promise.all([
      this.deps.parts.actionGroups(scope, agentId),
      this.deps.parts.knowledgeBases(scope, agentId),
      this.deps.parts.collaborators(scope, agentId),
    ]);
    return { actionGroups, knowledgeBases, collaborators };
  }

  /**
   * Checks the draft and, when it can run, records it as prepared: the snapshot the test alias runs and the next
   * version will hold. Problems are answered as one ValidationException and kept in the agent's failureReasons.
   */
  async prepareAgent(scope: string, id: string) {
    const agent = await this.deps.agents.agent(scope, id);
    const parts = await this.draftParts(scope, id);
    await this.deps.agents.markPreparing(scope, id, agent.revision);
    const settings = settingsOf(agent);
    let problems: string[];
    try {
      problems = await prepareProblems(scope, id, settings, parts, {
        models: this.deps.models,
        functions: this.deps.functions,
        knowledgeBases: this.deps.knowledgeBases,
        guardrails: this.deps.guardrails,
        collaboratorSnapshot: (s, arn) => this.collaboratorSnapshot(s, arn),
      });
    } catch (e) {
      await this.deps.agents.abandonPrepare(scope, id, agent.revision);
      throw e;
    }
    if (problems.length) {
      await this.deps.agents.finishPrepare(scope, id, agent.revision, { failureReasons: problems });
      throw invalid(`Agent ${id} cannot be prepared: ${problems.join('; ')}.`);
    }
    const snapshot: AgentSnapshot = { agentName: agent.name, settings, ...parts, preparedAt: new Date().toISOString() };
    if (!(await this.deps.agents.finishPrepare(scope, id, agent.revision, { snapshot }))) {
      throw new QuarryError('ConflictException', `Agent ${id} changed while it was being prepared; prepare it again.`);
    }
    return { agentId: id, agentStatus: 'PREPARED', agentVersion: DRAFT, preparedAt: snapshot.preparedAt };
  }

  // Versions.

  async getVersion(scope: string, agentId: string, version: string) {
    const agent = await this.deps.agents.agent(scope, agentId);
    const v = parseVersion(agentId, version);
    if (v === DRAFT) throw invalid('GetAgentVersion reads numbered versions; read the DRAFT with GetAgent.');
    return versionView(agent, await this.deps.agents.version(scope, agentId, v), this.deps.region);
  }

  /** The DRAFT first (as Bedrock lists it), then the numbered versions; the page key is the version number (DRAFT is 0). */
  async listVersions(scope: string, agentId: string, limit: number, after?: string) {
    const agent = await this.deps.agents.agent(scope, agentId);
    const afterNumber = after === undefined ? -1 : Number(after);
    if (!Number.isInteger(afterNumber)) throw invalid('nextToken is not a token this API returned.');
    const items: { key: string; summary: Record<string, unknown> }[] = [];
    if (afterNumber < 0) items.push({ key: '0', summary: draftSummaryView(agent) });
    const rows = await this.deps.agents.listVersions(scope, agentId, limit - items.length, Math.max(afterNumber, 0));
    for (const r of rows) items.push({ key: String(r.number), summary: versionSummaryView(r) });
    return items;
  }

  async deleteVersion(scope: string, agentId: string, version: string) {
    await this.deps.agents.agent(scope, agentId);
    const v = parseVersion(agentId, version);
    if (v === DRAFT) throw invalid('The DRAFT cannot be deleted on its own; delete the agent instead.');
    await this.deps.agents.deleteVersion(scope, agentId, v);
    return { agentId, agentVersion: String(v), agentStatus: 'DELETING' };
  }

  /** A version's snapshot, or the draft's parts (for the action-group, knowledge-base and collaborator reads on a version). */
  async partsAt(scope: string, agentId: string, version: string): Promise<DraftParts> {
    await this.deps.agents.agent(scope, agentId);
    const v = parseVersion(agentId, version);
    if (v === DRAFT) return this.draftParts(scope, agentId);
    return snapshotOf(await this.deps.agents.version(scope, agentId, v));
  }

  // Aliases.

  /** Routes to the version named, or — without a routing, as on Bedrock — to a new version snapshotted from the prepared DRAFT. */
  async createAlias(scope: string, agentId: string, input: { agentAliasName: string; description?: string; routingConfiguration?: RoutingConfiguration; clientToken?: string }) {
    const agent = await this.deps.agents.agent(scope, agentId);
    const named = await this.routingTarget(scope, agentId, input.routingConfiguration);
    try {
      const row = await this.deps.agents.db.transaction().execute(async (tx) => {
        const version = named ?? String(await this.deps.agents.createVersion(tx, scope, agent));
        return this.deps.agents.insertAlias(tx, {
          agent_id: agentId,
          scope,
          name: input.agentAliasName,
          description: input.description ?? null,
          routing: JSON.stringify([{ agentVersion: version }] satisfies AliasRoutingItem[]),
          client_token: input.clientToken ?? null,
        });
      });
      return aliasView(row, this.deps.region);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.deps.agents.aliasByName(scope, agentId, input.agentAliasName);
      if (existing && input.clientToken && existing.client_token === input.clientToken) return aliasView(existing, this.deps.region);
      throw new QuarryError('ConflictException', `Agent ${agentId} already has an alias named ${input.agentAliasName}.`);
    }
  }

  /** The version a routingConfiguration names (checked to exist), or undefined when it names none. */
  private async routingTarget(scope: string, agentId: string, routing: RoutingConfiguration | undefined): Promise<string | undefined> {
    const item = routing?.[0];
    if (!item) return undefined;
    if (item.provisionedThroughput) throw invalid('Provisioned throughput is not offered for agents on Quarry; route the alias to a version only.');
    if (!item.agentVersion) return undefined;
    if (item.agentVersion === DRAFT) throw invalid(`Only the test alias ${TEST_ALIAS_ID} routes to the DRAFT; route this alias to a numbered version.`);
    const number = Number(item.agentVersion);
    await this.deps.agents.version(scope, agentId, number).catch(() => {
      throw invalid(`Agent ${agentId} has no version ${item.agentVersion}; create one with CreateAgentAlias without a routingConfiguration, or see ListAgentVersions.`);
    });
    return String(number);
  }

  async getAlias(scope: string, agentId: string, aliasId: string) {
    const agent = await this.deps.agents.agent(scope, agentId);
    if (aliasId === TEST_ALIAS_ID) return testAliasView(agent, this.deps.region);
    return aliasView(await this.deps.agents.alias(scope, agentId, aliasId), this.deps.region);
  }

  /** Aliases by id, the test alias among them; the page key is the alias id. */
  async listAliases(scope: string, agentId: string, limit: number, after?: string) {
    const agent = await this.deps.agents.agent(scope, agentId);
    const rows = (await this.deps.agents.listAliases(scope, agentId, limit, after)).map((r) => aliasView(r, this.deps.region));
    if (after === undefined || after < TEST_ALIAS_ID) rows.push(testAliasView(agent, this.deps.region));
    rows.sort((a, b) => (a.agentAliasId < b.agentAliasId ? -1 : 1));
    return rows.slice(0, limit).map((a) => ({ key: a.agentAliasId, summary: aliasSummaryView(a) }));
  }

  async updateAlias(
    scope: string,
    agentId: string,
    aliasId: string,
    input: { agentAliasName: string; description?: string; routingConfiguration?: RoutingConfiguration; aliasInvocationState?: string },
  ) {
    await this.deps.agents.agent(scope, agentId);
    if (aliasId === TEST_ALIAS_ID) throw invalid(`The test alias ${TEST_ALIAS_ID} always routes to the DRAFT and cannot be changed.`);
    const version = await this.routingTarget(scope, agentId, input.routingConfiguration);
    const row = await this.deps.agents.updateAlias(scope, agentId, aliasId, {
      name: input.agentAliasName,
      description: input.description ?? null,
      ...(version ? { routing: [{ agentVersion: version }] } : {}),
      ...(input.aliasInvocationState ? { invocationState: input.aliasInvocationState } : {}),
    });
    return aliasView(row, this.deps.region);
  }

  async deleteAlias(scope: string, agentId: string, aliasId: string) {
    await this.deps.agents.agent(scope, agentId);
    if (aliasId === TEST_ALIAS_ID) throw invalid(`The test alias ${TEST_ALIAS_ID} cannot be deleted.`);
    const users = await this.deps.parts.supervisorsUsing(scope, [agentAliasArn(this.deps.region, scope, agentId, aliasId)]);
    if (users.length) {
      throw new QuarryError('ConflictException', `Alias ${aliasId} is a collaborator of agent ${[...new Set(users.map((u) => u.agentId))].join(', ')}; disassociate it there first.`);
    }
    await this.deps.agents.deleteAlias(scope, agentId, aliasId);
    return { agentId, agentAliasId: aliasId, agentAliasStatus: 'DELETING' };
  }

  /**
   * What InvokeAgent runs for an alias: the prepared DRAFT for the test alias, otherwise the version the alias routes
   * to. Refused when the alias rejects invocations or the draft was never prepared.
   */
  async resolveAlias(scope: string, agentId: string, aliasId: string): Promise<ResolvedAlias> {
    if (!isAgentResourceId(agentId)) throw new QuarryError('ResourceNotFoundException', `Agent ${String(agentId).slice(0, 40)} was not found.`);
    const agent = await this.deps.agents.agent(scope, agentId);
    if (aliasId === TEST_ALIAS_ID) {
      if (!agent.prepared_snapshot) throw invalid(`Agent ${agentId} has not been prepared yet; call PrepareAgent before invoking it.`);
      return { agent, aliasId, version: DRAFT, snapshot: JSON.parse(agent.prepared_snapshot) as AgentSnapshot };
    }
    const alias = await this.deps.agents.alias(scope, agentId, aliasId);
    if (alias.invocation_state === 'REJECT_INVOCATIONS') throw invalid(`Alias ${aliasId} of agent ${agentId} does not accept invocations (aliasInvocationState is REJECT_INVOCATIONS).`);
    const version = routingOf(alias)[0]!.agentVersion;
    return { agent, aliasId, version, snapshot: snapshotOf(await this.deps.agents.version(scope, agentId, Number(version))) };
  }

  /** For collaborators: the agent an alias ARN names in this account and what it runs, or why it cannot be used. */
  async collaboratorSnapshot(scope: string, aliasArn: string): Promise<{ agentId: string; snapshot: AgentSnapshot } | { problem: string }> {
    const ref = parseAgentAliasArn(aliasArn);
    if (!ref) return { problem: `${aliasArn} is not an agent alias ARN (arn:aws:bedrock:<region>:<account>:agent-alias/<agentId>/<aliasId>)` };
    if (ref.accountId !== scope) return { problem: `${aliasArn} belongs to another account` };
    try {
      const r = await this.resolveAlias(scope, ref.agentId, ref.aliasId);
      return { agentId: r.agent.id, snapshot: r.snapshot };
    } catch (e) {
      if (!QuarryError.isInstance(e)) throw e;
      return { problem: e.message.replace(/\.$/, '') };
    }
  }
}
