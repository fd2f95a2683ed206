import type { AgentActionGroup, AgentDefinition, AgentFunction } from './agent-definition.js';

/** One call of an action group's function, with the session context an executor (a Lambda-style handler) expects. */
export interface ActionCall {
  agent: AgentDefinition;
  group: AgentActionGroup;
  fn: AgentFunction;
  args: Record<string, unknown>;
  sessionId: string;
  inputText: string;
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

/**
 * What came back. `ok: false` is a failure the model should hear about (an error status, a timeout, a crash); the
 * text says what happened in words it can act on. Executors never throw for a tool's own failure.
 */
export interface ActionOutcome {
  ok: boolean;
  text: string;
  /** Set when `text` is already cut from a longer result: the full length, for the note the model gets. */
  totalChars?: number;
  /** The handler returned updated attributes (Bedrock's Lambda response may). */
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
}

/** Runs calls of the executors that run on the server (HTTP endpoints, registered modules). */
export interface ActionRunner {
  run(call: ActionCall, signal: AbortSignal): Promise<ActionOutcome>;
}
