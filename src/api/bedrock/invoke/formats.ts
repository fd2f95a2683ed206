import type { ModelFamily } from '../../../core/index.js';
import { anthropicMessages } from './anthropic-messages.js';
import { cohereEmbed } from './cohere-embed.js';
import { generic } from './generic.js';
import type { InvokeFormat } from './invoke-format.js';
import { metaLlama } from './meta-llama.js';
import { mistralText } from './mistral-text.js';
import { novaMessages } from './nova-messages.js';
import { titanEmbed } from './titan-embed.js';
import { titanImage } from './titan-image.js';
import { titanText } from './titan-text.js';

/** Native body format per model family. `generic` models (local GGUF, OpenAI-compatible upstreams) take any of the text formats, told apart by shape. */
export const FORMATS: Record<ModelFamily, InvokeFormat> = {
  anthropic: anthropicMessages,
  meta: metaLlama,
  'amazon-titan-text': titanText,
  'amazon-titan-embed': titanEmbed,
  'amazon-titan-image': titanImage,
  'amazon-nova': novaMessages,
  mistral: mistralText,
  cohere: cohereEmbed,
  generic,
};
