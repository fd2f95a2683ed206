import { QuarryError } from '../../core/errors.js';
import { type RequestAction, requestAction } from './action-pattern.js';
import type { Action } from './actions.js';
import type { ArnValue } from './arn.js';
import { requireCanonicalResource } from './canonical-resource.js';
import { contextString } from './compile-condition.js';
import type { ContextValue, RequestContext } from './context-keys.js';
import type { VariableSource } from './policy-variables.js';

/** Who asks. `arn`, `accountId` and `name` feed aws:PrincipalArn, aws:PrincipalAccount and aws:username. */
export interface PolicyPrincipal {
  readonly id: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly name?: string;
}

/**
 * One authorization question: may `principal` do `action` on `resource`? `resource` must be canonical — `*` for
 * actions that take no resource, otherwise what canonicalResource or resourceArn returned; anything else is refused
 * with a ValidationException rather than compared, so a non-canonical spelling can never slip past a Deny.
 */
export interface AuthorizationRequest<A extends string = Action> {
  readonly principal: PolicyPrincipal;
  readonly action: A;
  readonly resource: string;
  readonly context?: RequestContext;
}

// Routes ask with a few dozen distinct actions; each is parsed once.
const parsedActions = new Map<string, RequestAction>();

/** A request prepared once for all the statements it is checked against. */
export class RequestScope implements VariableSource {
  readonly action: RequestAction;
  readonly resource: ArnValue | '*';
  private context: Map<string, ContextValue> | undefined;
  private now: Date | undefined;

  constructor(private readonly request: AuthorizationRequest<string>) {
    let a = parsedActions.get(request.action);
    if (!a) {
      a = requestAction(request.action);
      if (!a) throw new QuarryError('ValidationException', `Invalid action ${JSON.stringify(request.action)} for authorization: expected service:Name.`);
      if (parsedActions.size >= 1024) parsedActions.clear();
      parsedActions.set(request.action, a);
    }
    this.action = a;
    this.resource = requireCanonicalResource(request.resource);
  }

  /** A context value by lower-cased key, with the principal's keys and the time filled in. */
  value(keyLower: string): ContextValue | undefined {
    // The principal's own keys win over the context: they describe the authenticated caller, not the request.
    const p = this.request.principal;
    switch (keyLower) {
      case 'aws:userid':
        return p.id;
      case 'aws:username':
        return p.name;
      case 'aws:principalarn':
        return p.arn;
      case 'aws:principalaccount':
        return p.accountId;
    }
    const v = this.contextValue(keyLower);
    if (v !== undefined) return v;
    // The clock is read only when a condition asks for it.
    if (keyLower === 'aws:currenttime') return this.clock();
    if (keyLower === 'aws:epochtime') return Math.floor(this.clock().getTime() / 1000);
    return undefined;
  }

  /** A policy variable's text; undefined when the key is missing or multivalued (IAM substitutes single values only). */
  variable(keyLower: string): string | undefined {
    const v = this.value(keyLower);
    return v === undefined || Array.isArray(v) ? undefined : contextString(v as Exclude<ContextValue, readonly string[]>);
  }

  private contextValue(keyLower: string): ContextValue | undefined {
    const ctx = this.request.context;
    if (!ctx) return undefined;
    if (!this.context) {
      this.context = new Map();
      for (const key of Object.keys(ctx)) this.context.set(key.toLowerCase(), ctx[key]!);
    }
    return this.context.get(keyLower);
  }

  private clock(): Date {
    this.now ??= new Date();
    return this.now;
  }
}
