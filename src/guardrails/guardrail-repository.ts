import { QuarryError } from '../core/errors.js';
import { type Database, isUniqueViolation } from '../store/index.js';
import { DRAFT, guardrailNotFound, newGuardrailId } from './guardrail-ids.js';
import type { GuardrailConfig } from './guardrail-request-schema.js';
import type { GuardrailsTable, GuardrailTables, GuardrailVersionsTable } from './guardrail-tables.js';

export interface NewGuardrail {
  name: string;
  description: string | null;
  kmsKeyId: string | null;
  tags: { key: string; value: string }[];
  config: GuardrailConfig;
}

export type DraftChange = Omit<NewGuardrail, 'tags'>;

/** Guardrail rows, always read and written within one scope (account). */
export class GuardrailRepository {
  private readonly db;

  constructor(db: Database) {
    this.db = db.withTables<GuardrailTables>();
  }

  async insert(scope: string, g: NewGuardrail): Promise<GuardrailVersionsTable> {
    const now = new Date().toISOString();
    const id = newGuardrailId();
    const draft: GuardrailVersionsTable = {
      guardrail_id: id,
      scope,
      version: DRAFT,
      version_number: 0,
      name: g.name,
      description: g.description,
      config: JSON.stringify(g.config),
      revision: 1,
      status: 'READY',
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('guardrails')
          .values({ id, scope, name: g.name, kms_key_id: g.kmsKeyId, tags: JSON.stringify(g.tags), next_version: 1, created_at: now, updated_at: now })
          .execute();
        await tx.insertInto('guardrail_versions').values(draft).execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(g.name);
      throw e;
    }
    return draft;
  }

  async guardrail(scope: string, id: string): Promise<GuardrailsTable> {
    const row = await this.db.selectFrom('guardrails').selectAll().where('scope', '=', scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw guardrailNotFound(id);
    return row;
  }

  async version(scope: string, id: string, version: string): Promise<GuardrailVersionsTable> {
    const row = await this.db
      .selectFrom('guardrail_versions')
      .selectAll()
      .where('scope', '=', scope)
      .where('guardrail_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw guardrailNotFound(id, version);
    return row;
  }

  /** The revision of a version, or undefined once it is gone: how a cached compilation checks it is still current. */
  async revision(scope: string, id: string, version: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('guardrail_versions')
      .select('revision')
      .where('scope', '=', scope)
      .where('guardrail_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row?.revision;
  }

  /** Every guardrail's DRAFT, by id, after `afterId`. */
  async listDrafts(scope: string, limit: number, afterId?: string): Promise<GuardrailVersionsTable[]> {
    let q = this.db.selectFrom('guardrail_versions').selectAll().where('scope', '=', scope).where('version', '=', DRAFT).orderBy('guardrail_id').limit(limit);
    if (afterId !== undefined) q = q.where('guardrail_id', '>', afterId);
    return q.execute();
  }

  /** One guardrail's DRAFT and versions, in number order (DRAFT first), after version number `after`. */
  async listVersions(scope: string, id: string, limit: number, after?: number): Promise<GuardrailVersionsTable[]> {
    let q = this.db
      .selectFrom('guardrail_versions')
      .selectAll()
      .where('scope', '=', scope)
      .where('guardrail_id', '=', id)
      .orderBy('version_number')
      .limit(limit);
    if (after !== undefined) q = q.where('version_number', '>', after);
    return q.execute();
  }

  /** Replaces the DRAFT's configuration; numbered versions are never written after creation. */
  async updateDraft(scope: string, id: string, change: DraftChange): Promise<GuardrailVersionsTable> {
    const now = new Date().toISOString();
    try {
      await this.db.transaction().execute(async (tx) => {
        const updated = await tx
          .updateTable('guardrails')
          .set({ name: change.name, kms_key_id: change.kmsKeyId, updated_at: now })
          .where('scope', '=', scope)
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw guardrailNotFound(id);
        await tx
          .updateTable('guardrail_versions')
          .set((eb) => ({
            name: change.name,
            description: change.description,
            config: JSON.stringify(change.config),
            revision: eb('revision', '+', 1),
            updated_at: now,
          }))
          .where('scope', '=', scope)
          .where('guardrail_id', '=', id)
          .where('version', '=', DRAFT)
          .execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(change.name);
      throw e;
    }
    return this.version(scope, id, DRAFT);
  }

  /** Snapshots the DRAFT as the next numbered version, in one transaction so two callers never get the same number. */
  async createVersion(scope: string, id: string, description: string | undefined): Promise<GuardrailVersionsTable> {
    return this.db.transaction().execute(async (tx) => {
      const bumped = await tx
        .updateTable('guardrails')
        .set((eb) => ({ next_version: eb('next_version', '+', 1) }))
        .where('scope', '=', scope)
        .where('id', '=', id)
        .returning('next_version')
        .executeTakeFirst();
      if (!bumped) throw guardrailNotFound(id);
      const draft = await tx
        .selectFrom('guardrail_versions')
        .selectAll()
        .where('scope', '=', scope)
        .where('guardrail_id', '=', id)
        .where('version', '=', DRAFT)
        .executeTakeFirstOrThrow();
      const number = bumped.next_version - 1;
      const now = new Date().toISOString();
      const row: GuardrailVersionsTable = {
        ...draft,
        version: String(number),
        version_number: number,
        description: description ?? draft.description,
        revision: 1,
        created_at: now,
        updated_at: now,
      };
      await tx.insertInto('guardrail_versions').values(row).execute();
      return row;
    });
  }

  async deleteGuardrail(scope: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('guardrail_versions').where('scope', '=', scope).where('guardrail_id', '=', id).execute();
      const r = await tx.deleteFrom('guardrails').where('scope', '=', scope).where('id', '=', id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw guardrailNotFound(id);
    });
  }

  async deleteVersion(scope: string, id: string, version: string): Promise<void> {
    const r = await this.db
      .deleteFrom('guardrail_versions')
      .where('scope', '=', scope)
      .where('guardrail_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw guardrailNotFound(id, version);
  }
}

const conflict = (name: string) => new QuarryError('ConflictException', `A guardrail named ${name} already exists.`);
