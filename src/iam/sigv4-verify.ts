import { hash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { QuarryError } from '../core/index.js';

/** The parts of an incoming request SigV4 covers. `path` must be the raw (still percent-encoded) path. */
export interface SignedRequestView {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

// AWS itself accepts requests signed up to 15 minutes either side of its clock; so do we.
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * The service every API Quarry serves is signed for: the AWS SDKs' Bedrock clients (runtime, control plane, agents,
 * agent runtime) all sign as `bedrock`, and so do the other Bedrock clients (the Vercel AI SDK's, Anthropic's).
 */
export const SIGV4_SERVICE = 'bedrock';

/** What the credential scope of a request must name: the server's region and, unless said otherwise, {@link SIGV4_SERVICE}. */
export interface SigV4Scope {
  region: string;
  service?: string;
}

const AUTH_RE = /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

export function parseSigV4Authorization(header: string): ParsedAuthorization | undefined {
  const m = AUTH_RE.exec(header.trim());
  if (!m) return undefined;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]!, signedHeaders: m[5]!.split(';'), signature: m[6]! };
}

/** Parses `x-amz-date` (20261123T045200Z). */
function parseAmzDate(v: string | undefined): Date | undefined {
  const m = v && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/**
 * Verifies by signing the same request again with the stored secret, through @smithy/signature-v4 — the signer the
 * AWS SDKs use — so canonicalisation quirks (double-encoded paths, header folding) match by construction.
 */
export async function verifySigV4(req: SignedRequestView, auth: ParsedAuthorization, secretAccessKey: string, scope: SigV4Scope, now = Date.now()): Promise<void> {
  // AWS refuses a signature made for another region or service before it looks at the signature itself (the words, the
  // trailing space included, are AWS's).
  if (auth.region !== scope.region) throw new QuarryError('InvalidSignatureException', 'Credential should be scoped to a valid region. ');
  const service = scope.service ?? SIGV4_SERVICE;
  if (auth.service !== service) throw new QuarryError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'. `);
  const signingDate = parseAmzDate(req.headers['x-amz-date']);
  if (!signingDate) throw new QuarryError('UnrecognizedClientException', 'SigV4 request is missing a valid X-Amz-Date header.');
  if (Math.abs(now - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new QuarryError(
      'AccessDeniedException',
      `Signature expired: the request was signed at ${signingDate.toISOString()}, more than 15 minutes from the server's time ${new Date(now).toISOString()}. Check the client's clock.`,
    );
  }
  // The signer trusts x-amz-content-sha256 instead of hashing the body, so the header must be checked against the body
  // itself or a replayed signature would cover any body.
  const declaredHash = req.headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== hash('sha256', req.body, 'hex')) {
    throw new QuarryError('UnrecognizedClientException', 'The x-amz-content-sha256 header does not match the request body; the request signature does not cover this body.');
  }
  const headers: Record<string, string> = {};
  for (const h of auth.signedHeaders) {
    const v = h === 'host' ? (req.headers.host ?? req.headers[':authority']) : req.headers[h];
    if (v === undefined) throw new QuarryError('UnrecognizedClientException', `Signed header "${h}" is missing from the request.`);
    headers[h] = v;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of req.query) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const request = new HttpRequest({ method: req.method, path: req.path, query, headers, body: req.body, hostname: headers.host ?? '' });
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Hash.bind(null, 'sha256'),
    // The signer adds x-amz-content-sha256 unless told not to; only do so when the client signed that header too.
    applyChecksum: auth.signedHeaders.includes('x-amz-content-sha256'),
  });
  const signed = await signer.sign(request, { signingDate, signableHeaders: new Set(auth.signedHeaders) });
  const expected = parseSigV4Authorization(String(signed.headers.authorization ?? ''))?.signature ?? '';
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(auth.signature, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new QuarryError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}
