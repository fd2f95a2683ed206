import { QuarryError } from './errors.js';
import type { ContentBlock } from './message.js';
import type { ConverseResult } from './response.js';
import type { StopReason } from './stop-reason.js';
import type { StreamPart } from './stream-part.js';
import type { Usage } from './usage.js';

/**
 * Folds a part stream into one result, so a provider that can only stream still serves non-streaming calls (and
 * tests can compare the two paths). Tool input arrives as JSON text deltas and is parsed once the block stops.
 */
export async function collectStream(parts: AsyncIterable<StreamPart>): Promise<ConverseResult> {
  const blocks: { text?: string; reasoning?: string; signature?: string; tool?: { toolUseId: string; name: string; input: string } }[] = [];
  let stopReason: StopReason = 'end_turn';
  let rawStopReason: string | undefined;
  let usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let latencyMs = 0;
  let additional: Record<string, unknown> | undefined;
  for await (const p of parts) {
    switch (p.type) {
      case 'messageStart':
        break;
      case 'contentBlockStart':
        blocks[p.index] = p.toolUse ? { tool: { ...p.toolUse, input: '' } } : {};
        break;
      case 'contentBlockDelta': {
        if (!blocks[p.index]) blocks[p.index] = {};
        const b = blocks[p.index]!;
        if ('text' in p.delta) b.text = (b.text ?? '') + p.delta.text;
        else if ('toolUse' in p.delta) {
          if (!b.tool) throw new QuarryError('ModelErrorException', 'The model sent tool input without starting a tool block.');
          b.tool.input += p.delta.toolUse.input;
        } else {
          if (p.delta.reasoningContent.text) b.reasoning = (b.reasoning ?? '') + p.delta.reasoningContent.text;
          if (p.delta.reasoningContent.signature) b.signature = p.delta.reasoningContent.signature;
        }
        break;
      }
      case 'contentBlockStop':
        break;
      case 'messageStop':
        stopReason = p.stopReason;
        rawStopReason = p.rawStopReason;
        additional = p.additionalModelResponseFields;
        break;
      case 'metadata':
        usage = p.usage;
        latencyMs = p.latencyMs;
        break;
      case 'error':
        throw p.error;
      default:
        p satisfies never;
    }
  }
  const content: ContentBlock[] = [];
  for (const b of blocks) {
    if (!b) continue;
    if (b.reasoning !== undefined) content.push({ reasoningContent: { reasoningText: { text: b.reasoning, signature: b.signature } } });
    if (b.tool) content.push({ toolUse: { toolUseId: b.tool.toolUseId, name: b.tool.name, input: parseToolInput(b.tool.input) } });
    else if (b.text !== undefined) content.push({ text: b.text });
  }
  return { message: { role: 'assistant', content }, stopReason, rawStopReason, usage, latencyMs, additionalModelResponseFields: additional };
}

function parseToolInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new QuarryError('ModelErrorException', `The model produced tool input that is not valid JSON: ${text.slice(0, 200)}`, { cause: e });
  }
}

/** The reverse: replays a finished result as stream parts, for providers that cannot stream. */
export async function* resultToStream(result: ConverseResult): AsyncGenerator<StreamPart> {
  yield { type: 'messageStart', role: 'assistant' };
  let index = 0;
  for (const block of result.message.content) {
    if ('text' in block) {
      yield { type: 'contentBlockStart', index };
      yield { type: 'contentBlockDelta', index, delta: { text: block.text } };
      yield { type: 'contentBlockStop', index };
      index++;
    } else if ('toolUse' in block) {
      const { toolUseId, name, input } = block.toolUse;
      yield { type: 'contentBlockStart', index, toolUse: { toolUseId, name } };
      yield { type: 'contentBlockDelta', index, delta: { toolUse: { input: JSON.stringify(input ?? {}) } } };
      yield { type: 'contentBlockStop', index };
      index++;
    } else if ('reasoningContent' in block && block.reasoningContent.reasoningText) {
      const { text, signature } = block.reasoningContent.reasoningText;
      yield { type: 'contentBlockStart', index };
      yield { type: 'contentBlockDelta', index, delta: { reasoningContent: { text } } };
      if (signature) yield { type: 'contentBlockDelta', index, delta: { reasoningContent: { signature } } };
      yield { type: 'contentBlockStop', index };
      index++;
    }
  }
  yield { type: 'messageStop', stopReason: result.stopReason, rawStopReason: result.rawStopReason };
  yield { type: 'metadata', usage: result.usage, latencyMs: result.latencyMs };
}
