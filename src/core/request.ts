import type { Message, SystemContentBlock } from './message.js';
import type { GuardrailRequest } from './guardrail-request.js';
import type { ToolConfig } from './tool.js';

export interface InferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/** Structured output: the reply must be JSON matching the schema (Bedrock `outputConfig.textFormat` json_schema). */
export interface JsonSchemaOutput {
  name: string;
  description?: string;
  schema: Record<string, unknown>;
}

/** The canonical generation request: Bedrock Converse's shape. */
export interface ConverseRequest {
  /** The id the client used; providers receive the upstream model name in `GenerateRequest.model`. */
  modelId: string;
  messages: Message[];
  system?: SystemContentBlock[];
  inferenceConfig?: InferenceConfig;
  toolConfig?: ToolConfig;
  additionalModelRequestFields?: Record<string, unknown>;
  requestMetadata?: Record<string, string>;
  jsonSchema?: JsonSchemaOutput;
  /** Enforced by the runtime around the model call; never passed to a provider. */
  guardrail?: GuardrailRequest;
}
