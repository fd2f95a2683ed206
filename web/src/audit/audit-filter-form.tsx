import { type FormEvent, useState } from 'react';
import { FieldError } from '../components/notice';
import { type AuditFilters, auditQuery, FilterError, NO_FILTERS } from '../lib/audit-query';

/** LookupEvents' filters. The form's values apply on submit, checked first so a bad time is named before any call. */
export function AuditFilterForm({ onApply }: { onApply: (f: AuditFilters) => void }) {
  const [f, setF] = useState<AuditFilters>(NO_FILTERS);
  const [error, setError] = useState<string>();
  const set = (patch: Partial<AuditFilters>) => setF((old) => ({ ...old, ...patch }));

  function submit(e: FormEvent) {
    e.preventDefault();
    try {
      auditQuery(f);
    } catch (err) {
      if (err instanceof FilterError) return setError(err.message);
      throw err;
    }
    setError(undefined);
    onApply(f);
  }

  function clear() {
    setF(NO_FILTERS);
    setError(undefined);
    onApply(NO_FILTERS);
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="audit-filter-title" noValidate>
      <h2 id="audit-filter-title">Filter events</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="audit-action">Action or event</label>
          <input id="audit-action" value={f.action} onChange={(e) => set({ action: e.target.value })} placeholder="quarry:CreateApiKey" autoComplete="off" aria-describedby="audit-action-hint" />
        </div>
        <div className="field">
          <label htmlFor="audit-principal">Principal</label>
          <input id="audit-principal" value={f.principal} onChange={(e) => set({ principal: e.target.value })} placeholder="user name or id" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="audit-outcome">Outcome</label>
          <select id="audit-outcome" value={f.outcome} onChange={(e) => set({ outcome: e.target.value as AuditFilters['outcome'] })}>
            <option value="">Any</option>
            <option value="success">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-start">From</label>
          <input id="audit-start" type="datetime-local" value={f.start} onChange={(e) => set({ start: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="audit-end">Until</label>
          <input id="audit-end" type="datetime-local" value={f.end} onChange={(e) => set({ end: e.target.value })} />
        </div>
      </div>
      <p id="audit-action-hint" className="hint">
        An IAM action such as <code>quarry:DeleteApiKey</code> or an event name such as <code>Converse</code>, matched exactly. Times are in your browser&apos;s time zone.
      </p>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="button" className="button-secondary" onClick={clear}>
          Clear filters
        </button>
        <button type="submit">Apply filters</button>
      </div>
    </form>
  );
}
