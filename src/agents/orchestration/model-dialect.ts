import { type ContentBlock, type Message, textOf, type ToolSpec } from '../../core/index.js';
import { parseReactTurn, REACT_STOP } from './react-format.js';
import type { ToolCall } from './tool-dispatch.js';

/** A model turn read as the loop needs it. */
export type Turn =
  | { kind: 'final'; text: string; rationale?: string }
  | { kind: 'calls'; calls: ToolCall[]; rationale?: string }
  | { kind: 'invalid'; problem: string; rationale?: string };

export interface ToolResultEntry {
  call: ToolCall;
  text: string;
  status: 'success' | 'error';
}

/**
 * How tool use is spoken with one model: Converse's native toolUse / toolResult blocks, or the ReAct text protocol
 * for models without tool calling. The loop is the same for both.
 */
export interface ModelDialect {
  readonly react: boolean;
  toolConfig(tools: ToolSpec[]): { tools: { toolSpec: ToolSpec }[] } | undefined;
  stopSequences: string[];
  read(message: Message, turnId: string): Turn;
  /** The assistant turn as it goes back into the conversation. */
  assistant(message: Message): Message;
  results(entries: ToolResultEntry[]): Message;
  reprompt(problem: string): Message;
}

export const nativeDialect: ModelDialect = {
  react: false,
  toolConfig: (tools) => (tools.length ? { tools: tools.map((toolSpec) => ({ toolSpec })) } : undefined),
  stopSequences: [],
  read(message) {
    const text = textOf(message.content).trim();
    const calls: ToolCall[] = [];
    for (const b of message.content) if ('toolUse' in b) calls.push({ toolUseId: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input });
    if (calls.length) return text ? { kind: 'calls', calls, rationale: text } : { kind: 'calls', calls };
    return { kind: 'final', text };
  },
  assistant(message) {
    // Reasoning and empty text blocks are not sent back: some providers reject them in a replayed turn.
    const content = message.content.filter((b) => 'toolUse' in b || ('text' in b && b.text.trim() !== ''));
    return { role: 'assistant', content: content.length ? content : [{ text: '(no text)' }] };
  },
  results(entries) {
    return {
      role: 'user',
      content: entries.map((e): ContentBlock => ({ toolResult: { toolUseId: e.call.toolUseId, content: [{ text: e.text }], status: e.status } })),
    };
  },
  reprompt: (problem) => ({ role: 'user', content: [{ text: problem }] }),
};

export const reactDialect: ModelDialect = {
  react: true,
  toolConfig: () => undefined,
  stopSequences: [REACT_STOP],
  read(message, turnId) {
    const t = parseReactTurn(textOf(message.content));
    if (t.kind !== 'calls') return t;
    return { ...t, calls: t.calls.map((c, i) => ({ toolUseId: `${turnId}-${i}`, name: c.name, input: c.input })) };
  },
  assistant(message) {
    const raw = textOf(message.content);
    const stop = raw.search(/^[ \t]*observation[ \t]*:/im);
    return { role: 'assistant', content: [{ text: (stop >= 0 ? raw.slice(0, stop) : raw).trim() || '(no text)' }] };
  },
  results(entries) {
    const text = entries.map((e) => `Observation (${e.call.name}${e.status === 'error' ? ', error' : ''}): ${e.text}`).join('\n\n');
    return { role: 'user', content: [{ text }] };
  },
  reprompt: (problem) => ({ role: 'user', content: [{ text: `Observation: your last answer could not be read. ${problem}` }] }),
};
