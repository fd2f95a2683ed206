import type { StreamPart } from '../../core/index.js';
import { wireUsage } from './converse-codec.js';
import { encodeEvent, encodeException } from './event-stream.js';

/**
 * Canonical stream parts → ConverseStream event-stream frames. Text blocks get no contentBlockStart, as Bedrock
 * itself sends one only for tool use.
 */
export async function* converseStreamFrames(parts: AsyncIterable<StreamPart>): AsyncGenerator<Uint8Array> {
  for await (const p of parts) {
    switch (p.type) {
      case 'messageStart':
        yield encodeEvent('messageStart', { role: p.role });
        break;
      case 'contentBlockStart':
        if (p.toolUse) yield encodeEvent('contentBlockStart', { contentBlockIndex: p.index, start: { toolUse: p.toolUse } });
        break;
      case 'contentBlockDelta':
        yield encodeEvent('contentBlockDelta', { contentBlockIndex: p.index, delta: p.delta });
        break;
      case 'contentBlockStop':
        yield encodeEvent('contentBlockStop', { contentBlockIndex: p.index });
        break;
      case 'messageStop':
        yield encodeEvent('messageStop', {
          stopReason: p.stopReason,
          ...(p.additionalModelResponseFields ? { additionalModelResponseFields: p.additionalModelResponseFields } : {}),
        });
        break;
      case 'metadata':
        yield encodeEvent('metadata', {
          usage: wireUsage(p.usage),
          metrics: { latencyMs: p.latencyMs },
          ...(p.guardrail?.trace ? { trace: { guardrail: p.guardrail.trace } } : {}),
        });
        break;
      case 'error':
        yield encodeException(p.error.code, p.error.message);
        return;
      default:
        p satisfies never;
    }
  }
}
