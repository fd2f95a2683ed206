import type { AgentStatus } from '../api/agents';

const TONE: Record<AgentStatus, string> = { PREPARED: 'good', PREPARING: 'busy', DELETING: 'busy', NOT_PREPARED: 'muted', FAILED: 'bad' };
const LABEL: Record<AgentStatus, string> = { PREPARED: 'prepared', PREPARING: 'preparing', DELETING: 'deleting', NOT_PREPARED: 'not prepared', FAILED: 'failed' };

/** An agent's status as a badge; a status this console does not know is shown as the server wrote it. */
export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  return <span className={`badge badge-${TONE[status] ?? 'muted'}`}>{LABEL[status] ?? status}</span>;
}
