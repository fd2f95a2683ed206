import type { Action } from './actions.js';
import { compiledPolicy } from './compile-policy.js';
import { statementAppliesToAction } from './match-statement.js';
import type { PolicyDocument } from './policy-document.js';
import { type AuthorizationRequest, RequestScope } from './request-scope.js';

export interface AttachedPolicy {
  readonly id: string;
  readonly document: PolicyDocument;
}

/** Which statement decided: the policy, its Sid if it has one, and the statement's position in the policy. */
export interface StatementRef {
  readonly policyId: string;
  readonly sid?: string;
  readonly index: number;
}

export interface Decision {
  readonly allowed: boolean;
  readonly reason: 'explicitDeny' | 'allowed' | 'implicitDeny';
  /** The deciding statement; absent for an implicit deny, which no statement decides. */
  readonly statement?: StatementRef;
}

const IMPLICIT_DENY: Decision = Object.freeze({ allowed: false, reason: 'implicitDeny' });

/**
 * The one authorization decision, over the identity policies attached to the principal: an applicable Deny anywhere
 * wins, otherwise an applicable Allow allows, otherwise the request is implicitly denied. Statements are checked in
 * order, so the statement reported is the first Deny (or, failing one, the first Allow) that applies.
 *
 * Throws a ValidationException for a non-canonical resource or a malformed action, and InvalidPolicyError for a
 * policy that does not validate: a question the evaluator cannot answer exactly is never answered "allowed".
 * Documents are compiled on first sight and cached by identity (and frozen), so pass the same objects each time.
 */
export function evaluate(request: AuthorizationRequest<Action>, policies: readonly AttachedPolicy[]): Decision {
  return decide(new RequestScope(request), policies);
}

/** evaluate() for a prepared request; simulate() and the tests share it. */
export function decide(scope: RequestScope, policies: readonly AttachedPolicy[]): Decision {
  let allow: StatementRef | undefined;
  for (const p of policies) {
    for (const s of compiledPolicy(p.document).statementsFor(scope.action)) {
      // Once something allows, only a Deny can still change the answer.
      if (allow && s.effect === 'Allow') continue;
      if (!statementAppliesToAction(s, scope)) continue;
      const ref = statementRef(p.id, s.sid, s.index);
      if (s.effect === 'Deny') return { allowed: false, reason: 'explicitDeny', statement: ref };
      allow = ref;
    }
  }
  return allow ? { allowed: true, reason: 'allowed', statement: allow } : IMPLICIT_DENY;
}

/**
 * Whether evaluate() over these policies gives the same answer for every principal, context and moment, given the
 * action and resource: then an answer may be remembered for as long as the policies are the same objects.
 */
export function decidedByActionAndResource(policies: readonly AttachedPolicy[]): boolean {
  for (const p of policies) if (!compiledPolicy(p.document).decidedByActionAndResource) return false;
  return true;
}

export const statementRef = (policyId: string, sid: string | undefined, index: number): StatementRef =>
  sid === undefined ? { policyId, index } : { policyId, sid, index };
