import type { GuardrailCheckRequest, GuardrailEngine, GuardrailOutcome, ResolvedGuardrail } from '../../guardrails/index.js';
import type { AgentGuard, GuardResolver, GuardVerdict } from './agent-guard.js';

function verdict(text: string, o: GuardrailOutcome): GuardVerdict {
  if (o.action !== 'GUARDRAIL_INTERVENED') return { action: 'NONE', text };
  if (o.blocked) return { action: 'INTERVENED', text: o.blockedMessage ?? 'Sorry, the guardrail blocked this content.', blocked: true, assessments: o.assessments };
  // Intervened without blocking: sensitive information was masked, and the masked text goes on.
  return { action: 'INTERVENED', text: o.blocks[0]?.text ?? text, blocked: false, assessments: o.assessments };
}

/**
 * An agent's guardrail version as the loop's guard. Tool and knowledge-base results are checked as INPUT: they are
 * about to become part of the model's prompt, which is where an injected instruction (the prompt-attack filter,
 * denied topics, words) must be caught.
 */
export function agentGuardOf(g: Pick<ResolvedGuardrail, 'check'>): AgentGuard {
  const run = async (text: string, source: GuardrailCheckRequest['source']) => verdict(text, await g.check({ source, content: [{ text: { text } }] }));
  return {
    checkInput: (text) => run(text, 'INPUT'),
    checkToolResult: (text) => run(text, 'INPUT'),
    checkOutput: (text) => run(text, 'OUTPUT'),
  };
}

/** The guard resolver over the guardrails engine: the agent's guardrail in the agent's account. */
export function guardResolverOf(engine: Pick<GuardrailEngine, 'resolve'>): GuardResolver {
  return async (_ctx, accountId, ref) => agentGuardOf(await engine.resolve(accountId, { guardrailIdentifier: ref.guardrailId, guardrailVersion: ref.guardrailVersion }));
}
