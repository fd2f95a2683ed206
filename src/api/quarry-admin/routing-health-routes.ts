import { Hono } from 'hono';
import { accessDenied } from '../../core/index.js';
import type { DeploymentHealth } from '../../routing/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';

export interface RoutingHealthRouteDeps {
  /** Routing's deployments as of now (`Router.health`). */
  health: () => DeploymentHealth[];
  /** The server's default account: deployments are the server's infrastructure, so only its principals see them. */
  operatorAccountId: string;
}

/**
 * GET /quarry/routing/deployments: every deployment routing has built, with its breaker state, passive counters and,
 * when checked, its active health (state, last check, last error, consecutive counts). This replica's view: breaker
 * transitions are shared across replicas, active checks are not (each replica probes for itself).
 */
export function routingHealthRoutes(deps: RoutingHealthRouteDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/quarry/routing/deployments', async (c) => {
    await authorizeRequest(c, 'quarry:GetRoutingHealth', '*');
    if (scopeOf(c) !== deps.operatorAccountId) throw accessDenied("Deployments are this server's infrastructure; only principals of the default account may read their health.");
    return c.json({ deployments: deps.health() });
  });
  return app;
}
