/**
 * What the catalog knows about a model. `family` selects the native body format of InvokeModel (Anthropic Messages,
 * Meta Llama, Amazon Titan …) and is inferred from the model id when configuration does not say.
 */
export type ModelFamily =
  | 'anthropic'
  | 'meta'
  | 'amazon-titan-text'
  | 'amazon-titan-embed'
  | 'amazon-titan-image'
  | 'amazon-nova'
  | 'mistral'
  | 'cohere'
  | 'generic';

/** What a model produces: text (chat), embeddings, or images; each is called through its own APIs. */
export type ModelKind = 'text' | 'embedding' | 'image';

export type Modality = 'TEXT' | 'IMAGE' | 'EMBEDDING' | 'DOCUMENT';

export interface Pricing {
  /** USD per 1,000 input tokens. */
  inputPer1k: number;
  /** USD per 1,000 output tokens. */
  outputPer1k: number;
  /** USD per generated image, for image models. */
  imagePerImage?: number;
}

export interface ModelInfo {
  /** The id clients use, Bedrock-style (`acme.chat-v1:0`). */
  id: string;
  name: string;
  /** Id of the provider instance that serves it. */
  providerId: string;
  /** The provider's own name for the model. */
  upstreamModel: string;
  family: ModelFamily;
  kind: ModelKind;
  inputModalities: Modality[];
  outputModalities: Modality[];
  contextWindow?: number;
  maxOutputTokens?: number;
  embeddingDimensions?: number;
  pricing?: Pricing;
  /** Where the weights run, for the catalog: `local` (in this process), `remote` (an upstream service). */
  runsOn: 'local' | 'remote';
  supportsTools: boolean;
  supportsStreaming: boolean;
}
