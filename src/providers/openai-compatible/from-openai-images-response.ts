import { z } from 'zod';
import type { GeneratedImage, ImageGenerationResult } from '../../core/index.js';
import { sniffImageType } from '../shared/sniff-image-type.js';
import { upstreamReturned } from './map-openai-error.js';

// Lenient: servers copying OpenAI add fields (revised_prompt, usage, output_format) or leave some out.
const imagesResponseSchema = z.object({
  data: z.array(z.object({ b64_json: z.string().nullish(), url: z.string().nullish() })),
});

/** The images of a `/images/generations` answer, decoded and checked: `count` of them, each a PNG, JPEG or WebP. */
export function fromOpenAIImagesResponse(text: string, count: number): ImageGenerationResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw upstreamReturned(`an images body that is not JSON: ${text.slice(0, 120)}`, e);
  }
  const parsed = imagesResponseSchema.safeParse(json);
  if (!parsed.success) throw upstreamReturned('an images body without `data`', parsed.error);
  const { data } = parsed.data;
  if (data.length !== count) throw upstreamReturned(`${data.length} images where ${count} were asked for`);
  const images = data.map((d, i): GeneratedImage => {
    if (!d.b64_json) throw upstreamReturned(d.url ? `image ${i} as a URL although b64_json was asked for` : `image ${i} without data`);
    const bytes = Buffer.from(d.b64_json, 'base64');
    const mediaType = sniffImageType(bytes);
    if (!mediaType) throw upstreamReturned(`image ${i} in a format that is not PNG, JPEG or WebP`);
    return { bytes, mediaType };
  });
  return { images };
}
