import { QuarryError } from '../../core/index.js';
import type { PendingCall, PendingReturnControl } from './agent-sessions.js';
import { truncateObservation } from './tool-observation.js';

type ResponseBody = Record<string, { body?: string }>;

/** One entry of sessionState.returnControlInvocationResults, as the caller sends it. */
export type InvocationResult =
  | {
      functionResult: {
        actionGroup: string;
        function?: string;
        responseBody?: ResponseBody;
        responseState?: 'FAILURE' | 'REPROMPT';
        confirmationState?: 'CONFIRM' | 'DENY';
      };
    }
  | {
      apiResult: {
        actionGroup: string;
        apiPath?: string;
        httpMethod?: string;
        httpStatusCode?: number;
        responseBody?: ResponseBody;
        responseState?: 'FAILURE' | 'REPROMPT';
        confirmationState?: 'CONFIRM' | 'DENY';
      };
    };

/** The caller's answer for one pending call: a result to show the model, or a confirmation to act on. */
export type Answer = { kind: 'result'; call: PendingCall; text: string; ok: boolean } | { kind: 'confirmed'; call: PendingCall } | { kind: 'denied'; call: PendingCall };

/**
 * Checks the results against the return of control they answer and pairs each with its call. A result for another
 * invocation, or naming an action that was not asked for, is the caller's mistake and a ValidationException; a call
 * left without a result is told to the model as such, so a partial answer still moves the conversation on.
 */
export function matchResults(pending: PendingReturnControl | undefined, invocationId: string | undefined, results: readonly InvocationResult[]): Answer[] {
  if (!pending) throw new QuarryError('ValidationException', 'There is no return of control waiting for results in this session (it may have expired or already been answered).');
  if (invocationId !== undefined && invocationId !== pending.invocationId) {
    throw new QuarryError('ValidationException', `The invocationId ${invocationId} does not match the return of control this session is waiting on.`);
  }
  const open = [...pending.calls];
  const answers: Answer[] = [];
  for (const r of results) {
    const i = open.findIndex((c) => matches(c, r));
    if (i < 0) throw new QuarryError('ValidationException', `The result for ${describe(r)} answers no action of invocation ${pending.invocationId}.`);
    const call = open.splice(i, 1)[0]!;
    const v = 'functionResult' in r ? r.functionResult : r.apiResult;
    if (call.confirmation && v.confirmationState !== undefined) {
      answers.push(v.confirmationState === 'CONFIRM' ? { kind: 'confirmed', call } : { kind: 'denied', call });
      continue;
    }
    const status = 'apiResult' in r ? r.apiResult.httpStatusCode : undefined;
    const failed = v.responseState === 'FAILURE' || v.responseState === 'REPROMPT' || (status !== undefined && status >= 400);
    const body = Object.values(v.responseBody ?? {})
      .map((b) => b.body ?? '')
      .join('\n');
    const text = body || (failed ? 'The action failed and returned no details.' : 'The action completed and returned no content.');
    answers.push({ kind: 'result', call, text: truncateObservation(status !== undefined ? `HTTP ${status}\n${text}` : text), ok: !failed });
  }
  for (const call of open) answers.push({ kind: 'result', call, text: `No result was returned for ${call.group.name}.${call.fn.name}.`, ok: false });
  return answers;
}

function matches(c: PendingCall, r: InvocationResult): boolean {
  if ('functionResult' in r) return r.functionResult.actionGroup === c.group.name && !c.fn.api && (r.functionResult.function === undefined || r.functionResult.function === c.fn.name);
  const a = r.apiResult;
  return (
    a.actionGroup === c.group.name &&
    !!c.fn.api &&
    (a.apiPath === undefined || a.apiPath === c.fn.api.path) &&
    (a.httpMethod === undefined || a.httpMethod.toLowerCase() === c.fn.api.method)
  );
}

function describe(r: InvocationResult): string {
  if ('functionResult' in r) return `${r.functionResult.actionGroup}.${r.functionResult.function ?? '?'}`;
  return `${r.apiResult.actionGroup} ${r.apiResult.httpMethod ?? '?'} ${r.apiResult.apiPath ?? '?'}`;
}
