import { type FormEvent, useState } from 'react';
import type { AgentActionGroup, AgentPartsApi } from '../api/agent-parts';
import { messageOf } from '../api/api-error';
import { FieldError } from '../components/notice';
import {
  type ActionGroupDraft,
  actionGroupInputOf,
  draftOfActionGroup,
  emptyActionGroupDraft,
  emptyFunction,
  emptyParameter,
  type FunctionDraft,
  PARAMETER_TYPES,
  type ParameterDraft,
  type ParameterType,
} from '../lib/action-group-draft';

const newToken = () => crypto.randomUUID();

/**
 * Adds an action group to the agent's draft, or edits one: its functions and their parameters (a function schema),
 * and who runs the calls — the caller, through return of control, or a function the operator registered on the
 * server (users cannot point an agent at arbitrary code or hosts, so there is no free URL here). The server checks
 * everything and its refusal is shown in its words.
 */
export function ActionGroupForm({ parts, group, onSaved, onCancel }: { parts: AgentPartsApi; group?: AgentActionGroup; onSaved: () => void; onCancel: () => void }) {
  const [d, setD] = useState<ActionGroupDraft>(() => (group ? draftOfActionGroup(group) : emptyActionGroupDraft()));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [token] = useState(newToken);
  const set = (patch: Partial<ActionGroupDraft>) => setD((x) => ({ ...x, ...patch }));
  const setFunction = (i: number, patch: Partial<FunctionDraft>) => set({ functions: d.functions.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const id = group ? `ag-${group.actionGroupId}` : 'ag-new';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const input = actionGroupInputOf(d);
      await (group ? parts.updateActionGroup(group.actionGroupId, input) : parts.createActionGroup(input, token));
      onSaved();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="subform" onSubmit={submit} aria-label={group ? `Edit action group ${group.actionGroupName}` : 'New action group'} noValidate>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${id}-name`}>Action group name</label>
          <input id={`${id}-name`} value={d.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>Description</label>
          <input id={`${id}-description`} value={d.description} onChange={(e) => set({ description: e.target.value })} autoComplete="off" />
        </div>
      </div>
      <fieldset className="fieldset">
        <legend>Executor</legend>
        <div className="radio-row">
          <label className="check">
            <input type="radio" name={`${id}-executor`} checked={d.executor === 'RETURN_CONTROL'} onChange={() => set({ executor: 'RETURN_CONTROL' })} />
            Return control to the caller
          </label>
          <label className="check">
            <input type="radio" name={`${id}-executor`} checked={d.executor === 'REGISTERED_FUNCTION'} onChange={() => set({ executor: 'REGISTERED_FUNCTION' })} />
            Run a registered function
          </label>
        </div>
        {d.executor === 'REGISTERED_FUNCTION' && (
          <div className="field">
            <label htmlFor={`${id}-function`}>Registered function name</label>
            <input id={`${id}-function`} value={d.functionName} onChange={(e) => set({ functionName: e.target.value })} autoComplete="off" aria-describedby={`${id}-function-hint`} />
            <span id={`${id}-function-hint`} className="hint">
              A module or HTTP endpoint the operator registered under <code>agents.functions</code> in the server's configuration.
            </span>
          </div>
        )}
        <label className="check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled
        </label>
      </fieldset>
      {d.functions.map((f, i) => (
        <FunctionFields
          key={i}
          id={`${id}-fn${i}`}
          index={i}
          f={f}
          onChange={(patch) => setFunction(i, patch)}
          onRemove={d.functions.length > 1 ? () => set({ functions: d.functions.filter((_, j) => j !== i) }) : undefined}
        />
      ))}
      <p>
        <button type="button" className="button-secondary" onClick={() => set({ functions: [...d.functions, emptyFunction()] })}>
          Add function
        </button>
      </p>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : group ? 'Save action group' : 'Add action group'}
        </button>
      </div>
    </form>
  );
}

function FunctionFields({ id, index, f, onChange, onRemove }: { id: string; index: number; f: FunctionDraft; onChange: (p: Partial<FunctionDraft>) => void; onRemove?: () => void }) {
  const setParam = (i: number, patch: Partial<ParameterDraft>) => onChange({ parameters: f.parameters.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  return (
    <fieldset className="fieldset" aria-label={`Function ${index + 1}`}>
      <legend>Function {index + 1}</legend>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${id}-name`}>Function name</label>
          <input id={`${id}-name`} value={f.name} onChange={(e) => onChange({ name: e.target.value })} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>Function description</label>
          <input id={`${id}-description`} value={f.description} onChange={(e) => onChange({ description: e.target.value })} autoComplete="off" />
        </div>
      </div>
      <table className="parameter-table">
        <caption className="sr-only">Parameters of function {index + 1}</caption>
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Type</th>
            <th scope="col">Description</th>
            <th scope="col">Required</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {f.parameters.map((p, i) => (
              <tr key={i}>
              <td>
                <input aria-label={`Parameter ${i + 1} name`} value={p.name} onChange={(e) => setParam(i, { name: e.target.value })} autoComplete="off" />
              </td>
              <td>
                <select aria-label={`Parameter ${i + 1} type`} value={p.type} onChange={(e) => setParam(i, { type: e.target.value as ParameterType })}>
                  {PARAMETER_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input aria-label={`Parameter ${i + 1} description`} value={p.description} onChange={(e) => setParam(i, { description: e.target.value })} autoComplete="off" />
              </td>
              <td>
                <input type="checkbox" aria-label={`Parameter ${i + 1} required`} checked={p.required} onChange={(e) => setParam(i, { required: e.target.checked })} />
              </td>
              <td>
                <button type="button" className="button-ghost" aria-label={`Remove parameter ${i + 1}`} onClick={() => onChange({ parameters: f.parameters.filter((_, j) => j !== i) })}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions parameter-actions">
        <label className="check">
          <input type="checkbox" checked={f.requireConfirmation} onChange={(e) => onChange({ requireConfirmation: e.target.checked })} />
          Ask the user to confirm before it runs
        </label>
        <button type="button" className="button-secondary" onClick={() => onChange({ parameters: [...f.parameters, emptyParameter()] })}>
          Add parameter
        </button>
        {onRemove && (
          <button type="button" className="button-secondary" onClick={onRemove}>
            Remove function
          </button>
        )}
      </div>
    </fieldset>
  );
}
