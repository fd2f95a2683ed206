import {
  type CallOptions,
  type EmbedRequest,
  type EmbedResult,
  type ModelInfo,
  type ModelProvider,
  type ProviderFactory,
  QuarryError,
  validation,
} from '../../core/index.js';
import { embeddingOnly } from '../shared/embedding-only.js';
import { embedStatic } from './embed-static.js';
import { parseEmbeddedOptions } from './embedded-options.js';
import { encodeUseBatch } from './encode-use-batch.js';
import { l2Normalize } from './l2-normalize.js';
import { loadStaticModel } from './load-static-model.js';
import { loadUseModel, type UseRuntime } from './load-use-model.js';
import { STATIC_DIMENSIONS, STATIC_UPSTREAM_MODEL, staticModelInfo } from './static-model-info.js';
import { tokenizeUse } from './tokenize-use.js';
import { USE_DIMENSIONS, USE_MAX_INPUT_TOKENS, useModelInfo } from './use-model-info.js';
import type { UseVocabulary } from './use-vocabulary.js';

// Forward passes run one at a time: the wasm backend computes on the main thread anyway, so queuing costs no throughput
// and keeps peak tensor memory at one batch.
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The embedding models bundled with the server, fully offline: Universal Sentence Encoder (lite, 512-d) on tfjs' wasm
 * backend, the default, and a static table distilled from it (256-d, static-model-info.ts). Models the configuration
 * routes here (e.g. an alias such as `amazon.titan-embed-text-v2:0`) are served by the encoder, or by the table when
 * their `upstreamModel` is `static-use-v1`.
 */
export const createEmbeddedEmbeddingsProvider: ProviderFactory = (settings) => {
  const options = parseEmbeddedOptions(settings.id, settings.options);
  const builtIn = [useModelInfo(settings.id), staticModelInfo(settings.id)];
  const configured = settings.models.filter((m) => !builtIn.some((b) => b.id === m.id));

  async function embed(req: EmbedRequest & { model: ModelInfo }, opts: CallOptions): Promise<EmbedResult> {
    if (req.inputs.length === 0) throw validation('Provide at least one input text to embed.');
    const isStatic = req.model.upstreamModel === STATIC_UPSTREAM_MODEL;
    const dims = isStatic ? STATIC_DIMENSIONS : USE_DIMENSIONS;
    if (req.dimensions !== undefined && req.dimensions !== dims) {
      throw validation(`${req.model.id} returns ${dims}-dimensional embeddings; it cannot return ${req.dimensions}.`);
    }
    throwIfAborted(opts.signal);
    if (isStatic) return embedStaticModel(req);
    const rt = await loadUseModel();
    const encodings = tokenize(rt.model.tokenizer, req.inputs, req.model.id);
    const embeddings: Float32Array[] = [];
    for (let i = 0; i < encodings.length; i += options.batchSize) {
      // A forward pass holds the thread (wasm); between passes let timers and sockets run, so a long request does not
      // stall every other request, or starve a background job's lease heartbeats until its lease lapses.
      if (i > 0) await new Promise((r) => setImmediate(r));
      throwIfAborted(opts.signal);
      embeddings.push(...(await serialized(() => encodeUseBatch(rt, encodings.slice(i, i + options.batchSize)))));
    }
    if (req.normalize) embeddings.forEach(l2Normalize);
    // Exact: the count of the encoder's own SentencePiece pieces, not an estimate.
    const inputTokens = encodings.reduce((n, e) => n + e.length, 0);
    return { embeddings, inputTokens };
  }

  return {
    id: settings.id,
    type: settings.type,
    listModels: async () => [...builtIn, ...configured],
    ...embeddingOnly,
    embed,
  } satisfies ModelProvider;
};

/**
 * The static table: the same pieces as the encoder, each text the mean of its pieces' rows, always of unit length (a
 * mean's length says only how many pieces agreed). Synchronous and cheap; the same vectors the guardrails use.
 */
function embedStaticModel(req: EmbedRequest & { model: ModelInfo }): EmbedResult {
  // The whole-text tokenizer validates each input and counts its tokens as the encoder would.
  const encodings = tokenize(loadStaticModel().vocabulary, req.inputs, req.model.id);
  return { embeddings: embedStatic(req.inputs), inputTokens: encodings.reduce((n, e) => n + e.length, 0) };
}

function tokenize(tokenizer: UseRuntime['model']['tokenizer'] | UseVocabulary, inputs: string[], modelId: string): number[][] {
  return inputs.map((text, i) => {
    if (typeof text !== 'string') throw validation(`Input ${i} is not a string.`);
    // No vocabulary piece is longer than 16 characters, so a longer text cannot fit the token limit: refuse it before
    // spending time on the tokenizer.
    if (text.length > USE_MAX_INPUT_TOKENS * 16) {
      throw validation(`Input ${i} is ${text.length} characters; ${modelId} accepts at most ${USE_MAX_INPUT_TOKENS} tokens. Split the text into chunks.`);
    }
    const ids = tokenizeUse(tokenizer, text);
    if (ids.length === 0) throw validation(`Input ${i} is empty; ${modelId} needs at least one character of text.`);
    if (ids.length > USE_MAX_INPUT_TOKENS) {
      throw validation(`Input ${i} is ${ids.length} tokens; ${modelId} accepts at most ${USE_MAX_INPUT_TOKENS}. Split the text into chunks.`);
    }
    return ids;
  });
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new QuarryError('ModelTimeoutException', 'The request was aborted before the embeddings were computed.', {
      cause: signal.reason,
    });
  }
}
