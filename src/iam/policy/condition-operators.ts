/**
 * The condition operators Quarry evaluates, with IAM's semantics. A negated operator (StringNotEquals, NotIpAddress,
 * ArnNotLike …) is evaluated as "not the positive one": with several policy values it holds when the request value
 * matches none of them, and it holds when the key is missing (IAM: "If the policy condition requires that the key is
 * not matched … and the right key is not present, the condition is true").
 */

export type ConditionType = 'string' | 'numeric' | 'date' | 'bool' | 'ip' | 'arn' | 'null';
export type Comparison = 'eq' | 'eqIgnoreCase' | 'like' | 'lt' | 'lte' | 'gt' | 'gte';

export interface OperatorSpec {
  readonly type: ConditionType;
  readonly comparison: Comparison;
  readonly negated: boolean;
}

const op = (type: ConditionType, comparison: Comparison, negated = false): OperatorSpec => ({ type, comparison, negated });

export const CONDITION_OPERATORS = {
  StringEquals: op('string', 'eq'),
  StringNotEquals: op('string', 'eq', true),
  StringEqualsIgnoreCase: op('string', 'eqIgnoreCase'),
  StringNotEqualsIgnoreCase: op('string', 'eqIgnoreCase', true),
  StringLike: op('string', 'like'),
  StringNotLike: op('string', 'like', true),
  NumericEquals: op('numeric', 'eq'),
  NumericNotEquals: op('numeric', 'eq', true),
  NumericLessThan: op('numeric', 'lt'),
  NumericLessThanEquals: op('numeric', 'lte'),
  NumericGreaterThan: op('numeric', 'gt'),
  NumericGreaterThanEquals: op('numeric', 'gte'),
  DateEquals: op('date', 'eq'),
  DateNotEquals: op('date', 'eq', true),
  DateLessThan: op('date', 'lt'),
  DateLessThanEquals: op('date', 'lte'),
  DateGreaterThan: op('date', 'gt'),
  DateGreaterThanEquals: op('date', 'gte'),
  Bool: op('bool', 'eq'),
  IpAddress: op('ip', 'eq'),
  NotIpAddress: op('ip', 'eq', true),
  ArnEquals: op('arn', 'like'),
  ArnNotEquals: op('arn', 'like', true),
  ArnLike: op('arn', 'like'),
  ArnNotLike: op('arn', 'like', true),
  Null: op('null', 'eq'),
} as const satisfies Record<string, OperatorSpec>;

export type ConditionOperatorName = keyof typeof CONDITION_OPERATORS;
export type SetOperator = 'ForAnyValue' | 'ForAllValues';

export interface ParsedOperator {
  /** As written in the policy, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly name: string;
  readonly base: ConditionOperatorName;
  readonly spec: OperatorSpec;
  readonly set: SetOperator | undefined;
  readonly ifExists: boolean;
}

const NAMES = Object.keys(CONDITION_OPERATORS) as ConditionOperatorName[];
const BY_LOWER = new Map(NAMES.map((n) => [n.toLowerCase(), n]));

export const SUPPORTED_OPERATORS_SENTENCE = `supported operators: ${NAMES.join(', ')}; each may end in IfExists and start with ForAnyValue: or ForAllValues:, except Null`;

export function parseConditionOperator(name: string): ParsedOperator | { problem: string } {
  let rest = name;
  let set: SetOperator | undefined;
  for (const s of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${s}:`)) {
      set = s;
      rest = rest.slice(s.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const baseName = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (!Object.hasOwn(CONDITION_OPERATORS, baseName)) {
    const near = BY_LOWER.get(baseName.toLowerCase());
    const hint = near ? ` (operator names are case-sensitive: did you mean ${near}?)` : '';
    return { problem: `unsupported condition operator ${JSON.stringify(name)}${hint}; ${SUPPORTED_OPERATORS_SENTENCE}` };
  }
  const base = baseName as ConditionOperatorName;
  if (base === 'Null' && (ifExists || set)) return { problem: `${name}: Null tests whether a key exists, so it takes neither IfExists nor a set operator` };
  return { name, base, spec: CONDITION_OPERATORS[base], set, ifExists };
}
