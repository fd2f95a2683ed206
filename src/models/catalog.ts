import { type ModelInfo, type ModelProvider, QuarryError } from '../core/index.js';
import { parseModelId } from './parse-model-id.js';

export interface ResolvedModel {
  model: ModelInfo;
  provider: ModelProvider;
}

// Discovery (a directory scan, an Ollama probe) is cheap but not free; a miss rescans at most this often.
const RESCAN_MS = 1_000;

/**
 * Every model every provider serves, by client-facing id. Lookups on the invocation path are a Map get; a miss
 * triggers one rescan (a GGUF just dropped into the models folder appears without a restart).
 */
export class ModelCatalog {
  private byId = new Map<string, ResolvedModel>();
  private lastScan = 0;
  private scanning: Promise<void> | undefined;

  constructor(
    private readonly providers: ModelProvider[],
    /** Said to the user when a model is missing: how to add one. */
    private readonly howToAdd: string,
  ) {}

  async refresh(): Promise<void> {
    this.scanning ??= (async () => {
      const next = new Map<string, ResolvedModel>();
      const lists = await Promise.all(
        this.providers.map(async (provider) => ({ provider, models: await provider.listModels().catch(() => [] as ModelInfo[]) })),
      );
      for (const { provider, models } of lists) {
        // First provider wins on a clash: configured providers come before discovered ones.
        for (const model of models) if (!next.has(model.id)) next.set(model.id, { model, provider });
      }
      this.byId = next;
      this.lastScan = Date.now();
    })().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  async list(): Promise<ModelInfo[]> {
    if (Date.now() - this.lastScan > RESCAN_MS) await this.refresh();
    return [...this.byId.values()].map((r) => r.model);
  }

  async resolve(rawId: string): Promise<ResolvedModel> {
    const { id, fallback } = parseModelId(rawId);
    let hit = this.byId.get(id) ?? (fallback ? this.byId.get(fallback) : undefined);
    if (!hit && Date.now() - this.lastScan > RESCAN_MS) {
      await this.refresh();
      hit = this.byId.get(id) ?? (fallback ? this.byId.get(fallback) : undefined);
    }
    if (hit) return hit;
    const known = [...this.byId.keys()];
    throw new QuarryError(
      'ResourceNotFoundException',
      `Model "${id}" is not available on this server. ${known.length ? `Available: ${known.slice(0, 20).join(', ')}.` : 'No models are available.'} ${this.howToAdd}`,
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.providers.map((p) => p.close?.()));
  }
}
