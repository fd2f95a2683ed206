import type { StreamPart } from '../../core/index.js';
import { anthropicStreamEvents } from './anthropic-stream-events.js';
import type { MessageMeta } from './to-messages-response.js';

/**
 * Canonical stream parts → the SSE frames of POST /v1/messages: each event named by its own `type`. A failure is
 * the `error` event, which ends the stream with no message_stop.
 */
export async function* messageStreamEvents(parts: AsyncIterable<StreamPart>, meta: MessageMeta): AsyncGenerator<string> {
  for await (const event of anthropicStreamEvents(parts, meta)) yield `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
