import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelInfo } from '../../core/index.js';
import { contextSizeFor, type LlamaOptions } from './llama-options.js';
import { localModelId } from './local-model-id.js';
import { readGgufSummary } from './read-gguf-summary.js';

export interface SkippedGguf {
  file: string;
  reason: string;
}

export interface DiscoveredModels {
  models: ModelInfo[];
  /** Files that look like models but cannot be served, with why: for the catalog and the log, not an error. */
  skipped: SkippedGguf[];
}

// Split models (`x-00001-of-00003.gguf`) load from their first part; the other parts are not models of their own.
const SPLIT_PART = /-(\d{5})-of-\d{5}\.gguf$/i;

/** Every servable `*.gguf` directly in `dir`. A missing directory is an empty catalog, not an error. */
export async function discoverGguf(dir: string, providerId: string, options: LlamaOptions): Promise<DiscoveredModels> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() || d.isSymbolicLink()).map((d) => d.name);
  } catch {
    return { models: [], skipped: [] };
  }
  const models: ModelInfo[] = [];
  const skipped: SkippedGguf[] = [];
  // Downloads in progress end in `.partial` (and anything else not `.gguf`), so the suffix test alone excludes them.
  for (const file of names.filter((n) => n.toLowerCase().endsWith('.gguf')).sort()) {
    const part = SPLIT_PART.exec(file);
    if (part && part[1] !== '00001') continue;
    const described = await describeGguf(join(dir, file), providerId, options);
    if ('reason' in described) skipped.push({ file, reason: described.reason });
    else models.push(described);
  }
  return { models, skipped };
}

/** The catalog entry for one GGUF file, or why it cannot be one. */
export async function describeGguf(
  path: string,
  providerId: string,
  options: LlamaOptions,
  id?: string,
): Promise<ModelInfo | { reason: string }> {
  const file = path.split(/[\\/]/).pop() ?? path;
  let summary: Awaited<ReturnType<typeof readGgufSummary>>;
  try {
    summary = await readGgufSummary(path);
  } catch (e) {
    return { reason: `not a readable GGUF file (${e instanceof Error ? e.message : String(e)})` };
  }
  if (summary.embeddingOnly) return { reason: `embedding-only model (${summary.architecture}); it cannot generate text` };
  return {
    id: id ?? localModelId(file.replace(SPLIT_PART, '.gguf')),
    name: summary.name ?? file.replace(/\.gguf$/i, ''),
    providerId,
    upstreamModel: path,
    family: 'generic',
    kind: 'text',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    // What this server will actually hold per request, not the trained maximum: the runtime can reject early and
    // honestly instead of the engine failing after admission.
    contextWindow: contextSizeFor(options, summary.trainedContext),
    runsOn: 'local',
    supportsTools: true,
    supportsStreaming: true,
  };
}
