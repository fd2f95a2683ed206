import { useState } from 'react';
import type { Agent, AgentsApi } from '../api/agents';
import { messageOf } from '../api/api-error';
import { FieldError } from '../components/notice';
import { Link } from '../lib/router';
import { AgentStatusBadge } from './agent-status';

/** One agent: prepared or deleted (after a confirmation) in place; the server's refusal is shown as it says it. */
export function AgentRow({ agents, agent, onChanged }: { agents: AgentsApi; agent: Agent; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'prepare' | 'delete'>();

  const run = async (what: 'prepare' | 'delete') => {
    setBusy(what);
    setError(undefined);
    try {
      await (what === 'prepare' ? agents.prepare(agent.agentId) : agents.remove(agent.agentId));
      setConfirming(false);
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <tr data-agent={agent.agentName}>
      <td>
        <Link to={`agents/${encodeURIComponent(agent.agentId)}`}>{agent.agentName}</Link>
        <div className="muted small">
          <code>{agent.agentId}</code>
        </div>
      </td>
      <td>
        <AgentStatusBadge status={agent.agentStatus} />
      </td>
      <td>{agent.foundationModel ? <code>{agent.foundationModel}</code> : <span className="muted">none</span>}</td>
      <td>{new Date(agent.updatedAt).toLocaleString()}</td>
      <td>
        {confirming ? (
          <div className="row-actions">
            <span className="small">Delete this agent and its aliases?</span>
            <button type="button" className="button-danger" disabled={!!busy} onClick={() => void run('delete')}>
              {busy === 'delete' ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <div className="row-actions">
            <button type="button" className="button-secondary" disabled={!!busy} onClick={() => void run('prepare')} aria-label={`Prepare ${agent.agentName}`}>
              {busy === 'prepare' ? 'Preparing…' : 'Prepare'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(true)} aria-label={`Delete ${agent.agentName}`}>
              Delete
            </button>
          </div>
        )}
        <FieldError message={error} />
      </td>
    </tr>
  );
}
