import { QuarryError } from '../core/index.js';
import type { KeyLookup, KeyStore } from './key-store.js';
import type { Principal } from './principal.js';
import { parseSigV4Authorization, type SignedRequestView, verifySigV4 } from './sigv4-verify.js';

/**
 * What authentication reads of a request. Only SigV4 needs the whole request (every signed header and the body), so
 * it is built lazily: a bearer key costs one header lookup on the hot path.
 */
export interface AuthRequest {
  header(name: 'authorization' | 'x-api-key'): string | undefined;
  signedView(): Promise<SignedRequestView>;
}

/**
 * Accepts, in order: `Authorization: Bearer <key>` (OpenAI clients, and Bedrock API keys — the SDK's
 * AWS_BEARER_TOKEN_BEDROCK), `x-api-key` (Anthropic clients), and AWS SigV4.
 */
export async function authenticate(keys: KeyStore, req: AuthRequest): Promise<Principal> {
  const authz = req.header('authorization');
  let bearer: string | undefined;
  if (authz?.startsWith('Bearer ')) bearer = authz.slice(7).trim();
  else if (!authz) bearer = req.header('x-api-key')?.trim();
  if (bearer) {
    const k = await keys.lookupBearer(bearer);
    if (!k) throw new QuarryError('UnrecognizedClientException', 'The API key is not valid.');
    // Holding the key proves it was issued, so saying why it no longer works discloses nothing.
    refuseInactive(k, 'The API key');
    return k.principal;
  }
  if (authz?.startsWith('AWS4-HMAC-SHA256')) {
    const parsed = parseSigV4Authorization(authz);
    if (!parsed) throw new QuarryError('UnrecognizedClientException', 'The SigV4 Authorization header is malformed.');
    const found = await keys.lookupAccessKey(parsed.accessKeyId);
    if (!found?.secret) throw new QuarryError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    // The signature first: an access key id is not secret, and only its owner may learn that it is disabled or expired.
    await verifySigV4(await req.signedView(), parsed, found.secret, { region: keys.region });
    refuseInactive(found, `The access key ${parsed.accessKeyId}`);
    return found.principal;
  }
  throw new QuarryError('AccessDeniedException', `${MISSING_CREDENTIALS}: send an API key as "Authorization: Bearer <key>" (or x-api-key), or sign the request with AWS SigV4.`);
}

const MISSING_CREDENTIALS = 'Missing credentials';

/**
 * A request that carried no credential at all: Bedrock answers it AccessDeniedException (403), OpenAI and Anthropic
 * 401, so their error responders tell it apart from a permission the caller lacks.
 */
export function isMissingCredentials(err: { code: string; message: string }): boolean {
  return err.code === 'AccessDeniedException' && err.message.startsWith(MISSING_CREDENTIALS);
}

function refuseInactive(k: KeyLookup, what: string): void {
  switch (k.state) {
    case 'active':
      return;
    case 'disabled':
      throw new QuarryError('UnrecognizedClientException', `${what} has been disabled.`);
    case 'expired':
      throw new QuarryError('UnrecognizedClientException', `${what} expired at ${k.expiresAt}; create or rotate a key.`);
    default: {
      const never: never = k.state;
      throw new Error(`unknown key state ${String(never)}`);
    }
  }
}
