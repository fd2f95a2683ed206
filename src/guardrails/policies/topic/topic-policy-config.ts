import { z } from 'zod';
import { directionalFields } from '../word/word-policy-config.js';

/** Bedrock's `GuardrailTopicConfig`: name 1–100 characters of [0-9a-zA-Z-_ !?.], definition 1–200, up to 5 examples of 1–100. */
export const topicConfigSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[0-9a-zA-Z-_ !?.]+$/, 'a topic name may hold only letters, digits, spaces and - _ ! ? .'),
    definition: z.string().min(1).max(200),
    examples: z.array(z.string().min(1).max(100)).max(5).optional(),
    type: z.literal('DENY'),
    ...directionalFields,
  })
  .strict();

/** Bedrock's `GuardrailTopicPolicyConfig`: 1–30 topics, names unique regardless of case. */
export const topicPolicyConfigSchema = z
  .object({
    topicsConfig: z.array(topicConfigSchema).min(1).max(30),
    tierConfig: z.object({ tierName: z.enum(['CLASSIC', 'STANDARD']) }).strict().optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.topicsConfig.forEach((t, i) => {
      const key = t.name.trim().toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else ctx.addIssue({ code: 'custom', path: ['topicsConfig', i, 'name'], message: `"${t.name}" repeats topic ${first}; topic names must be unique` });
      if (!/[\p{L}\p{N}]/u.test(t.definition)) {
        ctx.addIssue({ code: 'custom', path: ['topicsConfig', i, 'definition'], message: 'a definition needs words' });
      }
    });
  });

export type TopicConfig = z.infer<typeof topicConfigSchema>;
export type TopicPolicyConfig = z.infer<typeof topicPolicyConfigSchema>;
