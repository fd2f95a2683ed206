import { type QuarryError, toQuarryError } from '../../core/index.js';

/**
 * The one place Quarry errors become Bedrock's wire shape: `x-amzn-errortype` (which the AWS SDK reads to pick the
 * exception class) and a JSON body with `message`.
 */
export function bedrockErrorResponse(e: unknown, requestId: string): Response {
  const err: QuarryError = toQuarryError(e);
  return new Response(JSON.stringify({ message: err.message }), {
    status: err.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': `${err.code}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      'x-amzn-requestid': requestId,
    },
  });
}
