import { type Wildcard, wildcard } from './wildcard.js';

/**
 * Action and NotAction entries: `*`, or `service:name` where the name may hold `*` and `?`. Both parts compare without
 * regard to case, as on AWS. The service prefix must be spelt out in full — no wildcard there and no pattern without a
 * colon (IAM's own rule: "Actions must be prefaced by a vendor") — so `bedrock:*` can never reach `bedrock-agent:…`
 * or `quarry:…`, and a wildcard is only ever matched against the name after the colon.
 */

const ACTION_PATTERN = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;
const MAX_ACTION_LENGTH = 128;

/** Why an Action entry is not acceptable, or undefined when it is. */
export function actionPatternProblem(p: string): string | undefined {
  if (p === '*') return undefined;
  if (p.length > MAX_ACTION_LENGTH) return `longer than ${MAX_ACTION_LENGTH} characters`;
  if (!p.includes(':')) return 'an action is service:name, e.g. bedrock:InvokeModel or bedrock:*; use "*" alone for every action';
  const m = ACTION_PATTERN.exec(p);
  if (!m) {
    return /[*?]/.test(p.slice(0, p.indexOf(':')))
      ? 'the service prefix cannot contain wildcards (write bedrock:* or quarry:*)'
      : 'an action is service:name with letters, digits, * and ? only';
  }
  return undefined;
}

/** An action as the evaluator sees it: lower-cased once per request. */
export interface RequestAction {
  readonly lower: string;
  readonly service: string;
  readonly name: string;
}

export function requestAction(action: string): RequestAction | undefined {
  const m = ACTION_PATTERN.exec(action);
  if (!m || /[*?]/.test(action)) return undefined;
  return { lower: action.toLowerCase(), service: m[1]!.toLowerCase(), name: m[2]!.toLowerCase() };
}

export class ActionMatcher {
  private constructor(
    private readonly any: boolean,
    private readonly literals: ReadonlySet<string>,
    private readonly patterns: readonly { service: string; name: Wildcard }[],
  ) {}

  /** Entries must have passed actionPatternProblem. */
  static compile(entries: readonly string[]): ActionMatcher {
    const literals = new Set<string>();
    const patterns: { service: string; name: Wildcard }[] = [];
    let any = false;
    for (const e of entries) {
      if (e === '*') {
        any = true;
        continue;
      }
      const lower = e.toLowerCase();
      const colon = lower.indexOf(':');
      const name = lower.slice(colon + 1);
      if (/[*?]/.test(name)) patterns.push({ service: lower.slice(0, colon), name: wildcard(name) });
      else literals.add(lower);
    }
    return new ActionMatcher(any, literals, patterns);
  }

  matches(a: RequestAction): boolean {
    if (this.any || this.literals.has(a.lower)) return true;
    for (const p of this.patterns) if (p.service === a.service && p.name.matches(a.name)) return true;
    return false;
  }
}
