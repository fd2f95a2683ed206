import type { AgentFunction, JsonSchema } from './agent-definition.js';

/** One function of Bedrock's `functionSchema.functions`, as the control plane stores it. */
export interface BedrockFunction {
  name: string;
  description?: string;
  parameters?: Record<string, { type: 'string' | 'number' | 'integer' | 'boolean' | 'array'; description?: string; required?: boolean }>;
  requireConfirmation?: 'ENABLED' | 'DISABLED';
}

/**
 * Bedrock's flat parameter map as a JSON Schema object. Bedrock's `array` parameters carry no item type, so any
 * items are allowed.
 */
export function functionsFromFunctionSchema(functions: readonly BedrockFunction[]): AgentFunction[] {
  return functions.map((f) => {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [name, p] of Object.entries(f.parameters ?? {})) {
      properties[name] = { type: p.type, ...(p.description ? { description: p.description } : {}) };
      if (p.required) required.push(name);
    }
    return {
      name: f.name,
      ...(f.description ? { description: f.description } : {}),
      inputSchema: { type: 'object', properties, ...(required.length ? { required } : {}) },
      ...(f.requireConfirmation === 'ENABLED' ? { requireConfirmation: true } : {}),
    };
  });
}
