import { QuarryError } from '../../core/index.js';
import { parseModelId } from '../../models/index.js';
import type { SpendForecast } from '../explorer/index.js';
import {
  type Budget,
  type BudgetScope,
  type BudgetScopeInput,
  type BudgetThreshold,
  budgetActionProblem,
  type CreateBudgetBody,
  DEFAULT_THRESHOLDS,
  type UpdateBudgetBody,
} from './budget.js';
import type { BudgetAdmission } from './budget-admission.js';
import type { BudgetPriceLookup } from './budget-admission-port.js';
import type { BudgetRepository } from './budget-repository.js';
import { splitTag } from './budget-scope.js';
import type { SpendSource } from './budget-tracker.js';

/** The IAM lookups a scope needs (iam/'s IamStore provides them); both throw ResourceNotFoundException. */
export interface BudgetDirectory {
  /** The principal id of a user in the account. */
  userId(accountId: string, userName: string): Promise<string>;
  /** Refuses a key that is not in the account. */
  checkKey(accountId: string, keyId: string): Promise<void>;
}

/**
 * Budgets an account may have: each is a counter in every replica's memory and a query at every sync, so a caller
 * allowed to create them must not be able to create without end.
 */
export const MAX_BUDGETS_PER_ACCOUNT = 500;

export interface BudgetServiceDeps {
  repo: BudgetRepository;
  admission: BudgetAdmission;
  source: SpendSource;
  directory: BudgetDirectory;
  prices: BudgetPriceLookup;
}

export interface BudgetStatus {
  periodStart: string;
  periodEnd: string;
  actualUsd: number;
  /** Worst-case cost of invocations admitted and still running on this replica. */
  reservedUsd: number;
  percentUsed: number;
  exceeded: boolean;
  /** Thresholds already alerted this period (`ACTUAL:80`). */
  alerted: string[];
  forecast?: SpendForecast;
}

export interface BudgetView {
  name: string;
  arn: string;
  accountId: string;
  amountUsd: number;
  period: Budget['period'];
  scope: BudgetScopeInput;
  thresholds: BudgetThreshold[];
  webhookUrl: string | null;
  action: Budget['action'];
  routeModelId: string | null;
  createdAt: string;
  updatedAt: string;
  status?: BudgetStatus;
}

/** Budget management: scopes resolved and checked against the account, and the admission step told of every change. */
export class BudgetService {
  constructor(private readonly d: BudgetServiceDeps) {}

  async list(accountId: string, withStatus = false): Promise<BudgetView[]> {
    const budgets = await this.d.repo.list(accountId);
    return Promise.all(budgets.map(async (b) => this.view(b, withStatus ? await this.status(b, false) : undefined)));
  }

  async get(accountId: string, name: string): Promise<BudgetView> {
    const b = await this.d.repo.get(accountId, name);
    return this.view(b, await this.status(b, true));
  }

  /** The stored budget, for routes that authorize on it before acting. */
  find(accountId: string, name: string): Promise<Budget> {
    return this.d.repo.get(accountId, name);
  }

  async create(accountId: string, body: CreateBudgetBody): Promise<BudgetView> {
    if ((await this.d.repo.count(accountId)) >= MAX_BUDGETS_PER_ACCOUNT) {
      throw new QuarryError('ServiceQuotaExceededException', `An account may have at most ${MAX_BUDGETS_PER_ACCOUNT} budgets; delete one first.`);
    }
    await this.checkRoute(body.routeModelId);
    const b = await this.d.repo.create({
      accountId,
      name: body.name,
      amountUsd: body.amountUsd,
      period: body.period,
      scope: await this.resolveScope(accountId, body.scope),
      thresholds: body.thresholds ?? DEFAULT_THRESHOLDS,
      webhookUrl: body.webhookUrl ?? undefined,
      action: body.action,
      routeModelId: body.routeModelId ?? undefined,
    });
    await this.d.admission.reload();
    return this.view(b);
  }

