import type { ModelFamily } from '../../../core/index.js';
import type { InvokeFormat } from './invoke-format.js';

/** Native body format per model family. `generic` models (local GGUF, OpenAI-compatible upstreams) take any of the text formats, told apart by shape. */
export const FORMATS: Partial<Record<ModelFamily, InvokeFormat>> = {};
