import { Hono } from 'hono';
import { accessDenied } from '../../core/index.js';
import type { Metrics } from '../../metrics/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';

export interface MetricsRouteDeps {
  metrics: Metrics;
  /** The server's default account: the metrics count every account's calls, so only its principals read them. */
  operatorAccountId: string;
}

/**
 * GET /metrics: Prometheus's text format (invocations, latency histogram, tokens, errors by model and API, deployment
 * health, process figures) for a scraper or the console's metrics page, authorized as quarry:GetMetrics like any route.
 */
export function metricsRoutes(deps: MetricsRouteDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/metrics', async (c) => {
    await authorizeRequest(c, 'quarry:GetMetrics', '*');
    if (scopeOf(c) !== deps.operatorAccountId) throw accessDenied("Metrics count every account's calls on this server; only principals of the default account may read them.");
    return c.text(await deps.metrics.render(), 200, { 'content-type': deps.metrics.registry.contentType });
  });
  return app;
}
