import type { ToolSpec } from '../../core/index.js';
import type { AgentActionGroup, AgentCollaborator, AgentDefinition, AgentFunction, AgentKnowledgeBase, JsonSchema } from './agent-definition.js';

/** A tool the model may call, and what it stands for. */
export type AgentTool =
  | { kind: 'action'; spec: ToolSpec; group: AgentActionGroup; fn: AgentFunction }
  | { kind: 'knowledgeBase'; spec: ToolSpec; kb: AgentKnowledgeBase }
  | { kind: 'userInput'; spec: ToolSpec }
  | { kind: 'collaborator'; spec: ToolSpec; collaborator: AgentCollaborator };

/** Bedrock's built-in `AMAZON.UserInput` action, under the name models see. */
export const USER_INPUT_TOOL = 'ask_user';
const MAX_NAME = 64;

/** The model-facing name of an action: group and function joined, so two groups may each have a `get` function. */
export function actionToolName(group: string, fn: string): string {
  return clean(`${group}__${fn}`);
}

export const knowledgeBaseToolName = (kbId: string): string => clean(`knowledge_base_${kbId}`);
export const collaboratorToolName = (name: string): string => clean(`collaborator_${name}`);

function clean(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, MAX_NAME);
}

const SEARCH_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { searchQuery: { type: 'string', description: 'What to look up, as a self-contained question or keywords.' } },
  required: ['searchQuery'],
};
const USER_INPUT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { question: { type: 'string', description: 'The question to ask the user.' } },
  required: ['question'],
};
const COLLABORATOR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The request for the collaborator, self-contained.' } },
  required: ['input'],
};

/**
 * Every tool an agent offers, by model-facing name: enabled action groups' functions, enabled knowledge bases as
 * search tools, the ask-the-user action, and a supervisor's collaborators. Names that collide after cleaning get a
 * numeric suffix so that no call is ambiguous.
 */
export function agentTools(agent: AgentDefinition): Map<string, AgentTool> {
  const tools = new Map<string, AgentTool>();
  const add = (name: string, make: (unique: string) => AgentTool) => {
    let unique = name;
    for (let i = 2; tools.has(unique); i++) unique = `${name.slice(0, MAX_NAME - String(i).length - 1)}_${i}`;
    tools.set(unique, make(unique));
  };
  for (const group of agent.actionGroups) {
    if (group.enabled === false) continue;
    for (const fn of group.functions) {
      const description = [group.description, fn.description].filter(Boolean).join(' — ') || `${fn.name} of ${group.name}`;
      add(actionToolName(group.name, fn.name), (name) => ({ kind: 'action', spec: { name, description, inputSchema: { json: fn.inputSchema } }, group, fn }));
    }
  }
  for (const kb of agent.knowledgeBases) {
    if (kb.enabled === false) continue;
    add(knowledgeBaseToolName(kb.knowledgeBaseId), (name) => ({
      kind: 'knowledgeBase',
      spec: { name, description: `Search knowledge base ${kb.knowledgeBaseId}. ${kb.description}`, inputSchema: { json: SEARCH_SCHEMA } },
      kb,
    }));
  }
  if (agent.userInput) {
    add(USER_INPUT_TOOL, (name) => ({
      kind: 'userInput',
      spec: { name, description: 'Ask the user a question when you need information only they can give. Ends your turn.', inputSchema: { json: USER_INPUT_SCHEMA } },
    }));
  }
  if (agent.collaboration && agent.collaboration !== 'DISABLED') {
    for (const collaborator of agent.collaborators ?? []) {
      add(collaboratorToolName(collaborator.name), (name) => ({
        kind: 'collaborator',
        spec: { name, description: `Delegate to the agent "${collaborator.name}". ${collaborator.instruction}`, inputSchema: { json: COLLABORATOR_SCHEMA } },
        collaborator,
      }));
    }
  }
  return tools;
}
