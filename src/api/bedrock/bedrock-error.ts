import { type QuarryError, retryAfterSeconds, toQuarryError } from '../../core/index.js';

/**
 * The one place Quarry errors become Bedrock's wire shape: `x-amzn-errortype` (which the AWS SDK reads to pick the
 * exception class) and a JSON body with `message`.
 */
export function bedrockErrorResponse(e: unknown, requestId: string): Response {
  const err: QuarryError = toQuarryError(e);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-errortype': `${err.code}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': requestId,
  };
  const retryAfter = retryAfterSeconds(err);
  if (retryAfter) headers['retry-after'] = retryAfter;
  return new Response(JSON.stringify({ message: err.message }), { status: err.status, headers });
}
