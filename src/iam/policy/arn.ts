import type { TemplatePart, VariableSource } from './policy-variables.js';
import { TemplateWildcard } from './template-wildcard.js';

/**
 * Every Quarry resource has an ARN `arn:<partition>:<service>:<region>:<account>:<type>/<id>`; foundation models have
 * an empty account, as on Bedrock. Quarry's own resources (users, policies, keys, budgets) use the same shape and the
 * `bedrock` service so that one policy language covers everything (DESIGN.md, "Resources and identity").
 */
export const RESOURCE_TYPES = [
  'foundation-model',
  'inference-profile',
  'application-inference-profile',
  'custom-model',
  'provisioned-model',
  'imported-model',
  'knowledge-base',
  'guardrail',
  'agent',
  'agent-alias',
  'flow',
  'prompt',
  'model-invocation-job',
  'evaluation-job',
  'user',
  'policy',
  'api-key',
  'budget',
  'app',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

const RESOURCE_TYPE_SET: ReadonlySet<string> = new Set(RESOURCE_TYPES);
export const isResourceType = (s: string): s is ResourceType => RESOURCE_TYPE_SET.has(s);

/** An ARN split at its first five colons; the sixth field (the resource) keeps any further colons. */
export interface ArnValue {
  readonly text: string;
  /** arn, partition, service, region, account, resource. */
  readonly fields: readonly string[];
  /** Where each field starts in `text`. */
  readonly starts: readonly number[];
}

/** Splits without judging the contents; undefined when `s` is not `arn:` with six fields. */
export function splitArn(s: string): ArnValue | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const fields: string[] = [];
  const starts: number[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const colon = s.indexOf(':', from);
    if (colon < 0) return undefined;
    fields.push(s.slice(from, colon));
    starts.push(from);
    from = colon + 1;
  }
  fields.push(s.slice(from));
  starts.push(from);
  return { text: s, fields, starts };
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the fifth colon, e.g. `knowledge-base/KB12345678`. */
  resource: string;
  /** The part of `resource` before its first `/` (or the whole of it). */
  resourceType: string;
  /** The part of `resource` after its first `/` ('' when there is none). */
  resourceId: string;
}

export function parseArn(s: string): ParsedArn | undefined {
  const v = splitArn(s);
  if (!v) return undefined;
  const [, partition, service, region, accountId, resource] = v.fields as [string, string, string, string, string, string];
  const slash = resource.indexOf('/');
  return {
    partition,
    service,
    region,
    accountId,
    resource,
    resourceType: slash < 0 ? resource : resource.slice(0, slash),
    resourceId: slash < 0 ? '' : resource.slice(slash + 1),
  };
}

export class ArnPatternError extends Error {}

/**
 * A Resource entry or an ArnLike/ArnEquals value. Each colon-separated field is matched on its own, so a `*` in the
 * region cannot run on into the account or the resource; the one exception is a pattern cut short by a final `*`
 * (`arn:aws:bedrock:*`), which covers everything after it. AWS also lets a `*` that ends a middle field spill across
 * colons; Quarry does not, because resources reach the evaluator in canonical form where every field is in its place,
 * and a spill would let a crafted model id (ids may contain colons) fall under a pattern meant for another type.
 */
export class ArnPattern {
  /** Field indexes worth checking, the resource part first: it rejects most often, and a `*` field needs no check. */
  private readonly order: readonly number[];
  private readonly lastIndex: number;

  private constructor(
    private readonly fields: readonly TemplateWildcard[],
    /** Fewer than six fields and the last ends with `*`: that star covers the remaining fields, colons included. */
    private readonly open: boolean,
  ) {
    this.lastIndex = open ? fields.length - 1 : 5;
    const indexes = [this.lastIndex, 2, 4, 3, 1, 0].filter((i) => i <= this.lastIndex && !fields[i]!.matchesEverything);
    this.order = [...new Set(indexes)];
  }

  /**
   * `resourceElement` applies the Resource element's extra rules: a literal `arn` and service (AWS allows no wildcard
   * in the service), and variables only in the resource part after the fifth colon.
   */
  static compile(parts: readonly TemplatePart[], opts: { resourceElement: boolean }): ArnPattern {
    const fields = splitFields(parts);
    const last = fields.at(-1)!.at(-1);
    const open = fields.length < 6 && last?.kind === 'text' && last.text.endsWith('*');
    if (fields.length < 6 && !open) {
      throw new ArnPatternError('an ARN has six colon-separated fields (arn:partition:service:region:account:resource); end a shorter pattern with *');
    }
    if (opts.resourceElement) {
      if (plainText(fields[0]) !== 'arn') throw new ArnPatternError('a resource ARN starts with arn:');
      const service = plainText(fields[2]);
      if (!service || /[*?]/.test(service)) {
        throw new ArnPatternError('name the service in a resource ARN (no wildcards there), e.g. arn:aws:bedrock:*; use "*" alone for every resource');
      }
      if (fields.slice(0, 5).some((f) => f.some((p) => p.kind === 'variable'))) {
        throw new ArnPatternError('policy variables may appear only in the resource part of an ARN (after the fifth colon)');
      }
    }
    return new ArnPattern(
      fields.map((f) => new TemplateWildcard(f)),
      open,
    );
  }

  /**
   * Undefined (or false, when the text could not match whatever the variable held) when a variable has no value in
   * this request; statements check their variables first and do not apply without them.
   */
  matches(value: ArnValue, vars: VariableSource): boolean | undefined {
    for (const i of this.order) {
      const text = this.open && i === this.lastIndex ? value.text.slice(value.starts[i]) : value.fields[i]!;
      const m = this.fields[i]!.matches(text, vars);
      if (m !== true) return m;
    }
    return true;
  }
}

/** The text of a field that is one piece of policy text (no variables, no escapes). */
const plainText = (field: readonly TemplatePart[] | undefined): string | undefined =>
  field?.length === 1 && field[0]!.kind === 'text' ? field[0]!.text : undefined;

/** Cuts template parts into ARN fields at the first five colons of policy text (substituted text never cuts). */
function splitFields(parts: readonly TemplatePart[]): TemplatePart[][] {
  const fields: TemplatePart[][] = [[]];
  for (const p of parts) {
    if (p.kind !== 'text') {
      fields.at(-1)!.push(p);
      continue;
    }
    let rest = p.text;
    while (fields.length < 6) {
      const colon = rest.indexOf(':');
      if (colon < 0) break;
      if (colon > 0) fields.at(-1)!.push({ kind: 'text', text: rest.slice(0, colon) });
      fields.push([]);
      rest = rest.slice(colon + 1);
    }
    if (rest) fields.at(-1)!.push({ kind: 'text', text: rest });
  }
  return fields;
}
