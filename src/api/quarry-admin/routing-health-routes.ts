import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { accessDenied } from '../../core/index.js';
import type { DeploymentDrains, DeploymentHealth } from '../../routing/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { validate } from '../shared/parse-body.js';

export interface RoutingHealthRouteDeps {
  /** Routing's deployments as of now (`Router.health`). */
  health: () => DeploymentHealth[];
  /** Operators' runtime drains and restores. */
  drains: DeploymentDrains;
  /** The server's default account: deployments are the server's infrastructure, so only its principals see them. */
  operatorAccountId: string;
}

// A configured id, or a model's implicit deployment (`<provider>/<model>`, built for a model with none configured).
const deploymentId = z
  .string()
  .min(1)
  .max(384)
  .regex(/^[\w.:/-]+$/, 'deployment ids use letters, digits, dot, colon, slash, dash and underscore');

/**
 * GET /quarry/routing/deployments: every deployment routing has built, with its breaker state, passive counters and,
 * when checked, its active health (state, last check, last error, consecutive counts), plus the operators' stored
 * drains (which may name a deployment this replica has not built yet). This replica's view: breaker transitions and
 * drains are shared across replicas, active checks are not (each replica probes for itself).
 *
 * POST /quarry/routing/deployments/{id}/drain and /restore: an operator's override of the configuration's `drained`,
 * stored for every replica and kept across restarts. Draining stops new calls only; calls in flight finish.
 * POST /quarry/routing/deployments/{id}/reset forgets that override, so the configuration decides again; it is a
 * restore to the configuration and needs quarry:RestoreDeployment.
 */
export function routingHealthRoutes(deps: RoutingHealthRouteDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const operatorOnly = (c: Context<ApiEnv>, what: string) => {
    if (scopeOf(c) !== deps.operatorAccountId) throw accessDenied(`Deployments are this server's infrastructure; only principals of the default account may ${what}.`);
  };

  app.get('/quarry/routing/deployments', async (c) => {
    await authorizeRequest(c, 'quarry:GetRoutingHealth', '*');
    operatorOnly(c, 'read their health');
    return c.json({ deployments: deps.health(), drains: deps.drains.list() });
  });

  for (const [verb, action, drained] of [
    ['drain', 'quarry:DrainDeployment', true],
    ['restore', 'quarry:RestoreDeployment', false],
  ] as const) {
    app.post(`/quarry/routing/deployments/:id/${verb}`, async (c) => {
      const id = validate(deploymentId, c.req.param('id'), 'deployment id');
      await authorizeRequest(c, action, '*');
      operatorOnly(c, `${verb} them`);
      const override = await deps.drains.set(id, drained, c.get('principal').name);
      return c.json({ override, deployment: deps.health().find((d) => d.id === id) ?? null });
    });
  }

  app.post('/quarry/routing/deployments/:id/reset', async (c) => {
    const id = validate(deploymentId, c.req.param('id'), 'deployment id');
    await authorizeRequest(c, 'quarry:RestoreDeployment', '*');
    operatorOnly(c, 'reset them');
    await deps.drains.reset(id, c.get('principal').name);
    return c.json({ override: null, deployment: deps.health().find((d) => d.id === id) ?? null });
  });
  return app;
}
