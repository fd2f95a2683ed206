import { type Context, Hono } from 'hono';
import { BUDGET_NAME, type BudgetService, createBudgetBody, updateBudgetBody } from '../../billing/index.js';
import { QuarryError } from '../../core/index.js';
import type { Action } from '../../iam/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';

export interface BudgetRoutesDeps {
  budgets: BudgetService;
}

// A budget is a few hundred bytes of JSON; refusing more early keeps hostile uploads cheap.
const MAX_BUDGET_BODY = 64 * 1024;

/**
 * Budgets under /quarry/budgets (AWS Budgets' operations as quarry:CreateBudget, GetBudget, ListBudgets, UpdateBudget,
 * DeleteBudget), named per account and authorized on `arn:aws:bedrock:<region>:<account>:budget/<name>`. A caller
 * only ever sees its own account's budgets; another account's name is simply not found.
 */
export function budgetRoutes(deps: BudgetRoutesDeps): Hono<ApiEnv> {
  const { budgets } = deps;
  const app = new Hono<ApiEnv>();

  const body = async <T>(c: Context<ApiEnv>, schema: import('zod').ZodType<T>, what: string): Promise<T> =>
    validate(schema, parseJsonBody(await readBody(c, MAX_BUDGET_BODY)), what) as T;

  /** The name from the path, authorized for `action` on its ARN; a name that cannot be a budget's is not found. */
  const named = async (c: Context<ApiEnv>, action: Action): Promise<string> => {
    const name = c.req.param('name') ?? '';
    if (!BUDGET_NAME.test(name)) throw new QuarryError('ResourceNotFoundException', `Budget ${name.slice(0, 100)} was not found.`);
    await authorizeRequest(c, action, budgets.arnOf(scopeOf(c), name));
    return name;
  };

  app.get('/quarry/budgets', async (c) => {
    await authorizeRequest(c, 'quarry:ListBudgets', '*');
    const status = c.req.query('status');
    return c.json({ budgets: await budgets.list(scopeOf(c), status === 'true' || status === '1') });
  });

  app.post('/quarry/budgets', async (c) => {
    const b = await body(c, createBudgetBody, 'CreateBudget request');
    await authorizeRequest(c, 'quarry:CreateBudget', budgets.arnOf(scopeOf(c), b.name));
    return c.json({ budget: await budgets.create(scopeOf(c), b) }, 201);
  });

  app.get('/quarry/budgets/:name', async (c) => {
    const name = await named(c, 'quarry:GetBudget');
    return c.json({ budget: await budgets.get(scopeOf(c), name) });
  });

  app.get('/quarry/budgets/:name/alerts', async (c) => {
    const name = await named(c, 'quarry:GetBudget');
    return c.json({ alerts: await budgets.alerts(scopeOf(c), name) });
  });

  app.patch('/quarry/budgets/:name', async (c) => {
    const b = await body(c, updateBudgetBody, 'UpdateBudget request');
    const name = await named(c, 'quarry:UpdateBudget');
    return c.json({ budget: await budgets.update(scopeOf(c), name, b) });
  });

  app.delete('/quarry/budgets/:name', async (c) => {
    const name = await named(c, 'quarry:DeleteBudget');
    await budgets.delete(scopeOf(c), name);
    return c.body(null, 204);
  });

  return app;
}
