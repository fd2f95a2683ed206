import type { Context, MiddlewareHandler } from 'hono';
import type { ApiEnv } from '../api/shared/api-env.js';
import { modelResource } from '../api/shared/authorize-request.js';
import type { AuditDetails, AuditLog } from '../audit/index.js';
import { QuarryError } from '../core/index.js';
import { ACTIONS, isAction } from '../iam/index.js';
import { timeOrderedId } from '../store/index.js';
import { DATA_PLANE_ACTIONS, type DataPlaneOperation, dataPlaneOperation, wireApiOf } from './audited-operations.js';

// Bodies past this are not kept for the record (an ingestion upload may be megabytes); the event says so instead.
const MAX_RECORDED_BODY = 1024 * 1024;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records every authenticated management call in the audit trail — and model invocations and retrievals when
 * audit.dataPlane is on — after the route ran, with its outcome. The action and resources are what the route declared
 * through authorizeRequest (a denied call included: it noted them before the decision); a mutating call or a failure
 * in a route that never named an action is still recorded, under its method and route. Only cheap values are taken
 * here; the body is parsed and redacted when the batch is written.
 */
export function auditTrail(audit: AuditLog, region: string): MiddlewareHandler<ApiEnv> {
  return async function auditTrail(c, next) {
    const started = Date.now();
    await next();
    // Worked out once the answer is out (on a socket): the client does not wait for its call's audit record.
    const after = c.get('afterResponse');
    if (after) after.add(() => recordCall(c, started));
    else recordCall(c, started);
  };

  function recordCall(c: Context<ApiEnv>, started: number): void {
    const principal = c.get('principal');
    if (!principal) return;
    const note = c.get('auditNote');
    const status = responseStatus(c);
    const method = c.req.method;
    const path = c.req.path;
    const dp = !note || DATA_PLANE_ACTIONS.has(note.action) ? dataPlaneOperation(method, path) : undefined;
    const data = dp !== undefined || (note !== undefined && DATA_PLANE_ACTIONS.has(note.action));
    if (data && !audit.dataPlane) return;
    let eventName: string;
    let action: string | null;
    if (dp) {
      const streamed = dp.op.stream && isEventStream(c);
      eventName = streamed ? dp.op.stream!.eventName : dp.op.eventName;
      action = note?.action ?? (streamed ? dp.op.stream!.action : dp.op.action);
    } else if (note) {
      eventName = note.action.slice(note.action.indexOf(':') + 1);
      action = note.action;
    } else {
      const route = endpointRoute(c);
      if (!route || (READ_METHODS.has(method) && status < 400)) return;
      eventName = `${method} ${route}`;
      action = null;
    }
    const err = c.error;
    const failed = status >= 400 || err !== undefined;
    audit.record({
      id: timeOrderedId(),
      time: new Date(started).toISOString(),
      accountId: c.get('accountId'),
      eventName,
      action,
      category: data ? 'data' : 'management',
      readOnly: action !== null && isAction(action) ? ['List', 'Read'].includes(ACTIONS[action].access) : READ_METHODS.has(method),
      principal: {
        id: principal.id,
        name: principal.name,
        type: principal.isAdmin ? 'Administrator' : 'User',
        authMethod: principal.authMethod,
        keyId: principal.keyId || null,
        accessKeyId: principal.authMethod === 'sigv4' ? signedAccessKeyId(c.req.header('authorization')) : null,
      },
      sourceIp: sourceIp(c),
      userAgent: c.req.header('user-agent') ?? null,
      resources: note ? [...note.resources] : [],
      details: dp ? dataPlaneDetails(c, region, dp.op, dp.pathModel) : managementDetails(c),
      outcome: failed ? 'error' : 'success',
      errorCode: failed ? errorCode(c, err) : null,
      errorMessage: failed ? errorMessage(err) : null,
      httpStatus: status,
      requestId: c.get('requestId'),
      wireApi: wireApiOf(path),
    });
  }
}

/** The route pattern that answered (not a middleware's `*`), or undefined when none did (a 404 for an unknown path). */
function endpointRoute(c: Context<ApiEnv>): string | undefined {
  const routes = c.req.matchedRoutes;
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  return undefined;
}

