import { z } from 'zod';

/** ApplyGuardrail's body (`@aws-sdk/client-bedrock-runtime` ApplyGuardrailRequest, less the path parameters). */
const qualifier = z.enum(['grounding_source', 'query', 'guard_content']);

const textBlock = z
  .object({
    text: z.object({ text: z.string(), qualifiers: z.array(qualifier).max(3).optional() }).strict(),
  })
  .strict();

const imageBlock = z
  .object({
    image: z
      .object({
        format: z.enum(['png', 'jpeg']),
        source: z.object({ bytes: z.string().min(1) }).strict(),
      })
      .strict(),
  })
  .strict();

export const applyGuardrailSchema = z
  .object({
    source: z.enum(['INPUT', 'OUTPUT']),
    content: z.array(z.union([textBlock, imageBlock])).min(1, 'content must hold at least one block').max(1000),
    outputScope: z.enum(['INTERVENTIONS', 'FULL']).optional(),
  })
  .strict();

export type ApplyGuardrailBody = z.infer<typeof applyGuardrailSchema>;

/** ListGuardrails' query string. */
export const listGuardrailsQuery = z
  .object({
    guardrailIdentifier: z.string().min(1).max(2048).optional(),
    maxResults: z.coerce.number().int().min(1).max(1000).optional(),
    nextToken: z.string().min(1).max(2048).optional(),
  })
  .strict();
