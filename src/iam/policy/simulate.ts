import { QuarryError } from '../../core/errors.js';
import { ActionMatcher, requestAction } from './action-pattern.js';
import { ACTIONS, type Action, canonicalAction } from './actions.js';
import { parseArn } from './arn.js';
import { canonicalResource } from './canonical-resource.js';
import { type CompiledStatement, compiledPolicy } from './compile-policy.js';
import { type ContextValue, isWellKnownContextKey, type RequestContext } from './context-keys.js';
import { type AttachedPolicy, type Decision, type StatementRef, statementRef } from './evaluate-policy.js';
import { actionApplies, type ConditionResult, conditionResult, missingVariables, resourceApplies } from './match-statement.js';
import { type PolicyPrincipal, RequestScope } from './request-scope.js';

/**
 * The policy simulator behind `quarry iam simulate` and its API: the same decision as evaluate(), plus, for every
 * statement, whether it applied and, if not, which element stopped it. Unlike evaluate() it accepts what a person
 * types — an action in any case, a resource in any canonicalizable spelling — and says what it made of it.
 */

export interface SimulationRequest {
  readonly principal: PolicyPrincipal;
  readonly action: string;
  readonly resource: string;
  readonly context?: RequestContext;
}

export interface ConditionTrace {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
  readonly result: ConditionResult;
  /** What the request had for the key (after the principal's keys and the time were filled in). */
  readonly requestValue?: ContextValue;
}

export interface StatementTrace extends StatementRef {
  readonly effect: 'Allow' | 'Deny';
  /** Whether every element matched, so the statement's Effect applies to this request. */
  readonly applies: boolean;
  /** This is the statement the decision reports. */
  readonly decisive: boolean;
  readonly action: { readonly element: 'Action' | 'NotAction'; readonly entries: readonly string[]; readonly matched: boolean };
  /** `matched` is absent when a missing variable stopped the statement before its resources could be compared. */
  readonly resource: { readonly element: 'Resource' | 'NotResource'; readonly entries: readonly string[]; readonly matched?: boolean };
  /** Policy variables (without a default) that the request has no single value for. */
  readonly missingVariables: readonly string[];
  readonly conditions: readonly ConditionTrace[];
  /** Why the statement did not apply, one sentence per failing element. */
  readonly reasons: readonly string[];
}

export interface SimulationResult {
  /** The action and resource as evaluated (catalog spelling, canonical ARN). */
  readonly action: string;
  readonly resource: string;
  readonly decision: Decision;
  readonly statements: readonly StatementTrace[];
  /** Things worth a second look that do not change the decision: an unknown action, a resource of the wrong type, a
   * condition key nothing sets, an Action entry that matches no action Quarry knows. */
  readonly warnings: readonly string[];
}

export function simulate(request: SimulationRequest, policies: readonly AttachedPolicy[]): SimulationResult {
  const warnings: string[] = [];
  const known = canonicalAction(request.action);
  const action = known ?? request.action;
  if (!requestAction(action)) throw new QuarryError('ValidationException', `Invalid action ${JSON.stringify(request.action)}: expected service:Name, e.g. bedrock:InvokeModel.`);
  if (!known) warnings.push(`${action} is not an action Quarry authorizes; no route will ever ask for it`);
  const resource = canonicalResource(request.resource);
  if (resource !== request.resource) warnings.push(`the resource was read as ${resource}`);
  if (known) warnings.push(...resourceTypeWarnings(known, resource));

  const scope = new RequestScope({ ...request, action, resource });
  const statements: StatementTrace[] = [];
  const unsetKeys = new Set<string>();
  for (const p of policies) {
    const policy = compiledPolicy(p.document);
    for (const s of policy.statements) {
      statements.push(traceStatement(p.id, s, scope, action, resource));
      if (actionApplies(s, scope)) {
        for (const c of s.conditions) if (scope.value(c.keyLower) === undefined && !isWellKnownContextKey(c.key)) unsetKeys.add(c.key);
      }
      warnings.push(...unknownActionEntries(p.id, s));
    }
  }
  for (const key of unsetKeys) warnings.push(`condition key ${key} is neither in the context nor one Quarry sets; conditions on it see a missing key`);

  const deny = statements.find((t) => t.applies && t.effect === 'Deny');
  const allow = statements.find((t) => t.applies && t.effect === 'Allow');
  const decisive = deny ?? allow;
  const decision: Decision = deny
    ? { allowed: false, reason: 'explicitDeny', statement: statementRef(deny.policyId, deny.sid, deny.index) }
    : allow
      ? { allowed: true, reason: 'allowed', statement: statementRef(allow.policyId, allow.sid, allow.index) }
      : { allowed: false, reason: 'implicitDeny' };
  return { action, resource, decision, statements: statements.map((t) => (t === decisive ? { ...t, decisive: true } : t)), warnings };
}

