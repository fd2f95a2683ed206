import { type Context, Hono } from 'hono';
import type { Action, IamStore } from '../../iam/index.js';
import { parseModelId } from '../../models/index.js';
import { ACCOUNT_POOL, EVERY, type QuotaModule, type QuotasConfig } from '../../quotas/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { validate } from '../shared/parse-body.js';
import { adminBody, refuseAdminTarget } from './admin-request.js';
import { putQuotaBody, quotaScope } from './quota-schemas.js';

export interface QuotaRoutesDeps {
  quotas: Pick<QuotaModule, 'store' | 'definitions' | 'reload'>;
  /** The configuration's defaults, shown beside the stored overrides. */
  config?: QuotasConfig;
  iam: IamStore;
  region: string;
  maxBodyBytes: number;
}

/**
 * Rate-limit overrides under /quarry/quotas: per key (or every key of the caller's account, or the account's one shared
 * allowance) and per model (or every model). Authorized like the IAM API (quarry:ListQuotas, PutQuota, DeleteQuota); a key of another account is not
 * found, and only an administrator may set limits on an administrator's key. Changes apply on this replica at once
 * and on others within a few seconds.
 */
export function quotaRoutes(deps: QuotaRoutesDeps): Hono<ApiEnv> {
  const { quotas, iam } = deps;
  const app = new Hono<ApiEnv>();

  /** The scope with the model reduced to its id, after checking that a named key is the account's. */
  const scope = async (c: Context<ApiEnv>, raw: { keyId: string; modelId: string }, action: Action) => {
    await authorizeRequest(c, action, '*');
    if (raw.keyId !== EVERY && raw.keyId !== ACCOUNT_POOL) {
      // An override outlives a deleted key; removing it must still work (the row is confined to the account anyway).
      const owned = await iam.keys.owned(scopeOf(c), raw.keyId).catch((e) => {
        if (action === 'quarry:DeleteQuota' && (e as { code?: string }).code === 'ResourceNotFoundException') return undefined;
        throw e;
      });
      if (owned && action !== 'quarry:ListQuotas') refuseAdminTarget(c, owned.owner, action);
    }
    return { keyId: raw.keyId, modelId: raw.modelId === EVERY ? EVERY : parseModelId(raw.modelId).id };
  };

  app.get('/quarry/quotas', async (c) => {
    await authorizeRequest(c, 'quarry:ListQuotas', '*');
    const cfg = deps.config;
    return c.json({
      defaults: { default: cfg?.default ?? {}, models: cfg?.models ?? {}, account: cfg?.account ?? { models: {} }, exemptAdministrators: cfg?.exemptAdministrators ?? false },
      overrides: await quotas.store.list(scopeOf(c)),
    });
  });

  app.get('/quarry/quotas/effective', async (c) => {
    const q = validate(quotaScope, c.req.query(), 'effective quota query');
    const { keyId, modelId } = await scope(c, q, 'quarry:ListQuotas');
    const r = quotas.definitions.resolve(scopeOf(c), keyId, modelId);
    return c.json({ keyId, modelId, limits: r.limits ?? {}, sources: r.sources });
  });

  app.put('/quarry/quotas', async (c) => {
    const body = await adminBody(c, { ...deps }, putQuotaBody, 'PutQuota request');
    const { keyId, modelId } = await scope(c, body, 'quarry:PutQuota');
    const limits = { requestsPerMinute: body.requestsPerMinute, tokensPerMinute: body.tokensPerMinute, concurrentRequests: body.concurrentRequests };
    const override = await quotas.store.put(scopeOf(c), keyId, modelId, limits);
    await quotas.reload();
    return c.json({ override });
  });

  app.delete('/quarry/quotas', async (c) => {
    const q = validate(quotaScope, c.req.query(), 'DeleteQuota query');
    const { keyId, modelId } = await scope(c, q, 'quarry:DeleteQuota');
    await quotas.store.delete(scopeOf(c), keyId, modelId);
    await quotas.reload();
    return c.body(null, 204);
  });

  return app;
}
