import type { UsageFilter, UsageScope } from '../explorer/index.js';
import type { Budget, BudgetScope } from './budget.js';

/** The usage a budget counts, as the explorer's scope and filter (the same SQL for spend and for forecasts). */
export function usageSelection(b: Budget): { scope: UsageScope; filter: UsageFilter } {
  const scope = { accountId: b.accountId };
  const s = b.scope;
  switch (s.type) {
    case 'account':
      return { scope, filter: {} };
    case 'key':
      return { scope, filter: { key: [s.value] } };
    case 'user':
      return { scope, filter: { principal: [s.value] } };
    case 'model':
      return { scope, filter: { model: [s.value] } };
    case 'tag': {
      const { key, value } = splitTag(s.value);
      return { scope, filter: { [`tag:${key}`]: [value] } };
    }
    default: {
      const never: never = s.type;
      throw new Error(`unknown budget scope ${String(never)}`);
    }
  }
}

/** `key=value` (keys have no `=`; values may). */
export function splitTag(v: string): { key: string; value: string } {
  const eq = v.indexOf('=');
  return { key: v.slice(0, eq), value: v.slice(eq + 1) };
}

/** The index key an invocation looks a scope up by: account, then what the scope names. */
export function scopeIndexKey(accountId: string, type: BudgetScope['type'], value: string): string {
  return `${accountId}\u0000${type}\u0000${value}`;
}

/** A scope as a person reads it. */
export function describeScope(s: BudgetScope): string {
  return s.type === 'account' ? 'the whole account' : s.type === 'tag' ? `tag ${s.label}` : `${s.type} ${s.label}`;
}