function traceStatement(policyId: string, s: CompiledStatement, scope: RequestScope, action: string, resource: string): StatementTrace {
  const reasons: string[] = [];
  const actionElement = s.actionNegated ? 'NotAction' : 'Action';
  const resourceElement = s.resourceNegated ? 'NotResource' : 'Resource';
  const actionOk = actionApplies(s, scope);
  if (!actionOk) reasons.push(s.actionNegated ? `NotAction excludes ${action}` : `Action does not match ${action}`);
  const missing = missingVariables(s, scope);
  for (const v of missing) reasons.push(`policy variable \${${v}} has no single value in this request, so the statement does not apply`);
  const resourceOk = missing.length ? undefined : resourceApplies(s, scope);
  if (resourceOk === false) reasons.push(s.resourceNegated ? `NotResource excludes ${resource}` : `Resource does not match ${resource}`);
  const conditions = s.conditions.map((c): ConditionTrace => {
    const result = conditionResult(c, scope);
    const requestValue = scope.value(c.keyLower);
    if (result === 'missingKey') reasons.push(`${c.operator.name} on ${c.key}: the request has no value for the key`);
    if (result === 'valueMismatch') reasons.push(`${c.operator.name} on ${c.key}: request value ${show(requestValue)} fails against ${show(c.values)}`);
    return requestValue === undefined
      ? { operator: c.operator.name, key: c.key, values: c.values, result }
      : { operator: c.operator.name, key: c.key, values: c.values, result, requestValue };
  });
  return {
    ...statementRef(policyId, s.sid, s.index),
    effect: s.effect,
    applies: reasons.length === 0,
    decisive: false,
    action: { element: actionElement, entries: s.actionEntries, matched: actionOk },
    resource: resourceOk === undefined ? { element: resourceElement, entries: s.resourceEntries } : { element: resourceElement, entries: s.resourceEntries, matched: resourceOk },
    missingVariables: missing,
    conditions,
    reasons,
  };
}

function resourceTypeWarnings(action: Action, resource: string): string[] {
  const types: readonly string[] = ACTIONS[action].resources;
  if (!types.length) return resource === '*' ? [] : [`${action} takes no resource: routes authorize it on *, so statements naming ARNs never match it`];
  if (resource === '*') return [`${action} acts on a ${types.join(' or ')}; routes authorize it on that resource's ARN, not on *`];
  const type = parseArn(resource)!.resourceType;
  return types.includes(type) ? [] : [`${action} acts on a ${types.join(' or ')}, not a ${type}`];
}

const CATALOG = (Object.keys(ACTIONS) as Action[]).map((a) => requestAction(a)!);

function unknownActionEntries(policyId: string, s: CompiledStatement): string[] {
  return s.actionEntries
    .filter((e) => {
      if (e === '*') return false;
      const m = ActionMatcher.compile([e]);
      return !CATALOG.some((a) => m.matches(a));
    })
    .map((e) => `policy ${policyId}, statement ${s.sid ?? s.index}: ${s.actionNegated ? 'NotAction' : 'Action'} ${e} matches no action Quarry knows`);
}

const show = (v: unknown) => JSON.stringify(v instanceof Date ? v.toISOString() : v);
