/** The media types an image model may answer with; providers tell them by the bytes, not by what the upstream says. */
export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/webp';

/** Text to image: what every wire format (OpenAI images, Titan Image Generator) decodes into. */
export interface ImageGenerationRequest {
  modelId: string;
  prompt: string;
  /** What the image should not show, where the model takes one (Titan, Stable Diffusion). */
  negativePrompt?: string;
  /** Images to generate; the wire formats bound it (OpenAI 1–10, Titan 1–5). */
  count: number;
  /** Pixels; absent, the model's default size. */
  size?: { width: number; height: number };
  /** For reproducible output, where the model honours one. */
  seed?: number;
}

export interface GeneratedImage {
  bytes: Uint8Array;
  mediaType: ImageMediaType;
}

export interface ImageGenerationResult {
  images: GeneratedImage[];
}
