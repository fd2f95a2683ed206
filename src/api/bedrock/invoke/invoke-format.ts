import type { ConverseRequest, ConverseResult, EmbedRequest, EmbedResult, ModelInfo, StreamPart } from '../../../core/index.js';

export type DecodedInvoke = { kind: 'text'; request: ConverseRequest } | { kind: 'embedding'; request: EmbedRequest };

/**
 * One model family's native InvokeModel body format (Anthropic Messages, Meta Llama, Amazon Titan …): how its request
 * becomes canonical and how canonical results become its response and stream chunks. Validation errors are
 * ValidationExceptions that name the offending field, as Bedrock's are.
 */
export interface InvokeFormat {
  /** Decodes the parsed JSON body. `modelId` is the client's id (goes into the canonical request). */
  decode(body: unknown, modelId: string): DecodedInvoke;
  encodeText?(result: ConverseResult, model: ModelInfo): unknown;
  encodeEmbedding?(result: EmbedResult, request: EmbedRequest, model: ModelInfo): unknown;
  /** Native stream chunk objects, each sent as one `chunk` event with base64 JSON bytes. */
  streamChunks?(parts: AsyncIterable<StreamPart>, model: ModelInfo): AsyncIterable<unknown>;
}
