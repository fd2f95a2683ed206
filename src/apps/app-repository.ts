import type { Kysely } from 'kysely';
import { QuarryError } from '../core/index.js';
import type { Database } from '../store/index.js';
import { isAppId, newAppId } from './app-ids.js';
import type { AppDefinition, AppGuardrail, Widget } from './app-schemas.js';
import type { AppsTable, AppTables } from './app-tables.js';

export interface AppRecord {
  id: string;
  accountId: string;
  name: string;
  description: string;
  widgets: Widget[];
  guardrail?: AppGuardrail;
  createdAt: string;
  updatedAt: string;
}

const notFound = (id: string) => new QuarryError('ResourceNotFoundException', `App ${id.slice(0, 64)} was not found.`);

function recordOf(row: AppsTable): AppRecord {
  return {
    id: row.id,
    accountId: row.scope,
    name: row.name,
    description: row.description,
    widgets: JSON.parse(row.widgets) as Widget[],
    ...(row.guardrail ? { guardrail: JSON.parse(row.guardrail) as AppGuardrail } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Apps, always read and written within one scope (account): another account's id is not found, never forbidden. */
export class AppRepository {
  private readonly db: Kysely<AppTables>;
  constructor(db: Database) {
    this.db = db.withTables<AppTables>();
  }

  async insert(scope: string, app: AppDefinition): Promise<AppRecord> {
    const now = new Date().toISOString();
    const row: AppsTable = {
      id: newAppId(),
      scope,
      name: app.name,
      description: app.description,
      widgets: JSON.stringify(app.widgets),
      guardrail: app.guardrail ? JSON.stringify(app.guardrail) : null,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('apps').values(row).execute();
    return recordOf(row);
  }

  async get(scope: string, id: string): Promise<AppRecord> {
    if (!isAppId(id)) throw notFound(id);
    const row = await this.db.selectFrom('apps').selectAll().where('scope', '=', scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return recordOf(row);
  }

  /** The most recently changed first, at most 1,000 (the builder lists them all on one page). */
  async list(scope: string): Promise<AppRecord[]> {
    const rows = await this.db.selectFrom('apps').selectAll().where('scope', '=', scope).orderBy('updated_at', 'desc').orderBy('id').limit(1000).execute();
    return rows.map(recordOf);
  }

  async update(scope: string, id: string, app: AppDefinition): Promise<AppRecord> {
    await this.get(scope, id);
    const updated_at = new Date().toISOString();
    await this.db
      .updateTable('apps')
      .set({ name: app.name, description: app.description, widgets: JSON.stringify(app.widgets), guardrail: app.guardrail ? JSON.stringify(app.guardrail) : null, updated_at })
      .where('scope', '=', scope)
      .where('id', '=', id)
      .execute();
    return this.get(scope, id);
  }

  async delete(scope: string, id: string): Promise<void> {
    await this.get(scope, id);
    await this.db.deleteFrom('apps').where('scope', '=', scope).where('id', '=', id).execute();
  }
}
