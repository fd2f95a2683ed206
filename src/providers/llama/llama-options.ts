import { z } from 'zod';
import { QuarryError } from '../../core/index.js';

/** The `options:` of a `type: llama` provider entry. Strict: a misspelt key in the config is an error, not a no-op. */
export const llamaOptionsSchema = z
  .object({
    /** Requests one model serves at once; each sequence holds its own KV cache of `contextSize` tokens. */
    sequences: z.number().int().min(1).max(64).default(2),
    /** Tokens per sequence. Defaults to the model's trained context, capped at 4096 to bound memory. */
    contextSize: z.number().int().min(64).optional(),
    /** CPU threads for evaluation; all cores but one when absent (the server's event loop needs one). */
    threads: z.number().int().min(1).optional(),
    /** `auto` tries the GPU build and falls back to CPU; the default stays on CPU so nothing surprises a laptop. */
    gpu: z.union([z.literal('auto'), z.literal(false)]).default(false),
  })
  .strict();

export type LlamaOptions = z.infer<typeof llamaOptionsSchema>;

export const DEFAULT_MAX_CONTEXT = 4096;

export function parseLlamaOptions(providerId: string, options: Record<string, unknown>): LlamaOptions {
  const parsed = llamaOptionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `options.${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new QuarryError('ValidationException', `Provider "${providerId}" (llama) has invalid options: ${issues}`);
}

/**
 * The context a model gets: the configured size as given (an operator may knowingly run past the trained length), else
 * the trained context capped at DEFAULT_MAX_CONTEXT, because a 128k default would allocate gigabytes of KV cache.
 */
export function contextSizeFor(options: LlamaOptions, trainedContext: number | undefined): number {
  if (options.contextSize !== undefined) return options.contextSize;
  return Math.min(trainedContext ?? DEFAULT_MAX_CONTEXT, DEFAULT_MAX_CONTEXT);
}
