import { QuarryError } from '../../core/errors.js';
import type { Action } from './actions.js';
import { type AttachedPolicy, type Decision, evaluate } from './evaluate-policy.js';
import type { AuthorizationRequest } from './request-scope.js';

/**
 * What a route calls: evaluate, and turn a deny into Bedrock's AccessDeniedException with Bedrock's wording, which
 * clients and people already know how to read. The decision comes back on success for the audit record.
 */
export function authorize(request: AuthorizationRequest<Action>, policies: readonly AttachedPolicy[]): Decision {
  const decision = evaluate(request, policies);
  if (!decision.allowed) throw new QuarryError('AccessDeniedException', accessDeniedMessage(request, decision));
  return decision;
}

export function accessDeniedMessage(request: AuthorizationRequest<string>, decision: Decision): string {
  const who = request.principal.arn ?? request.principal.id;
  const base = `User: ${who} is not authorized to perform: ${request.action} on resource: ${request.resource}`;
  return decision.reason === 'explicitDeny'
    ? `${base} with an explicit deny in an identity-based policy`
    : `${base} because no identity-based policy allows the ${request.action} action`;
}
