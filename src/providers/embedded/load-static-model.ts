import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QuarryError } from '../../core/index.js';
import { decodeStaticTable, type StaticEmbeddingTable } from './static-embedding-table.js';
import { STATIC_DIMENSIONS } from './static-model-info.js';
import { loadUseVocabulary, type UseVocabulary } from './use-vocabulary.js';

/** The static model: the encoder's vocabulary (to tokenize) and the table of vectors by piece. */
export interface StaticModel {
  vocabulary: UseVocabulary;
  table: StaticEmbeddingTable;
}

const WEIGHTS = fileURLToPath(new URL('./weights/static-use-v1.bin.gz', import.meta.url));

let loaded: StaticModel | undefined;

/**
 * Loads the table once per process (1.7 MB, tens of milliseconds). Refuses a table made for another vocabulary: its
 * rows would be read under the wrong pieces and every vector would be noise, silently.
 */
export function loadStaticModel(): StaticModel {
  if (loaded) return loaded;
  try {
    const vocabulary = loadUseVocabulary();
    const table = decodeStaticTable(readFileSync(WEIGHTS));
    if (table.vocabularySha256 !== vocabulary.sha256 || table.rows !== vocabulary.vocabulary.length) {
      throw new Error(`the table was made for another vocabulary (sha256 ${table.vocabularySha256.slice(0, 12)}…, installed ${vocabulary.sha256.slice(0, 12)}…); re-run scripts/train/distill-static-embeddings.ts`);
    }
    if (table.dims !== STATIC_DIMENSIONS) throw new Error(`the table has ${table.dims} dimensions, not ${STATIC_DIMENSIONS}`);
    loaded = { vocabulary, table };
    return loaded;
  } catch (e) {
    throw new QuarryError('InternalServerException', `The static embedding model could not load from ${WEIGHTS}: ${e instanceof Error ? e.message : String(e)}.`, {
      cause: e,
      retryable: false,
    });
  }
}
