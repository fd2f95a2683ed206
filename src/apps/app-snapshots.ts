import type { Kysely } from 'kysely';
import { QuarryError } from '../core/index.js';
import type { Database } from '../store/index.js';
import { newAppId } from './app-ids.js';
import type { AppRecord } from './app-repository.js';
import type { AppRun } from './app-runner.js';
import type { Widget } from './app-schemas.js';
import type { AppSnapshotsTable, AppTables } from './app-tables.js';
import { hashLinkToken, isLinkToken, newLinkToken } from './share-token.js';

/** Runs kept per app to choose a snapshot from: the builder only ever offers the one just made. */
export const RECENT_RUNS_PER_APP = 20;
export const MAX_SNAPSHOTS_PER_APP = 100;

export interface AppSnapshot {
  snapshotId: string;
  appId: string;
  appName: string;
  appDescription: string;
  widgets: Widget[];
  run: AppRun;
  createdAt: string;
}

export interface NewAppSnapshot extends AppSnapshot {
  /** Shown once: only its hash is kept. */
  token: string;
}

const snapshotOf = (row: AppSnapshotsTable): AppSnapshot => ({
  snapshotId: row.id,
  appId: row.app_id,
  appName: row.app_name,
  appDescription: row.app_description,
  widgets: JSON.parse(row.widgets) as Widget[],
  run: JSON.parse(row.run) as AppRun,
  createdAt: row.created_at,
});

/**
 * Snapshots: one run of an app (its inputs, every output, tokens and cost) frozen with the app's widgets as they were,
 * readable by link. The run is one the server itself recorded — a client names it by id and cannot make one up.
 * Deleting a snapshot is how its link is revoked.
 */
export class AppSnapshots {
  private readonly db: Kysely<AppTables>;
  constructor(db: Database) {
    this.db = db.withTables<AppTables>();
  }

  /** Keeps a finished run (and drops the app's older ones past RECENT_RUNS_PER_APP); returns its id. */
  async recordRun(scope: string, appId: string, inputs: Record<string, string>, run: AppRun): Promise<string> {
    const id = newAppId();
    await this.db
      .insertInto('app_runs')
      .values({ id, scope, app_id: appId, inputs: JSON.stringify(inputs), run: JSON.stringify(run), created_at: new Date().toISOString() })
      .execute();
    const old = await this.db
      .selectFrom('app_runs')
      .select('id')
      .where('scope', '=', scope)
      .where('app_id', '=', appId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(RECENT_RUNS_PER_APP)
      .limit(1000)
      .execute();
    if (old.length) await this.db.deleteFrom('app_runs').where('id', 'in', old.map((r) => r.id)).execute();
    return id;
  }

  async create(scope: string, app: AppRecord, runId: string): Promise<NewAppSnapshot> {
    const run = await this.db.selectFrom('app_runs').selectAll().where('scope', '=', scope).where('app_id', '=', app.id).where('id', '=', runId).executeTakeFirst();
    if (!run) throw new QuarryError('ResourceNotFoundException', `Run ${runId.slice(0, 64)} of app ${app.id} was not found (only the last ${RECENT_RUNS_PER_APP} runs are kept).`);
    const n = await this.db.selectFrom('app_snapshots').select((eb) => eb.fn.countAll<number>().as('n')).where('scope', '=', scope).where('app_id', '=', app.id).executeTakeFirstOrThrow();
    if (Number(n.n) >= MAX_SNAPSHOTS_PER_APP) throw new QuarryError('ServiceQuotaExceededException', `The app already has ${MAX_SNAPSHOTS_PER_APP} snapshots; delete one first.`);
    const token = newLinkToken('qs');
    const row: AppSnapshotsTable = {
      id: newAppId(),
      scope,
      app_id: app.id,
      token_hash: hashLinkToken(token),
      app_name: app.name,
      app_description: app.description,
      widgets: JSON.stringify(app.widgets),
      run: run.run,
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('app_snapshots').values(row).execute();
    return { ...snapshotOf(row), token };
  }

  async list(scope: string, appId: string): Promise<AppSnapshot[]> {
    const rows = await this.db.selectFrom('app_snapshots').selectAll().where('scope', '=', scope).where('app_id', '=', appId).orderBy('created_at', 'desc').orderBy('id').limit(MAX_SNAPSHOTS_PER_APP).execute();
    return rows.map(snapshotOf);
  }

  async delete(scope: string, appId: string, snapshotId: string): Promise<void> {
    const r = await this.db.deleteFrom('app_snapshots').where('scope', '=', scope).where('app_id', '=', appId).where('id', '=', snapshotId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new QuarryError('ResourceNotFoundException', `Snapshot ${snapshotId.slice(0, 64)} of app ${appId} was not found.`);
  }

  /** The app's runs and snapshots go with it. */
  async deleteAll(scope: string, appId: string): Promise<void> {
    await this.db.deleteFrom('app_runs').where('scope', '=', scope).where('app_id', '=', appId).execute();
    await this.db.deleteFrom('app_snapshots').where('scope', '=', scope).where('app_id', '=', appId).execute();
  }

  async open(token: string): Promise<AppSnapshot> {
    const row = isLinkToken('qs', token) ? await this.db.selectFrom('app_snapshots').selectAll().where('token_hash', '=', hashLinkToken(token)).executeTakeFirst() : undefined;
    if (!row) throw new QuarryError('ResourceNotFoundException', 'This snapshot link does not exist, or its owner deleted the snapshot.');
    return snapshotOf(row);
  }
}
