import { checkName, resourceArn } from '../../iam/index.js';

/**
 * The ARNs admin routes authorize on. Users are `user/<name>`, so `user/${aws:username}` in a policy grants
 * self-service. Roles have no resource type of their own in the action catalog; they sit under `user/role/<name>`
 * (user names cannot contain `/`, so the two never meet) and role actions reuse the user actions.
 */
export const userArn = (region: string, accountId: string, userName: string): string =>
  resourceArn({ type: 'user', id: checkName('user', userName), region, accountId });

export const roleArn = (region: string, accountId: string, roleName: string): string =>
  resourceArn({ type: 'user', id: `role/${checkName('role', roleName)}`, region, accountId });

export const policyArn = (region: string, accountId: string, policyName: string): string =>
  resourceArn({ type: 'policy', id: checkName('policy', policyName), region, accountId });

/** What aws:PrincipalArn holds for a user, as the authorizer fills it. */
export const principalArn = (accountId: string, userName: string): string => `arn:aws:iam::${accountId}:user/${userName}`;
