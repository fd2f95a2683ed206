import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { EmbeddingFolder } from './describe-embedding-folder.js';

// transformers.js keeps its settings in one global `env`, and reads `localModelPath` while a model loads. Loads are
// therefore run one at a time, each setting the path it needs, so two providers with different folders cannot mix.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Builds a `feature-extraction` pipeline over `<dir>/<folder>` with every remote path closed: `allowRemoteModels`
 * false and `local_files_only` so a missing file is an error instead of a download from the Hub, and the file cache
 * off so a stale copy under node_modules can never shadow the folder's own files.
 */
export function loadFeatureExtractor(dir: string, f: EmbeddingFolder): Promise<FeatureExtractionPipeline> {
  const run = async () => {
    const { env, pipeline } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    env.useBrowserCache = false;
    // transformers.js joins paths with '/', on every platform.
    env.localModelPath = dir.endsWith('/') ? dir : `${dir}/`;
    return (await pipeline('feature-extraction', f.folder, {
      dtype: f.dtype,
      device: 'cpu',
      local_files_only: true,
    })) as FeatureExtractionPipeline;
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}
