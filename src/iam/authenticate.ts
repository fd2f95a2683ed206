import { QuarryError } from '../core/index.js';
import type { KeyStore } from './key-store.js';
import type { Principal } from './principal.js';
import { type SignedRequestView, parseSigV4Authorization, verifySigV4 } from './sigv4-verify.js';

export interface AuthRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Read lazily: only SigV4 needs the body, and only once. */
  body(): Promise<Uint8Array>;
}

/**
 * Accepts, in order: `Authorization: Bearer <key>` (OpenAI clients, and Bedrock API keys — the SDK's
 * AWS_BEARER_TOKEN_BEDROCK), `x-api-key` (Anthropic clients), and AWS SigV4.
 */
export async function authenticate(keys: KeyStore, req: AuthRequest): Promise<Principal> {
  const authz = req.headers.authorization;
  let bearer: string | undefined;
  if (authz?.startsWith('Bearer ')) bearer = authz.slice(7).trim();
  else if (!authz && req.headers['x-api-key']) bearer = req.headers['x-api-key'].trim();
  if (bearer) {
    const p = await keys.findBearer(bearer);
    if (!p) throw new QuarryError('UnrecognizedClientException', 'The API key is not valid, or has been disabled.');
    return p;
  }
  if (authz?.startsWith('AWS4-HMAC-SHA256')) {
    const parsed = parseSigV4Authorization(authz);
    if (!parsed) throw new QuarryError('UnrecognizedClientException', 'The SigV4 Authorization header is malformed.');
    const found = await keys.findAccessKey(parsed.accessKeyId);
    if (!found) throw new QuarryError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    const view: SignedRequestView = { method: req.method, path: req.path, query: req.query, headers: req.headers, body: await req.body() };
    await verifySigV4(view, parsed, found.secret);
    return found.principal;
  }
  throw new QuarryError(
    'AccessDeniedException',
    'Missing credentials: send an API key as "Authorization: Bearer <key>" (or x-api-key), or sign the request with AWS SigV4.',
  );
}
