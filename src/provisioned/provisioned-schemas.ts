import { z } from 'zod';

// Bedrock's own limits on these fields (the API reference's patterns and lengths).
const name = z
  .string()
  .min(1)
  .max(63)
  .regex(/^([0-9a-zA-Z][_-]?)+$/, 'letters and digits, each optionally followed by one _ or -');
const modelId = z.string().min(1).max(2048);
const tag = z.strictObject({ key: z.string().min(1).max(128), value: z.string().max(256) });

export const commitmentSchema = z.enum(['OneMonth', 'SixMonths']);
export type Commitment = z.infer<typeof commitmentSchema>;

export const createProvisionedSchema = z.strictObject({
  clientRequestToken: z.string().min(1).max(256).optional(),
  modelUnits: z.number().int().min(1).max(10_000),
  provisionedModelName: name,
  modelId,
  commitmentDuration: commitmentSchema.optional(),
  tags: z.array(tag).max(200).optional(),
});
export type CreateProvisionedInput = z.infer<typeof createProvisionedSchema>;

export const updateProvisionedSchema = z.strictObject({
  desiredProvisionedModelName: name.optional(),
  desiredModelId: modelId.optional(),
});
export type UpdateProvisionedInput = z.infer<typeof updateProvisionedSchema>;

const STATUSES = ['Creating', 'InService', 'Updating', 'Failed'] as const;
export type ProvisionedStatus = (typeof STATUSES)[number];

export const listProvisionedQuery = z.strictObject({
  creationTimeAfter: z.string().datetime({ offset: true }).optional(),
  creationTimeBefore: z.string().datetime({ offset: true }).optional(),
  statusEquals: z.enum(STATUSES).optional(),
  modelArnEquals: z.string().min(1).max(2048).optional(),
  nameContains: name.optional(),
  maxResults: z.coerce.number().int().min(1).max(1000).optional(),
  nextToken: z.string().min(1).max(2048).optional(),
  sortBy: z.literal('CreationTime').optional(),
  sortOrder: z.enum(['Ascending', 'Descending']).optional(),
});
export type ListProvisionedQuery = z.infer<typeof listProvisionedQuery>;

export const utilisationQuery = z.strictObject({
  /** How many whole hours back from now; the current hour is included. */
  hours: z.coerce.number().int().min(1).max(24 * 93).default(24),
});
