import { z } from 'zod';

/** Provisioned throughput: USD per model unit per hour for each term, and what one model unit carries. */
export interface ProvisionedPrice {
  noCommitmentPerHour?: number;
  oneMonthPerHour?: number;
  sixMonthPerHour?: number;
  /** Input tokens per minute one model unit sustains when it does nothing else (for the break-even calculator). */
  unitInputTokensPerMinute?: number;
  /** Output tokens per minute one model unit sustains when it does nothing else. */
  unitOutputTokensPerMinute?: number;
}

/**
 * One pricing catalog entry: a model's list prices in one region ('*': every region without an entry of its own).
 * All amounts are USD. Absent fields are unknown, not free: a cost that needs one falls back as `cost.ts` explains.
 */
export interface ModelPrice {
  modelId: string;
  region: string;
  inputPer1k?: number;
  outputPer1k?: number;
  /** Prompt-cache reads, per 1,000 tokens (Bedrock and Anthropic: a tenth of input; OpenAI: half or a quarter). */
  cacheReadPer1k?: number;
  /** Prompt-cache writes, per 1,000 tokens (Anthropic: 1.25× input; OpenAI and Nova: input price). */
  cacheWritePer1k?: number;
  /** Fraction taken off on-demand prices for batch inference (0.5: half price). */
  batchDiscount?: number;
  /** Embedding models: per 1,000 input tokens. */
  embeddingPer1k?: number;
  /** Per image in the request or answer, for models priced by the image (image generation, multimodal embeddings). */
  imagePerImage?: number;
  provisioned?: ProvisionedPrice;
  /** When the prices were taken (ISO date or a plain statement such as "list prices as of 2025"). */
  asOf: string;
  /** Where they come from. */
  source: string;
}

/** Built in, edited through the API (`quarry pricing set`), or set on the model in quarry.yaml. */
export type PriceOrigin = 'default' | 'custom' | 'configuration';

const usd = z.number().finite().nonnegative().max(1_000_000);
const tpm = z.number().finite().positive().max(1e12);

/** A region name (us-east-1, eu-central-2, global) or * for every region without an entry of its own. */
export const priceRegion = z.string().regex(/^(\*|[a-z]{2}(-[a-z]+)+-\d{1,2}|global)$/, 'a region is a name like us-east-1, "global", or * for every region');

/** What PUT /quarry/pricing/models/:modelId accepts: the whole entry for one model and region. */
export const modelPriceBody = z
  .object({
    region: priceRegion.default('*'),
    inputPer1k: usd.optional(),
    outputPer1k: usd.optional(),
    cacheReadPer1k: usd.optional(),
    cacheWritePer1k: usd.optional(),
    batchDiscount: z.number().finite().min(0).max(1).optional(),
    embeddingPer1k: usd.optional(),
    imagePerImage: usd.optional(),
    provisioned: z
      .object({
        noCommitmentPerHour: usd.optional(),
        oneMonthPerHour: usd.optional(),
        sixMonthPerHour: usd.optional(),
        unitInputTokensPerMinute: tpm.optional(),
        unitOutputTokensPerMinute: tpm.optional(),
      })
      .strict()
      .optional(),
    asOf: z.string().trim().min(1).max(100).optional(),
    source: z.string().max(500).optional(),
  })
  .strict()
  .refine(
    (b) =>
      [b.inputPer1k, b.outputPer1k, b.cacheReadPer1k, b.cacheWritePer1k, b.embeddingPer1k, b.imagePerImage].some((v) => v !== undefined) ||
      Object.values(b.provisioned ?? {}).some((v) => v !== undefined),
    'an entry needs at least one price',
  );

export type ModelPriceBody = z.infer<typeof modelPriceBody>;

/** Model ids as the catalog keys them: Bedrock ids, OpenAI names, ARN tails. Anything else is refused, not stored. */
export const priceModelId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:/@+-]+$/, 'a model id uses letters, digits and . : / @ + - _');
