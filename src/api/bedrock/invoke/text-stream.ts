import type { StopReason, StreamPart, Usage } from '../../../core/index.js';
import { type InvocationMetrics, StreamClock } from './invocation-metrics.js';
import type { StreamInfo } from './invoke-format.js';

export type TextStreamEvent =
  | { type: 'text'; text: string; first: boolean; /** Text deltas so far, this one included: a running output count. */ count: number }
  | { type: 'end'; stopReason: StopReason; usage: Usage; metrics: InvocationMetrics };

/**
 * The canonical part stream as prompt-in, text-out formats (Llama, Titan, Mistral) see it: text deltas, then one end
 * event once usage is known. `end` comes only from the metadata part, so a stream cut short by an error just stops.
 */
export async function* textStream(parts: AsyncIterable<StreamPart>, info: StreamInfo): AsyncGenerator<TextStreamEvent> {
  const clock = new StreamClock(info.startedAt);
  let stopReason: StopReason = 'end_turn';
  let count = 0;
  for await (const p of parts) {
    if (p.type === 'contentBlockDelta' && 'text' in p.delta) {
      if (p.delta.text === '') continue;
      clock.markOutput();
      count++;
      yield { type: 'text', text: p.delta.text, first: count === 1, count };
    } else if (p.type === 'messageStop') {
      stopReason = p.stopReason;
    } else if (p.type === 'metadata') {
      yield { type: 'end', stopReason, usage: p.usage, metrics: clock.metrics(p.usage) };
    }
  }
}
