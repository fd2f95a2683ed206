import type {
  ConverseRequest,
  ConverseResult,
  EmbedRequest,
  EmbedResult,
  ImageGenerationRequest,
  ImageGenerationResult,
  ModelInfo,
  StreamPart,
} from '../../../core/index.js';

/** What a stream encoder knows beyond the parts themselves. */
export interface StreamInfo {
  /** `performance.now()` when the invocation began: Bedrock's invocation metrics count from there. */
  startedAt: number;
  /**
   * Input tokens counted before generation starts. Anthropic's `message_start` and Llama's and Titan's first chunk
   * report the prompt size, but canonical usage only arrives with the last part.
   */
  inputTokens: number;
}

export interface TextInvoke {
  kind: 'text';
  request: ConverseRequest;
  /** The native response body for a finished generation. */
  encode(result: ConverseResult): unknown;
  /**
   * Native stream chunk objects, each sent as one `chunk` event. Sees only successful parts: when a part stream ends
   * in an error the input simply stops, and the format must not invent a final chunk (the dispatcher sends the
   * exception after the last chunk).
   */
  chunks(parts: AsyncIterable<StreamPart>, info: StreamInfo): AsyncIterable<object>;
}

export interface EmbeddingInvoke {
  kind: 'embedding';
  request: EmbedRequest;
  encode(result: EmbedResult): unknown;
}

export interface ImageInvoke {
  kind: 'image';
  request: ImageGenerationRequest;
  encode(result: ImageGenerationResult): unknown;
}

/**
 * A decoded body. The encoders are closures over the request because the answer depends on it (Titan's and Cohere's
 * requested embedding types, the matched Anthropic stop sequence) and, for `generic` models, on which format the
 * body turned out to be.
 */
export type DecodedInvoke = TextInvoke | EmbeddingInvoke | ImageInvoke;

/**
 * One model family's native InvokeModel body format (Anthropic Messages, Meta Llama, Amazon Titan …): how its request
 * becomes canonical and how canonical results become its response and stream chunks. Validation errors are
 * ValidationExceptions that name the offending field, as Bedrock's are.
 */
export interface InvokeFormat {
  /** Decodes the parsed JSON body of a call to `model`. `modelId` is the client's id (goes into the canonical request). */
  decode(body: unknown, modelId: string, model: ModelInfo): DecodedInvoke;
}
