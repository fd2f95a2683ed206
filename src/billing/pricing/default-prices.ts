import type { ModelPrice } from './model-price.js';

/**
 * Built-in list prices, USD, for well-known Bedrock and OpenAI models. They were written down without network access
 * from the public price pages as remembered in mid-2025, so treat them as a starting point: correct any of them with
 * `quarry pricing set` (or PUT /quarry/pricing/models/:id), which overrides the entry here, or with
 * `models[].pricing` in the configuration, which overrides both. Bedrock's are us-east-1 on-demand prices and apply
 * to every region until an entry for a region says otherwise.
 *
 * Provisioned-throughput prices are given only where AWS published a per-model-unit list price; newer models are
 * sold by quote. Per-model-unit token throughput is not published at all, so no default carries one: the
 * break-even calculator asks for it (set it in the catalog once you know your quote).
 */
export const DEFAULT_PRICES_AS_OF = 'list prices as of mid-2025 (recalled, not fetched)';
const BEDROCK = 'Amazon Bedrock pricing page, us-east-1 on-demand';
const OPENAI = 'OpenAI API pricing page, standard tier';

/** [input, output] per 1K tokens, then optional cache read, cache write, batch discount. */
type Row = [id: string, input: number, output: number, extra?: Partial<ModelPrice>];

const BATCH = { batchDiscount: 0.5 };
/** Anthropic on Bedrock: cache reads at a tenth of input, writes at 1.25×. */
const claudeCache = (input: number): Partial<ModelPrice> => ({ cacheReadPer1k: round(input * 0.1), cacheWritePer1k: round(input * 1.25), ...BATCH });
/** Nova: cache reads at a quarter of input, writes at the input price. */
const novaCache = (input: number): Partial<ModelPrice> => ({ cacheReadPer1k: round(input * 0.25), cacheWritePer1k: input, ...BATCH });
/** OpenAI: cached input at the published cached price, no charge beyond input for writing the cache. */
const openaiCache = (input: number, cached: number): Partial<ModelPrice> => ({ cacheReadPer1k: cached, cacheWritePer1k: input, ...BATCH });

const bedrock: Row[] = [
  // Anthropic Claude.
  ['anthropic.claude-3-haiku-20240307-v1:0', 0.00025, 0.00125, BATCH],
  ['anthropic.claude-3-sonnet-20240229-v1:0', 0.003, 0.015, BATCH],
  ['anthropic.claude-3-opus-20240229-v1:0', 0.015, 0.075, BATCH],
  ['anthropic.claude-3-5-haiku-20241022-v1:0', 0.0008, 0.004, claudeCache(0.0008)],
  ['anthropic.claude-3-5-sonnet-20240620-v1:0', 0.003, 0.015, BATCH],
  ['anthropic.claude-3-5-sonnet-20241022-v2:0', 0.003, 0.015, claudeCache(0.003)],
  ['anthropic.claude-3-7-sonnet-20250219-v1:0', 0.003, 0.015, claudeCache(0.003)],
  ['anthropic.claude-sonnet-4-20250514-v1:0', 0.003, 0.015, claudeCache(0.003)],
  ['anthropic.claude-opus-4-20250514-v1:0', 0.015, 0.075, claudeCache(0.015)],
  ['anthropic.claude-opus-4-1-20250805-v1:0', 0.015, 0.075, claudeCache(0.015)],
  // Meta Llama 3.x.
  ['meta.llama3-8b-instruct-v1:0', 0.0003, 0.0006, BATCH],
  ['meta.llama3-70b-instruct-v1:0', 0.00265, 0.0035, BATCH],
  ['meta.llama3-1-8b-instruct-v1:0', 0.00022, 0.00022, BATCH],
  ['meta.llama3-1-70b-instruct-v1:0', 0.00072, 0.00072, BATCH],
  ['meta.llama3-1-405b-instruct-v1:0', 0.0024, 0.0024, BATCH],
  ['meta.llama3-2-1b-instruct-v1:0', 0.0001, 0.0001, BATCH],
  ['meta.llama3-2-3b-instruct-v1:0', 0.00015, 0.00015, BATCH],
  ['meta.llama3-2-11b-instruct-v1:0', 0.00016, 0.00016, BATCH],
  ['meta.llama3-2-90b-instruct-v1:0', 0.00072, 0.00072, BATCH],
  ['meta.llama3-3-70b-instruct-v1:0', 0.00072, 0.00072, BATCH],
  // Amazon Titan and Nova.
  [
    'amazon.titan-text-lite-v1',
    0.00015,
    0.0002,
    { ...BATCH, provisioned: { noCommitmentPerHour: 7.1, oneMonthPerHour: 6.4, sixMonthPerHour: 5.1 } },
  ],
  [
    'amazon.titan-text-express-v1',
    0.0002,
    0.0006,
    { ...BATCH, provisioned: { noCommitmentPerHour: 20.5, oneMonthPerHour: 18.4, sixMonthPerHour: 14.8 } },
  ],
  ['amazon.titan-text-premier-v1:0', 0.0005, 0.0015, BATCH],
  ['amazon.nova-micro-v1:0', 0.000035, 0.00014, novaCache(0.000035)],
  ['amazon.nova-lite-v1:0', 0.00006, 0.00024, novaCache(0.00006)],
  ['amazon.nova-pro-v1:0', 0.0008, 0.0032, novaCache(0.0008)],
  ['amazon.nova-premier-v1:0', 0.0025, 0.0125, BATCH],
  // Mistral.
  ['mistral.mistral-7b-instruct-v0:2', 0.00015, 0.0002, BATCH],
  ['mistral.mixtral-8x7b-instruct-v0:1', 0.00045, 0.0007, BATCH],
  ['mistral.mistral-small-2402-v1:0', 0.001, 0.003, BATCH],
  ['mistral.mistral-large-2402-v1:0', 0.004, 0.012, BATCH],
  ['mistral.mistral-large-2407-v1:0', 0.002, 0.006, BATCH],
  // Cohere Command.
  ['cohere.command-r-v1:0', 0.0005, 0.0015],
  ['cohere.command-r-plus-v1:0', 0.003, 0.015],
];

