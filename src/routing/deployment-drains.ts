import { type Logger, notFound } from '../core/index.js';
import type { DrainOverride, DrainStore } from './drain-store.js';

/** What drains need of the router (`Router` fits). */
export interface DrainTarget {
  knowsDeployment(id: string): Promise<boolean>;
  setDrainOverrides(overrides: ReadonlyMap<string, boolean>): void;
}

export interface DeploymentDrainsOptions {
  store: Pick<DrainStore, 'all' | 'put' | 'delete'>;
  router: DrainTarget;
  /** How often the stored overrides are re-read (`routing.drainRefreshMs`). */
  refreshMs: number;
  log: Logger;
}

/**
 * Operators' runtime drains and restores: stored, so they survive a restart and reach every replica, and applied to
 * this replica's router. Each replica re-reads the (tiny) table every `refreshMs` rather than listening on Redis
 * pub/sub: the store has to hold the overrides anyway for restarts, a poll needs no Redis (SQLite and single
 * PostgreSQL deployments have none), and a replica that missed a message while reconnecting would need the poll
 * regardless. The replica that takes the call applies it before answering, so the caller sees it at once.
 */
export class DeploymentDrains {
  private latest: DrainOverride[] = [];
  // Reads run one after another, so a read begun before a change cannot be applied after the read that follows it.
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: DeploymentDrainsOptions) {}

  /** Applies what is stored now, then keeps re-reading it. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err) => this.o.log.warn({ err }, 'deployment drains could not be re-read; the last ones read stay in force'));
    }, this.o.refreshMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The overrides as last read from the store. */
  list(): readonly DrainOverride[] {
    return this.latest;
  }

  /** Drains (`true`) or restores (`false`) a deployment for every replica; an id routing does not know is a 404. */
  async set(deploymentId: string, drained: boolean, by: string): Promise<DrainOverride> {
    if (!(await this.o.router.knowsDeployment(deploymentId))) throw notFound(`Deployment ${deploymentId} not found.`);
    const saved = await this.o.store.put(deploymentId, drained, by);
    await this.refresh();
    this.o.log.info({ deployment: deploymentId, drained, by }, drained ? 'deployment drained' : 'deployment restored');
    return saved;
  }

  /**
   * Forgets the operator's decision: the configuration's `drained` applies again. It works for a deployment routing no
   * longer has (its configuration changed since), as the stored row outlives it; with no decision stored it is a 404.
   */
  async reset(deploymentId: string, by: string): Promise<void> {
    if (!(await this.o.store.delete(deploymentId))) throw notFound(`Deployment ${deploymentId} has no drain or restore to reset.`);
    await this.refresh();
    this.o.log.info({ deployment: deploymentId, by }, 'deployment drain override reset to the configuration');
  }

  refresh(): Promise<void> {
    const next = this.chain.then(async () => {
      const rows = await this.o.store.all();
      this.latest = rows;
      this.o.router.setDrainOverrides(new Map(rows.map((r) => [r.deploymentId, r.drained])));
    });
    // A failed read must not stop the next one.
    this.chain = next.catch(() => undefined);
    return next;
  }
}
