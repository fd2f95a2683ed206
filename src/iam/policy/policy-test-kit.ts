import type { Action } from './actions.js';
import type { RequestContext } from './context-keys.js';
import { type AttachedPolicy, type Decision, evaluate } from './evaluate-policy.js';
import type { PolicyDocument, PolicyStatement } from './policy-document.js';
import type { PolicyPrincipal } from './request-scope.js';

/** Shared by the policy tests: small builders for documents, ARNs and one-line decisions. */

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export const kb = (id: string, account = ACCOUNT, region = REGION) => `arn:aws:bedrock:${region}:${account}:knowledge-base/${id}`;
export const fm = (id: string, region = REGION) => `arn:aws:bedrock:${region}::foundation-model/${id}`;
export const user = (name: string) => `arn:aws:bedrock:${REGION}:${ACCOUNT}:user/${name}`;
export const guardrail = (id: string) => `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/${id}`;

export const alice: PolicyPrincipal = { id: 'AIDAALICE', name: 'alice', accountId: ACCOUNT, arn: user('alice') };

export const doc = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

export const policies = (...docs: PolicyDocument[]): AttachedPolicy[] => docs.map((document, i) => ({ id: `p${i + 1}`, document }));

export function decide(
  attached: readonly AttachedPolicy[],
  action: string,
  resource: string,
  context: RequestContext = {},
  principal: PolicyPrincipal = alice,
): Decision {
  return evaluate({ principal, action: action as Action, resource, context }, attached);
}

export const allowed = (attached: readonly AttachedPolicy[], action: string, resource: string, context?: RequestContext, principal?: PolicyPrincipal) =>
  decide(attached, action, resource, context, principal).allowed;
