import type { GuardrailRef } from './agent-definition.js';
import type { AgentCallContext } from './agent-ports.js';

/** One check's outcome. `text` is what goes on: the input unchanged, a masked version, or the blocked message. */
export interface GuardVerdict {
  action: 'NONE' | 'INTERVENED';
  text: string;
  /** INTERVENED only: false when the text was masked (anonymised) and may go on; blocked otherwise. */
  blocked?: boolean;
  /** Bedrock's GuardrailAssessment list, carried as-is into the guardrail trace. */
  assessments?: unknown[];
}

/**
 * The agent's guardrail, as the loop sees it; the guardrails engine implements it. Every piece of text that crosses
 * a trust boundary goes through one of the three checks: the user's input, each tool's or knowledge base's result
 * (where instructions could be injected into the conversation), and the final answer.
 */
export interface AgentGuard {
  checkInput(text: string): Promise<GuardVerdict>;
  /** `source` names the tool or knowledge base, for the trace and for source-specific policies. */
  checkToolResult(text: string, source: string): Promise<GuardVerdict>;
  checkOutput(text: string): Promise<GuardVerdict>;
}

/** Turns an agent's guardrail reference into its guard (the guardrails engine); absent: agents with one are refused. */
export type GuardResolver = (ctx: AgentCallContext, accountId: string, ref: GuardrailRef) => Promise<AgentGuard>;

const pass = async (text: string): Promise<GuardVerdict> => ({ action: 'NONE', text });

/** The guard of an agent with no guardrail: every check passes the text through unchanged. */
export const NO_GUARD: AgentGuard = { checkInput: pass, checkToolResult: pass, checkOutput: pass };
