import { z } from 'zod';
import { validation } from '../../core/index.js';

/** The `options:` of an `openai-compatible` provider entry. Strict: a typo in configuration should fail loudly. */
export const openAICompatibleOptionsSchema = z
  .object({
    /** Also list the models the upstream's `GET /models` reports. */
    discover: z.boolean().default(false),
    /** Extra headers on every call (`OpenAI-Organization`, a proxy's routing header …). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Upper bound on open sockets to the upstream; unbounded by default so bursts are not queued behind a pool. */
    connections: z.number().int().positive().optional(),
    /** Ask for usage in streams (`stream_options.include_usage`); turn off for servers that reject the field. */
    streamUsage: z.boolean().default(true),
    /** OpenAI's reasoning models reject `max_tokens` and want `max_completion_tokens`. */
    maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
  })
  .strict();

export type OpenAICompatibleOptions = z.infer<typeof openAICompatibleOptionsSchema>;

export function parseOpenAICompatibleOptions(providerId: string, options: Record<string, unknown>): OpenAICompatibleOptions {
  const parsed = openAICompatibleOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw validation(`Provider ${providerId}: invalid options: ${z.prettifyError(parsed.error)}`, parsed.error);
  }
  return parsed.data;
}
