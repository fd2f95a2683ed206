export { ACTIONS, type Action, canonicalAction, isAction, OPERATION_ACTIONS, SERVICES } from './actions.js';
export { type ArnValue, isResourceType, type ParsedArn, parseArn, RESOURCE_TYPES, type ResourceType, splitArn } from './arn.js';
export { accessDeniedMessage, authorize } from './authorize.js';
export { canonicalResource, foundationModelArn, type ResourceRef, resourceArn, resourceProblem } from './canonical-resource.js';
export { CONDITION_OPERATORS, type ConditionOperatorName, SUPPORTED_OPERATORS_SENTENCE } from './condition-operators.js';
export { CONTEXT_KEYS, type ContextKeySpec, type ContextValue, isWellKnownContextKey, type RequestContext } from './context-keys.js';
export { type AttachedPolicy, type Decision, evaluate, type StatementRef } from './evaluate-policy.js';
export { MAX_POLICY_TEXT, parsePolicyDocument, validatePolicyDocument } from './parse-policy-document.js';
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
