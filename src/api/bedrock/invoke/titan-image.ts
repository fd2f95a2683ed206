import { z } from 'zod';
import { encodeBase64 } from '../../shared/base64.js';
import { decodeBody } from './body-schema.js';
import type { ImageInvoke, InvokeFormat } from './invoke-format.js';

const side = z.number().int().min(64).max(2048);

/**
 * Titan Image Generator's text-to-image body. `cfgScale` and `quality` are accepted because Bedrock's own examples
 * send them, but only guide Amazon's model: Quarry's image backends (the OpenAI images API) take neither.
 */
export const titanImageBody = z
  .object({
    taskType: z.literal('TEXT_IMAGE', { error: 'only TEXT_IMAGE (text to image) is supported' }),
    textToImageParams: z
      .object({
        text: z.string().min(1).max(512),
        negativeText: z.string().min(1).max(512).optional(),
      })
      .strict(),
    imageGenerationConfig: z
      .object({
        numberOfImages: z.number().int().min(1).max(5).optional(),
        width: side.optional(),
        height: side.optional(),
        cfgScale: z.number().min(1.1).max(10).optional(),
        seed: z.number().int().min(0).max(2_147_483_646).optional(),
        quality: z.enum(['standard', 'premium']).optional(),
      })
      .strict()
      .refine((c) => (c.width === undefined) === (c.height === undefined), 'width and height go together')
      .optional(),
  })
  .strict();

/** `{ images: [base64…], error: null }`, as Bedrock answers a Titan image call that succeeded. */
export const titanImage: InvokeFormat = {
  decode(body, modelId): ImageInvoke {
    const wire = decodeBody(titanImageBody, body, 'Amazon Titan Image Generator');
    const config = wire.imageGenerationConfig;
    return {
      kind: 'image',
      request: {
        modelId,
        prompt: wire.textToImageParams.text,
        ...(wire.textToImageParams.negativeText ? { negativePrompt: wire.textToImageParams.negativeText } : {}),
        count: config?.numberOfImages ?? 1,
        ...(config?.width !== undefined && config.height !== undefined ? { size: { width: config.width, height: config.height } } : {}),
        ...(config?.seed !== undefined ? { seed: config.seed } : {}),
      },
      encode: (r) => ({ images: r.images.map((i) => encodeBase64(i.bytes)), error: null }),
    };
  },
};
