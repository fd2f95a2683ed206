import type { Action, AttachedPolicy, RequestContext } from './policy/index.js';
import { authorize, decidedByActionAndResource } from './policy/index.js';
import type { PolicySource } from './policy-source.js';
import type { Principal } from './principal.js';

// Allowed (action, resource) pairs remembered per list of policies; a principal calling on ever new resources empties it.
const MAX_REMEMBERED = 256;

/**
 * The one function that decides whether a principal may do an action on a resource. Administrators (the account's
 * root, in AWS terms) may do anything; everyone else needs an identity-based policy that allows it and none that
 * denies it. A denial throws AccessDeniedException worded as Bedrock words it.
 */
export class Authorizer {
  // Every invocation of a non-administrator is checked, mostly for the same action on the same model. The policy
  // source hands back the same frozen list while the principal's policies are unchanged (a change, or its cache
  // expiring, gives a new list), so an allow is remembered per list — only for policies whose answer depends on
  // nothing but the action and the resource (no conditions, no policy variables). Denials are always evaluated, so
  // their message and the audit of them stay exactly as they were.
  private readonly allowed = new WeakMap<readonly AttachedPolicy[], Set<string>>();

  constructor(
    private readonly policies: PolicySource,
    private readonly defaultAccountId: string,
  ) {}

  accountOf(principal: Principal): string {
    return principal.accountId ?? this.defaultAccountId;
  }

  /** `context` may be given as a function, called only when the policies are evaluated rather than remembered. */
  async check(principal: Principal, action: Action, resource: string, context?: RequestContext | (() => RequestContext)): Promise<void> {
    if (principal.isAdmin) return;
    const attached = await this.policies.policiesFor(principal);
    const key = `${action} ${resource}`;
    if (this.allowed.get(attached)?.has(key)) return;
    const accountId = this.accountOf(principal);
    const ctx = typeof context === 'function' ? context() : context;
    authorize(
      {
        principal: { id: principal.id, name: principal.name, accountId, arn: `arn:aws:iam::${accountId}:user/${principal.name}` },
        action,
        resource,
        ...(ctx ? { context: ctx } : {}),
      },
      attached,
    );
    if (!decidedByActionAndResource(attached)) return;
    let known = this.allowed.get(attached);
    if (!known) {
      known = new Set();
      this.allowed.set(attached, known);
    } else if (known.size >= MAX_REMEMBERED) known.clear();
    known.add(key);
  }
}

/** A policy source with no policies: every non-administrator is denied until an IAM store is configured. */
export const NO_POLICIES: PolicySource = { policiesFor: async () => [] };
