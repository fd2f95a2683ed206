import { Hono } from 'hono';
import type { ApiEnv } from '../shared/api-env.js';
import { accountRoutes } from './account-routes.js';
import type { IamAdminDeps } from './admin-request.js';
import { keyRoutes } from './key-routes.js';
import { policyRoutes } from './policy-routes.js';
import { roleRoutes } from './role-routes.js';
import { simulateRoutes } from './simulate-routes.js';
import { userRoutes } from './user-routes.js';

export type { IamAdminDeps } from './admin-request.js';

/**
 * Quarry's own IAM API under /quarry/iam/: users, API keys, roles, managed policies, attachments, the policy
 * simulator and (for the operator) accounts. JSON in and out; errors are Bedrock-shaped (`message` and
 * x-amzn-errortype). Every call is confined to the caller's account and authorized by the server's authorizer.
 */
export function iamAdminRoutes(deps: IamAdminDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  for (const r of [userRoutes, keyRoutes, roleRoutes, policyRoutes, simulateRoutes, accountRoutes]) app.route('/', r(deps));
  return app;
}
