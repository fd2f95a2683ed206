import type { Context } from 'hono';
import { noteAuthorization } from '../../audit/index.js';
import { QuarryError } from '../../core/index.js';
import { type Action, foundationModelArn, resourceArn } from '../../iam/index.js';
import { parseModelId } from '../../models/index.js';
import type { ApiEnv } from './api-env.js';

/**
 * What a route calls before it touches a resource: the server's authorizer decides for the request's principal, with
 * the condition keys the server itself knows (source address, transport, authentication method) — never values a
 * client could choose. `resource` is a canonical ARN, or `*` for actions on no particular resource (List*, Create*).
 * The audit trail records the call under the first action asked and every resource: noted before the decision, so a
 * denial is recorded too.
 */
export function authorizeRequest(c: Context<ApiEnv>, action: Action, resource: string): Promise<void> {
  c.set('auditNote', noteAuthorization(c.get('auditNote'), action, resource));
  return c.get('authorize')(action, resource);
}

/** The account (project) the request acts in; every resource query filters on it. */
export function scopeOf(c: Context<ApiEnv>): string {
  return c.get('accountId');
}

/**
 * A knowledge base's ARN in the caller's account. An id that is not a knowledge-base id cannot name one, so it is
 * answered as not found here rather than passed on as a string a policy might be tricked by.
 */
export function knowledgeBaseResource(c: Context<ApiEnv>, region: string, id: string | undefined): string {
  if (!id || !/^[0-9A-Z]{10}$/.test(id)) throw new QuarryError('ResourceNotFoundException', `Knowledge base ${id} was not found.`);
  return resourceArn({ type: 'knowledge-base', id, region, accountId: scopeOf(c) });
}

/** A model's ARN for InvokeModel checks: ids and ARNs of any kind become the foundation-model ARN of the bare id. */
export function modelResource(region: string, model: string): string {
  const { id } = parseModelId(model);
  try {
    return foundationModelArn(region, id);
  } catch {
    throw new QuarryError('ValidationException', `${model} is not a valid model identifier.`);
  }
}
