import { useCallback, useEffect, useState } from 'react';
import type { AgentActionGroup, AgentPartsApi } from '../api/agent-parts';
import { isAbort, messageOf } from '../api/api-error';
import { ErrorNotice, FieldError, Loading } from '../components/notice';
import { executorLabel, notEditable } from '../lib/action-group-draft';
import { ActionGroupForm } from './action-group-form';

/**
 * The draft's action groups: each with its functions and executor, edited or deleted in place, and a form to add
 * one. Every change leaves the draft unprepared, so `onChanged` lets the page re-read the agent's status.
 */
export function ActionGroupsPanel({ parts, onChanged }: { parts: AgentPartsApi; onChanged: () => void }) {
  const [groups, setGroups] = useState<AgentActionGroup[]>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<string | 'new'>();
  const load = useCallback(() => {
    setError(undefined);
    parts.actionGroups().then(setGroups, (e: unknown) => {
      if (!isAbort(e)) setError(messageOf(e));
    });
  }, [parts]);
  useEffect(load, [load]);

  const saved = () => {
    setEditing(undefined);
    load();
    onChanged();
  };

  return (
    <section className="panel" aria-labelledby="agent-action-groups-title">
      <h2 id="agent-action-groups-title">Action groups</h2>
      {error ? (
        <ErrorNotice title="The action groups could not be read" onRetry={load}>
          {error}
        </ErrorNotice>
      ) : !groups ? (
        <Loading what="the action groups" />
      ) : (
        <>
          {groups.length === 0 && editing !== 'new' && <p className="muted">No action groups: the agent can only answer from what it knows.</p>}
          <ul className="part-list">
            {groups.map((g) =>
              editing === g.actionGroupId ? (
                <li key={g.actionGroupId} data-action-group={g.actionGroupName}>
                  <ActionGroupForm parts={parts} group={g} onSaved={saved} onCancel={() => setEditing(undefined)} />
                </li>
              ) : (
                <ActionGroupItem key={g.actionGroupId} parts={parts} group={g} onEdit={() => setEditing(g.actionGroupId)} onDeleted={saved} />
              ),
            )}
          </ul>
          {editing === 'new' ? (
            <ActionGroupForm parts={parts} onSaved={saved} onCancel={() => setEditing(undefined)} />
          ) : (
            <button type="button" className="button-secondary" onClick={() => setEditing('new')}>
              New action group
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ActionGroupItem({ parts, group, onEdit, onDeleted }: { parts: AgentPartsApi; group: AgentActionGroup; onEdit: () => void; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const locked = notEditable(group);
  const functions = group.functionSchema?.functions ?? [];

  async function remove() {
    setBusy(true);
    setError(undefined);
    try {
      await parts.deleteActionGroup(group.actionGroupId);
      onDeleted();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <li data-action-group={group.actionGroupName}>
      <div className="part-head">
        <strong>{group.actionGroupName}</strong>
        <span className="muted small">
          {executorLabel(group)}
          {group.actionGroupState === 'DISABLED' ? ' · disabled' : ''}
        </span>
      </div>
      {group.description && <p className="small">{group.description}</p>}
      {functions.length > 0 && (
        <ul className="small function-list" aria-label={`Functions of ${group.actionGroupName}`}>
          {functions.map((f) => (
            <li key={f.name}>
              <code>{f.name}</code>({Object.entries(f.parameters ?? {}).map(([n, p], i) => `${i ? ', ' : ''}${n}${p.required ? '' : '?'}: ${p.type}`)})
              {f.description ? <span className="muted"> — {f.description}</span> : null}
              {f.requireConfirmation === 'ENABLED' ? <span className="muted"> · asks the user to confirm</span> : null}
            </li>
          ))}
        </ul>
      )}
      {locked && <p className="muted small">This group is {locked}; edit it through the API or the CLI.</p>}
      <div className="row-actions">
        {confirming ? (
          <>
            <span className="small">Delete this action group?</span>
            <button type="button" className="button-danger" disabled={busy} onClick={() => void remove()}>
              {busy ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            {!locked && (
              <button type="button" className="button-secondary" onClick={onEdit} aria-label={`Edit ${group.actionGroupName}`}>
                Edit
              </button>
            )}
            <button type="button" className="button-secondary" onClick={() => setConfirming(true)} aria-label={`Delete ${group.actionGroupName}`}>
              Delete
            </button>
          </>
        )}
      </div>
      <FieldError message={error} />
    </li>
  );
}
