import { Hono } from 'hono';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { adminBody, type IamAdminDeps, refuseAdminTarget } from './admin-request.js';
import { createPolicyBody, updatePolicyBody } from './admin-schemas.js';
import { policyArn, roleArn, userArn } from './iam-arns.js';

/** Managed policies of the caller's account, and attaching them to users and roles. */
export function policyRoutes(deps: IamAdminDeps): Hono<ApiEnv> {
  const { iam, region } = deps;
  const app = new Hono<ApiEnv>();
  const arn = (accountId: string, name: string) => policyArn(region, accountId, name);

  app.get('/quarry/iam/policies', async (c) => {
    await authorizeRequest(c, 'quarry:ListPolicies', '*');
    return c.json({ policies: (await iam.listPolicies(scopeOf(c))).map((p) => ({ ...p, arn: arn(scopeOf(c), p.policyName) })) });
  });

  app.post('/quarry/iam/policies', async (c) => {
    const body = await adminBody(c, deps, createPolicyBody, 'CreatePolicy request');
    await authorizeRequest(c, 'quarry:CreatePolicy', arn(scopeOf(c), body.policyName));
    const policy = await iam.createPolicy(scopeOf(c), body.policyName, body.policyDocument, body.description);
    return c.json({ policy: { ...policy, arn: arn(scopeOf(c), policy.policyName) } }, 201);
  });

  app.get('/quarry/iam/policies/:policyName', async (c) => {
    const name = c.req.param('policyName');
    await authorizeRequest(c, 'quarry:GetPolicy', arn(scopeOf(c), name));
    const d = await iam.policyDetails(scopeOf(c), name);
    return c.json({ policy: { ...d.policy, arn: arn(scopeOf(c), name) }, policyDocument: d.document, users: d.users, roles: d.roles });
  });

  app.put('/quarry/iam/policies/:policyName', async (c) => {
    const name = c.req.param('policyName');
    const body = await adminBody(c, deps, updatePolicyBody, 'UpdatePolicy request');
    await authorizeRequest(c, 'quarry:UpdatePolicy', arn(scopeOf(c), name));
    const policy = await iam.updatePolicy(scopeOf(c), name, body.policyDocument, body.description);
    return c.json({ policy: { ...policy, arn: arn(scopeOf(c), name) } });
  });

  app.delete('/quarry/iam/policies/:policyName', async (c) => {
    const name = c.req.param('policyName');
    await authorizeRequest(c, 'quarry:DeletePolicy', arn(scopeOf(c), name));
    await iam.deletePolicy(scopeOf(c), name);
    return c.body(null, 204);
  });

  // Attach and detach are authorized on the user or role that gains or loses the policy, as IAM's AttachUserPolicy is.
  app.put('/quarry/iam/users/:userName/policies/:policyName', async (c) => {
    const { userName, policyName } = c.req.param();
    await authorizeRequest(c, 'quarry:AttachPolicy', userArn(region, scopeOf(c), userName));
    refuseAdminTarget(c, await iam.user(scopeOf(c), userName), 'quarry:AttachPolicy');
    await iam.attachPolicy(scopeOf(c), policyName, { userName });
    return c.body(null, 204);
  });

  app.delete('/quarry/iam/users/:userName/policies/:policyName', async (c) => {
    const { userName, policyName } = c.req.param();
    await authorizeRequest(c, 'quarry:DetachPolicy', userArn(region, scopeOf(c), userName));
    refuseAdminTarget(c, await iam.user(scopeOf(c), userName), 'quarry:DetachPolicy');
    await iam.detachPolicy(scopeOf(c), policyName, { userName });
    return c.body(null, 204);
  });

  app.put('/quarry/iam/roles/:roleName/policies/:policyName', async (c) => {
    const { roleName, policyName } = c.req.param();
    await authorizeRequest(c, 'quarry:AttachPolicy', roleArn(region, scopeOf(c), roleName));
    await iam.attachPolicy(scopeOf(c), policyName, { roleName });
    return c.body(null, 204);
  });

  app.delete('/quarry/iam/roles/:roleName/policies/:policyName', async (c) => {
    const { roleName, policyName } = c.req.param();
    await authorizeRequest(c, 'quarry:DetachPolicy', roleArn(region, scopeOf(c), roleName));
    await iam.detachPolicy(scopeOf(c), policyName, { roleName });
    return c.body(null, 204);
  });

  return app;
}
