import type { AgentsApi } from '../api/agents';
import { ResourceList } from '../components/resource-list';
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
        <ResourceList
          title="Your agents"
          titleId="agent-list-title"
          list={list}
          error={error}
          reload={load}
          errorTitle="Agents could not be listed"
          what="agents"
          empty={{ title: 'No agents yet', body: 'Create one with the form, prepare it, then open it to test it in a conversation.' }}
          label="Agents"
          columns={[{ label: 'Name' }, { label: 'Status' }, { label: 'Model' }, { label: 'Updated' }, { label: 'Actions', hidden: true }]}
          row={(a) => <AgentRow key={a.agentId} agents={agents} agent={a} onChanged={load} />}
        />
        <CreateAgentForm agents={agents} onCreated={load} />
      </div>
    </>
  );
}
