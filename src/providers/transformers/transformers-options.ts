import { z } from 'zod';
import { validation } from '../../core/index.js';

/** The `options:` of a `transformers` provider entry. Strict: a typo in configuration should fail loudly. */
export const transformersOptionsSchema = z
  .object({
    /** Folder holding one sub-folder per model; defaults to `<dataDir>/embeddings`. */
    dir: z.string().min(1).optional(),
    /** Inputs per forward pass: padding makes a batch cost its longest input times its size. */
    batchSize: z.number().int().min(1).max(1024).default(16),
    /**
     * Cut inputs longer than the model's limit instead of refusing them. Off by default: silent truncation hides the
     * end of a passage from retrieval, and Bedrock and OpenAI both refuse over-long inputs.
     */
    truncate: z.boolean().default(false),
  })
  .strict();

export type TransformersOptions = z.infer<typeof transformersOptionsSchema>;

export function parseTransformersOptions(providerId: string, options: Record<string, unknown>): TransformersOptions {
  const parsed = transformersOptionsSchema.safeParse(options);
  if (!parsed.success) throw validation(`Provider ${providerId}: invalid options: ${z.prettifyError(parsed.error)}`, parsed.error);
  return parsed.data;
}
