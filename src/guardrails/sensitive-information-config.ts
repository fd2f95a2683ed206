import { z } from 'zod';
import { customRegexSchema, PII_ENTITY_TYPES } from './pii/index.js';

const action = z.enum(['BLOCK', 'ANONYMIZE', 'NONE']);
const directional = {
  action,
  inputAction: action.optional(),
  outputAction: action.optional(),
  inputEnabled: z.boolean().optional(),
  outputEnabled: z.boolean().optional(),
};

/** Bedrock's `GuardrailPiiEntityConfig`; an unknown type is refused with the list of known ones. */
export const piiEntityConfigSchema = z
  .object({
    type: z.string().refine((t) => (PII_ENTITY_TYPES as readonly string[]).includes(t), {
      error: (i) => `unknown PII entity type ${JSON.stringify(i.input)}; use one of ${PII_ENTITY_TYPES.join(', ')}`,
    }),
    ...directional,
  })
  .strict();

/** Bedrock's `GuardrailRegexConfig`: the pattern runs on the bounded (linear-time) engine, never on V8's. */
export const regexConfigSchema = customRegexSchema.extend(directional);

/** Bedrock's `GuardrailSensitiveInformationPolicyConfig`: up to 10 regexes; each type and regex name once. */
export const sensitiveInformationPolicyConfigSchema = z
  .object({
    piiEntitiesConfig: z.array(piiEntityConfigSchema).max(PII_ENTITY_TYPES.length).optional(),
    regexesConfig: z.array(regexConfigSchema).max(10).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const types = new Set<string>();
    config.piiEntitiesConfig?.forEach((p, i) => {
      if (types.has(p.type)) ctx.addIssue({ code: 'custom', path: ['piiEntitiesConfig', i, 'type'], message: `${p.type} is configured twice` });
      types.add(p.type);
    });
    const names = new Set<string>();
    config.regexesConfig?.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: ['regexesConfig', i, 'name'], message: `regex name ${r.name} is used twice` });
      names.add(r.name);
    });
    if (!config.piiEntitiesConfig?.length && !config.regexesConfig?.length) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give at least one PII entity or regex' });
    }
  });

export type PiiEntityConfig = z.infer<typeof piiEntityConfigSchema>;
export type RegexConfig = z.infer<typeof regexConfigSchema>;
export type SensitiveInformationPolicyConfig = z.infer<typeof sensitiveInformationPolicyConfigSchema>;
