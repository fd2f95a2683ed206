import { validation } from '../core/errors.js';
import type { GuardrailEngine } from './engine/guardrail-engine.js';
import { DRAFT, guardrailArn, guardrailIdOf, parseGuardrailVersion } from './guardrail-ids.js';
import type { GuardrailRepository } from './guardrail-repository.js';
import { type CreateGuardrailInput, configOf, type UpdateGuardrailInput } from './guardrail-request-schema.js';
import type { GuardrailVersionsTable } from './guardrail-tables.js';
import { type GuardrailSummaryView, type GuardrailView, guardrailSummaryView, guardrailView } from './guardrail-views.js';

/**
 * Guardrails as Bedrock's control plane manages them: a DRAFT that UpdateGuardrail replaces, and numbered versions that
 * CreateGuardrailVersion snapshots and nothing changes afterwards. Every configuration is compiled before it is stored,
 * so a guardrail that was saved can always be applied; every change drops the engine's cached compilation.
 */
export class GuardrailService {
  constructor(
    private readonly repo: GuardrailRepository,
    private readonly engine: GuardrailEngine,
    private readonly region: string,
  ) {}

  async create(scope: string, input: CreateGuardrailInput) {
    const config = configOf(input);
    this.engine.compile(config);
    const row = await this.repo.insert(scope, {
      name: input.name,
      description: input.description ?? null,
      kmsKeyId: input.kmsKeyId ?? null,
      tags: input.tags ?? [],
      config,
    });
    return { guardrailId: row.guardrail_id, guardrailArn: this.arn(scope, row.guardrail_id), version: DRAFT, createdAt: row.created_at };
  }

  async update(scope: string, identifier: string, input: UpdateGuardrailInput) {
    const id = guardrailIdOf(identifier, scope);
    const config = configOf(input);
    this.engine.compile(config);
    const row = await this.repo.updateDraft(scope, id, { name: input.name, description: input.description ?? null, kmsKeyId: input.kmsKeyId ?? null, config });
    this.engine.invalidate(scope, id, DRAFT);
    return { guardrailId: id, guardrailArn: this.arn(scope, id), version: DRAFT, updatedAt: row.updated_at };
  }

  async createVersion(scope: string, identifier: string, description?: string) {
    const id = guardrailIdOf(identifier, scope);
    const row = await this.repo.createVersion(scope, id, description);
    return { guardrailId: id, version: row.version };
  }

  async get(scope: string, identifier: string, version?: string): Promise<GuardrailView> {
    const id = guardrailIdOf(identifier, scope);
    const v = parseGuardrailVersion(version);
    const guardrail = await this.repo.guardrail(scope, id);
    return guardrailView(this.region, guardrail, await this.repo.version(scope, id, v.version));
  }

  /** Without an identifier, every guardrail's DRAFT; with one, that guardrail's DRAFT and versions (as Bedrock lists). */
  async list(scope: string, identifier: string | undefined, limit: number, after?: string): Promise<{ rows: GuardrailVersionsTable[]; summaries: GuardrailSummaryView[] }> {
    let rows: GuardrailVersionsTable[];
    if (identifier === undefined) rows = await this.repo.listDrafts(scope, limit, after);
    else {
      const id = guardrailIdOf(identifier, scope);
      await this.repo.guardrail(scope, id);
      const from = after === undefined ? undefined : Number(after);
      if (from !== undefined && !Number.isInteger(from)) throw validation('nextToken is not a token this API returned.');
      rows = await this.repo.listVersions(scope, id, limit, from);
    }
    return { rows, summaries: rows.map((r) => guardrailSummaryView(this.region, r)) };
  }

  /** Without a version, the guardrail and all its versions; with one, that numbered version only. */
  async delete(scope: string, identifier: string, version?: string): Promise<void> {
    const id = guardrailIdOf(identifier, scope);
    if (version === undefined) {
      await this.repo.deleteGuardrail(scope, id);
      this.engine.invalidate(scope, id);
      return;
    }
    const v = parseGuardrailVersion(version);
    if (v.version === DRAFT) throw validation('The DRAFT cannot be deleted on its own; delete the guardrail (leave out guardrailVersion).');
    await this.repo.deleteVersion(scope, id, v.version);
    this.engine.invalidate(scope, id, v.version);
  }

  private arn(scope: string, id: string): string {
    return guardrailArn(this.region, scope, id);
  }
}
