import { z } from 'zod';
import { ACCOUNT_POOL, EVERY, quotaLimitsSchema } from '../../quotas/index.js';

/** Bodies and queries of the quotas admin API. Strict: a misspelt limit is an error, not a silently ignored field. */

// Key ids are `k-<uuid>`; `*` is every key of the account (each its own allowance); `@account` the account's one
// allowance that all its keys share.
const keyId = z.union([
  z.literal(EVERY),
  z.literal(ACCOUNT_POOL),
  z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'a key id such as k-… (see `quarry iam keys ls`), * for every key, or @account for the account as a whole'),
]);
// As the caller would name the model (an ARN is accepted and reduced to the id); no control characters.
const modelId = z.string().min(1).max(512).regex(/^\P{Cc}+$/u, 'a model id without control characters, or *');

export const quotaScope = z.strictObject({ keyId: keyId.default(EVERY), modelId: modelId.default(EVERY) });

export const putQuotaBody = z
  .strictObject({ keyId: keyId.default(EVERY), modelId: modelId.default(EVERY), ...quotaLimitsSchema.shape })
  .refine((b) => b.requestsPerMinute !== undefined || b.tokensPerMinute !== undefined || b.concurrentRequests !== undefined, {
    message: 'set at least one of requestsPerMinute, tokensPerMinute, concurrentRequests (a number, or null for no limit)',
  });
