import type { AgentsApi } from '../api/agents';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { usePageList } from '../lib/use-page-list';
import { AgentRow } from './agent-row';
import { CreateAgentForm } from './create-agent-form';

export function AgentList({ agents, active }: { agents: AgentsApi; active: boolean }) {
  const { list, error, load } = usePageList(agents, active);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Agents</h1>
          <p className="muted">Models that call your action groups and knowledge bases to answer, through Bedrock&apos;s Agents APIs.</p>
        </div>
        <button type="button" className="button-secondary" onClick={load}>
          Reload
        </button>
      </header>
      <div className="kb-layout">
        <section aria-labelledby="agent-list-title">
          <h2 id="agent-list-title">Your agents</h2>
          {error && (
            <ErrorNotice title="Agents could not be listed" onRetry={load}>
              {error}
            </ErrorNotice>
          )}
          {!list && !error && <Loading what="agents" />}
          {list && list.length === 0 && (
            <EmptyState title="No agents yet">Create one with the form, prepare it, then open it to test it in a conversation.</EmptyState>
          )}
          {list && list.length > 0 && (
            <div className="table-wrap">
              <table className="table" aria-label="Agents">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Model</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((a) => (
                    <AgentRow key={a.agentId} agents={agents} agent={a} onChanged={load} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <CreateAgentForm agents={agents} onCreated={load} />
      </div>
    </>
  );
}
