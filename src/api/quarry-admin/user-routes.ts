import { Hono } from 'hono';
import { accessDenied, QuarryError } from '../../core/index.js';
import type { UserView } from '../../iam/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { adminBody, type IamAdminDeps, refuseAdminTarget } from './admin-request.js';
import { createUserBody } from './admin-schemas.js';
import { principalArn, userArn } from './iam-arns.js';

/** Users of the caller's account: list, create, show, delete, and who-am-I. */
export function userRoutes(deps: IamAdminDeps): Hono<ApiEnv> {
  const { iam, region } = deps;
  const app = new Hono<ApiEnv>();
  const withArn = (u: UserView) => ({ ...u, arn: userArn(region, u.accountId, u.userName), principalArn: principalArn(u.accountId, u.userName) });

  // Like sts:GetCallerIdentity, it needs no permission: it tells callers only about themselves.
  app.get('/quarry/iam/whoami', async (c) => {
    const p = c.get('principal');
    const user = await iam.userById(scopeOf(c), p.id);
    return c.json({ user: withArn(iam.userView(user)), keyId: p.keyId, authMethod: p.authMethod });
  });

  app.get('/quarry/iam/users', async (c) => {
    await authorizeRequest(c, 'quarry:ListUsers', '*');
    return c.json({ users: (await iam.listUsers(scopeOf(c))).map(withArn) });
  });

  app.post('/quarry/iam/users', async (c) => {
    const body = await adminBody(c, deps, createUserBody, 'CreateUser request');
    await authorizeRequest(c, 'quarry:CreateUser', userArn(region, scopeOf(c), body.userName));
    if (body.isAdmin && !c.get('principal').isAdmin) throw accessDenied('Only an administrator may create an administrator.');
    return c.json({ user: withArn(await iam.createUser(scopeOf(c), body.userName, body.isAdmin ?? false)) }, 201);
  });

  app.get('/quarry/iam/users/:userName', async (c) => {
    const name = c.req.param('userName');
    await authorizeRequest(c, 'quarry:GetUser', userArn(region, scopeOf(c), name));
    const d = await iam.userDetails(scopeOf(c), name);
    return c.json({ user: withArn(d.user), roles: d.roles, policies: d.policies });
  });

  app.delete('/quarry/iam/users/:userName', async (c) => {
    const name = c.req.param('userName');
    await authorizeRequest(c, 'quarry:DeleteUser', userArn(region, scopeOf(c), name));
    const user = await iam.user(scopeOf(c), name);
    refuseAdminTarget(c, user, 'quarry:DeleteUser');
    if (user.id === c.get('principal').id) throw new QuarryError('ConflictException', 'You cannot delete the user you are signed in as.');
    await iam.deleteUser(scopeOf(c), name);
    return c.body(null, 204);
  });

  return app;
}
