import { z } from 'zod';
import { contentPolicyConfigSchema } from './content-policy-config.js';
import { contextualGroundingPolicyConfigSchema, topicPolicyConfigSchema, wordPolicyConfigSchema } from './policies/index.js';
import { sensitiveInformationPolicyConfigSchema } from './sensitive-information-config.js';

/**
 * CreateGuardrail and UpdateGuardrail bodies as `@aws-sdk/client-bedrock` sends them, with Bedrock's limits. Unknown
 * fields are refused rather than ignored: a misspelt policy name must not leave a guardrail silently unconfigured.
 */
const unsupported = (what: string) =>
  z
    .unknown()
    .optional()
    .refine((v) => v === undefined, { message: `${what} is not supported by Quarry; remove it` });

const guardrailFields = {
  name: z.string().min(1).max(50).regex(/^[0-9a-zA-Z-_]+$/, 'a guardrail name may hold only letters, digits, "-" and "_"'),
  description: z.string().min(1).max(200).optional(),
  topicPolicyConfig: topicPolicyConfigSchema.optional(),
  contentPolicyConfig: contentPolicyConfigSchema.optional(),
  wordPolicyConfig: wordPolicyConfigSchema.optional(),
  sensitiveInformationPolicyConfig: sensitiveInformationPolicyConfigSchema.optional(),
  contextualGroundingPolicyConfig: contextualGroundingPolicyConfigSchema.optional(),
  automatedReasoningPolicyConfig: unsupported('automatedReasoningPolicyConfig'),
  crossRegionConfig: unsupported('crossRegionConfig (guardrails run on this server)'),
  blockedInputMessaging: z.string().min(1).max(500),
  blockedOutputsMessaging: z.string().min(1).max(500),
  /** Accepted and stored so configurations written for Bedrock apply unchanged; the store's own encryption applies. */
  kmsKeyId: z.string().min(1).max(2048).optional(),
};

const tagSchema = z
  .object({
    key: z.string().min(1).max(128).regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, 'invalid tag key'),
    value: z.string().max(256).regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, 'invalid tag value'),
  })
  .strict();

export const createGuardrailSchema = z
  .object({
    ...guardrailFields,
    tags: z.array(tagSchema).max(200).optional(),
    clientRequestToken: z.string().min(1).max(256).optional(),
  })
  .strict();

/** UpdateGuardrail replaces the DRAFT's whole configuration: a policy left out is removed, as on Bedrock. */
export const updateGuardrailSchema = z.object(guardrailFields).strict();

export const createGuardrailVersionSchema = z
  .object({ description: z.string().min(1).max(200).optional(), clientRequestToken: z.string().min(1).max(256).optional() })
  .strict();

export type CreateGuardrailInput = z.infer<typeof createGuardrailSchema>;
export type UpdateGuardrailInput = z.infer<typeof updateGuardrailSchema>;

/** What a guardrail version holds: everything that decides how content is judged and answered. */
export type GuardrailConfig = Pick<
  UpdateGuardrailInput,
  | 'topicPolicyConfig'
  | 'contentPolicyConfig'
  | 'wordPolicyConfig'
  | 'sensitiveInformationPolicyConfig'
  | 'contextualGroundingPolicyConfig'
  | 'blockedInputMessaging'
  | 'blockedOutputsMessaging'
>;

export function configOf(input: UpdateGuardrailInput): GuardrailConfig {
  return {
    topicPolicyConfig: input.topicPolicyConfig,
    contentPolicyConfig: input.contentPolicyConfig,
    wordPolicyConfig: input.wordPolicyConfig,
    sensitiveInformationPolicyConfig: input.sensitiveInformationPolicyConfig,
    contextualGroundingPolicyConfig: input.contextualGroundingPolicyConfig,
    blockedInputMessaging: input.blockedInputMessaging,
    blockedOutputsMessaging: input.blockedOutputsMessaging,
  };
}
