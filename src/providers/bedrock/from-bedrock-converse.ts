import type { ContentBlock as BedrockBlock, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ContentBlock, ConverseResult } from '../../core/index.js';
import { upstreamReturned } from './map-bedrock-error.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';
import { mapBedrockUsage } from './map-bedrock-usage.js';

/** Converse output → canonical result. */
export function fromBedrockConverse(out: ConverseCommandOutput): ConverseResult {
  const message = out.output?.message;
  if (!message) throw upstreamReturned('a Converse response without a message');
  const content: ContentBlock[] = [];
  for (const b of message.content ?? []) {
    const block = fromBlock(b);
    if (block) content.push(block);
  }
  return {
    message: { role: 'assistant', content },
    stopReason: mapBedrockStopReason(out.stopReason),
    rawStopReason: out.stopReason,
    usage: mapBedrockUsage(out.usage),
    latencyMs: 0,
    additionalModelResponseFields: out.additionalModelResponseFields as Record<string, unknown> | undefined,
  };
}

function fromBlock(b: BedrockBlock): ContentBlock | undefined {
  if (b.text !== undefined) return { text: b.text };
  if (b.toolUse) return { toolUse: { toolUseId: b.toolUse.toolUseId ?? '', name: b.toolUse.name ?? '', input: b.toolUse.input ?? {} } };
  if (b.reasoningContent) {
    const r = b.reasoningContent;
    if (r.reasoningText) return { reasoningContent: { reasoningText: { text: r.reasoningText.text ?? '', signature: r.reasoningText.signature } } };
    if (r.redactedContent) return { reasoningContent: { redactedContent: r.redactedContent } };
  }
  // Cited answers (knowledge-base grounding) come back as citationsContent; their text is the answer.
  if (b.citationsContent) return { text: (b.citationsContent.content ?? []).map((c) => c.text ?? '').join('') };
  return undefined;
}
