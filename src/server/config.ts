import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { agentsConfigSchema } from '../agents/index.js';
import { budgetsConfigSchema } from '../billing/index.js';
import { oidcConfigSchema } from '../iam/index.js';
import { provisionedConfigSchema } from '../provisioned/unit-capacity.js';
import { quotasConfigSchema } from '../quotas/index.js';
import {
  deploymentEntrySchema,
  fallbacksSchema,
  inferenceProfileEntrySchema,
  responseCacheConfigSchema,
  routingConfigIssues,
  routingPolicySchema,
} from '../routing/index.js';

/** Token prices go together; an image model may be priced by the image alone (`imagePerImage`). */
const pricing = z
  .object({ inputPer1k: z.number().nonnegative().optional(), outputPer1k: z.number().nonnegative().optional(), imagePerImage: z.number().nonnegative().optional() })
  .strict()
  .refine((p) => (p.inputPer1k === undefined) === (p.outputPer1k === undefined), 'give inputPer1k and outputPer1k together')
  .refine((p) => p.inputPer1k !== undefined || p.imagePerImage !== undefined, 'give inputPer1k and outputPer1k, or imagePerImage for an image model');

const providerEntry = z
  .object({
    id: z.string().min(1).regex(/^[\w.-]+$/, 'provider ids use letters, digits, dot, dash and underscore'),
    type: z.string().min(1),
    baseUrl: z.string().url().optional(),
    apiKey: z.string().optional(),
    region: z.string().optional(),
    timeoutMs: z.number().int().positive().optional(),
  })
  // Anything else in an entry is the provider's own options, validated by the provider itself.
  .passthrough();

