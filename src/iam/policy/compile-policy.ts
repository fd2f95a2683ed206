import { ActionMatcher, actionPatternProblem, type RequestAction } from './action-pattern.js';
import { ArnPattern, ArnPatternError, type ArnValue } from './arn.js';
import { type CompiledCondition, ConditionValueError, compileCondition } from './compile-condition.js';
import { parseConditionOperator } from './condition-operators.js';
import {
  type ConditionValue,
  formatPath,
  InvalidPolicyError,
  POLICY_LIMITS,
  type PolicyDocument,
  type PolicyIssue,
  type PolicyVersion,
  policyDocumentSchema,
  toPolicyIssues,
} from './policy-document.js';
import { CONDITION_KEY, parseTemplate, requiredVariables, TemplateError, type TemplatePart, type VariableSource } from './policy-variables.js';

/**
 * A policy prepared for evaluation: patterns compiled, values parsed, variables listed. Compiling is also the full
 * validation of a document — a policy that compiles is one the evaluator understands completely, which is the point:
 * nothing in a stored policy is silently ignored.
 */

export class ResourceMatcher {
  constructor(
    private readonly any: boolean,
    private readonly patterns: readonly ArnPattern[],
  ) {}

  /** `*` (actions without a resource) is matched only by a `*` entry, as on AWS. */
  matches(resource: ArnValue | '*', vars: VariableSource): boolean {
    if (this.any) return true;
    if (resource === '*') return false;
    for (const p of this.patterns) if (p.matches(resource, vars) === true) return true;
    return false;
  }
}

export interface CompiledStatement {
  /** Position in the policy's Statement list (0 for a single statement object). */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  readonly action: ActionMatcher;
  /** NotAction rather than Action. */
  readonly actionNegated: boolean;
  readonly actionEntries: readonly string[];
  readonly resource: ResourceMatcher;
  readonly resourceNegated: boolean;
  readonly resourceEntries: readonly string[];
  readonly conditions: readonly CompiledCondition[];
  /** Lower-cased keys of policy variables without defaults anywhere in the statement. */
  readonly variables: readonly string[];
}

export class CompiledPolicy {
  // Whether a statement's Action/NotAction matches depends on the action alone, and routes ask with a few dozen
  // actions: remember, per action, which statements are left to check. Bounded like the other caches here.
  private readonly byAction = new Map<string, readonly CompiledStatement[]>();
  private actionAndResourceOnly: boolean | undefined;

  constructor(
    readonly version: PolicyVersion,
    readonly statements: readonly CompiledStatement[],
  ) {}

  /**
   * Whether what this policy says about a request depends on its action and resource alone: no statement has a
   * condition (which may read the context or the clock) or a policy variable in its resources (which reads the
   * principal). `${` anywhere in a resource counts, a literal one in a 2008-10-17 policy included: in doubt, no.
   */
  get decidedByActionAndResource(): boolean {
    this.actionAndResourceOnly ??= this.statements.every((s) => s.conditions.length === 0 && s.resourceEntries.every((r) => !r.includes('${')));
    return this.actionAndResourceOnly;
  }

  /** The statements whose Action or NotAction element lets them apply to this action, in order. */
  statementsFor(action: RequestAction): readonly CompiledStatement[] {
    let list = this.byAction.get(action.lower);
    if (!list) {
      list = this.statements.filter((s) => s.action.matches(action) !== s.actionNegated);
      if (this.byAction.size >= 512) this.byAction.clear();
      this.byAction.set(action.lower, list);
    }
    return list;
  }
}

// Keyed by document identity. Documents are frozen when first compiled, so an entry can never go stale.
const cache = new WeakMap<object, CompiledPolicy | InvalidPolicyError>();

/** The compiled form of a document, cached; throws InvalidPolicyError (a ValidationException) for an invalid one. */
export function compiledPolicy(document: PolicyDocument): CompiledPolicy {
  let c = cache.get(document);
  if (!c) {
    const r = compilePolicy(document);
    c = 'issues' in r ? new InvalidPolicyError(r.issues) : r.policy;
    deepFreeze(document);
    cache.set(document, c);
  }
  if (c instanceof InvalidPolicyError) throw c;
  return c;
}

/** Seeds the cache for a document parsePolicyDocument has just compiled. */
export function rememberCompiled(document: PolicyDocument, policy: CompiledPolicy): void {
  deepFreeze(document);
  cache.set(document, policy);
}

