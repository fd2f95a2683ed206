/**
 * Which API each path belongs to, and the data-plane operations by path. Model invocations are authorized inside the
 * runtime (and not at all for administrators), so unlike management calls they cannot be told by the action a route
 * names; they are told by their path here instead.
 */
export interface DataPlaneOperation {
  eventName: string;
  action: string;
  /** Where the model id is: a path segment (Bedrock), the JSON body's `model` (OpenAI, Anthropic), or nowhere. */
  model: 'path' | 'body' | 'none';
  /** The streaming variant's names, used when the response is a stream. */
  stream?: { eventName: string; action: string };
}

const INVOKE = 'bedrock:InvokeModel';
const INVOKE_STREAM = 'bedrock:InvokeModelWithResponseStream';

const BEDROCK_MODEL: Record<string, DataPlaneOperation> = {
  converse: { eventName: 'Converse', action: INVOKE, model: 'path' },
  'converse-stream': { eventName: 'ConverseStream', action: INVOKE_STREAM, model: 'path' },
  invoke: { eventName: 'InvokeModel', action: INVOKE, model: 'path' },
  'invoke-with-response-stream': { eventName: 'InvokeModelWithResponseStream', action: INVOKE_STREAM, model: 'path' },
  'count-tokens': { eventName: 'CountTokens', action: 'bedrock:CountTokens', model: 'path' },
};

const BY_PATH: Record<string, DataPlaneOperation> = {
  '/v1/chat/completions': { eventName: 'ChatCompletions', action: INVOKE, model: 'body', stream: { eventName: 'ChatCompletionsStream', action: INVOKE_STREAM } },
  '/v1/responses': { eventName: 'Responses', action: INVOKE, model: 'body', stream: { eventName: 'ResponsesStream', action: INVOKE_STREAM } },
  '/v1/responses/input_tokens': { eventName: 'CountTokens', action: 'bedrock:CountTokens', model: 'body' },
  '/v1/embeddings': { eventName: 'Embeddings', action: INVOKE, model: 'body' },
  '/v1/images/generations': { eventName: 'ImageGenerations', action: INVOKE, model: 'body' },
  '/v1/messages': { eventName: 'Messages', action: INVOKE, model: 'body', stream: { eventName: 'MessagesStream', action: INVOKE_STREAM } },
  '/v1/messages/count_tokens': { eventName: 'CountTokens', action: 'bedrock:CountTokens', model: 'body' },
  '/retrieveAndGenerate': { eventName: 'RetrieveAndGenerate', action: 'bedrock:RetrieveAndGenerate', model: 'none' },
  '/retrieveAndGenerateStream': { eventName: 'RetrieveAndGenerateStream', action: 'bedrock:RetrieveAndGenerate', model: 'none' },
};

const RETRIEVE: DataPlaneOperation = { eventName: 'Retrieve', action: 'bedrock:Retrieve', model: 'none' };

/** Actions that read or run models and knowledge rather than manage them: recorded only when audit.dataPlane is on. */
export const DATA_PLANE_ACTIONS: ReadonlySet<string> = new Set([
  INVOKE,
  INVOKE_STREAM,
  'bedrock:CountTokens',
  'bedrock:ApplyGuardrail',
  'bedrock:Retrieve',
  'bedrock:RetrieveAndGenerate',
  'bedrock:InvokeAgent',
  // A Prometheus scrape (or the console's metrics page) reads every few seconds: as chatty as invocations, so as optional.
  'quarry:GetMetrics',
]);

/** The data-plane operation a POST to `path` is, with the model id from the path when it carries one. */
export function dataPlaneOperation(method: string, path: string): { op: DataPlaneOperation; pathModel?: string } | undefined {
  if (method !== 'POST') return undefined;
  const byPath = BY_PATH[path];
  if (byPath) return { op: byPath };
  const m = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(path);
  if (m) {
    const op = BEDROCK_MODEL[m[2]!];
    return op ? { op, pathModel: decode(m[1]!) } : undefined;
  }
  if (/^\/knowledgebases\/[^/]+\/retrieve$/.test(path)) return { op: RETRIEVE };
  return undefined;
}

/** The wire API a path belongs to, as the audit record names it. */
export function wireApiOf(path: string): string {
  if (path.startsWith('/v1/messages')) return 'anthropic';
  if (path.startsWith('/v1/')) return 'openai';
  if (path.startsWith('/model/')) return 'bedrock-runtime';
  if (path.startsWith('/knowledgebases') || path.startsWith('/agents') || path.startsWith('/retrieveAndGenerate')) {
    return /\/retrieve$|^\/retrieveAndGenerate/.test(path) ? 'bedrock-agent-runtime' : 'bedrock-agent';
  }
  if (path.startsWith('/quarry/')) return 'quarry';
  return 'bedrock';
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