  async update(accountId: string, name: string, body: UpdateBudgetBody): Promise<BudgetView> {
    const old = await this.d.repo.get(accountId, name);
    const action = body.action ?? old.action;
    // Switching away from ROUTE drops the model unless one is given (which the check then refuses).
    const routeModelId = body.routeModelId !== undefined ? body.routeModelId : action === 'ROUTE' ? (old.routeModelId ?? null) : null;
    const problem = budgetActionProblem(action, routeModelId);
    if (problem) throw new QuarryError('ValidationException', `1 validation error(s) in the UpdateBudget request: ${problem}`);
    await this.checkRoute(body.routeModelId);
    const b = await this.d.repo.update(old, {
      accountId,
      name,
      amountUsd: body.amountUsd ?? old.amountUsd,
      period: body.period ?? old.period,
      scope: body.scope ? await this.resolveScope(accountId, body.scope) : old.scope,
      thresholds: body.thresholds ?? old.thresholds,
      webhookUrl: body.webhookUrl === undefined ? old.webhookUrl : (body.webhookUrl ?? undefined),
      action,
      routeModelId: routeModelId ?? undefined,
    });
    await this.d.admission.reload();
    return this.view(b);
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.d.repo.delete(await this.d.repo.get(accountId, name));
    await this.d.admission.reload();
  }

  async alerts(accountId: string, name: string) {
    const b = await this.d.repo.get(accountId, name);
    return (await this.d.repo.alerts(b.id)).map((a) => ({ periodStart: a.period_start, threshold: a.threshold, firedAt: a.fired_at, spendUsd: a.spend_usd, delivery: a.delivery }));
  }

  arnOf(accountId: string, name: string): string {
    return this.d.admission.arnOf({ accountId, name });
  }

  private async status(b: Budget, forecast: boolean): Promise<BudgetStatus> {
    const s = await this.d.admission.spend(b);
    return {
      periodStart: s.periodStart.toISOString(),
      periodEnd: s.periodEnd.toISOString(),
      actualUsd: s.spent,
      reservedUsd: s.reserved,
      percentUsed: b.amountUsd > 0 ? (100 * s.spent) / b.amountUsd : 0,
      exceeded: s.spent + s.reserved >= b.amountUsd,
      alerted: s.fired.sort(),
      ...(forecast ? { forecast: await this.d.source.forecast(b, { start: s.periodStart, end: s.periodEnd }, new Date()) } : {}),
    };
  }

  private async checkRoute(modelId: string | null | undefined): Promise<void> {
    if (modelId && !(await this.d.prices(modelId))) {
      throw new QuarryError('ValidationException', `routeModelId: no model ${modelId} is available on this server to route to.`);
    }
  }

  private async resolveScope(accountId: string, s: BudgetScopeInput): Promise<BudgetScope> {
    switch (s.type) {
      case 'account':
        return { type: 'account', value: '', label: '' };
      case 'key':
        await this.d.directory.checkKey(accountId, s.keyId);
        return { type: 'key', value: s.keyId, label: s.keyId };
      case 'user':
        return { type: 'user', value: await this.d.directory.userId(accountId, s.userName), label: s.userName };
      case 'model': {
        // Counted under the id usage records carry: without ARN, escapes or a geography prefix's profile.
        const id = parseModelId(s.modelId).id;
        return { type: 'model', value: id, label: id };
      }
      case 'tag':
        return { type: 'tag', value: `${s.key}=${s.value}`, label: `${s.key}=${s.value}` };
      default: {
        const never: never = s;
        throw new Error(`unknown budget scope ${JSON.stringify(never)}`);
      }
    }
  }

  private view(b: Budget, status?: BudgetStatus): BudgetView {
    return {
      name: b.name,
      arn: this.d.admission.arnOf(b),
      accountId: b.accountId,
      amountUsd: b.amountUsd,
      period: b.period,
      scope: scopeInput(b.scope),
      thresholds: b.thresholds,
      webhookUrl: b.webhookUrl ?? null,
      action: b.action,
      routeModelId: b.routeModelId ?? null,
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
      ...(status ? { status } : {}),
    };
  }
}

function scopeInput(s: BudgetScope): BudgetScopeInput {
  switch (s.type) {
    case 'account':
      return { type: 'account' };
    case 'key':
      return { type: 'key', keyId: s.value };
    case 'user':
      return { type: 'user', userName: s.label };
    case 'model':
      return { type: 'model', modelId: s.value };
    case 'tag':
      return { type: 'tag', ...splitTag(s.value) };
    default: {
      const never: never = s.type;
      throw new Error(`unknown budget scope ${String(never)}`);
    }
  }
}
