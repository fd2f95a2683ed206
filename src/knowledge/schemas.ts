import { z } from 'zod';
import { webCrawlerConfigurationSchema, webDataSourceConfigurationSchema } from './sources/web-crawler-configuration.js';

/**
 * The knowledge-base and data-source configurations in the shapes of `@aws-sdk/client-bedrock-agent`, validated where
 * they enter (the API). Quarry's own additions are marked; the AWS SDK drops members it does not model, so those are
 * reached through the CLI, the console or plain HTTP.
 */

const name = z
  .string()
  .regex(/^([0-9a-zA-Z][_-]?){1,100}$/, 'must be 1-100 letters, digits, "_" or "-", starting with a letter or digit');

export const storageConfigurationSchema = z
  .object({
    /**
     * QUARRY_EMBEDDED: usearch + SQLite in the data directory (the default on an embedded store).
     * PGVECTOR, or Bedrock's RDS: PostgreSQL with pgvector (the default when the server's store is PostgreSQL).
     */
    type: z.enum(['QUARRY_EMBEDDED', 'PGVECTOR', 'RDS']),
    /** Quarry: a PostgreSQL URL for PGVECTOR; the server's own store URL when absent. */
    pgvectorConfiguration: z.object({ connectionUrl: z.string().regex(/^postgres(ql)?:\/\//).optional() }).optional(),
    rdsConfiguration: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

export const knowledgeBaseConfigurationSchema = z.object({
  type: z.literal('VECTOR', { error: 'only VECTOR knowledge bases are supported' }),
  vectorKnowledgeBaseConfiguration: z.object({
    embeddingModelArn: z.string().min(1).max(2048),
    embeddingModelConfiguration: z
      .object({
        bedrockEmbeddingModelConfiguration: z
          .object({
            dimensions: z.number().int().min(1).max(8192).optional(),
            embeddingDataType: z.enum(['FLOAT32', 'BINARY']).optional(),
          })
          .optional(),
      })
      .optional(),
  }),
});

export const createKnowledgeBaseSchema = z.object({
  clientToken: z.string().min(33).max(256).optional(),
  name,
  description: z.string().min(1).max(200).optional(),
  roleArn: z.string().max(2048).optional(),
  knowledgeBaseConfiguration: knowledgeBaseConfigurationSchema,
  storageConfiguration: storageConfigurationSchema.optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type CreateKnowledgeBaseInput = z.infer<typeof createKnowledgeBaseSchema>;

export const updateKnowledgeBaseSchema = createKnowledgeBaseSchema.omit({ clientToken: true, tags: true });
export type UpdateKnowledgeBaseInput = z.infer<typeof updateKnowledgeBaseSchema>;

/** Bedrock's web source, plus Quarry's crawl depth and the internal hosts a source is explicitly allowed to reach. */
export const webConfigurationSchema = webDataSourceConfigurationSchema.extend({
  crawlerConfiguration: webCrawlerConfigurationSchema
    .extend({
      /** Quarry: how many links away from a seed the crawler goes. */
      maxDepth: z.number().int().min(0).max(20).optional(),
      /** Quarry: hosts on private or loopback addresses this source may fetch (exact host or host:port). */
      allowedHosts: z.array(z.string().min(1).max(300)).max(50).optional(),
    })
    .optional(),
});

export const localConfigurationSchema = z.object({
  /** An absolute folder on the server, inside one of the server's `knowledge.localRoots`. */
  path: z.string().min(1).max(4096),
  inclusionFilters: z.array(z.string().min(1).max(500)).max(50).optional(),
  exclusionFilters: z.array(z.string().min(1).max(500)).max(50).optional(),
  maxFileBytes: z.number().int().min(1).max(1024 * 1024 * 1024).optional(),
});

export const dataSourceConfigurationSchema = z
  .object({
    type: z.enum(['LOCAL', 'WEB', 'CUSTOM', 'S3']),
    webConfiguration: webConfigurationSchema.optional(),
    /** Quarry: a folder on the server's filesystem. */
    localConfiguration: localConfigurationSchema.optional(),
    s3Configuration: z.object({ bucketArn: z.string(), inclusionPrefixes: z.array(z.string()).optional() }).optional(),
  })
  .superRefine((v, ctx) => {
    const need = { LOCAL: 'localConfiguration', WEB: 'webConfiguration', S3: 's3Configuration', CUSTOM: undefined }[v.type];
    if (need && !(v as Record<string, unknown>)[need]) ctx.addIssue({ code: 'custom', message: `type ${v.type} needs ${need}`, path: [need] });
  });
export type DataSourceConfiguration = z.infer<typeof dataSourceConfigurationSchema>;

export const parsingConfigurationSchema = z.object({
  /** BEDROCK_FOUNDATION_MODEL parsing is not offered; Quarry's parser runs with OCR for images and scanned pages. */
  parsingStrategy: z.enum(['QUARRY_DEFAULT', 'BEDROCK_DATA_AUTOMATION']).optional(),
  /** Quarry: OCR images and PDF pages without a text layer (on by default). */
  ocr: z.boolean().optional(),
});
