import { type Context, Hono } from 'hono';
import type { Action } from '../../iam/index.js';
import { resourceArn } from '../../iam/index.js';
import {
  createProvisionedSchema,
  listProvisionedQuery,
  type ProvisionedRow,
  type ProvisionedService,
  pageKey,
  provisionedArn,
  provisionedView,
  type UtilisationReport,
  updateProvisionedSchema,
  utilisationQuery,
} from '../../provisioned/index.js';
import { page } from '../bedrock-agent/pagination.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';

export interface ProvisionedRoutesDeps {
  service: ProvisionedService;
  utilisation(row: ProvisionedRow, hours: number): Promise<UtilisationReport>;
  region: string;
  maxBodyBytes: number;
}

/**
 * Bedrock's provisioned-throughput control plane (`@aws-sdk/client-bedrock`: Create/Get/List/Update/Delete
 * ProvisionedModelThroughput) on the SDK's paths and status codes, plus Quarry's utilisation report. Confined to the
 * caller's account: another account's throughput is not found, never forbidden.
 */
export function provisionedRoutes(d: ProvisionedRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const { service, region } = d;
  /** Finds the throughput a path names in the caller's account and authorizes on its ARN. */
  const onThroughput = async (c: Context<ApiEnv>, action: Action): Promise<ProvisionedRow> => {
    const scope = scopeOf(c);
    const row = await service.get(scope, c.req.param('id')!);
    await authorizeRequest(c, action, resourceArn({ type: 'provisioned-model', id: row.id, region, accountId: scope }));
    return row;
  };

  app.post('/provisioned-model-throughput', async (c) => {
    await authorizeRequest(c, 'bedrock:CreateProvisionedModelThroughput', '*');
    const input = validate(createProvisionedSchema, parseJsonBody(await readBody(c, d.maxBodyBytes)), 'CreateProvisionedModelThroughput request');
    const row = await service.create(scopeOf(c), input);
    return c.json({ provisionedModelArn: provisionedArn(region, row.scope, row.id) }, 201);
  });

  app.get('/provisioned-model-throughputs', async (c) => {
    await authorizeRequest(c, 'bedrock:ListProvisionedModelThroughputs', '*');
    const q = validate(listProvisionedQuery, c.req.query(), 'ListProvisionedModelThroughputs request');
    const scope = scopeOf(c);
    const { items, nextToken } = await page(q.maxResults, q.nextToken, (limit, after) => service.list(scope, q, limit, after), pageKey);
    return c.json({ provisionedModelSummaries: items.map((r) => provisionedView(r, region)), ...(nextToken ? { nextToken } : {}) });
  });

  app.get('/provisioned-model-throughput/:id', async (c) => {
    const row = await onThroughput(c, 'bedrock:GetProvisionedModelThroughput');
    return c.json(provisionedView(row, region));
  });

  app.patch('/provisioned-model-throughput/:id', async (c) => {
    const row = await onThroughput(c, 'bedrock:UpdateProvisionedModelThroughput');
    const input = validate(updateProvisionedSchema, parseJsonBody(await readBody(c, d.maxBodyBytes)), 'UpdateProvisionedModelThroughput request');
    await service.update(scopeOf(c), row.id, input);
    return c.json({});
  });

  app.delete('/provisioned-model-throughput/:id', async (c) => {
    const row = await onThroughput(c, 'bedrock:DeleteProvisionedModelThroughput');
    await service.delete(scopeOf(c), row.id);
    return c.json({});
  });

  // Quarry's own: how much of the units' capacity was used, what they cost, and what on-demand would have cost.
  app.get('/quarry/provisioned-model-throughput/:id/utilization', async (c) => {
    const row = await onThroughput(c, 'bedrock:GetProvisionedModelThroughput');
    const q = validate(utilisationQuery, c.req.query(), 'utilization request');
    return c.json(await d.utilisation(row, q.hours));
  });

  return app;
}
