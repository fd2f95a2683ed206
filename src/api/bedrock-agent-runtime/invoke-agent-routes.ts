import { Hono } from 'hono';
import { type Logger, QuarryError } from '../../core/index.js';
import type { AgentDefinition, AgentEvent, AgentOrchestrator } from '../../agents/orchestration/index.js';
import { resourceArn } from '../../iam/index.js';
import { EVENT_STREAM_CONTENT_TYPE } from '../bedrock/event-stream.js';
import { type ApiEnv, invocationContext, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { streamResponse } from '../shared/stream-response.js';
import { encodeAgentEvent, encodeAgentException, invokeAgentBody, invokeAgentInput } from './invoke-agent-wire.js';

export interface InvokeAgentRouteDeps {
  orchestrator: AgentOrchestrator;
  /** The agent version an alias routes to, as the loop runs it (the control plane's resolver); throws ResourceNotFound. */
  resolveAgent: (accountId: string, agentId: string, aliasId: string) => Promise<AgentDefinition>;
  region: string;
  maxBodyBytes: number;
}

const AGENT_ID = /^[0-9a-zA-Z]{10}$/;
const SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/;

/**
 * InvokeAgent: `POST /agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text`, answered with an AWS
 * event stream of `chunk`, `trace` (when enableTrace) and `returnControl` events, failures mid-way as exception
 * events. Authorized as bedrock:InvokeAgent on the alias, as on Bedrock; the model calls the agent makes are checked
 * again by the runtime as the caller's InvokeModel.
 */
export function invokeAgentRoutes(deps: InvokeAgentRouteDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post('/agents/:agentId/agentAliases/:aliasId/sessions/:sessionId/text', async (c) => {
    const { agentId, aliasId, sessionId } = c.req.param();
    if (!AGENT_ID.test(agentId) || !AGENT_ID.test(aliasId)) throw new QuarryError('ValidationException', 'agentId and agentAliasId are 10 letters or digits.');
    if (!SESSION_ID.test(sessionId)) throw new QuarryError('ValidationException', 'sessionId is 2-100 letters, digits, ".", "_", ":" or "-".');
    const accountId = scopeOf(c);
    await authorizeRequest(c, 'bedrock:InvokeAgent', resourceArn({ type: 'agent-alias', id: `${agentId}/${aliasId}`, region: deps.region, accountId }));
    const body = validate(invokeAgentBody, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'InvokeAgent request');
    const agent = await deps.resolveAgent(accountId, agentId, aliasId);
    const events = deps.orchestrator.invoke(invocationContext(c, 'bedrock-agent.invoke-agent'), agent, invokeAgentInput(sessionId, body));
    const trace = body.enableTrace === true;
    // Pulled up to the first frame before answering: an unknown model, a wrong invocationId or a busy session is an
    // HTTP error the SDK raises as such, rather than an exception inside a stream that already said 200.
    const first = await nextFrame(events, trace);
    return streamResponse(c, frames(first, events, trace, c.get('log')), {
      'content-type': EVENT_STREAM_CONTENT_TYPE,
      'x-amzn-bedrock-agent-content-type': 'application/json',
      'x-amz-bedrock-agent-session-id': sessionId,
      ...(body.memoryId ? { 'x-amz-bedrock-agent-memory-id': body.memoryId } : {}),
    });
  });

  return app;
}

async function nextFrame(events: AsyncGenerator<AgentEvent>, trace: boolean): Promise<Uint8Array | undefined> {
  for (;;) {
    const r = await events.next();
    if (r.done) return undefined;
    const f = encodeAgentEvent(r.value, trace);
    if (f) return f;
  }
}

async function* frames(first: Uint8Array | undefined, events: AsyncGenerator<AgentEvent>, trace: boolean, log: Logger): AsyncGenerator<Uint8Array> {
  try {
    if (!first) return;
    yield first;
    for await (const e of events) {
      const f = encodeAgentEvent(e, trace);
      if (f) yield f;
    }
  } catch (err) {
    if (!QuarryError.isInstance(err)) log.error({ err }, 'agent invocation failed unexpectedly');
    const q = QuarryError.isInstance(err) ? err : new QuarryError('InternalServerException', 'The agent could not finish this invocation.');
    yield encodeAgentException(q.code, q.message);
  } finally {
    // Closing the loop releases the session even when the client went away mid-stream.
    await events.return(undefined);
  }
}
