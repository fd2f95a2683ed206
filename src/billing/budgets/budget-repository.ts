import { randomUUID } from 'node:crypto';
import { QuarryError } from '../../core/index.js';
import { type Database, isUniqueViolation } from '../../store/index.js';
import type { Budget, BudgetAction, BudgetPeriod, BudgetScope, BudgetScopeType, BudgetThreshold } from './budget.js';
import type { BudgetAlertsTable, BudgetsTable, BudgetTables } from './budget-tables.js';

/** A budget as stored, minus what the repository assigns. */
export type BudgetDefinition = Omit<Budget, 'id' | 'createdAt' | 'updatedAt'>;

/** Budgets per account (no query crosses accounts unless it says so), and the record of alerts already sent. */
export class BudgetRepository {
  private readonly db;

  constructor(
    db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.db = db.withTables<BudgetTables>();
  }

  async list(accountId: string): Promise<Budget[]> {
    const rows = await this.db.selectFrom('budgets').selectAll().where('account_id', '=', accountId).orderBy('name').execute();
    return rows.map(toBudget);
  }

  /** Every account's budgets: what the admission step indexes. */
  async all(): Promise<Budget[]> {
    return (await this.db.selectFrom('budgets').selectAll().orderBy('created_at').orderBy('id').execute()).map(toBudget);
  }

  async count(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('budgets').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async get(accountId: string, name: string): Promise<Budget> {
    const row = await this.db.selectFrom('budgets').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
    if (!row) throw new QuarryError('ResourceNotFoundException', `Budget ${name} was not found.`);
    return toBudget(row);
  }

  async create(def: BudgetDefinition): Promise<Budget> {
    const at = this.now().toISOString();
    const row: BudgetsTable = { id: randomUUID(), ...toColumns(def), created_at: at, updated_at: at };
    try {
      await this.db.insertInto('budgets').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `A budget named ${def.name} already exists.`);
      throw e;
    }
    return toBudget(row);
  }

  async update(existing: Budget, def: BudgetDefinition): Promise<Budget> {
    const { account_id: _a, name: _n, ...cols } = toColumns(def);
    const updated_at = this.now().toISOString();
    await this.db.updateTable('budgets').set({ ...cols, updated_at }).where('id', '=', existing.id).execute();
    return { ...def, id: existing.id, accountId: existing.accountId, name: existing.name, createdAt: existing.createdAt, updatedAt: updated_at };
  }

  async delete(budget: Budget): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('budget_alerts').where('budget_id', '=', budget.id).execute();
      await tx.deleteFrom('budgets').where('id', '=', budget.id).execute();
    });
  }

  /** Thresholds that fired in the period (on any replica, before any restart). */
  async firedAlerts(budgetId: string, periodStart: Date): Promise<Set<string>> {
    const rows = await this.db.selectFrom('budget_alerts').select('threshold').where('budget_id', '=', budgetId).where('period_start', '=', periodStart.toISOString()).execute();
    return new Set(rows.map((r) => r.threshold));
  }

  async alerts(budgetId: string, limit = 50): Promise<BudgetAlertsTable[]> {
    return this.db.selectFrom('budget_alerts').selectAll().where('budget_id', '=', budgetId).orderBy('fired_at', 'desc').limit(limit).execute();
  }

  /**
   * Claims an alert: true for the one caller (on whichever replica) that inserts the row, false when it is already
   * there. The primary key decides, so two replicas crossing a threshold at once send it once.
   */
  async claimAlert(a: Omit<BudgetAlertsTable, 'delivery'>): Promise<boolean> {
    try {
      await this.db
        .insertInto('budget_alerts')
        .values({ ...a, delivery: 'pending' })
        .execute();
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async noteDelivery(budgetId: string, periodStart: string, threshold: string, delivery: string): Promise<void> {
    await this.db
      .updateTable('budget_alerts')
      .set({ delivery: delivery.slice(0, 500) })
      .where('budget_id', '=', budgetId)
      .where('period_start', '=', periodStart)
      .where('threshold', '=', threshold)
      .execute();
  }
}

function toColumns(b: BudgetDefinition): Omit<BudgetsTable, 'id' | 'created_at' | 'updated_at'> {
  return {
    account_id: b.accountId,
    name: b.name,
    amount_usd: b.amountUsd,
    period: b.period,
    scope_type: b.scope.type,
    scope_value: b.scope.value,
    scope_label: b.scope.label,
    thresholds: JSON.stringify(b.thresholds),
    webhook_url: b.webhookUrl ?? null,
    action: b.action,
    route_model_id: b.routeModelId ?? null,
  };
}

function toBudget(r: BudgetsTable): Budget {
  const scope: BudgetScope = { type: r.scope_type as BudgetScopeType, value: r.scope_value, label: r.scope_label };
  return {
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    amountUsd: Number(r.amount_usd),
    period: r.period as BudgetPeriod,
    scope,
    thresholds: JSON.parse(r.thresholds) as BudgetThreshold[],
    ...(r.webhook_url ? { webhookUrl: r.webhook_url } : {}),
    action: r.action as BudgetAction,
    ...(r.route_model_id ? { routeModelId: r.route_model_id } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
