import { Hono } from 'hono';
import { anthropicErrorResponse } from '../api/anthropic/anthropic-error.js';
import type { AgentsModule } from '../agents/index.js';
import { agentPartRoutes } from '../api/bedrock-agent/agent-part-routes.js';
import { agentRoutes } from '../api/bedrock-agent/agent-routes.js';
import { knowledgeBaseRoutes } from '../api/bedrock-agent/knowledge-base-routes.js';
import { agentRuntimeRoutes } from '../api/bedrock-agent-runtime/invoke-agent-runtime.js';
import { retrieveRoutes } from '../api/bedrock-agent-runtime/retrieve-routes.js';
import { bedrockControlRoutes } from '../api/bedrock/control-plane-routes.js';
import { bedrockErrorResponse } from '../api/bedrock/bedrock-error.js';
import { guardrailRoutes } from '../api/bedrock/guardrail-routes.js';
import { bedrockRuntimeRoutes } from '../api/bedrock/runtime-routes.js';
import { openaiErrorResponse } from '../api/openai/openai-error.js';
import { metricsRoutes } from '../api/quarry-admin/metrics-routes.js';
import type { ApiDeps, ApiEnv } from '../api/shared/api-env.js';
import type { AuditLog } from '../audit/index.js';
import { QuarryError, type Logger } from '../core/index.js';
import type { GuardrailModule } from '../guardrails/index.js';
import type { Authorizer } from '../iam/index.js';
import type { KnowledgeModule } from '../knowledge/index.js';
import type { Metrics } from '../metrics/index.js';
import { auditTrail } from './audit-trail-middleware.js';
import { type ConsoleAuthDeps, consoleAuthRoutes } from './console-auth-routes.js';
import { consoleApiRoutes, consoleRoutes } from './console-routes.js';
import { requestContext, requireAuth } from './middleware.js';

export interface AppDeps extends ApiDeps {
  authorizer: Authorizer;
  metrics: Metrics;
  log: Logger;
  /** Knowledge bases (Bedrock Agents' control plane and Retrieve / RetrieveAndGenerate), when the server has them. */
  knowledge?: KnowledgeModule;
  /** Agents (Bedrock Agents' control plane), when the server has them. */
  agents?: AgentsModule;
  /** Guardrails (Bedrock's control plane and ApplyGuardrail), when the server has them. */
  guardrails?: GuardrailModule;
  /** The audit trail every authenticated management call (and data-plane call, when configured) is recorded in. */
  audit?: AuditLog;
  /** Extra route sets (the OpenAI and Anthropic APIs) mounted after the Bedrock ones. */
  routes?: Hono<ApiEnv>[];
  /** The built web console (web/dist by default). */
  consoleDir?: string;
  /** Routes whose requests carry their own credential in the path (app share links), mounted before authentication. */
  publicRoutes?: Hono<ApiEnv>[];
  /** Console sessions and, when configured, OpenID Connect sign-in. */
  consoleAuth?: ConsoleAuthDeps;
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
  if (deps.consoleAuth) app.route('/', consoleAuthRoutes(deps.consoleAuth));
  // The audit trail wraps the share links' routes too: their runs act as the link's maker, who is set by the route
  // itself. It records after the route ran, so its place before authentication changes nothing for other calls.
  if (deps.audit) app.use(auditTrail(deps.audit, deps.region));
  for (const r of deps.publicRoutes ?? []) app.route('/', r);
  app.use(requireAuth(deps.keys, deps.authorizer, deps.maxBodyBytes, deps.consoleAuth?.sessions));
  app.route('/', metricsRoutes({ metrics: deps.metrics, operatorAccountId: deps.accountId }));
  app.route('/', bedrockRuntimeRoutes(deps));
  app.route('/', bedrockControlRoutes(deps));
  if (deps.knowledge) {
    app.route('/', knowledgeBaseRoutes(deps.knowledge, deps.region, deps.maxBodyBytes));
    app.route('/', retrieveRoutes(deps.knowledge, deps.region, deps.maxBodyBytes));
  }
  if (deps.guardrails) app.route('/', guardrailRoutes(deps.guardrails, deps.region, deps.maxBodyBytes));
  if (deps.agents) {
    app.route('/', agentRoutes(deps.agents, deps.region, deps.maxBodyBytes));
    app.route('/', agentPartRoutes(deps.agents, deps.region, deps.maxBodyBytes));
    app.route('/', agentRuntimeRoutes({ ...deps, agents: deps.agents }));
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
