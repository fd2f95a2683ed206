import { type ModelKind, validation } from '../../../core/index.js';
import { anthropicMessages } from './anthropic-messages.js';
import { cohereEmbed } from './cohere-embed.js';
import type { InvokeFormat } from './invoke-format.js';
import { metaLlama } from './meta-llama.js';
import { mistralText } from './mistral-text.js';
import { novaMessages } from './nova-messages.js';
import { titanEmbed } from './titan-embed.js';
import { titanImage } from './titan-image.js';
import { titanText } from './titan-text.js';

/**
 * Models with no native format of their own (local GGUF files, OpenAI-compatible upstreams) take whichever Bedrock
 * format the client speaks, told apart by the body's shape, and answer in that same format (image models: Titan's).
 */
export const generic: InvokeFormat = {
  decode(body, modelId, model) {
    const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (!b) throw validation('Malformed input request: #: expected a JSON object, please reformat your input and try again.');
    return pick(b, model.kind).decode(body, modelId, model);
  },
};

function pick(b: Record<string, unknown>, kind: ModelKind): InvokeFormat {
  // Titan Image Generator's body is the one image format Quarry speaks, whatever the image model.
  if (kind === 'image') return titanImage;
  if (kind === 'embedding') return 'texts' in b ? cohereEmbed : titanEmbed;
  if ('anthropic_version' in b) return anthropicMessages;
  if ('schemaVersion' in b || 'inferenceConfig' in b) return novaMessages;
  if ('messages' in b) return looksConverseShaped(b.messages) ? novaMessages : anthropicMessages;
  if ('prompt' in b) return 'max_tokens' in b || 'stop' in b || 'top_k' in b ? mistralText : metaLlama;
  if ('inputText' in b) return titanText;
  throw validation(
    `Malformed input request: the body of an InvokeModel call to a generic model must be one of the Bedrock text formats — Anthropic Messages ` +
      `{anthropic_version, max_tokens, messages}, Nova {messages, inferenceConfig}, Meta Llama {prompt}, Mistral {prompt, max_tokens} or ` +
      `Titan {inputText} — but it has the keys [${Object.keys(b).join(', ')}].`,
  );
}

/** Converse/Nova content blocks are keyed by kind (`{text}`); Anthropic's carry a `type`, or are a plain string. */
function looksConverseShaped(messages: unknown): boolean {
  if (!Array.isArray(messages)) return false;
  return messages.some((m) => Array.isArray(m?.content) && m.content.some((c: unknown) => c && typeof c === 'object' && !('type' in c)));
}
