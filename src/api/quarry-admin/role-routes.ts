import { Hono } from 'hono';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { adminBody, type IamAdminDeps, refuseAdminTarget } from './admin-request.js';
import { createRoleBody } from './admin-schemas.js';
import { roleArn, userArn } from './iam-arns.js';

/**
 * Roles: named groups of users that share the policies attached to the role. The action catalog has no role actions,
 * so these reuse the user ones on the role's ARN (see iam-arns.ts); adding a member changes what that user may do,
 * so it is authorized as attaching a policy to the user.
 */
export function roleRoutes(deps: IamAdminDeps): Hono<ApiEnv> {
  const { iam, region } = deps;
  const app = new Hono<ApiEnv>();
  const arn = (accountId: string, roleName: string) => roleArn(region, accountId, roleName);

  app.get('/quarry/iam/roles', async (c) => {
    await authorizeRequest(c, 'quarry:ListUsers', '*');
    return c.json({ roles: (await iam.listRoles(scopeOf(c))).map((r) => ({ ...r, arn: arn(scopeOf(c), r.roleName) })) });
  });

  app.post('/quarry/iam/roles', async (c) => {
    const body = await adminBody(c, deps, createRoleBody, 'CreateRole request');
    await authorizeRequest(c, 'quarry:CreateUser', arn(scopeOf(c), body.roleName));
    const role = await iam.createRole(scopeOf(c), body.roleName, body.description);
    return c.json({ role: { ...role, arn: arn(scopeOf(c), role.roleName) } }, 201);
  });

  app.get('/quarry/iam/roles/:roleName', async (c) => {
    const name = c.req.param('roleName');
    await authorizeRequest(c, 'quarry:GetUser', arn(scopeOf(c), name));
    const d = await iam.roleDetails(scopeOf(c), name);
    return c.json({ role: { ...d.role, arn: arn(scopeOf(c), name) }, members: d.members, policies: d.policies });
  });

  app.delete('/quarry/iam/roles/:roleName', async (c) => {
    const name = c.req.param('roleName');
    await authorizeRequest(c, 'quarry:DeleteUser', arn(scopeOf(c), name));
    await iam.deleteRole(scopeOf(c), name);
    return c.body(null, 204);
  });

  app.put('/quarry/iam/roles/:roleName/members/:userName', async (c) => {
    const { roleName, userName } = c.req.param();
    await authorizeRequest(c, 'quarry:AttachPolicy', userArn(region, scopeOf(c), userName));
    refuseAdminTarget(c, await iam.user(scopeOf(c), userName), 'quarry:AttachPolicy');
    await iam.addRoleMember(scopeOf(c), roleName, userName);
    return c.body(null, 204);
  });

  app.delete('/quarry/iam/roles/:roleName/members/:userName', async (c) => {
    const { roleName, userName } = c.req.param();
    await authorizeRequest(c, 'quarry:DetachPolicy', userArn(region, scopeOf(c), userName));
    refuseAdminTarget(c, await iam.user(scopeOf(c), userName), 'quarry:DetachPolicy');
    await iam.removeRoleMember(scopeOf(c), roleName, userName);
    return c.body(null, 204);
  });

  return app;
}
