import { readdir } from 'node:fs/promises';
import type { ModelInfo } from '../../core/index.js';
import { describeEmbeddingFolder, type EmbeddingFolder } from './describe-embedding-folder.js';
import { embeddingModelId } from './embedding-model-id.js';

export interface SkippedFolder {
  folder: string;
  reason: string;
}

export interface DiscoveredEmbeddingModels {
  models: ModelInfo[];
  /** Folders that are not usable models, with why: for the catalog and the log, not an error. */
  skipped: SkippedFolder[];
}

export function embeddingModelInfo(f: EmbeddingFolder, providerId: string, id = embeddingModelId(f.folder)): ModelInfo {
  return {
    id,
    name: f.folder,
    providerId,
    upstreamModel: f.folder,
    family: 'generic',
    kind: 'embedding',
    inputModalities: ['TEXT'],
    outputModalities: ['EMBEDDING'],
    contextWindow: f.maxTokens,
    embeddingDimensions: f.dimensions,
    runsOn: 'local',
    supportsTools: false,
    supportsStreaming: false,
  };
}

/** Every usable model folder directly in `dir`. A missing directory is an empty catalog, not an error. */
export async function discoverEmbeddingModels(dir: string, providerId: string): Promise<DiscoveredEmbeddingModels> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => d.name)
      .filter((n) => !n.startsWith('.'))
      .sort();
  } catch {
    return { models: [], skipped: [] };
  }
  const models: ModelInfo[] = [];
  const skipped: SkippedFolder[] = [];
  const ids = new Set<string>();
  for (const folder of names) {
    const described = await describeEmbeddingFolder(dir, folder);
    if ('reason' in described) {
      skipped.push({ folder, reason: described.reason });
      continue;
    }
    const info = embeddingModelInfo(described, providerId);
    // `MiniLM` and `minilm` map to one id; the first (in sorted order) wins so the catalog stays unambiguous.
    if (ids.has(info.id)) {
      skipped.push({ folder, reason: `its id ${info.id} is taken by another folder; rename one of them` });
      continue;
    }
    ids.add(info.id);
    models.push(info);
  }
  return { models, skipped };
}
