/**
 * IAM policies for Quarry: the JSON policy language of AWS IAM (identity-based policies) and its one evaluator. Pure —
 * no store, no HTTP. How a route uses it:
 *
 *   const resource = resourceArn({ type: 'knowledge-base', id: kb.id, region, accountId }); // from the stored record
 *   authorize({ principal, action: 'bedrock:Retrieve', resource, context }, attachedPolicies); // throws AccessDenied
 *
 * Actions come from ACTIONS (Converse is bedrock:InvokeModel, see OPERATION_ACTIONS); actions that take no resource are
 * authorized on '*'. Policies are validated once when stored (validatePolicyDocument / policyDocumentInput) and the
 * same frozen objects are passed to every evaluation, which compiles each once. simulate() answers the same question
 * with a per-statement explanation, for `quarry iam simulate` and its API.
 */
export { ACTIONS, type Action, canonicalAction, isAction, OPERATION_ACTIONS, SERVICES } from './actions.js';
export { type ArnValue, isResourceType, type ParsedArn, parseArn, RESOURCE_TYPES, type ResourceType, splitArn } from './arn.js';
export { accessDeniedMessage, authorize } from './authorize.js';
export { canonicalResource, foundationModelArn, type ResourceRef, resourceArn, resourceProblem } from './canonical-resource.js';
export { CONDITION_OPERATORS, type ConditionOperatorName, SUPPORTED_OPERATORS_SENTENCE } from './condition-operators.js';
export { CONTEXT_KEYS, type ContextKeySpec, type ContextValue, isWellKnownContextKey, type RequestContext } from './context-keys.js';
export { type AttachedPolicy, type Decision, decidedByActionAndResource, evaluate, type StatementRef } from './evaluate-policy.js';
export { MAX_POLICY_TEXT, parsePolicyDocument, policyDocumentInput, validatePolicyDocument } from './parse-policy-document.js';
export {
  InvalidPolicyError,
  POLICY_LIMITS,
  POLICY_VERSIONS,
  type PolicyDocument,
  type PolicyIssue,
  type PolicyStatement,
  type PolicyVersion,
  policyDocumentSchema,
} from './policy-document.js';
export type { AuthorizationRequest, PolicyPrincipal } from './request-scope.js';
export { type ConditionTrace, type SimulationRequest, type SimulationResult, type StatementTrace, simulate } from './simulate.js';
