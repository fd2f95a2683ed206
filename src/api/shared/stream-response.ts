/**
 * Turns an async iterable of encoded chunks into a Response body. Pull-based, so a slow client applies back-pressure
 * to generation; cancel (client gone) closes the iterator, which closes the provider's stream and stops the model.
 */
export function streamResponse(chunks: AsyncIterable<Uint8Array | string>, headers: Record<string, string>, status = 200): Response {
  const iterator = chunks[Symbol.asyncIterator]();
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(typeof value === 'string' ? enc.encode(value) : value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { status, headers });
}
