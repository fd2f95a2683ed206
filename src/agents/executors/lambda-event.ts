import { type ActionCall, type ActionOutcome, namedValues } from '../orchestration/index.js';

/**
 * The event a Bedrock agent sends its Lambda function, built for Quarry's own executors so that a handler written
 * for Bedrock (`export const handler = async (event) => …`) runs unchanged as a registered module or behind a URL.
 */
export function lambdaEvent(call: ActionCall): Record<string, unknown> {
  const { agent, group, fn, args } = call;
  const base = {
    messageVersion: '1.0',
    agent: { name: agent.agentName, id: agent.agentId, alias: agent.agentAliasId, version: agent.agentVersion },
    inputText: call.inputText,
    sessionId: call.sessionId,
    actionGroup: group.name,
    sessionAttributes: call.sessionAttributes,
    promptSessionAttributes: call.promptSessionAttributes,
  };
  if (!fn.api) return { ...base, function: fn.name, parameters: namedValues(fn, args) };
  const api = fn.api;
  const body = namedValues(fn, args, (k) => api.parameterIn[k] === 'body');
  return {
    ...base,
    apiPath: api.path,
    httpMethod: api.method.toUpperCase(),
    parameters: namedValues(fn, args, (k) => api.parameterIn[k] !== 'body'),
    ...(body.length ? { requestBody: { content: { [api.bodyContentType ?? 'application/json']: { properties: body } } } } : {}),
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringRecord = (v: unknown): v is Record<string, string> => isObj(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * What a handler returned, as an outcome. Bedrock's response shape (`response.functionResponse.responseBody.TEXT.body`,
 * or `response.responseBody[<type>].body` with `httpStatusCode`) is read as Bedrock reads it, session attributes
 * included; any other value is the result as it stands: a string as text, anything else as JSON.
 */
export function handlerOutcome(value: unknown): ActionOutcome {
  if (isObj(value) && isObj(value.response)) {
    const r = value.response;
    const fr = isObj(r.functionResponse) ? r.functionResponse : undefined;
    const bodies = isObj(fr?.responseBody) ? fr.responseBody : isObj(r.responseBody) ? r.responseBody : {};
    const first = Object.values(bodies).find(isObj);
    const body = first?.body;
    const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    const status = typeof r.httpStatusCode === 'number' ? r.httpStatusCode : undefined;
    const state = fr?.responseState;
    const ok = state !== 'FAILURE' && state !== 'REPROMPT' && (status === undefined || status < 400);
    return {
      ok,
      text: text || (ok ? 'The action completed and returned no content.' : 'The action failed and returned no details.'),
      ...(isStringRecord(value.sessionAttributes) ? { sessionAttributes: value.sessionAttributes } : {}),
      ...(isStringRecord(value.promptSessionAttributes) ? { promptSessionAttributes: value.promptSessionAttributes } : {}),
    };
  }
  if (typeof value === 'string') return { ok: true, text: value };
  if (value === undefined || value === null) return { ok: true, text: 'The action completed and returned no content.' };
  return { ok: true, text: JSON.stringify(value) };
}