/** Validates and compiles any value; every problem found is returned, none thrown. */
export function compilePolicy(input: unknown): { policy: CompiledPolicy; document: PolicyDocument } | { issues: PolicyIssue[] } {
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch (e) {
    return { issues: [{ path: '', message: `not JSON-serializable (${e instanceof Error ? e.message : String(e)})` }] };
  }
  if (json === undefined) return { issues: [{ path: '', message: 'a policy document is a JSON object with Version and Statement' }] };
  if (json.length > POLICY_LIMITS.maxDocumentChars) {
    return { issues: [{ path: '', message: `the document is ${json.length} characters as minified JSON; the limit is ${POLICY_LIMITS.maxDocumentChars}` }] };
  }
  // A round trip through JSON leaves plain data only: no getters, prototypes or class instances reach the schema.
  const plain: unknown = JSON.parse(json);
  const proto = findProtoKey(plain, []);
  // zod's records drop a "__proto__" key silently, which would make a condition vanish; refuse it instead.
  if (proto) return { issues: [{ path: formatPath(proto), message: 'the key "__proto__" is not allowed' }] };
  const parsed = policyDocumentSchema.safeParse(plain);
  if (!parsed.success) return { issues: toPolicyIssues(parsed.error.issues, plain) };
  const doc = parsed.data;
  const single = !Array.isArray(doc.Statement);
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const issues: PolicyIssue[] = [];
  const sids = new Set<string>();
  const compiled: CompiledStatement[] = [];
  statements.forEach((s, index) => {
    const at = (...rest: PropertyKey[]) => formatPath(single ? ['Statement', ...rest] : ['Statement', index, ...rest]);
    const report = (path: string, message: string) => issues.push({ path, message });
    if (s.Sid) {
      if (sids.has(s.Sid)) report(at('Sid'), `Sid ${JSON.stringify(s.Sid)} is used by an earlier statement; Sids must be unique in a policy`);
      sids.add(s.Sid);
    }
    const actionElement = s.Action !== undefined ? 'Action' : 'NotAction';
    const actionEntries = list(s.Action ?? s.NotAction!);
    actionEntries.forEach((a, i) => {
      const problem = actionPatternProblem(a);
      if (problem) report(at(actionElement, i), `${JSON.stringify(a)}: ${problem}`);
    });
    const resourceElement = s.Resource !== undefined ? 'Resource' : 'NotResource';
    const resourceEntries = list(s.Resource ?? s.NotResource!);
    const variables: string[] = [];
    const patterns: ArnPattern[] = [];
    resourceEntries.forEach((r, i) => {
      if (r === '*') return;
      try {
        if (!r.startsWith('arn:')) throw new ArnPatternError('a resource is "*" or an ARN (arn:partition:service:region:account:type/id, wildcards allowed)');
        const parts = templateOf(r, doc.Version);
        variables.push(...requiredVariables(parts));
        patterns.push(ArnPattern.compile(parts, { resourceElement: true }));
      } catch (e) {
        if (!(e instanceof ArnPatternError || e instanceof TemplateError)) throw e;
        report(at(resourceElement, i), `${JSON.stringify(r)}: ${e.message}`);
      }
    });
    const conditions = compileConditions(s.Condition ?? {}, doc.Version, (path, message) => report(at('Condition', ...path), message));
    for (const c of conditions) variables.push(...c.variables);
    compiled.push({
      index,
      sid: s.Sid,
      effect: s.Effect,
      action: ActionMatcher.compile(actionEntries),
      actionNegated: s.Action === undefined,
      actionEntries,
      resource: new ResourceMatcher(resourceEntries.includes('*'), patterns),
      resourceNegated: s.Resource === undefined,
      resourceEntries,
      conditions,
      variables: [...new Set(variables)],
    });
  });
  if (issues.length) return { issues };
  return { policy: new CompiledPolicy(doc.Version, compiled), document: plain as PolicyDocument };
}

function compileConditions(
  block: Record<string, Record<string, ConditionValue | ConditionValue[]>>,
  version: PolicyVersion,
  report: (path: PropertyKey[], message: string) => void,
): CompiledCondition[] {
  const out: CompiledCondition[] = [];
  const operators = Object.keys(block);
  if (operators.length > POLICY_LIMITS.maxConditionOperators) {
    report([], `a statement has at most ${POLICY_LIMITS.maxConditionOperators} condition operators`);
    return out;
  }
  for (const name of operators) {
    const op = parseConditionOperator(name);
    if ('problem' in op) {
      report([name], op.problem);
      continue;
    }
    const keys = Object.keys(block[name]!);
    if (keys.length === 0) report([name], 'a condition operator needs at least one key');
    if (keys.length > POLICY_LIMITS.maxConditionKeys) {
      report([name], `an operator has at most ${POLICY_LIMITS.maxConditionKeys} keys`);
      continue;
    }
    for (const key of keys) {
      if (!CONDITION_KEY.test(key)) {
        report([name, key], `${JSON.stringify(key)} is not a condition key (prefix:name, e.g. aws:SourceIp)`);
        continue;
      }
      try {
        // Variables exist from Version 2012-10-17 on; in an older policy `${…}` is plain text, as in IAM.
        out.push(compileCondition(op, key, block[name]![key]!, version === '2012-10-17'));
      } catch (e) {
        if (!(e instanceof ConditionValueError)) throw e;
        report([name, key], e.message);
      }
    }
  }
  return out;
}

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

const templateOf = (s: string, version: PolicyVersion): TemplatePart[] =>
  version === '2012-10-17' ? parseTemplate(s) : [{ kind: 'text', text: s }];

function findProtoKey(v: unknown, path: PropertyKey[]): PropertyKey[] | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = findProtoKey(v[i], [...path, i]);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const key of Object.keys(v)) {
    if (key === '__proto__') return [...path, key];
    const hit = findProtoKey((v as Record<string, unknown>)[key], [...path, key]);
    if (hit) return hit;
  }
  return undefined;
}

function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}
