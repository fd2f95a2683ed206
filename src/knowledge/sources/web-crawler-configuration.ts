import { z } from 'zod';
import { compileUrlFilter } from './url-filter.js';

const urlFilter = z.string().superRefine((pattern, ctx) => {
  try {
    compileUrlFilter(pattern);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

const headerSafe = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\x20-\x7e]+$/, { error: 'must be printable ASCII (it goes into the User-Agent header)' });

/** Bedrock's WebCrawlerConfiguration with Bedrock's bounds; the control-plane API validates with it too. */
export const webCrawlerConfigurationSchema = z.strictObject({
  crawlerLimits: z
    .strictObject({
      /** Pages per minute per host; Bedrock allows up to 300. */
      rateLimit: z.number().int().min(1).max(300).optional(),
      /** Bedrock allows up to 25,000. */
      maxPages: z.number().int().min(1).max(25_000).optional(),
    })
    .optional(),
  inclusionFilters: z.array(urlFilter).min(1).max(25).optional(),
  exclusionFilters: z.array(urlFilter).min(1).max(25).optional(),
  scope: z.enum(['HOST_ONLY', 'SUBDOMAINS']).optional(),
  /** A suffix for the crawler's User-Agent, so a site can allow-list this crawler in particular. */
  userAgent: headerSafe.optional(),
  /** The whole User-Agent header, replacing ours. */
  userAgentHeader: headerSafe.optional(),
});

export type WebCrawlerConfiguration = z.infer<typeof webCrawlerConfigurationSchema>;

const seedUrl = z.strictObject({
  url: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/[A-Za-z0-9][^\s]*$/, { error: 'must be an http:// or https:// URL' }),
});

/** Bedrock's WebDataSourceConfiguration: seed URLs (1–100) and the crawler settings. */
export const webDataSourceConfigurationSchema = z.strictObject({
  sourceConfiguration: z.strictObject({
    urlConfiguration: z.strictObject({ seedUrls: z.array(seedUrl).min(1).max(100) }),
  }),
  crawlerConfiguration: webCrawlerConfigurationSchema.optional(),
});

export type WebDataSourceConfiguration = z.infer<typeof webDataSourceConfigurationSchema>;
