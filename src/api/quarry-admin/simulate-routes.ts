import { Hono } from 'hono';
import { simulate } from '../../iam/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { adminBody, type IamAdminDeps } from './admin-request.js';
import { simulateBody } from './admin-schemas.js';
import { principalArn, roleArn, userArn } from './iam-arns.js';

/**
 * The policy simulator: may this user (default: the caller) or role do this action on this resource, and which
 * statement decided. The context is the caller's hypothesis (source address, tags …), so unlike a real request it
 * may set any key.
 */
export function simulateRoutes(deps: IamAdminDeps): Hono<ApiEnv> {
  const { iam, region } = deps;
  const app = new Hono<ApiEnv>();

  app.post('/quarry/iam/simulate', async (c) => {
    const body = await adminBody(c, deps, simulateBody, 'SimulatePolicy request');
    const accountId = scopeOf(c);
    const request = { action: body.action, resource: body.resource, ...(body.context ? { context: body.context } : {}) };
    if (body.roleName) {
      await authorizeRequest(c, 'quarry:SimulatePolicy', roleArn(region, accountId, body.roleName));
      const policies = await iam.policiesOfRole(accountId, body.roleName);
      // A role is not a principal; its members are, so the simulation asks as an anonymous member of the account.
      const result = simulate({ ...request, principal: { id: `role/${body.roleName}`, accountId } }, policies);
      return c.json({ roleName: body.roleName, isAdmin: false, ...result });
    }
    const userName = body.userName ?? c.get('principal').name;
    await authorizeRequest(c, 'quarry:SimulatePolicy', userArn(region, accountId, userName));
    const { user, policies } = await iam.policiesOfUser(accountId, userName);
    const principal = { id: user.id, name: user.name, accountId, arn: principalArn(accountId, user.name) };
    const result = simulate({ ...request, principal }, policies);
    const isAdmin = Number(user.is_admin) === 1;
    const warnings = isAdmin ? [`${user.name} is an administrator: every request is allowed without evaluating policies`, ...result.warnings] : result.warnings;
    return c.json({ userName: user.name, isAdmin, ...result, warnings });
  });

  return app;
}
