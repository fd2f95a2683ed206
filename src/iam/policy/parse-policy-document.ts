import { z } from 'zod';
import { compilePolicy, rememberCompiled } from './compile-policy.js';
import { InvalidPolicyError, type PolicyDocument, type PolicyIssue } from './policy-document.js';

/** Policy text longer than this is refused before JSON.parse sees it (whitespace counts here, not in the 10,240 limit). */
export const MAX_POLICY_TEXT = 64 * 1024;

/**
 * Checks a policy from a user (JSON text or an already parsed value) and returns every issue, for the console and the
 * API. A valid document comes back deep-frozen and already compiled, so evaluating it costs no further parsing.
 */
export function validatePolicyDocument(input: unknown): { ok: true; document: PolicyDocument } | { ok: false; issues: PolicyIssue[] } {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_POLICY_TEXT) return { ok: false, issues: [{ path: '', message: `the policy text is longer than ${MAX_POLICY_TEXT} characters` }] };
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, issues: [{ path: '', message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` }] };
    }
  }
  const r = compilePolicy(value);
  if ('issues' in r) return { ok: false, issues: r.issues };
  rememberCompiled(r.document, r.policy);
  return { ok: true, document: r.document };
}

/**
 * For request schemas at the API boundary: accepts a policy as a JSON string or object (Bedrock-style APIs send it as
 * a string) and yields the validated, frozen document, with each policy issue as a zod issue.
 */
export const policyDocumentInput = z.unknown().transform((value, ctx): PolicyDocument => {
  const r = validatePolicyDocument(value);
  if (r.ok) return r.document;
  for (const i of r.issues) ctx.addIssue({ code: 'custom', message: i.path ? `${i.path}: ${i.message}` : i.message });
  return z.NEVER;
});

/** As validatePolicyDocument, but throws InvalidPolicyError (a ValidationException listing the issues). */
export function parsePolicyDocument(input: unknown): PolicyDocument {
  const r = validatePolicyDocument(input);
  if (!r.ok) throw new InvalidPolicyError(r.issues);
  return r.document;
}