/** Path and query parameters plus the JSON body the route read; what the server acted on wins a name clash. */
function managementDetails(c: Context<ApiEnv>): () => AuditDetails {
  const params = c.req.param() as Record<string, string>;
  const query = c.req.query();
  const body = c.get('rawBody');
  return () => {
    const parsed = body?.byteLength ? jsonBody(body) : undefined;
    const fromBody = parsed === undefined ? {} : parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : { body: parsed };
    const merged = { ...fromBody, ...query, ...params };
    return { requestParameters: Object.keys(merged).length ? merged : undefined };
  };
}

/**
 * Prompts are not recorded (CloudTrail hides a model invocation's body too): the model and the path's parameters are.
 * The model's ARN joins the resources, and the answering model's when a fallback or a profile chose another.
 */
function dataPlaneDetails(c: Context<ApiEnv>, region: string, op: DataPlaneOperation, pathModel: string | undefined): () => AuditDetails {
  const params = c.req.param() as Record<string, string>;
  const body = op.model === 'body' ? c.get('rawBody') : undefined;
  const answered = responseHeader(c, 'x-quarry-model-id');
  const streamed = isEventStream(c);
  return () => {
    let model = pathModel;
    if (body?.byteLength) {
      const parsed = jsonBody(body) as { model?: unknown } | undefined;
      if (parsed && typeof parsed.model === 'string') model = parsed.model;
    }
    const resources: string[] = [];
    for (const m of [model, answered]) {
      if (!m) continue;
      try {
        const arn = modelResource(region, m);
        if (!resources.includes(arn)) resources.push(arn);
      } catch {
        // Not a model id: the call failed validation, and the parameters still show what was sent.
      }
    }
    const { modelId: _m, ...rest } = params;
    const requestParameters: Record<string, unknown> = { ...rest };
    if (model) requestParameters.modelId = model;
    if (answered && answered !== model) requestParameters.answeringModelId = answered;
    if (streamed) requestParameters.stream = true;
    return { resources, requestParameters: Object.keys(requestParameters).length ? requestParameters : undefined };
  };
}

type NodeOutgoing = { outgoing?: { statusCode?: number } };

// A stream on a real socket is written to Node's response directly (see stream-response.ts): the Response Hono holds
// is then a placeholder, and the status and headers are the outgoing message's.
function outgoing(c: Context<ApiEnv>) {
  return c.res.headers.has('x-hono-already-sent') ? (c.env as NodeOutgoing | undefined)?.outgoing : undefined;
}

function responseStatus(c: Context<ApiEnv>): number {
  return outgoing(c)?.statusCode ?? c.res.status;
}

// Headers given to writeHead are not readable back from Node's response, so an already-sent response has none here.
function responseHeader(c: Context<ApiEnv>, name: string): string | undefined {
  return c.res.headers.get(name) ?? undefined;
}

/** Only streams bypass Hono's Response (stream-response.ts), so an already-sent response is a stream too. */
const isEventStream = (c: Context<ApiEnv>) => c.res.headers.has('x-hono-already-sent') || (responseHeader(c, 'content-type') ?? '').startsWith('text/event-stream');

function jsonBody(body: Uint8Array): unknown {
  if (body.byteLength > MAX_RECORDED_BODY) return { omitted: `a body of ${body.byteLength} bytes` };
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { omitted: `a body of ${body.byteLength} bytes that is not JSON` };
  }
}

function errorCode(c: Context<ApiEnv>, err: Error | undefined): string {
  if (err) return QuarryError.isInstance(err) ? err.code : 'InternalServerException';
  const header = responseHeader(c, 'x-amzn-errortype');
  if (header) return header.split(':')[0]!;
  return `HTTP${responseStatus(c)}`;
}

/** A Quarry error's message is what the client saw; anything else may hold internals, which tenants reading their own trail must not. */
function errorMessage(err: Error | undefined): string | null {
  if (!err) return null;
  return QuarryError.isInstance(err) ? err.message : 'Internal server error';
}

function signedAccessKeyId(authorization: string | undefined): string | null {
  const m = authorization ? /Credential=([A-Za-z0-9]{1,128})\//.exec(authorization) : null;
  return m ? m[1]! : null;
}

type SocketBindings = { incoming?: { socket?: { remoteAddress?: string } } };

/** The peer's address as the socket reports it; forwarded-for headers are the client's to invent, so they are not used. */
function sourceIp(c: Context<ApiEnv>): string | null {
  const ip = (c.env as SocketBindings | undefined)?.incoming?.socket?.remoteAddress;
  if (!ip) return null;
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
