import { eventStreamMessages } from '../lib/event-stream-messages';
import type { ApiClient } from './api-client';
import { ApiError } from './api-error';

/**
 * Agents through Bedrock's Agents control plane (the shapes of `@aws-sdk/client-bedrock-agent`'s
 * Create/Get/List/Delete/PrepareAgent) and InvokeAgent of its runtime, whose answer is an AWS event stream.
 */

export type AgentStatus = 'NOT_PREPARED' | 'PREPARING' | 'PREPARED' | 'FAILED' | 'DELETING';

export interface AgentSummary {
  agentId: string;
  agentName: string;
  agentStatus: AgentStatus;
  description?: string;
  updatedAt: string;
  latestAgentVersion?: string;
}

export interface Agent extends AgentSummary {
  agentArn: string;
  instruction?: string;
  foundationModel?: string;
  createdAt: string;
  preparedAt?: string;
  failureReasons?: string[];
}

/** The draft, as Bedrock's console tests it: TSTALIASID always routes to the prepared DRAFT. */
export const TEST_ALIAS_ID = 'TSTALIASID';

/** One trace event of InvokeAgent (the SDK's TracePart); `trace` holds one of Bedrock's trace members. */
export interface AgentTracePart {
  eventTime?: string;
  trace: Record<string, Record<string, unknown>>;
}

export interface AgentAnswer {
  text: string;
  traces: AgentTracePart[];
  /** An exception event mid-stream, as the server worded it. */
  error?: string;
}

const path = (id: string) => `/agents/${encodeURIComponent(id)}/`;

export function agentsApi(api: ApiClient) {
  const get = async (id: string): Promise<Agent> => (await api.json<{ agent: Agent }>(path(id))).agent;
  return {
  /** Summaries carry no model (as on Bedrock), so each agent is read too; an account holds few agents. */
  async list(): Promise<Agent[]> {
    const all: AgentSummary[] = [];
    let nextToken: string | undefined;
    do {
      const r = await api.json<{ agentSummaries: AgentSummary[]; nextToken?: string }>('/agents/', { method: 'POST', body: { maxResults: 100, ...(nextToken ? { nextToken } : {}) } });
      all.push(...r.agentSummaries);
      nextToken = r.nextToken;
    } while (nextToken);
    return Promise.all(all.map((a) => get(a.agentId)));
  },
  get,
  async create(input: { name: string; foundationModel: string; instruction: string; clientToken: string }): Promise<Agent> {
    const r = await api.json<{ agent: Agent }>('/agents/', {
      method: 'PUT',
      body: { agentName: input.name, foundationModel: input.foundationModel, instruction: input.instruction, clientToken: input.clientToken },
    });
    return r.agent;
  },
  async prepare(id: string): Promise<void> {
    await api.fetch(path(id), { method: 'POST' });
  },
  async remove(id: string): Promise<void> {
    await api.fetch(path(id), { method: 'DELETE' });
  },
  /**
   * One turn of a conversation with the prepared draft, traces included; the session id carries the conversation.
   * The answer is asked for streamed (streamFinalResponse), and `onProgress` sees it grow chunk by chunk.
   */
  async invoke(id: string, sessionId: string, inputText: string, signal?: AbortSignal, onProgress?: (partial: AgentAnswer) => void): Promise<AgentAnswer> {
    const res = await api.fetch(`/agents/${encodeURIComponent(id)}/agentAliases/${TEST_ALIAS_ID}/sessions/${encodeURIComponent(sessionId)}/text`, {
      method: 'POST',
      body: { inputText, enableTrace: true, streamingConfigurations: { streamFinalResponse: true } },
      signal,
    });
    if (!res.body) throw new ApiError('The server sent no stream.', res.status, undefined);
    const out: AgentAnswer = { text: '', traces: [] };
    const text = new TextDecoder();
    const json = new TextDecoder();
    for await (const m of eventStreamMessages(res.body)) {
      const payload = JSON.parse(json.decode(m.body)) as Record<string, unknown>;
      const kind = m.headers[':message-type']?.value;
      if (kind === 'exception') {
        out.error = `${String(m.headers[':exception-type']?.value)}: ${String(payload.message ?? '')}`;
        continue;
      }
      const type = m.headers[':event-type']?.value;
      if (type === 'chunk') out.text += text.decode(Uint8Array.from(atob(String(payload.bytes ?? '')), (c) => c.charCodeAt(0)), { stream: true });
      else if (type === 'trace') out.traces.push(payload as unknown as AgentTracePart);
      onProgress?.({ ...out, traces: [...out.traces] });
    }
    return out;
  },
  };
}

export type AgentsApi = ReturnType<typeof agentsApi>;
