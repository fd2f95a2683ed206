import type { Logger } from '../core/index.js';
import type { ProvisionedRepository, ProvisionedRow } from './provisioned-repository.js';

/**
 * Every live provisioned throughput, in memory, so that the invocation path decides without a query. Each replica
 * re-reads the table every `syncMs` and at once after a change it made; a throughput another replica just created is
 * looked up in the store on first use rather than waited for.
 */
export class ProvisionedIndex {
  private byId = new Map<string, ProvisionedRow>();
  private unitsByModel = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private listeners: ((any: boolean) => void)[] = [];

  constructor(
    private readonly repo: ProvisionedRepository,
    private readonly log: Logger,
  ) {}

  async start(syncMs: number): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((e) => this.log.warn({ err: e }, 'provisioned throughput: reload failed; keeping the last index'));
    }, syncMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Called with whether any throughput exists after each reload (the admission step joins the pipeline only then). */
  onChange(f: (any: boolean) => void): void {
    this.listeners.push(f);
  }

  async reload(): Promise<void> {
    this.install(await this.repo.active());
  }

  get(id: string): ProvisionedRow | undefined {
    return this.byId.get(id);
  }

  /** The index's row, or the store's when this replica has not seen it yet (created elsewhere moments ago). */
  async find(scope: string, id: string): Promise<ProvisionedRow | undefined> {
    const known = this.byId.get(id);
    if (known) return known.scope === scope ? known : undefined;
    const row = await this.repo.get(scope, id);
    if (row) this.install([...this.byId.values(), row]);
    return row;
  }

  /** Model units provisioned on a model, all accounts together. */
  unitsOn(modelId: string): number {
    return this.unitsByModel.get(modelId) ?? 0;
  }

  get size(): number {
    return this.byId.size;
  }

  private install(rows: ProvisionedRow[]): void {
    const byId = new Map<string, ProvisionedRow>();
    const units = new Map<string, number>();
    for (const r of rows) {
      byId.set(r.id, r);
      units.set(r.model_id, (units.get(r.model_id) ?? 0) + r.model_units);
    }
    this.byId = byId;
    this.unitsByModel = units;
    for (const f of this.listeners) f(byId.size > 0);
  }
}
