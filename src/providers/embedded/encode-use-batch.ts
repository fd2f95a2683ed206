import { QuarryError } from '../../core/index.js';
import type { UseRuntime } from './load-use-model.js';
import { USE_DIMENSIONS } from './use-model-info.js';

type Tensor = { data(): Promise<Float32Array>; dispose(): void };

/**
 * One forward pass over already-tokenized inputs. USE-lite takes the batch as a sparse matrix (`indices` = [row, col]
 * pairs, `values` = token ids) and infers the batch size from the largest row index, so every row must hold at least
 * one token or trailing rows silently vanish; callers reject empty inputs first.
 *
 * This mirrors `EmbeddingsModel.embed` but tokenizes once (the token count is needed for usage anyway) and reads the
 * output as one Float32Array instead of nested number arrays.
 */
export async function encodeUseBatch(rt: UseRuntime, encodings: number[][]): Promise<Float32Array[]> {
  let pairs = 0;
  for (const e of encodings) pairs += e.length;
  const indices = new Int32Array(pairs * 2);
  const values = new Int32Array(pairs);
  let k = 0;
  encodings.forEach((ids, row) => {
    ids.forEach((id, col) => {
      indices[2 * k] = row;
      indices[2 * k + 1] = col;
      values[k++] = id;
    });
  });
  const indicesT = rt.tf.tensor2d(indices, [pairs, 2], 'int32');
  const valuesT = rt.tf.tensor1d(values, 'int32');
  let out: Tensor | undefined;
  try {
    out = (await rt.model.model.executeAsync({ indices: indicesT, values: valuesT })) as unknown as Tensor;
    const data = await out.data();
    if (data.length !== encodings.length * USE_DIMENSIONS) {
      throw new QuarryError(
        'ModelErrorException',
        `The embedded encoder returned ${data.length} values for ${encodings.length} inputs of ${USE_DIMENSIONS} dimensions.`,
      );
    }
    // slice, not subarray: each vector owns its memory, so keeping one does not pin the whole batch.
    return encodings.map((_, i) => data.slice(i * USE_DIMENSIONS, (i + 1) * USE_DIMENSIONS));
  } finally {
    indicesT.dispose();
    valuesT.dispose();
    out?.dispose();
  }
}
