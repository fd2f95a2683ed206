import type { ConverseRequest, StreamPart } from '../../../core/index.js';
import { anthropicStreamEvents } from '../../anthropic/anthropic-stream-events.js';
import { anthropicUsage, matchedStopSequence } from './anthropic-wire.js';
import { METRICS_KEY, StreamClock } from './invocation-metrics.js';
import type { StreamInfo } from './invoke-format.js';
import { anthropicStopReason } from './stop-reasons.js';

/**
 * Canonical parts → Anthropic's streaming events, which Bedrock sends one per chunk. The events are the Messages
 * API's; what is Bedrock's own: its stop-reason vocabulary and reported stop sequence (as in the whole-message body),
 * the prompt size counted up front in message_start, and invocation metrics on message_stop.
 */
export async function* anthropicChunks(
  parts: AsyncIterable<StreamPart>,
  info: StreamInfo,
  meta: { id: string; model: string; request: ConverseRequest },
): AsyncGenerator<object> {
  const clock = new StreamClock(info.startedAt);
  const events = anthropicStreamEvents(parts, {
    id: meta.id,
    model: meta.model,
    inputTokens: info.inputTokens,
    thinkingSignature: false,
    stop: (s) => ({ stop_reason: anthropicStopReason(s.stopReason), stop_sequence: matchedStopSequence(s, meta.request) }),
    usage: anthropicUsage,
    messageStop: (usage) => ({ [METRICS_KEY]: clock.metrics(usage) }),
    // The dispatcher ends this input at a failure and sends the exception after the last chunk, so an input that
    // stops early must not be dressed up as a finished message.
    completeOnEnd: false,
  });
  for await (const event of events) {
    // A failure reaches the client as that event-stream exception, never as an Anthropic error event.
    if (event.type === 'error') return;
    // First byte is the first content block, not the message_start bookkeeping.
    if (event.type === 'content_block_start') clock.markOutput();
    yield event;
  }
}
