import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as sdk from '@aws-sdk/client-bedrock-runtime';
import type {
  GuardrailContextualGroundingPolicyAssessment,
  GuardrailPoliciesAssessment,
  GuardrailTopicPolicyAssessment,
  GuardrailWordPolicyAssessment,
} from './assessment-types.js';

// Compile-time checks: each of our shapes must be assignable to the official client's. If the SDK renames a member or
// narrows an enum, `tsc --noEmit` fails here.
type Assignable<A, B> = [A] extends [B] ? true : false;
const checks: [
  Assignable<GuardrailWordPolicyAssessment, sdk.GuardrailWordPolicyAssessment>,
  Assignable<GuardrailTopicPolicyAssessment, sdk.GuardrailTopicPolicyAssessment>,
  Assignable<GuardrailContextualGroundingPolicyAssessment, sdk.GuardrailContextualGroundingPolicyAssessment>,
  Assignable<GuardrailPoliciesAssessment, sdk.GuardrailAssessment>,
] = [true, true, true, true];

test('assessment types are assignable to the SDK shapes', () => {
  assert.deepEqual(checks, [true, true, true, true]);
});
