import { z } from 'zod';
import { validation } from '../../core/index.js';

/** The `options:` of an `anthropic` provider entry. Strict: a typo in configuration should fail loudly. */
export const anthropicOptionsSchema = z
  .object({
    /** Extra headers on every call (a gateway's routing header …). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Beta features to enable on every call, sent as `anthropic-beta`. */
    betas: z.array(z.string()).default([]),
    /** Anthropic requires `max_tokens`; used when neither the request nor the catalog entry gives one. */
    defaultMaxTokens: z.number().int().positive().default(4096),
    /**
     * How the key travels. `bearer` (`Authorization: Bearer …`) is what the SDK sends since its 1.x releases;
     * `x-api-key` is the classic header that older Anthropic-compatible gateways and proxies look for.
     */
    authScheme: z.enum(['bearer', 'x-api-key']).default('bearer'),
    /** `api` counts with `/v1/messages/count_tokens` (exact, one call); `estimate` counts locally. */
    countTokens: z.enum(['api', 'estimate']).default('api'),
  })
  .strict();

export type AnthropicOptions = z.infer<typeof anthropicOptionsSchema>;

export function parseAnthropicOptions(providerId: string, options: Record<string, unknown>): AnthropicOptions {
  const parsed = anthropicOptionsSchema.safeParse(options);
  if (!parsed.success) throw validation(`Provider ${providerId}: invalid options: ${z.prettifyError(parsed.error)}`, parsed.error);
  return parsed.data;
}
