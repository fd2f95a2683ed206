import { QuarryError } from '../../core/errors.js';
import { type ArnValue, isResourceType, RESOURCE_TYPES, type ResourceType, splitArn } from './arn.js';

/**
 * The evaluator compares resource ARNs as exact, case-sensitive strings, so every route must hand it the one spelling
 * a resource has. Anything that another layer might read differently from the evaluator is refused here rather than
 * "cleaned up", because a cleaned-up string is exactly how a deny gets evaded (`KB1/../KB2`, `KB1%2F..`, `kb1` vs
 * `KB1`):
 * - `%` never appears: the router decodes a path once, so a `%` left over is double encoding;
 * - ids are printable ASCII from a small set (no spaces, quotes, backslashes, wildcards or `${`), which also rules
 *   out Unicode look-alikes and NFC/NFD twins;
 * - no empty, `.` or `..` path segments, no leading or trailing `/`;
 * - partition, service and region are lower-cased (they are case-insensitive names); the resource type must be one
 *   Quarry knows, in lower case; ids keep their case — and the store must look them up case-sensitively. Best of all,
 *   routes build the ARN from the record the store returned (`resourceArn`), not from the string the client sent.
 */

const MAX_ARN_LENGTH = 2048;
const ID_CHARS = /^[A-Za-z0-9._:@+=,/-]+$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ACCOUNT = /^\d{12}$/;

// Routes ask about the same few resources again and again; remembering the ones already checked takes the check off
// the hot path. Bounded, and emptied when full, so a stream of distinct ARNs costs time, never memory.
const checked = new Map<string, ArnValue>();
const MAX_CHECKED = 4096;
// Every invocation builds its model's ARN, so the spellings already made canonical are remembered the same way.
const canonical = new Map<string, string>();

/** Returns the canonical spelling of a resource (`*` or an ARN), or throws a ValidationException saying what is wrong. */
export function canonicalResource(input: string): string {
  let arn = canonical.get(input);
  if (arn !== undefined) return arn;
  const r = canonicalize(input);
  if ('problem' in r) throw new QuarryError('ValidationException', `Invalid resource ${quote(input)}: ${r.problem}.`);
  arn = r.arn;
  if (canonical.size >= MAX_CHECKED) canonical.clear();
  canonical.set(input, arn);
  return arn;
}

/** The problem with a resource string, or undefined when it is already canonical. */
export function resourceProblem(input: string): string | undefined {
  const r = canonicalize(input);
  if ('problem' in r) return r.problem;
  return r.arn === input ? undefined : `not canonical; the canonical spelling is ${r.arn}`;
}


/** For the evaluator: a canonical resource split into fields, `*`, or a ValidationException. */
export function requireCanonicalResource(resource: string): ArnValue | '*' {
  if (resource === '*') return '*';
  let v = checked.get(resource);
  if (v) return v;
  const problem = resourceProblem(resource);
  if (problem) throw new QuarryError('ValidationException', `Invalid resource ${quote(resource)} for authorization: ${problem}.`);
  v = Object.freeze(splitArn(resource)!);
  if (checked.size >= MAX_CHECKED) checked.clear();
  checked.set(resource, v);
  return v;
}

export interface ResourceRef {
  type: ResourceType;
  id: string;
  region: string;
  /** Ignored for foundation models, whose ARNs have an empty account. */
  accountId: string;
  partition?: string;
  service?: string;
}

/** Builds the canonical ARN of a resource; throws a ValidationException for an id that cannot be canonical. */
export function resourceArn(ref: ResourceRef): string {
  const account = ref.type === 'foundation-model' ? '' : ref.accountId;
  return canonicalResource(`arn:${ref.partition ?? 'aws'}:${ref.service ?? 'bedrock'}:${ref.region}:${account}:${ref.type}/${ref.id}`);
}

export const foundationModelArn = (region: string, modelId: string): string =>
  resourceArn({ type: 'foundation-model', id: modelId, region, accountId: '' });

function canonicalize(input: string): { arn: string } | { problem: string } {
  if (input === '*') return { arn: '*' };
  if (input.length > MAX_ARN_LENGTH) return { problem: `longer than ${MAX_ARN_LENGTH} characters` };
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return { problem: 'only printable ASCII without spaces is allowed' };
  }
  if (input.includes('%')) return { problem: 'percent-encoding is not allowed (decode the path once, before authorization)' };
  const v = splitArn(input.slice(0, 4).toLowerCase() === 'arn:' ? `arn:${input.slice(4)}` : input);
  if (!v) return { problem: 'expected arn:partition:service:region:account:type/id or *' };
  const [, p, s, r, account, resource] = v.fields as [string, string, string, string, string, string];
  const partition = p.toLowerCase();
  const service = s.toLowerCase();
  const region = r.toLowerCase();
  if (!PARTITION.test(partition)) return { problem: `partition ${quote(p)} is not aws or aws-<name>` };
  if (!NAME.test(service)) return { problem: `service ${quote(s)} is not a service name` };
  if (!NAME.test(region)) return { problem: `region ${quote(r)} is not a region name` };
  const slash = resource.indexOf('/');
  const type = slash < 0 ? resource : resource.slice(0, slash);
  const id = slash < 0 ? '' : resource.slice(slash + 1);
  if (!isResourceType(type)) return { problem: `unknown resource type ${quote(type)} (known, in lower case: ${RESOURCE_TYPES.join(', ')})` };
  if (type === 'foundation-model' ? account !== '' : !ACCOUNT.test(account)) {
    return { problem: type === 'foundation-model' ? 'a foundation-model ARN has an empty account' : `account ${quote(account)} is not 12 digits` };
  }
  if (!id) return { problem: 'the resource id is empty' };
  if (!ID_CHARS.test(id)) return { problem: 'the resource id may contain only letters, digits and . _ : @ + = , / -' };
  for (const seg of id.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') return { problem: 'the resource id has an empty, "." or ".." path segment' };
  }
  return { arn: `arn:${partition}:${service}:${region}:${account}:${type}/${id}` };
}

const quote = (s: string) => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
