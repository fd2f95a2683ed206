import { join, resolve } from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
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
import { describeEmbeddingFolder, type EmbeddingFolder } from './describe-embedding-folder.js';
import { discoverEmbeddingModels } from './discover-embedding-models.js';
import { loadFeatureExtractor } from './load-feature-extractor.js';
import { parseTransformersOptions } from './transformers-options.js';

interface Loaded {
  pipe: FeatureExtractionPipeline;
  folder: EmbeddingFolder;
}

const FOLDER_HELP =
  'A model folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (or a quantized onnx/model_quantized.onnx), as exported for transformers.js: for example a copy of the Xenova/all-MiniLM-L6-v2 repository.';

/**
 * Sentence-embedding models exported to ONNX, one folder each under `<dataDir>/embeddings/`, run on onnxruntime-node
 * through transformers.js: mean pooling over the tokens, then L2 normalisation, as sentence-transformers does for the
 * common models. Outputs are therefore always unit vectors, whatever `normalize` asks.
 */
export const createTransformersEmbeddingsProvider: ProviderFactory = (settings) => {
  const options = parseTransformersOptions(settings.id, settings.options);
  const dir = resolve(options.dir ?? join(settings.dataDir, 'embeddings'));
  const loaded = new Map<string, Promise<Loaded>>();
  let closed = false;

  async function listModels(): Promise<ModelInfo[]> {
    // Scanned on every call: the folders are few and small to read, and a model copied in shows up without a restart.
    const { models } = await discoverEmbeddingModels(dir, settings.id);
    const configured = new Set(settings.models.map((m) => m.upstreamModel));
    return [...settings.models, ...models.filter((m) => !configured.has(m.upstreamModel))];
  }

  function load(model: ModelInfo): Promise<Loaded> {
    const key = model.upstreamModel;
    let p = loaded.get(key);
    if (!p) {
      p = (async () => {
        const described = await describeEmbeddingFolder(dir, key);
        if ('reason' in described) {
          throw new QuarryError('ResourceNotFoundException', `${model.id} has no usable model in ${join(dir, key)}: ${described.reason}. ${FOLDER_HELP}`);
        }
        try {
          return { pipe: await loadFeatureExtractor(dir, described), folder: described };
        } catch (e) {
          throw new QuarryError(
            'ModelErrorException',
            `The embedding model in ${described.path} could not load: ${e instanceof Error ? e.message : String(e)}. ${FOLDER_HELP}`,
            { cause: e },
          );
        }
      })();
      // A failed load is forgotten, so fixing the folder fixes the model without a restart.
      p.catch(() => loaded.delete(key));
      loaded.set(key, p);
    }
    return p;
  }

  async function embed(req: EmbedRequest & { model: ModelInfo }, opts: CallOptions): Promise<EmbedResult> {
    if (closed) throw new QuarryError('ServiceUnavailableException', `Provider ${settings.id} is closed.`);
    if (req.inputs.length === 0) throw validation('Provide at least one input text to embed.');
    if (req.inputs.some((t) => typeof t !== 'string')) throw validation('Every input must be a string.');
    throwIfAborted(opts.signal);
    const { pipe, folder } = await load(req.model);
    if (req.dimensions !== undefined && folder.dimensions !== undefined && req.dimensions !== folder.dimensions) {
      throw validation(`${req.model.id} returns ${folder.dimensions}-dimensional embeddings; it cannot return ${req.dimensions}.`);
    }
    // Exact: the model's own tokenizer, special tokens included, capped where truncation is allowed.
    const limit = folder.maxTokens;
    let inputTokens = 0;
    req.inputs.forEach((text, i) => {
      const n = pipe.tokenizer.encode(text).length;
      if (limit !== undefined && n > limit && !options.truncate) {
        throw validation(`Input ${i} is ${n} tokens; ${req.model.id} accepts at most ${limit}. Split the text into chunks.`);
      }
      inputTokens += limit === undefined ? n : Math.min(n, limit);
    });
    const embeddings: Float32Array[] = [];
    for (let i = 0; i < req.inputs.length; i += options.batchSize) {
      throwIfAborted(opts.signal);
      const out = await pipe(req.inputs.slice(i, i + options.batchSize), { pooling: 'mean', normalize: true });
      const [rows, dims] = out.dims;
      const data = out.data as Float32Array;
      for (let r = 0; r < rows; r++) embeddings.push(data.slice(r * dims, (r + 1) * dims));
      out.dispose();
    }
    const dims = embeddings[0]?.length;
    if (req.dimensions !== undefined && dims !== req.dimensions) {
      throw validation(`${req.model.id} returns ${dims}-dimensional embeddings; it cannot return ${req.dimensions}.`);
    }
    return { embeddings, inputTokens };
  }

  return {
    id: settings.id,
    type: settings.type,
    listModels,
    ...embeddingOnly,
    embed,
    async close() {
      closed = true;
      const all = await Promise.allSettled(loaded.values());
      loaded.clear();
      for (const r of all) if (r.status === 'fulfilled') await r.value.pipe.dispose().catch(() => undefined);
    },
  } satisfies ModelProvider;
};

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new QuarryError('ModelTimeoutException', 'The request was aborted before the embeddings were computed.', {
      cause: signal.reason,
    });
  }
}
