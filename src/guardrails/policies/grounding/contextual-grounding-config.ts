import { z } from 'zod';

/** Bedrock's `GuardrailContextualGroundingFilterConfig`: a threshold of 0–0.99; content scoring below it fails. */
export const groundingFilterConfigSchema = z
  .object({
    type: z.enum(['GROUNDING', 'RELEVANCE']),
    threshold: z.number().min(0).max(0.99),
    action: z.enum(['BLOCK', 'NONE']).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

/** Bedrock's `GuardrailContextualGroundingPolicyConfig`: one or two filters, each type at most once. */
export const contextualGroundingPolicyConfigSchema = z
  .object({
    filtersConfig: z.array(groundingFilterConfigSchema).min(1).max(2),
    tierConfig: z.object({ tierName: z.enum(['CLASSIC', 'STANDARD']) }).strict().optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const types = config.filtersConfig.map((f) => f.type);
    if (new Set(types).size !== types.length) {
      ctx.addIssue({ code: 'custom', path: ['filtersConfig'], message: 'each filter type (GROUNDING, RELEVANCE) may appear once' });
    }
  });

export type GroundingFilterConfig = z.infer<typeof groundingFilterConfigSchema>;
export type ContextualGroundingPolicyConfig = z.infer<typeof contextualGroundingPolicyConfigSchema>;
