import { type ImageGenerationRequest, type ModelInfo, validation } from '../../core/index.js';

/**
 * `POST /images/generations` as OpenAI, LocalAI and others serve it, always asking for `b64_json`: a URL answer would
 * make Quarry fetch from wherever the upstream points. The API has no negative prompt, so one is refused rather than
 * silently ignored; it has no seed either, and a seed is dropped, since it only asks for reproducibility.
 */
export function toOpenAIImagesRequest(req: ImageGenerationRequest & { model: ModelInfo }): Record<string, unknown> {
  if (req.negativePrompt) {
    throw validation(`Model ${req.model.id} is served through the OpenAI images API, which takes no negative prompt; describe what to avoid in the prompt.`);
  }
  const body: Record<string, unknown> = { model: req.model.upstreamModel, prompt: req.prompt, n: req.count, response_format: 'b64_json' };
  if (req.size) body.size = `${req.size.width}x${req.size.height}`;
  return body;
}
