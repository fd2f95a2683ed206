import { z } from 'zod';
import { validation } from '../../core/index.js';

/** The `options:` of a `bedrock` provider entry. Strict: a typo in configuration should fail loudly. */
export const bedrockOptionsSchema = z
  .object({
    /** Static IAM credentials; without them (and without `apiKey`) the AWS SDK's default chain applies. */
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    sessionToken: z.string().min(1).optional(),
    /** A named profile of the shared AWS config files, for the default chain. */
    profile: z.string().min(1).optional(),
    /**
     * Speak HTTP/2 to Bedrock (the SDK's default). Off by default: Converse and ConverseStream work the same over
     * HTTP/1.1, where a keep-alive pool spreads calls over several sockets instead of one multiplexed connection, and
     * an endpoint override (a proxy, a test server) rarely speaks cleartext HTTP/2.
     */
    http2: z.boolean().default(false),
    /** Upper bound on open sockets to Bedrock over HTTP/1.1. */
    maxSockets: z.number().int().positive().default(128),
    /** Titan embeds one text per call; this many calls run at once for a batch. */
    embedConcurrency: z.number().int().positive().default(8),
  })
  .strict()
  .refine((o) => (o.accessKeyId === undefined) === (o.secretAccessKey === undefined), {
    message: 'accessKeyId and secretAccessKey go together',
  });

export type BedrockOptions = z.infer<typeof bedrockOptionsSchema>;

export function parseBedrockOptions(providerId: string, options: Record<string, unknown>): BedrockOptions {
  const parsed = bedrockOptionsSchema.safeParse(options);
  if (!parsed.success) throw validation(`Provider ${providerId}: invalid options: ${z.prettifyError(parsed.error)}`, parsed.error);
  return parsed.data;
}
