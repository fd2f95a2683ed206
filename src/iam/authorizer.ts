import type { Action, RequestContext } from './policy/index.js';
import { authorize } from './policy/index.js';
import type { PolicySource } from './policy-source.js';
import type { Principal } from './principal.js';

/**
 * The one function that decides whether a principal may do an action on a resource. Administrators (the account's
 * root, in AWS terms) may do anything; everyone else needs an identity-based policy that allows it and none that
 * denies it. A denial throws AccessDeniedException worded as Bedrock words it.
 */
export class Authorizer {
  constructor(
    private readonly policies: PolicySource,
    private readonly defaultAccountId: string,
  ) {}

  accountOf(principal: Principal): string {
    return principal.accountId ?? this.defaultAccountId;
  }

  async check(principal: Principal, action: Action, resource: string, context?: RequestContext): Promise<void> {
    if (principal.isAdmin) return;
    const accountId = this.accountOf(principal);
    const attached = await this.policies.policiesFor(principal);
    authorize(
      {
        principal: { id: principal.id, name: principal.name, accountId, arn: `arn:aws:iam::${accountId}:user/${principal.name}` },
        action,
        resource,
        ...(context ? { context } : {}),
      },
      attached,
    );
  }
}

/** A policy source with no policies: every non-administrator is denied until an IAM store is configured. */
export const NO_POLICIES: PolicySource = { policiesFor: async () => [] };
