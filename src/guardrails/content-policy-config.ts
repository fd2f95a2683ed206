import { z } from 'zod';

/** Bedrock's `GuardrailContentFilterType`, in the order assessments list them. */
export const CONTENT_FILTER_TYPES = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT', 'PROMPT_ATTACK'] as const;
export type ContentFilterType = (typeof CONTENT_FILTER_TYPES)[number];

const strength = z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH']);
const action = z.enum(['BLOCK', 'NONE']);
const modalities = z.array(z.enum(['TEXT', 'IMAGE'])).min(1).max(2);

/** Bedrock's `GuardrailContentFilterConfig`. */
export const contentFilterConfigSchema = z
  .object({
    type: z.enum(CONTENT_FILTER_TYPES),
    inputStrength: strength,
    outputStrength: strength,
    inputModalities: modalities.optional(),
    outputModalities: modalities.optional(),
    inputAction: action.optional(),
    outputAction: action.optional(),
    inputEnabled: z.boolean().optional(),
    outputEnabled: z.boolean().optional(),
  })
  .strict();

/**
 * Bedrock's `GuardrailContentPolicyConfig`: one to six filters, each type once. PROMPT_ATTACK judges user input only,
 * so Bedrock requires its output strength to be NONE, and so does Quarry.
 */
export const contentPolicyConfigSchema = z
  .object({
    filtersConfig: z.array(contentFilterConfigSchema).min(1).max(CONTENT_FILTER_TYPES.length),
    tierConfig: z.object({ tierName: z.enum(['CLASSIC', 'STANDARD']) }).strict().optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.filtersConfig.forEach((f, i) => {
      if (seen.has(f.type)) ctx.addIssue({ code: 'custom', path: ['filtersConfig', i, 'type'], message: `${f.type} is configured twice; list each filter type once` });
      seen.add(f.type);
      if (f.type === 'PROMPT_ATTACK' && f.outputStrength !== 'NONE') {
        ctx.addIssue({ code: 'custom', path: ['filtersConfig', i, 'outputStrength'], message: 'PROMPT_ATTACK applies to input only: its outputStrength must be NONE' });
      }
    });
  });

export type ContentFilterConfig = z.infer<typeof contentFilterConfigSchema>;
export type ContentPolicyConfig = z.infer<typeof contentPolicyConfigSchema>;
