import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { Message } from '@smithy/types';

/**
 * The messages of an AWS event-stream body as they arrive. Bedrock's InvokeAgent answers only in this binary format,
 * so the console decodes it with the same codec the server encodes it with (checksums included); this function only
 * cuts the byte stream at message boundaries (each message starts with its total length, a big-endian uint32).
 */
export async function* eventStreamMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<Message> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const codec = new EventStreamCodec((b) => decoder.decode(b), (s) => encoder.encode(s));
  const reader = body.getReader();
  let buf = new Uint8Array(0);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const joined = new Uint8Array(buf.length + value.length);
      joined.set(buf);
      joined.set(value, buf.length);
      buf = joined;
      while (buf.length >= 4) {
        const total = new DataView(buf.buffer, buf.byteOffset, 4).getUint32(0);
        if (buf.length < total) break;
        yield codec.decode(buf.subarray(0, total));
        buf = buf.subarray(total);
      }
    }
    if (buf.length > 0) throw new Error('the stream ended inside a message');
  } finally {
    reader.releaseLock();
  }
}
