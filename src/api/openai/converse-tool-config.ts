import { type ConverseRequest, type ToolChoice, type ToolSpec, validation } from '../../core/index.js';

/** The tools offered to the model after a tool choice narrowed them, and what Converse is told to do with them. */
export interface NarrowedTools {
  tools: ToolSpec[];
  toolChoice?: ToolChoice;
}

type ChoiceWord = 'none' | 'auto' | 'required';

/** An OpenAI function tool as a Converse tool spec; a function without a parameters schema takes an empty object. */
export function functionToolSpec(name: string, description: string | null | undefined, parameters: Record<string, unknown> | null | undefined): ToolSpec {
  return { name, ...(description ? { description } : {}), inputSchema: { json: parameters ?? { type: 'object', properties: {} } } };
}

/**
 * OpenAI's `tools` + `tool_choice` as Converse's toolConfig, for Chat Completions and Responses alike: the word choices
 * mean the same in both, and `narrowObject` reads the API's own object form (a named function, allowed tools).
 * Converse has no "none": a model that must not call tools is simply not offered any.
 */
export function toConverseToolConfig<C extends object>(
  specs: ToolSpec[],
  choice: ChoiceWord | C | null | undefined,
  narrowObject: (specs: ToolSpec[], choice: C) => NarrowedTools,
): ConverseRequest['toolConfig'] {
  if (!specs.length) {
    if (choice != null && choice !== 'none' && choice !== 'auto') throw validation('tool_choice requires tools.');
    return undefined;
  }
  if (choice === 'none') return undefined;
  const { tools, toolChoice } =
    choice == null || choice === 'auto' ? { tools: specs } : choice === 'required' ? { tools: specs, toolChoice: { any: {} } } : narrowObject(specs, choice);
  return { tools: tools.map((toolSpec) => ({ toolSpec })), ...(toolChoice ? { toolChoice } : {}) };
}
