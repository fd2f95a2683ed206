import { useMemo } from 'react';
import { AgentDetail } from '../agents/agent-detail';
import { AgentList } from '../agents/agent-list';
import { agentsApi } from '../api/agents';
import { useConsole } from '../console-context';
import { useRoute, useTitle } from '../lib/router';
import '../agents/agents.css';

/** /agents lists, creates, prepares and deletes agents; /agents/{id} shows one with its test chat. */
export function AgentsPage({ active }: { active: boolean }) {
  useTitle('Agents', active);
  const { api } = useConsole();
  const agents = useMemo(() => agentsApi(api), [api]);
  const route = useRoute();
  const id = active && route.segments[0] === 'agents' ? route.segments[1] : undefined;
  return id ? <AgentDetail key={id} agents={agents} id={id} /> : <AgentList agents={agents} active={active} />;
}
