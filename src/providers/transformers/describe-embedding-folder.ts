import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What loading a model folder needs to know, read from its files without loading the weights. */
export interface EmbeddingFolder {
  folder: string;
  path: string;
  /** transformers.js dtype, chosen by which ONNX export is present. */
  dtype: OnnxDtype;
  onnxFile: string;
  dimensions?: number;
  /** Longest input in tokens (special tokens included), from the tokenizer and the position table. */
  maxTokens?: number;
}

export type OnnxDtype = 'fp32' | 'q8' | 'fp16' | 'int8' | 'uint8' | 'q4' | 'bnb4' | 'q4f16';

// File names transformers.js derives from each dtype, in the order we prefer them: full precision first.
const ONNX_FILES: Array<[string, OnnxDtype]> = [
  ['model.onnx', 'fp32'],
  ['model_quantized.onnx', 'q8'],
  ['model_fp16.onnx', 'fp16'],
  ['model_int8.onnx', 'int8'],
  ['model_uint8.onnx', 'uint8'],
  ['model_q4.onnx', 'q4'],
  ['model_bnb4.onnx', 'bnb4'],
  ['model_q4f16.onnx', 'q4f16'],
];

// transformers.js resolves a model name against `env.localModelPath` only when it looks like a Hub repo id; anything
// else it treats as a path relative to the working directory. Folders are held to the same rule.
const FOLDER_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;

export function isUsableFolderName(name: string): boolean {
  return FOLDER_NAME.test(name) && !name.includes('..') && !name.includes('--');
}

/** Reads `<dir>/<folder>`; returns why it is not a usable model instead of throwing, so junk folders never break a scan. */
export async function describeEmbeddingFolder(dir: string, folder: string): Promise<EmbeddingFolder | { reason: string }> {
  if (!isUsableFolderName(folder)) {
    return { reason: 'the folder name must be letters, digits, ".", "_" or "-" (no "..", "--" or leading dot); rename it' };
  }
  const path = join(dir, folder);
  if (!(await stat(path).catch(() => undefined))?.isDirectory()) return { reason: 'not a folder' };
  const config = await readJson(join(path, 'config.json'));
  if ('reason' in config) return { reason: `config.json: ${config.reason}` };
  if (typeof config.value.model_type !== 'string') return { reason: 'config.json has no model_type' };
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) {
    if (!(await stat(join(path, f)).catch(() => undefined))?.isFile()) return { reason: `${f} is missing` };
  }
  const tokenizerConfig = await readJson(join(path, 'tokenizer_config.json'));
  if ('reason' in tokenizerConfig) return { reason: `tokenizer_config.json: ${tokenizerConfig.reason}` };
  const onnxNames = new Set(await readdir(join(path, 'onnx')).catch(() => [] as string[]));
  const found = ONNX_FILES.find(([f]) => onnxNames.has(f));
  if (!found) return { reason: `no ONNX export: expected onnx/model.onnx (or ${ONNX_FILES.slice(1).map(([f]) => f).join(', ')})` };
  const c = config.value;
  const dimensions = firstPositiveInt(c.sentence_embedding_dimension, c.hidden_size, c.d_model, c.dim, c.n_embd);
  // Tokenizers without a limit store a huge sentinel (1e30) in model_max_length; the position table is the real bound.
  const maxTokens = minDefined(
    firstPositiveInt(tokenizerConfig.value.model_max_length),
    firstPositiveInt(c.max_position_embeddings, c.n_positions),
  );
  return { folder, path, dtype: found[1], onnxFile: `onnx/${found[0]}`, dimensions, maxTokens };
}

async function readJson(path: string): Promise<{ value: Record<string, unknown> } | { reason: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { reason: (e as { code?: string }).code === 'ENOENT' ? 'missing' : `unreadable (${String(e)})` };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: 'not a JSON object' };
    return { value: value as Record<string, unknown> };
  } catch {
    return { reason: 'not valid JSON' };
  }
}

function firstPositiveInt(...values: unknown[]): number | undefined {
  for (const v of values) if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v < 1e7) return v;
  return undefined;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
