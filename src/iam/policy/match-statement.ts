import type { CompiledCondition } from './compile-condition.js';
import type { CompiledStatement } from './compile-policy.js';
import type { ContextValue } from './context-keys.js';
import type { RequestScope } from './request-scope.js';

/**
 * Whether one statement applies to a request, element by element. evaluate() stops at the first element that fails;
 * simulate() asks every element so it can say why a statement did not apply. Both use these functions, so they cannot
 * disagree.
 */

/** Action/NotAction: NotAction applies to every action it does not list. */
export function actionApplies(s: CompiledStatement, scope: RequestScope): boolean {
  return s.action.matches(scope.action) !== s.actionNegated;
}

/** Variables the statement needs that this request lacks. IAM treats such a statement as not applying at all. */
export function missingVariables(s: CompiledStatement, scope: RequestScope): string[] {
  return s.variables.filter((v) => scope.variable(v) === undefined);
}

/** Resource/NotResource (call after missingVariables came back empty). */
export function resourceApplies(s: CompiledStatement, scope: RequestScope): boolean {
  return s.resource.matches(scope.resource, scope) !== s.resourceNegated;
}

export type ConditionResult = 'holds' | 'missingKey' | 'valueMismatch';

/**
 * One operator/key pair. Missing key: false, except that IfExists, ForAllValues and negated operators hold (IAM's
 * rules); Null decides on presence alone. Several request values (a multivalued key) need a set operator; without one
 * the positive operator holds if any value matches, and a negated one if none does.
 */
export function conditionResult(c: CompiledCondition, scope: RequestScope): ConditionResult {
  const v = scope.value(c.keyLower);
  const absent = v === undefined || (Array.isArray(v) && v.length === 0);
  const { base, set, ifExists, spec } = c.operator;
  if (base === 'Null') {
    // "true" asks for the key to be absent, "false" for it to be present; several values are ORed.
    return c.values.some((x) => x.toLowerCase() === String(absent)) ? 'holds' : absent ? 'missingKey' : 'valueMismatch';
  }
  if (absent) {
    if (ifExists || set === 'ForAllValues' || (set === undefined && spec.negated)) return 'holds';
    return 'missingKey';
  }
  let holds: boolean;
  if (!Array.isArray(v)) {
    holds = c.test(v as ContextValue, scope) !== spec.negated;
  } else {
    const values = v as readonly string[];
    switch (set) {
      case undefined:
        holds = anyMatch(c, values, scope) !== spec.negated;
        break;
      case 'ForAnyValue':
        holds = false;
        for (const x of values) if (c.test(x, scope) !== spec.negated) holds = true;
        break;
      case 'ForAllValues':
        holds = true;
        for (const x of values) if (c.test(x, scope) === spec.negated) holds = false;
        break;
      default: {
        const never: never = set;
        throw new Error(`unhandled set operator ${String(never)}`);
      }
    }
  }
  return holds ? 'holds' : 'valueMismatch';
}

function anyMatch(c: CompiledCondition, values: readonly string[], scope: RequestScope): boolean {
  for (const x of values) if (c.test(x, scope)) return true;
  return false;
}

/** The fast path: every element but the action (CompiledPolicy.statementsFor has checked it), stopping at the first
 * that fails. */
export function statementAppliesToAction(s: CompiledStatement, scope: RequestScope): boolean {
  for (const v of s.variables) if (scope.variable(v) === undefined) return false;
  if (!resourceApplies(s, scope)) return false;
  for (const c of s.conditions) if (conditionResult(c, scope) !== 'holds') return false;
  return true;
}
