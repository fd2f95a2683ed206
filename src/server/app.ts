import { Hono } from 'hono';
import { anthropicErrorResponse } from '../api/anthropic/anthropic-error.js';
import { knowledgeBaseRoutes } from '../api/bedrock-agent/knowledge-base-routes.js';
import { retrieveRoutes } from '../api/bedrock-agent-runtime/retrieve-routes.js';
import { bedrockControlRoutes } from '../api/bedrock/control-plane-routes.js';
import { bedrockErrorResponse } from '../api/bedrock/bedrock-error.js';
import { bedrockRuntimeRoutes } from '../api/bedrock/runtime-routes.js';
import { openaiErrorResponse } from '../api/openai/openai-error.js';
import type { ApiDeps, ApiEnv } from '../api/shared/api-env.js';
import { QuarryError, type Logger } from '../core/index.js';
import type { Authorizer } from '../iam/index.js';
import type { KnowledgeModule } from '../knowledge/index.js';
import type { Metrics } from '../metrics/index.js';
import { consoleApiRoutes, consoleRoutes } from './console-routes.js';
import { requestContext, requireAuth } from './middleware.js';

export interface AppDeps extends ApiDeps {
  authorizer: Authorizer;
  metrics: Metrics;
  log: Logger;
  /** Knowledge bases (Bedrock Agents' control plane and Retrieve / RetrieveAndGenerate), when the server has them. */
  knowledge?: KnowledgeModule;
  /** Extra route sets (the OpenAI and Anthropic APIs) mounted after the Bedrock ones. */
  routes?: Hono<ApiEnv>[];
  /** The built web console (web/dist by default). */
  consoleDir?: string;
}

/** Which wire format answers a path: its clients only understand their own error shape. */
function errorResponder(path: string) {
  if (path.startsWith('/v1/messages')) return anthropicErrorResponse;
  if (path.startsWith('/v1/')) return openaiErrorResponse;
  return bedrockErrorResponse;
}

export function createApp(deps: AppDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use(requestContext(deps.log));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  // Before authentication: the console's files hold no data, and the browser needs them to ask for a key at all.
  app.route('/', consoleRoutes({ dir: deps.consoleDir }));
  app.use(requireAuth(deps.keys, deps.authorizer, deps.maxBodyBytes));
  app.get('/metrics', async (c) => c.text(await deps.metrics.render(), 200, { 'content-type': deps.metrics.registry.contentType }));
  app.route('/', bedrockRuntimeRoutes(deps));
  app.route('/', bedrockControlRoutes(deps));
  if (deps.knowledge) {
    app.route('/', knowledgeBaseRoutes(deps.knowledge, deps.region, deps.maxBodyBytes));
    app.route('/', retrieveRoutes(deps.knowledge, deps.region, deps.maxBodyBytes));
  }
  for (const r of deps.routes ?? []) app.route('/', r);
  app.route('/', consoleApiRoutes(deps));
  app.notFound((c) => {
    const err = new QuarryError('ResourceNotFoundException', `No API at ${c.req.method} ${c.req.path}.`);
    return errorResponder(c.req.path)(err, c.get('requestId'));
  });
  app.onError((err, c) => {
    const q = QuarryError.isInstance(err) ? err : undefined;
    if (!q || q.code === 'InternalServerException') c.get('log')?.error({ err }, 'request failed');
    return errorResponder(c.req.path)(err, c.get('requestId') ?? '');
  });
  return app;
}
