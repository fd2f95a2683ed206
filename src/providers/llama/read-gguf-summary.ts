import { stat } from 'node:fs/promises';
import { readGgufFileInfo } from 'node-llama-cpp';

/** What discovery needs from a GGUF header. */
export interface GgufSummary {
  architecture: string;
  name?: string;
  trainedContext?: number;
  /** Encoders and pooled (embedding / reranking) models cannot chat. */
  embeddingOnly: boolean;
}

// Archs llama.cpp only runs as encoders; everything else generates unless its header asks for pooled output.
const ENCODER_ARCHS = new Set(['bert', 'nomic-bert', 'nomic-bert-moe', 'jina-bert-v2', 'neo-bert', 'modern-bert', 't5encoder']);
const POOLED = new Set([1, 2, 3, 4]); // mean, cls, last, rank

// Headers of big models carry vocabularies of 100k+ strings; parsing them on every catalog listing would be wasteful.
const cache = new Map<string, { key: string; summary: Promise<GgufSummary> }>();

export async function readGgufSummary(path: string): Promise<GgufSummary> {
  const s = await stat(path);
  const key = `${s.size}:${s.mtimeMs}`;
  const hit = cache.get(path);
  if (hit?.key === key) return hit.summary;
  const summary = parse(path);
  cache.set(path, { key, summary });
  summary.catch(() => cache.delete(path));
  return summary;
}

async function parse(path: string): Promise<GgufSummary> {
  const info = await readGgufFileInfo(path, { readTensorInfo: false, logWarnings: false, sourceType: 'filesystem' });
  const arch = String(info.metadata.general?.architecture ?? 'unknown');
  const archMeta = info.architectureMetadata as { context_length?: number; pooling_type?: number };
  return {
    architecture: arch,
    name: typeof info.metadata.general?.name === 'string' ? info.metadata.general.name : undefined,
    trainedContext: typeof archMeta.context_length === 'number' ? archMeta.context_length : undefined,
    embeddingOnly: ENCODER_ARCHS.has(arch) || POOLED.has(Number(archMeta.pooling_type)),
  };
}
