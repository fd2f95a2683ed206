import type { AttachedPolicy } from './policy/index.js';
import type { Principal } from './principal.js';

/**
 * Where the authorizer finds the identity-based policies of a principal: those attached to it directly and those of
 * its roles. The store behind it caches, because every invocation asks. A list handed out is never changed afterwards
 * (a change of policies is a new list): the authorizer remembers what a list allowed by its identity.
 */
export interface PolicySource {
  policiesFor(principal: Principal): Promise<readonly AttachedPolicy[]>;
}
