export interface EmbedRequest {
  modelId: string;
  inputs: string[];
  /** Requested output size where the model supports truncation (Titan v2, OpenAI `dimensions`). */
  dimensions?: number;
  normalize?: boolean;
}

export interface EmbedResult {
  embeddings: Float32Array[] | number[][];
  inputTokens: number;
}