const modelEntry = z
  .object({
    id: z.string().min(1),
    provider: z.string().min(1),
    upstreamModel: z.string().min(1).optional(),
    name: z.string().optional(),
    family: z.enum(['anthropic', 'meta', 'amazon-titan-text', 'amazon-titan-embed', 'amazon-titan-image', 'amazon-nova', 'mistral', 'cohere', 'generic']).optional(),
    /** `image`: a text-to-image model, called through /v1/images/generations and InvokeModel (Titan Image Generator body). */
    kind: z.enum(['text', 'embedding', 'image']).optional(),
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    embeddingDimensions: z.number().int().positive().optional(),
    supportsTools: z.boolean().optional(),
    pricing: pricing.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    region: z.string().default('us-east-1'),
    accountId: z.string().regex(/^\d{12}$/).default('000000000000'),
    host: z.string().optional(),
    port: z.number().int().min(0).max(65535).optional(),
    dataDir: z.string().optional(),
    store: z.object({ url: z.string().optional() }).strict().default({}),
    limits: z
      .object({
        /** Largest request body accepted, in bytes (Bedrock's own limit is 20 MB of base64-encoded content). */
        maxBodyBytes: z.number().int().positive().default(25 * 1024 * 1024),
        /** Upper bound for one invocation, in milliseconds. */
        invocationTimeoutMs: z.number().int().positive().default(600_000),
        /** Model invocations this server runs at once; more wait in a bounded queue (load shedding). */
        maxConcurrentInvocations: z.number().int().positive().default(512),
        /** Invocations that may wait for a slot; past this, requests are refused at once with 503 and Retry-After. */
        maxQueuedInvocations: z.number().int().min(0).default(2048),
        /** How long an invocation may wait for a slot before it is refused, in milliseconds. */
        maxQueueWaitMs: z.number().int().positive().default(30_000),
        /** On shutdown, how long in-flight requests (streams included) get to finish before their connections are cut. */
        shutdownDrainMs: z.number().int().min(0).default(15_000),
      })
      .strict()
      // prefault: the empty object goes through the schema, so each field takes its own default.
      .prefault({}),
    ollama: z
      .object({ autoDetect: z.boolean().default(true), baseUrl: z.string().url().default('http://127.0.0.1:11434') })
      .strict()
      .default({ autoDetect: true, baseUrl: 'http://127.0.0.1:11434' }),
    providers: z.array(providerEntry).default([]),
    models: z.array(modelEntry).default([]),
    knowledge: z
      .object({
        /** Folders LOCAL data sources may index; `<dataDir>/documents` when none are given. */
        localRoots: z.array(z.string().min(1)).optional(),
        /** PostgreSQL with pgvector for PGVECTOR knowledge bases; the store's own URL when that is PostgreSQL. */
        pgvectorUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
        /** Ingestion jobs this server runs at once (0: this replica only serves queries). */
        workers: z.number().int().min(0).max(64).default(1),
        /** How long an ingestion job whose replica died waits before another resumes it, in milliseconds. */
        leaseMs: z.number().int().min(500).max(600_000).default(30_000),
      })
      .strict()
      .default({ workers: 1, leaseMs: 30_000 }),
    /** Retries, circuit breakers, timeouts and the default strategy; present, every model is routed. */
    routing: routingPolicySchema.optional(),
    /** Several deployments of one model (providers, regions, capacities). */
    deployments: z.array(deploymentEntrySchema).default([]),
    /** Client-facing ids routed over named deployments (Bedrock cross-region inference profiles). */
    inferenceProfiles: z.array(inferenceProfileEntrySchema).default([]),
    /** Per model or profile id, the models to try when it cannot answer. */
    fallbacks: fallbacksSchema.default({}),
    /** The exact response cache (in Redis when `redis:` is configured, else in-process); off when absent. */
    responseCache: responseCacheConfigSchema.optional(),
    /**
     * Usage metering. `durable` (the default) makes each invocation's usage record safe from a crash before its answer
     * is sent: on the embedded SQLite store by appending it to a journal in the data directory (stored in the database
     * in batches within 50 ms), on PostgreSQL by committing it, in groups shared by concurrent requests. `buffered`
     * writes within 250 ms and may lose that much to a crash.
     */
    metering: z
      .object({
        mode: z.enum(['durable', 'buffered']).default('durable'),
        /** How long a group commit waits for more records to join, ms (0: the next event-loop turn). */
        groupCommitMs: z.number().min(0).max(50).default(0),
        /** Durable mode: journal records first (the default on SQLite) or commit each to the database (on PostgreSQL). */
        journal: z.boolean().optional(),
      })
      .strict()
      .default({ mode: 'durable', groupCommitMs: 0 }),
    /** Agents: the functions (JavaScript modules, HTTP endpoints) action groups may name as their Lambda. */
    agents: agentsConfigSchema,
    /** The audit trail: management calls are always recorded; model invocations and retrievals when dataPlane is on. */
    audit: z
      .object({
        dataPlane: z.boolean().default(false),
        /** Parameter names redacted besides the built-in secret names (matched ignoring case, `-` and `_`, as parts of names). */
        redactKeys: z.array(z.string().min(1).max(128)).max(256).default([]),
      })
      .strict()
      .default({ dataPlane: false, redactKeys: [] }),
    /** The OpenAI Responses API's stored responses (`store: true`): kept `retentionDays` after creation (0: until deleted). */
    responses: z.object({ retentionDays: z.number().int().min(0).max(36_500).default(30) }).strict().default({ retentionDays: 30 }),
    /** Redis, for what several replicas share (rate limits, the response cache); absent, each process keeps its own. */
    redis: z
      .object({
        url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
        /** Prefix of every key Quarry writes, so one Redis can serve several deployments. */
        keyPrefix: z.string().min(1).max(64).default('quarry:'),
      })
      .strict()
      .optional(),
    /** Rate limits per key and model (requests and tokens per minute, concurrent requests); none when absent. */
    quotas: quotasConfigSchema.optional(),
    /** How budgets run: webhook destinations allowed past the SSRF guard, sync and forecast intervals. */
    budgets: budgetsConfigSchema,
    /** What a provisioned-throughput model unit buys (requests at once, tokens a minute) and how replicas sync. */
    provisionedThroughput: provisionedConfigSchema.default({ unitConcurrency: 2, syncSeconds: 5 }),
    /** OpenID Connect sign-in to the console (any standard provider); API-key sign-in only when absent. */
    oidc: oidcConfigSchema.optional(),
    /** Guardrails: the LLM judge that content filters and denied topics of tier STANDARD run on (offline detectors otherwise). */
    guardrails: z
      .object({
        /**
         * The embedding model denied topics and contextual grounding compare text with. Unset: the static table
         * distilled from the embedded encoder (`quarry.embed-static-v1:0`), looked up in-process at microseconds a
         * sentence. Any other catalog model (the encoder itself, `quarry.embed-use-v1:0`, or a remote one) is called
         * through the runtime on every check: closer to the encoder, and about a second of CPU per KB for the encoder.
         */
        embeddingModelId: z.string().min(1).optional(),
        judge: z
          .object({
            /** Any text model this server serves (a Llama Guard through Ollama or vLLM, a Bedrock or OpenAI model …). */
            modelId: z.string().min(1),
            /** Per window, a retry of an unreadable answer included; past it the check fails with a 503. */
            timeoutMs: z.number().int().positive().max(600_000).default(15_000),
            /** Characters per window: long text is judged in windows, every one of them. */
            windowChars: z.number().int().min(500).max(200_000).default(6000),
            /** Most windows one text may take; longer text is refused with a ValidationException, never cut. */
            maxWindows: z.number().int().min(1).max(1000).default(32),
            /** Windows of one text judged at once. */
            concurrency: z.number().int().min(1).max(64).default(4),
            /** Ask for JSON-schema output; turn off for a model that only answers Llama-Guard-style (`unsafe\nS1`). */
            structuredOutput: z.boolean().default(true),
            /** `llama-guard-3`: send the text alone and read Llama Guard 3's own codes (its chat template brings them). */
            taxonomy: z.enum(['prompt', 'llama-guard-3']).default('prompt'),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    for (const p of cfg.providers) {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', message: `provider id "${p.id}" is used twice`, path: ['providers'] });
      ids.add(p.id);
    }
    cfg.models.forEach((m, i) => {
      if (!ids.has(m.provider)) {
        ctx.addIssue({ code: 'custom', message: `model "${m.id}" names provider "${m.provider}", which is not configured`, path: ['models', i, 'provider'] });
      }
    });
    for (const issue of routingConfigIssues(cfg, ids)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type QuarryConfig = z.infer<typeof configSchema>;
export type ProviderEntry = z.infer<typeof providerEntry>;
export type ModelEntry = z.infer<typeof modelEntry>;

/** Replaces `${VAR}` and `${VAR:-default}` in every string; an unset variable without default is an error. */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, dflt: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (dflt !== undefined) return dflt;
      throw new Error(`Configuration ${path || 'value'} refers to \${${name}}, but the environment variable ${name} is not set.`);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, path ? `${path}.${k}` : k)]));
  }
  return value;
}

export function parseConfig(text: string, env: NodeJS.ProcessEnv = process.env, source = 'configuration'): QuarryConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new Error(`${source} is not valid YAML: ${(e as Error).message}`);
  }
  const result = configSchema.safeParse(interpolateEnv(raw, env));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new Error(`${source} is invalid:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): QuarryConfig {
  if (!file) return parseConfig('', env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the configuration file ${file}: ${(e as Error).message}`);
  }
  return parseConfig(text, env, file);
}
