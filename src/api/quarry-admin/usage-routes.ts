import { type Context, Hono } from 'hono';
import { accessDenied, QuarryError } from '../../core/index.js';
import { resolveUsageQuery, type UsageExplorer, type UsageScope, usageQuerySchema } from '../../billing/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';

export interface UsageRoutesDeps {
  explorer: UsageExplorer;
  /** The server's default account: its administrators operate the server and may see every account's usage. */
  defaultAccountId: string;
}

// A query is a few hundred bytes; filters of 100 values of 512 characters each stay well under this.
const MAX_QUERY_BODY = 256 * 1024;

/**
 * The cost explorer: `GET /quarry/usage?groupBy=model,key&granularity=day&start=…&end=…&forecast=true&filter=model=x`
 * or `POST /quarry/usage` with the same query as JSON (filters on several dimensions read better there). Authorized as
 * quarry:GetUsage; a caller sees its own account's usage, and only the operator may name another account or see all.
 */
export function usageRoutes(deps: UsageRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const answer = async (c: Context<ApiEnv>, raw: unknown) => {
    await authorizeRequest(c, 'quarry:GetUsage', '*');
    const now = new Date();
    const q = resolveUsageQuery(validate(usageQuerySchema, raw, 'usage query'), now);
    if (typeof q === 'string') throw new QuarryError('ValidationException', `The usage query is invalid: ${q}.`);
    return c.json(await deps.explorer.query(q, scopeFor(c, q.accountId), now));
  };

  const scopeFor = (c: Context<ApiEnv>, asked: string | undefined): UsageScope => {
    const own = scopeOf(c);
    const operator = c.get('principal').isAdmin && own === deps.defaultAccountId;
    if (operator) return { accountId: asked };
    if (asked !== undefined && asked !== own) throw accessDenied(`Only an administrator of the default account may read another account's usage; you may read account ${own}'s.`);
    return { accountId: own };
  };

  app.get('/quarry/usage', (c) => answer(c, fromQueryString(c)));

  app.post('/quarry/usage', async (c) => answer(c, parseJsonBody(await readBody(c, MAX_QUERY_BODY))));

  return app;
}

/** `groupBy=model,key` (or repeated), `filter=model=a` (repeated; the value after the first `=`), `forecast=true`. */
function fromQueryString(c: Context<ApiEnv>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = new Set(['groupBy', 'granularity', 'start', 'end', 'forecast', 'filter', 'accountId']);
  for (const k of Object.keys(c.req.queries())) {
    if (!known.has(k)) throw new QuarryError('ValidationException', `Unknown query parameter ${k}; expected ${[...known].join(', ')}.`);
  }
  const groupBy = c.req.queries('groupBy');
  if (groupBy) out.groupBy = groupBy.flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
  for (const k of ['granularity', 'start', 'end', 'accountId'] as const) {
    const v = c.req.query(k);
    if (v !== undefined) out[k] = v;
  }
  const forecast = c.req.query('forecast');
  if (forecast !== undefined) out.forecast = forecast === '' || forecast === 'true' || forecast === '1' ? true : forecast === 'false' || forecast === '0' ? false : forecast;
  const filters = c.req.queries('filter');
  if (filters) {
    const filter: Record<string, string[]> = {};
    for (const f of filters) {
      const eq = f.indexOf('=');
      if (eq <= 0) throw new QuarryError('ValidationException', `filter=${f} is not dimension=value (e.g. filter=model=anthropic.claude-v2 or filter=tag:team=search).`);
      const list = filter[f.slice(0, eq)] ?? [];
      list.push(f.slice(eq + 1));
      filter[f.slice(0, eq)] = list;
    }
    out.filter = filter;
  }
  return out;
}