/** Embedding and image models: priced per 1K input tokens and per image. */
const bedrockOther: Partial<ModelPrice>[] = [
  { modelId: 'amazon.titan-embed-text-v2:0', embeddingPer1k: 0.00002, batchDiscount: 0.5 },
  { modelId: 'amazon.titan-embed-text-v1', embeddingPer1k: 0.0001 },
  { modelId: 'amazon.titan-embed-image-v1', embeddingPer1k: 0.0008, imagePerImage: 0.00006 },
  { modelId: 'cohere.embed-english-v3', embeddingPer1k: 0.0001 },
  { modelId: 'cohere.embed-multilingual-v3', embeddingPer1k: 0.0001 },
  { modelId: 'amazon.titan-image-generator-v2:0', imagePerImage: 0.01 },
  { modelId: 'amazon.nova-canvas-v1:0', imagePerImage: 0.04 },
];

const openai: Row[] = [
  ['gpt-4o', 0.0025, 0.01, openaiCache(0.0025, 0.00125)],
  ['gpt-4o-mini', 0.00015, 0.0006, openaiCache(0.00015, 0.000075)],
  ['gpt-4.1', 0.002, 0.008, openaiCache(0.002, 0.0005)],
  ['gpt-4.1-mini', 0.0004, 0.0016, openaiCache(0.0004, 0.0001)],
  ['gpt-4.1-nano', 0.0001, 0.0004, openaiCache(0.0001, 0.000025)],
  ['o3', 0.002, 0.008, openaiCache(0.002, 0.0005)],
  ['o4-mini', 0.0011, 0.0044, openaiCache(0.0011, 0.000275)],
];

const openaiOther: Partial<ModelPrice>[] = [
  { modelId: 'text-embedding-3-small', embeddingPer1k: 0.00002, batchDiscount: 0.5 },
  { modelId: 'text-embedding-3-large', embeddingPer1k: 0.00013, batchDiscount: 0.5 },
];

function round(n: number): number {
  return Number(n.toPrecision(6));
}

const entry = (source: string) => (r: Row | Partial<ModelPrice>): ModelPrice => {
  const base = Array.isArray(r) ? { modelId: r[0], inputPer1k: r[1], outputPer1k: r[2], ...r[3] } : r;
  return { region: '*', asOf: DEFAULT_PRICES_AS_OF, source, ...base } as ModelPrice;
};

export const DEFAULT_PRICES: readonly ModelPrice[] = Object.freeze([
  ...bedrock.map(entry(BEDROCK)),
  ...bedrockOther.map(entry(BEDROCK)),
  ...openai.map(entry(OPENAI)),
  ...openaiOther.map(entry(OPENAI)),
]);
