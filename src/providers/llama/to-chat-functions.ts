import type { ChatModelFunctions, GbnfJsonSchema } from 'node-llama-cpp';
import { QuarryError, type ToolConfig } from '../../core/index.js';
import { toGbnfSchema } from './to-gbnf-schema.js';

/**
 * Converse tools → node-llama-cpp function definitions, declared without handlers: the engine stops at the first call
 * batch and the gateway hands the calls back to the client as toolUse blocks, the way Bedrock does.
 *
 * `toolChoice: { tool }` narrows the offer to that one tool. `any` cannot be forced through node-llama-cpp's chat API, so
 * it behaves as `auto` (the model still decides whether to call).
 */
export function toChatFunctions(toolConfig: ToolConfig | undefined): ChatModelFunctions | undefined {
  if (!toolConfig?.tools.length) return undefined;
  const choice = toolConfig.toolChoice;
  const chosen = choice && 'tool' in choice ? choice.tool.name : undefined;
  const functions: Record<string, { description?: string; params?: GbnfJsonSchema }> = {};
  for (const { toolSpec } of toolConfig.tools) {
    if (chosen !== undefined && toolSpec.name !== chosen) continue;
    const schema = toolSpec.inputSchema?.json ?? {};
    const takesNoInput = schema.type === 'object' && Object.keys((schema.properties as object | undefined) ?? {}).length === 0 && !schema.additionalProperties;
    functions[toolSpec.name] = {
      ...(toolSpec.description ? { description: toolSpec.description } : {}),
      ...(takesNoInput ? {} : { params: toGbnfSchema(schema, `toolSpec ${toolSpec.name} inputSchema`) }),
    };
  }
  if (chosen !== undefined && !functions[chosen]) {
    throw new QuarryError('ValidationException', `toolChoice names the tool "${chosen}", which is not in toolConfig.tools.`);
  }
  return functions;
}
