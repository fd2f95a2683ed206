import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { StreamPart } from '../../core/index.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';
import { mapBedrockUsage } from './map-bedrock-usage.js';

/**
 * ConverseStream events → parts. Nearly the identity, with one real difference: Bedrock sends contentBlockStart
 * only for tool-use blocks, while text and reasoning blocks begin with their first delta. Our stream contract
 * promises a start for every block, so one is supplied when a delta arrives for a block not yet started.
 * Exception events are returned (not thrown) so the provider can end the stream with an error part.
 */
export class BedrockStreamMapper {
  private readonly started = new Set<number>();
  sawMessageStop = false;
  sawMetadata = false;

  /** Appends the parts for one event; returns an exception event's name and message if the event is one. */
  event(e: ConverseStreamOutput, out: StreamPart[]): { name: string; message: string } | undefined {
    if (e.messageStart) out.push({ type: 'messageStart', role: 'assistant' });
    else if (e.contentBlockStart) {
      const index = e.contentBlockStart.contentBlockIndex ?? 0;
      const tool = e.contentBlockStart.start?.toolUse;
      this.started.add(index);
      out.push(
        tool
          ? { type: 'contentBlockStart', index, toolUse: { toolUseId: tool.toolUseId ?? '', name: tool.name ?? '' } }
          : { type: 'contentBlockStart', index },
      );
    } else if (e.contentBlockDelta) {
      const index = e.contentBlockDelta.contentBlockIndex ?? 0;
      const d = e.contentBlockDelta.delta;
      if (!this.started.has(index)) {
        this.started.add(index);
        out.push({ type: 'contentBlockStart', index });
      }
      if (d?.text !== undefined) out.push({ type: 'contentBlockDelta', index, delta: { text: d.text } });
      else if (d?.toolUse) out.push({ type: 'contentBlockDelta', index, delta: { toolUse: { input: d.toolUse.input ?? '' } } });
      else if (d?.reasoningContent) {
        const { text, signature } = d.reasoningContent;
        // Redacted reasoning has no streaming form in our parts; it is dropped here and kept in non-streaming calls.
        if (text !== undefined || signature !== undefined) {
          out.push({ type: 'contentBlockDelta', index, delta: { reasoningContent: { text, signature } } });
        }
      }
    } else if (e.contentBlockStop) {
      const index = e.contentBlockStop.contentBlockIndex ?? 0;
      if (!this.started.has(index)) out.push({ type: 'contentBlockStart', index });
      out.push({ type: 'contentBlockStop', index });
    } else if (e.messageStop) {
      this.sawMessageStop = true;
      out.push({
        type: 'messageStop',
        stopReason: mapBedrockStopReason(e.messageStop.stopReason),
        rawStopReason: e.messageStop.stopReason,
        additionalModelResponseFields: e.messageStop.additionalModelResponseFields as Record<string, unknown> | undefined,
      });
    } else if (e.metadata) {
      this.sawMetadata = true;
      out.push({ type: 'metadata', usage: mapBedrockUsage(e.metadata.usage), latencyMs: 0 });
    } else {
      const ex =
        e.internalServerException ??
        e.modelStreamErrorException ??
        e.validationException ??
        e.throttlingException ??
        e.serviceUnavailableException;
      if (ex) return { name: ex.name, message: ex.message || ex.name };
    }
    return undefined;
  }
}
