import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { Budget, BudgetScope, UsageApi } from '../api/usage';
import { FieldError } from '../components/notice';
import { textModels, useConsole } from '../console-context';
import { type BudgetDraft, budgetBody, DraftError, draftOf, NEW_BUDGET } from '../lib/budget-draft';

const SCOPES: Record<BudgetScope['type'], string> = { account: 'Whole account', key: 'One API key', user: 'One user', model: 'One model', tag: 'A cost tag' };
const SCOPE_VALUE: Partial<Record<BudgetScope['type'], { label: string; hint: string }>> = {
  key: { label: 'Key id', hint: 'The id the API keys page shows under the key’s name.' },
  user: { label: 'User name', hint: 'Counts every key of this user.' },
  model: { label: 'Model id', hint: 'Counts calls to this model, whichever key makes them.' },
};

/**
 * Creates a budget, or edits one (everything but its name). The server checks every rule (name, amount range, scope,
 * the model to route to) and its message is shown here as it says it.
 */
export function BudgetForm({ usage, budget, onSaved, onCancel }: { usage: UsageApi; budget?: Budget; onSaved: () => void; onCancel: () => void }) {
  const { catalog } = useConsole();
  const mode = budget ? 'edit' : 'create';
  const [d, setD] = useState<BudgetDraft>(() => (budget ? draftOf(budget) : NEW_BUDGET));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<BudgetDraft>) => setD((old) => ({ ...old, ...patch }));
  const id = (field: string) => `budget-${mode}-${field}`;
  const scopeValue = SCOPE_VALUE[d.scopeType];

  async function submit(e: FormEvent) {
    e.preventDefault();
    let body: Record<string, unknown>;
    try {
      body = budgetBody(d, mode);
    } catch (err) {
      if (err instanceof DraftError) return setError(err.message);
      throw err;
    }
    setBusy(true);
    setError(undefined);
    try {
      if (budget) await usage.updateBudget(budget.name, body);
      else await usage.createBudget(body);
      onSaved();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="subform" onSubmit={submit} aria-labelledby={id('title')} noValidate>
      <h3 id={id('title')}>{budget ? `Edit budget ${budget.name}` : 'New budget'}</h3>
      <div className="grid-3">
        {!budget && (
          <div className="field">
            <label htmlFor={id('name')}>Name</label>
            <input id={id('name')} value={d.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" aria-describedby={id('name-hint')} />
            <span id={id('name-hint')} className="hint">
              Letters, digits, _ . - ; cannot be changed later.
            </span>
          </div>
        )}
        <div className="field">
          <label htmlFor={id('amount')}>Amount (USD)</label>
          <input id={id('amount')} inputMode="decimal" value={d.amount} onChange={(e) => set({ amount: e.target.value })} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={id('period')}>Period</label>
          <select id={id('period')} value={d.period} onChange={(e) => set({ period: e.target.value as Budget['period'] })}>
            <option value="DAILY">Daily</option>
            <option value="MONTHLY">Monthly</option>
            <option value="QUARTERLY">Quarterly</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={id('scope')}>Counts spend of</label>
          <select id={id('scope')} value={d.scopeType} onChange={(e) => set({ scopeType: e.target.value as BudgetScope['type'] })}>
            {(Object.keys(SCOPES) as BudgetScope['type'][]).map((s) => (
              <option key={s} value={s}>
                {SCOPES[s]}
              </option>
            ))}
          </select>
        </div>
        {scopeValue && (
          <div className="field">
            <label htmlFor={id('scope-value')}>{scopeValue.label}</label>
            <input id={id('scope-value')} value={d.scopeValue} onChange={(e) => set({ scopeValue: e.target.value })} autoComplete="off" aria-describedby={id('scope-hint')} />
            <span id={id('scope-hint')} className="hint">
              {scopeValue.hint}
            </span>
          </div>
        )}
        {d.scopeType === 'tag' && (
          <>
            <div className="field">
              <label htmlFor={id('tag-key')}>Tag key</label>
              <input id={id('tag-key')} value={d.tagKey} onChange={(e) => set({ tagKey: e.target.value })} autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor={id('tag-value')}>Tag value</label>
              <input id={id('tag-value')} value={d.tagValue} onChange={(e) => set({ tagValue: e.target.value })} autoComplete="off" />
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={id('action')}>When used up</label>
          <select id={id('action')} value={d.action} onChange={(e) => set({ action: e.target.value as Budget['action'] })}>
            <option value="NONE">Alert only</option>
            <option value="DENY">Refuse calls</option>
            <option value="ROUTE">Route to another model</option>
          </select>
        </div>
        {d.action === 'ROUTE' && (
          <div className="field">
            <label htmlFor={id('route')}>Model to route to</label>
            <input id={id('route')} list={id('route-models')} value={d.routeModelId} onChange={(e) => set({ routeModelId: e.target.value })} autoComplete="off" />
            <datalist id={id('route-models')}>
              {textModels(catalog.models).map((m) => (
                <option key={m.id} value={m.id} />
              ))}
            </datalist>
          </div>
        )}
      </div>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : budget ? 'Save budget' : 'Create budget'}
        </button>
      </div>
    </form>
  );
}
