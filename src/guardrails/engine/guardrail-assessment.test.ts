import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as sdk from '@aws-sdk/client-bedrock-runtime';
import type {
  ApplyGuardrailResponse,
  GuardrailAssessment,
  GuardrailContentPolicyAssessment,
  GuardrailSensitiveInformationPolicyAssessment,
  GuardrailUsage,
} from './guardrail-assessment.js';

// Compile-time checks: if the SDK renames a member or narrows an enum, `tsc --noEmit` fails here.
type Assignable<A, B> = [A] extends [B] ? true : false;
const checks: [
  Assignable<GuardrailContentPolicyAssessment, sdk.GuardrailContentPolicyAssessment>,
  Assignable<GuardrailSensitiveInformationPolicyAssessment, sdk.GuardrailSensitiveInformationPolicyAssessment>,
  Assignable<GuardrailUsage, sdk.GuardrailUsage>,
  Assignable<GuardrailAssessment, sdk.GuardrailAssessment>,
  Assignable<ApplyGuardrailResponse, sdk.ApplyGuardrailResponse>,
] = [true, true, true, true, true];

test('ApplyGuardrail shapes are assignable to the SDK types', () => {
  assert.deepEqual(checks, [true, true, true, true, true]);
});
