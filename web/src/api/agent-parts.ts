import type { ActionGroupInput, ActionGroupView } from '../lib/action-group-draft';
import type { ApiClient } from './api-client';

/**
 * An agent's draft action groups and knowledge-base associations through Bedrock's Agents control plane, the calls
 * of `@aws-sdk/client-bedrock-agent` (Create/Get/List/Update/DeleteAgentActionGroup, Associate/List/
 * DisassociateAgentKnowledgeBase). Only the DRAFT is edited; PrepareAgent makes the test alias run the change.
 */

export interface AgentActionGroup extends ActionGroupView {
  actionGroupId: string;
  updatedAt: string;
}

export interface AgentKnowledgeBase {
  knowledgeBaseId: string;
  description: string;
  knowledgeBaseState: 'ENABLED' | 'DISABLED';
  updatedAt: string;
}

export function agentPartsApi(api: ApiClient, agentId: string) {
  const draft = `/agents/${encodeURIComponent(agentId)}/agentversions/DRAFT`;
  const groupPath = (id: string) => `${draft}/actiongroups/${encodeURIComponent(id)}/`;
  return {
    /** Summaries carry no schema or executor, so each group is read too; an agent has few. */
    async actionGroups(): Promise<AgentActionGroup[]> {
      const r = await api.json<{ actionGroupSummaries: { actionGroupId: string }[] }>(`${draft}/actiongroups/`, { method: 'POST', body: { maxResults: 100 } });
      return Promise.all(r.actionGroupSummaries.map(async (s) => (await api.json<{ agentActionGroup: AgentActionGroup }>(groupPath(s.actionGroupId))).agentActionGroup));
    },
    async createActionGroup(input: ActionGroupInput, clientToken: string): Promise<AgentActionGroup> {
      return (await api.json<{ agentActionGroup: AgentActionGroup }>(`${draft}/actiongroups/`, { method: 'PUT', body: { ...input, clientToken } })).agentActionGroup;
    },
    async updateActionGroup(id: string, input: ActionGroupInput): Promise<AgentActionGroup> {
      return (await api.json<{ agentActionGroup: AgentActionGroup }>(groupPath(id), { method: 'PUT', body: input })).agentActionGroup;
    },
    /** The user confirmed the deletion, which is what Bedrock's in-use check asks for; an enabled group goes too. */
    async deleteActionGroup(id: string): Promise<void> {
      await api.fetch(`${groupPath(id)}?skipResourceInUseCheck=true`, { method: 'DELETE' });
    },
    async knowledgeBases(): Promise<AgentKnowledgeBase[]> {
      const r = await api.json<{ agentKnowledgeBaseSummaries: AgentKnowledgeBase[] }>(`${draft}/knowledgebases/`, { method: 'POST', body: { maxResults: 100 } });
      return r.agentKnowledgeBaseSummaries;
    },
    async associateKnowledgeBase(knowledgeBaseId: string, description: string, clientToken: string): Promise<void> {
      await api.fetch(`${draft}/knowledgebases/`, { method: 'PUT', body: { knowledgeBaseId, description, clientToken } });
    },
    async disassociateKnowledgeBase(knowledgeBaseId: string): Promise<void> {
      await api.fetch(`${draft}/knowledgebases/${encodeURIComponent(knowledgeBaseId)}/`, { method: 'DELETE' });
    },
  };
}

export type AgentPartsApi = ReturnType<typeof agentPartsApi>;
