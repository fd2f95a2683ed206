import { useCallback, useEffect, useMemo, useState } from 'react';
import { agentPartsApi } from '../api/agent-parts';
import type { Agent, AgentsApi } from '../api/agents';
import { isAbort, messageOf } from '../api/api-error';
import { knowledgeApi } from '../api/knowledge';
import { ErrorNotice, FieldError, Loading } from '../components/notice';
import { useConsole } from '../console-context';
import { Link } from '../lib/router';
import { ActionGroupsPanel } from './action-groups-panel';
import { AgentKnowledgeBasesPanel } from './agent-knowledge-bases-panel';
import { AgentStatusBadge } from './agent-status';
import { AgentTestChat } from './agent-test-chat';

/**
 * One agent's draft: its instruction, action groups and knowledge bases (each edit leaves the draft unprepared), a
 * Prepare button (the test alias runs what was prepared last), and the test chat.
 */
export function AgentDetail({ agents, id }: { agents: AgentsApi; id: string }) {
  const { api } = useConsole();
  const parts = useMemo(() => agentPartsApi(api, id), [api, id]);
  const listKnowledgeBases = useMemo(() => knowledgeApi(api).list, [api]);
  const [agent, setAgent] = useState<Agent>();
  const [error, setError] = useState<string>();
  const [prepareError, setPrepareError] = useState<string>();
  const [preparing, setPreparing] = useState(false);
  const load = useCallback(() => {
    setError(undefined);
    agents.get(id).then(setAgent, (e: unknown) => {
      if (!isAbort(e)) setError(messageOf(e));
    });
  }, [agents, id]);
  useEffect(load, [load]);

  async function prepare() {
    setPreparing(true);
    setPrepareError(undefined);
    try {
      await agents.prepare(id);
      load();
    } catch (e) {
      setPrepareError(messageOf(e));
    } finally {
      setPreparing(false);
    }
  }

  if (error) {
    return (
      <ErrorNotice title="The agent could not be read" onRetry={load}>
        {error}
      </ErrorNotice>
    );
  }
  if (!agent) return <Loading what="the agent" />;
  return (
    <>
      <header className="page-header">
        <div>
          <p className="small">
            <Link to="agents">← Agents</Link>
          </p>
          <h1>{agent.agentName}</h1>
          <p className="muted">
            <code>{agent.agentId}</code> · <AgentStatusBadge status={agent.agentStatus} /> · {agent.foundationModel ? <code>{agent.foundationModel}</code> : 'no model'}
          </p>
        </div>
        <button type="button" onClick={() => void prepare()} disabled={preparing}>
          {preparing ? 'Preparing…' : 'Prepare'}
        </button>
      </header>
      <FieldError message={prepareError} />
      {agent.failureReasons?.map((r) => (
        <p key={r} className="field-error">
          {r}
        </p>
      ))}
      <div className="agent-detail">
        <div>
          <section className="panel" aria-labelledby="agent-instruction-title">
            <h2 id="agent-instruction-title">Instruction</h2>
            <p className="turn-text">{agent.instruction ?? <span className="muted">None.</span>}</p>
            {agent.preparedAt && <p className="muted small">Prepared {new Date(agent.preparedAt).toLocaleString()}</p>}
          </section>
          <ActionGroupsPanel parts={parts} onChanged={load} />
          <AgentKnowledgeBasesPanel parts={parts} listKnowledgeBases={listKnowledgeBases} onChanged={load} />
        </div>
        <AgentTestChat agents={agents} agentId={agent.agentId} prepared={agent.agentStatus === 'PREPARED'} />
      </div>
    </>
  );
}
