/** Tool definitions and choice, as Bedrock Converse's `toolConfig`. */

export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the tool's input. */
  inputSchema: { json: Record<string, unknown> };
}

export type ToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface ToolConfig {
  tools: { toolSpec: ToolSpec }[];
  toolChoice?: ToolChoice;
}
