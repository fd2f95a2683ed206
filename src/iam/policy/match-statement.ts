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
  return s.resource.matches(scope.resource, scope.variable) !== s.resourceNegated;
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
  const lookup = scope.variable;
  const matches = (x: ContextValue) => c.test(x, lookup);
  let holds: boolean;
  if (!Array.isArray(v)) {
    holds = matches(v as ContextValue) !== spec.negated;
  } else {
    const values = v as readonly string[];
    switch (set) {
      case undefined:
        holds = values.some(matches) !== spec.negated;
        break;
      case 'ForAnyValue':
        holds = values.some((x) => matches(x) !== spec.negated);
        break;
      case 'ForAllValues':
        holds = values.every((x) => matches(x) !== spec.negated);
        break;
      default: {
        const never: never = set;
        throw new Error(`unhandled set operator ${String(never)}`);
      }
    }
  }
  return holds ? 'holds' : 'valueMismatch';
}

/** The fast path: all elements, stopping at the first that fails. */
export function statementApplies(s: CompiledStatement, scope: RequestScope): boolean {
  if (!actionApplies(s, scope)) return false;
  for (const v of s.variables) if (scope.variable(v) === undefined) return false;
  if (!resourceApplies(s, scope)) return false;
  for (const c of s.conditions) if (conditionResult(c, scope) !== 'holds') return false;
  return true;
}
