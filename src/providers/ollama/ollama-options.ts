import { z } from 'zod';
import { validation } from '../../core/index.js';

/** The `options:` of an `ollama` provider entry. Strict: a typo in configuration should fail loudly. */
export const ollamaOptionsSchema = z
  .object({
    /** Also list every model the server has pulled (`/api/tags`); on by default, since that is the point of Ollama. */
    discover: z.boolean().default(true),
    /** How long Ollama keeps a model loaded after a call (`5m`, `1h`, seconds, or -1 for ever). */
    keepAlive: z.union([z.string(), z.number()]).optional(),
    /** Ollama model options sent with every call (`num_ctx`, `num_gpu`, `top_k` …); per-request fields win. */
    modelOptions: z.record(z.string(), z.unknown()).default({}),
    /** Extra headers on every call (an auth proxy in front of Ollama). */
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export type OllamaOptions = z.infer<typeof ollamaOptionsSchema>;

export function parseOllamaOptions(providerId: string, options: Record<string, unknown>): OllamaOptions {
  const parsed = ollamaOptionsSchema.safeParse(options);
  if (!parsed.success) throw validation(`Provider ${providerId}: invalid options: ${z.prettifyError(parsed.error)}`, parsed.error);
  return parsed.data;
}
