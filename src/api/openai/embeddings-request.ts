import { z } from 'zod';
import { validation } from '../../core/index.js';

/** CreateEmbeddingRequest. Token-id input is part of the spec but meaningless across tokenizers, so it is refused by name. */
export const embeddingsRequest = z.strictObject(
  {
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()), z.array(z.number()), z.array(z.array(z.number()))]),
    encoding_format: z.enum(['float', 'base64']).nullish(),
    dimensions: z.number().int().min(1).nullish(),
    user: z.string().nullish(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `Unrecognized request argument(s): ${iss.keys.join(', ')}.` : undefined) },
);
export type EmbeddingsRequest = z.infer<typeof embeddingsRequest>;

// OpenAI's own limit on inputs per request.
const MAX_INPUTS = 2048;

export function embeddingInputs(input: EmbeddingsRequest['input']): string[] {
  const list: unknown[] = typeof input === 'string' ? [input] : input;
  if (!list.length) throw validation('input: at least one input is required.');
  if (list.length > MAX_INPUTS) throw validation(`input: at most ${MAX_INPUTS} inputs per request (got ${list.length}).`);
  return list.map((s, i) => {
    if (typeof s !== 'string') throw validation('input: token-id arrays are not supported, because token ids differ between models; send text.');
    if (s === '') throw validation(`input${typeof input === 'string' ? '' : `.${i}`}: inputs must not be empty strings.`);
    return s;
  });
}
