/** A failed call, with the server's own message (it says what to do) and the error code of whichever wire format answered. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    /** 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }

  /** The key itself was refused (wrong, revoked or disabled), as opposed to a permission the key lacks. */
  get isBadKey(): boolean {
    return this.status === 401 || this.code === 'UnrecognizedClientException' || this.code === 'invalid_api_key' || this.code === 'authentication_error';
  }
}

/**
 * Reads an error response in any of the server's shapes: Bedrock's (`x-amzn-errortype` + `{message}`), OpenAI's
 * (`{error:{message,code,type}}`) and Anthropic's (`{type:'error', error:{type,message}}`).
 */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let message: string | undefined;
  let code = res.headers.get('x-amzn-errortype')?.split(':')[0] || undefined;
  try {
    const body = JSON.parse(text) as { message?: unknown; Message?: unknown; error?: { message?: unknown; code?: unknown; type?: unknown } };
    const nested = body.error;
    const m = nested?.message ?? body.message ?? body.Message;
    if (typeof m === 'string') message = m;
    if (!code && nested) code = typeof nested.code === 'string' ? nested.code : typeof nested.type === 'string' ? nested.type : undefined;
  } catch {
    if (text && text.length < 300 && !text.trimStart().startsWith('<')) message = text;
  }
  return new ApiError(message ?? `The server answered ${res.status} ${res.statusText || ''}`.trim() + '.', res.status, code);
}

export function unreachable(cause: unknown): ApiError {
  const detail = cause instanceof Error && cause.message ? ` (${cause.message})` : '';
  return new ApiError(`Cannot reach the Quarry server at ${location.origin}${detail}. Check that it is running, then try again.`, 0, undefined);
}

/** An abort the user asked for is not an error worth showing. */
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
