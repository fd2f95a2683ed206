/** The budget form's fields and the request body they make. Pure, so the tests run it in Node. */

import type { Budget, BudgetScope } from './budget-terms.js';

export interface BudgetDraft {
  name: string;
  /** As typed; checked to be a number here, its range by the server. */
  amount: string;
  period: Budget['period'];
  scopeType: BudgetScope['type'];
  /** The key id, user name or model id, for those scopes. */
  scopeValue: string;
  tagKey: string;
  tagValue: string;
  action: Budget['action'];
  routeModelId: string;
}

export const NEW_BUDGET: BudgetDraft = { name: '', amount: '', period: 'MONTHLY', scopeType: 'account', scopeValue: '', tagKey: '', tagValue: '', action: 'NONE', routeModelId: '' };

export function draftOf(b: Budget): BudgetDraft {
  const s = b.scope;
  return {
    name: b.name,
    amount: String(b.amountUsd),
    period: b.period,
    scopeType: s.type,
    scopeValue: s.type === 'key' ? s.keyId : s.type === 'user' ? s.userName : s.type === 'model' ? s.modelId : '',
    tagKey: s.type === 'tag' ? s.key : '',
    tagValue: s.type === 'tag' ? s.value : '',
    action: b.action,
    routeModelId: b.routeModelId ?? '',
  };
}

export class DraftError extends Error {
  override name = 'DraftError';
}

function scopeOf(d: BudgetDraft): BudgetScope {
  const v = d.scopeValue.trim();
  switch (d.scopeType) {
    case 'account':
      return { type: 'account' };
    case 'key':
      return { type: 'key', keyId: v };
    case 'user':
      return { type: 'user', userName: v };
    case 'model':
      return { type: 'model', modelId: v };
    case 'tag':
      return { type: 'tag', key: d.tagKey.trim(), value: d.tagValue };
    default: {
      const never: never = d.scopeType;
      throw new DraftError(`Unknown scope ${String(never)}.`);
    }
  }
}

/**
 * The body of CreateBudget (with the name) or UpdateBudget (without: a budget keeps its name). Only a missing or
 * non-numeric amount is refused here — JSON has no NaN to send; every other rule is the server's, and its message is
 * shown in the form as it says it.
 */
export function budgetBody(d: BudgetDraft, mode: 'create' | 'edit'): Record<string, unknown> {
  const amount = Number(d.amount.trim());
  if (!d.amount.trim() || !Number.isFinite(amount)) throw new DraftError('Amount: enter the budget in US dollars, such as 250 or 12.50.');
  const routeModelId = d.routeModelId.trim();
  return {
    ...(mode === 'create' ? { name: d.name.trim() } : {}),
    amountUsd: amount,
    period: d.period,
    scope: scopeOf(d),
    action: d.action,
    // An edit away from ROUTE clears the model (the server refuses a model with any other action).
    ...(d.action === 'ROUTE' ? { routeModelId } : mode === 'edit' ? { routeModelId: null } : {}),
  };
}
