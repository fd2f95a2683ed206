import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { DrainTables } from './drain-tables.js';

/** An operator's runtime decision about one deployment. */
export interface DrainOverride {
  deploymentId: string;
  drained: boolean;
  updatedBy: string;
  updatedAt: string;
}

/** Operators' drains and restores as data, shared by every replica on the store. */
export class DrainStore {
  private readonly db: Kysely<DrainTables>;

  constructor(
    db: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.db = db.withTables<DrainTables>();
  }

  async all(): Promise<DrainOverride[]> {
    const rows = await this.db.selectFrom('deployment_drains').selectAll().orderBy('deployment_id').execute();
    return rows.map((r) => ({ deploymentId: r.deployment_id, drained: Number(r.drained) === 1, updatedBy: r.updated_by, updatedAt: r.updated_at }));
  }

  /** Creates or replaces the override for one deployment. */
  async put(deploymentId: string, drained: boolean, updatedBy: string): Promise<DrainOverride> {
    const updatedAt = new Date(this.now()).toISOString();
    const values = { drained: drained ? 1 : 0, updated_by: updatedBy, updated_at: updatedAt };
    await this.db
      .insertInto('deployment_drains')
      .values({ deployment_id: deploymentId, ...values })
      .onConflict((oc) => oc.column('deployment_id').doUpdateSet(values))
      .execute();
    return { deploymentId, drained, updatedBy, updatedAt };
  }

  /** Removes the override, so the configuration's `drained` decides again; false when there was none. */
  async delete(deploymentId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('deployment_drains').where('deployment_id', '=', deploymentId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
