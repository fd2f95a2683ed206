import { z } from 'zod';
import { validation } from '../../core/index.js';

/** The `options:` of an `embedded` provider entry. Strict: a typo in configuration should fail loudly. */
export const embeddedOptionsSchema = z
  .object({
    /**
     * Inputs per forward pass. The encoder's input is one sparse tensor for the whole batch, so memory grows with the
     * batch's total tokens; 32 keeps a batch of long passages in tens of MB.
     */
    batchSize: z.number().int().min(1).max(1024).default(32),
  })
  .strict();

export type EmbeddedOptions = z.infer<typeof embeddedOptionsSchema>;

export function parseEmbeddedOptions(providerId: string, options: Record<string, unknown>): EmbeddedOptions {
  const parsed = embeddedOptionsSchema.safeParse(options);
  if (!parsed.success) throw validation(`Provider ${providerId}: invalid options: ${z.prettifyError(parsed.error)}`, parsed.error);
  return parsed.data;
}
