import type { ActionGroupInput, AgentSettings, FunctionSchemaInput } from './schemas.js';

/**
 * The agent's parts as the API shows them (Bedrock's shapes, timestamps as ISO strings). Stored in this shape — rows
 * for the draft, JSON in a version's snapshot — so Get returns what Create was given and a version reads back exactly
 * as it was released.
 */

/** An action group minus its name and state, which are columns. */
export type ActionGroupBody = Omit<ActionGroupInput, 'actionGroupName' | 'actionGroupState'>;

export interface ActionGroupRecord extends ActionGroupBody {
  actionGroupId: string;
  actionGroupName: string;
  actionGroupState: 'ENABLED' | 'DISABLED';
  createdAt: string;
  updatedAt: string;
  clientToken?: string;
  functionSchema?: FunctionSchemaInput;
}

export interface AgentKnowledgeBaseRecord {
  knowledgeBaseId: string;
  description: string;
  knowledgeBaseState: 'ENABLED' | 'DISABLED';
  createdAt: string;
  updatedAt: string;
}

export interface CollaboratorRecord {
  collaboratorId: string;
  collaboratorName: string;
  agentDescriptor: { aliasArn: string };
  collaborationInstruction: string;
  relayConversationHistory: 'TO_COLLABORATOR' | 'DISABLED';
  createdAt: string;
  lastUpdatedAt: string;
  clientToken?: string;
}

/** The whole agent at one moment: what a version holds, and what the test alias runs (the draft as last prepared). */
export interface AgentSnapshot {
  agentName: string;
  settings: AgentSettings;
  actionGroups: ActionGroupRecord[];
  knowledgeBases: AgentKnowledgeBaseRecord[];
  collaborators: CollaboratorRecord[];
  /** When the draft it was taken from was prepared. */
  preparedAt: string;
}

export interface AliasRoutingItem {
  agentVersion: string;
}

export interface AliasHistoryEvent {
  routingConfiguration: AliasRoutingItem[];
  startDate: string;
  endDate?: string;
}
