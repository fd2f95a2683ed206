import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import { accessDenied, type ModelInfo, notFound } from '../../core/index.js';
import { breakEven, breakEvenBody, modelPriceBody, type PriceBook, priceModelId, priceRegion } from '../../billing/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';

export interface PricingRouteDeps {
  prices: PriceBook;
  /** The server's region: the default for lookups and break-even. */
  region: string;
  /** The server's default account: prices apply to every account, so only its principals may change them. */
  operatorAccountId: string;
  maxBodyBytes: number;
  /** The model an id names (for its configured prices), or undefined when none does. */
  resolveModel?: (id: string) => Promise<ModelInfo | undefined>;
}

// A catalog entry or a break-even question is a few hundred bytes.
const MAX_PRICING_BODY = 16 * 1024;

/**
 * The pricing catalog under /quarry/pricing: list and look up prices (quarry:GetPricing), edit and remove entries
 * (quarry:UpdatePricing, from the default account only), and the provisioned-throughput break-even calculator.
 * Errors are Bedrock-shaped, as on the rest of /quarry/.
 */
export function pricingRoutes(deps: PricingRouteDeps): Hono<ApiEnv> {
  const { prices } = deps;
  const app = new Hono<ApiEnv>();

  const body = async <T extends z.ZodType>(c: Context<ApiEnv>, schema: T, what: string): Promise<z.infer<T>> =>
    validate(schema, parseJsonBody(await readBody(c, Math.min(deps.maxBodyBytes, MAX_PRICING_BODY))), what);

  app.get('/quarry/pricing', async (c) => {
    await authorizeRequest(c, 'quarry:GetPricing', '*');
    const modelId = c.req.query('modelId');
    const region = regionOf(c.req.query('region'), undefined);
    return c.json({ entries: prices.list({ modelId, region }) });
  });

  app.get('/quarry/pricing/models/:modelId', async (c) => {
    await authorizeRequest(c, 'quarry:GetPricing', '*');
    const modelId = modelIdOf(c);
    const region = regionOf(c.req.query('region'), deps.region) ?? deps.region;
    // The model's own entry when the id names one: quarry.yaml's prices for it are what it is billed at.
    const model = await deps.resolveModel?.(modelId);
    const entry = model ? prices.entryOf(model, region) : prices.lookup([modelId], region);
    if (!entry) throw notFound(`The pricing catalog has no entry for ${modelId} in ${region}.`);
    return c.json({ entry });
  });

  app.put('/quarry/pricing/models/:modelId', async (c) => {
    const modelId = modelIdOf(c);
    const b = await body(c, modelPriceBody, 'PutPricing request');
    await authorizeWrite(c, deps);
    return c.json({ entry: await prices.put(modelId, b) });
  });

  app.delete('/quarry/pricing/models/:modelId', async (c) => {
    const modelId = modelIdOf(c);
    const region = regionOf(c.req.query('region'), '*') ?? '*';
    await authorizeWrite(c, deps);
    await prices.remove(modelId, region);
    return c.body(null, 204);
  });

  app.post('/quarry/pricing/break-even', async (c) => {
    const b = await body(c, breakEvenBody, 'BreakEven request');
    await authorizeRequest(c, 'quarry:GetPricing', '*');
    const region = regionOf(b.region, deps.region) ?? deps.region;
    const entry = prices.lookup([validate(priceModelId, b.modelId, 'model id')], region);
    if (!entry) throw notFound(`The pricing catalog has no entry for ${b.modelId} in ${region}; add one with "quarry pricing set".`);
    return c.json(breakEven(b, entry, region));
  });

  return app;
}

async function authorizeWrite(c: Context<ApiEnv>, deps: PricingRouteDeps): Promise<void> {
  await authorizeRequest(c, 'quarry:UpdatePricing', '*');
  if (scopeOf(c) !== deps.operatorAccountId) {
    throw accessDenied('Prices apply to every account on this server; only principals of the default account may change them.');
  }
}

function modelIdOf(c: Context<ApiEnv>): string {
  return validate(priceModelId, c.req.param('modelId'), 'model id');
}

function regionOf(q: string | undefined, dflt: string | undefined): string | undefined {
  if (q === undefined || q === '') return dflt;
  return validate(priceRegion, q, 'region');
}
