import { z } from 'zod';
import { type ImageGenerationRequest, validation } from '../../core/index.js';

// OpenAI's own bound on `n`; past it OpenAI answers 400 too.
const MAX_IMAGES = 10;

/**
 * CreateImageRequest, text to image. `quality`, `style` and `user` are accepted (SDK examples send them) but only
 * guide OpenAI's own models. `url` answers are data: URLs, because Quarry hosts no files to point at.
 */
export const imagesRequest = z.strictObject(
  {
    model: z.string().min(1),
    prompt: z.string().trim().min(1, 'prompt must not be empty').max(32_000),
    n: z.number().int().min(1).max(MAX_IMAGES).nullish(),
    size: z
      .union([z.literal('auto'), z.string().regex(/^\d{2,4}x\d{2,4}$/, 'size is WIDTHxHEIGHT in pixels (e.g. 1024x1024) or auto')])
      .nullish(),
    response_format: z.enum(['b64_json', 'url']).nullish(),
    quality: z.string().nullish(),
    style: z.string().nullish(),
    user: z.string().nullish(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `Unrecognized request argument(s): ${iss.keys.join(', ')}.` : undefined) },
);
export type ImagesRequest = z.infer<typeof imagesRequest>;

/** The canonical request; a size outside 64–2048 pixels a side is refused here, before any model is asked. */
export function toImageGenerationRequest(body: ImagesRequest): ImageGenerationRequest {
  const req: ImageGenerationRequest = { modelId: body.model, prompt: body.prompt, count: body.n ?? 1 };
  if (body.size && body.size !== 'auto') {
    const [width, height] = body.size.split('x').map(Number) as [number, number];
    if ([width, height].some((s) => s < 64 || s > 2048)) throw validation(`size: each side must be between 64 and 2048 pixels (got ${body.size}).`);
    req.size = { width, height };
  }
  return req;
}
