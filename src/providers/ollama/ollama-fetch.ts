import { mapOllamaError, mapOllamaHttpError, upstreamReturned } from './map-ollama-error.js';

/**
 * The `fetch` handed to the ollama client for one call. The client takes no abort signal for non-streaming calls
 * and turns error responses into bare `Error`s (logging to the console on the way), so this wrapper does both jobs
 * itself: it attaches the call's signal, and it maps every non-2xx response to the canonical error before the
 * client sees it. Streamed NDJSON is checked line by line, because the client skips a line it cannot parse with
 * only a console warning, which would silently drop part of an answer.
 */
export function ollamaFetch(signal: AbortSignal, baseUrl: string): typeof fetch {
  return async (input, init) => {
    let res: Response;
    try {
      res = await fetch(input, { ...init, signal });
    } catch (e) {
      throw signal.aborted ? signal.reason : mapOllamaError(e, baseUrl, 'request');
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw mapOllamaHttpError(res.status, text, baseUrl);
    }
    if (!res.body || !res.headers.get('content-type')?.includes('ndjson')) return res;
    return new Response(res.body.pipeThrough(ndjsonGuard()), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/**
 * Passes bytes through unchanged, failing the stream at the first complete line that is not a JSON object. A
 * shape check (first and last character), not a parse: the client parses each line anyway.
 */
function ndjsonGuard(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let pending = '';
  const check = (line: string) => {
    const t = line.trim();
    if (t !== '' && !(t.startsWith('{') && t.endsWith('}'))) {
      throw upstreamReturned(`a stream line that is not JSON: ${t.slice(0, 120)}`);
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      const text = pending + decoder.decode(chunk, { stream: true });
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) check(line);
      controller.enqueue(chunk);
    },
    flush() {
      check(pending + decoder.decode());
    },
  });
}
