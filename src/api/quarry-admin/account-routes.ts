import { type Context, Hono } from 'hono';
import { accessDenied } from '../../core/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { scopeOf } from '../shared/authorize-request.js';
import { adminBody, type IamAdminDeps } from './admin-request.js';
import { createAccountBody } from './admin-schemas.js';

/**
 * Accounts (projects) are the server operator's business: only administrators of the server's default account may
 * list or create them. No policy can grant this, since the action catalog has no account actions and an account's
 * own administrators must never see the others.
 */
export function accountRoutes(deps: IamAdminDeps): Hono<ApiEnv> {
  const { iam } = deps;
  const app = new Hono<ApiEnv>();
  const requireOperator = (c: Context<ApiEnv>) => {
    if (!c.get('principal').isAdmin || scopeOf(c) !== iam.defaultAccountId) {
      throw accessDenied('Only an administrator of the default account may manage accounts.');
    }
  };

  app.get('/quarry/iam/accounts', async (c) => {
    requireOperator(c);
    return c.json({ accounts: await iam.listAccounts() });
  });

  app.post('/quarry/iam/accounts', async (c) => {
    requireOperator(c);
    const body = await adminBody(c, deps, createAccountBody, 'CreateAccount request');
    const account = await iam.createAccount(body.name);
    if (!body.adminUserName) return c.json({ account }, 201);
    const user = await iam.createUser(account.accountId, body.adminUserName, true);
    const key = await iam.keys.create(account.accountId, user.userName, { type: 'bearer' });
    return c.json({ account, user, key }, 201);
  });

  return app;
}
