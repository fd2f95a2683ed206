import type { Context } from 'hono';
import type { z } from 'zod';
import { accessDenied } from '../../core/index.js';
import type { IamStore, PrincipalsTable } from '../../iam/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';

export interface IamAdminDeps {
  iam: IamStore;
  region: string;
  maxBodyBytes: number;
}

// Admin bodies are small (a policy is at most 64 KB of text); refusing more early keeps hostile uploads cheap.
const MAX_ADMIN_BODY = 256 * 1024;

/** The validated JSON body; an absent body reads as {} when `optional`. */
export async function adminBody<T extends z.ZodType>(c: Context<ApiEnv>, deps: IamAdminDeps, schema: T, what: string, optional = false): Promise<z.infer<T>> {
  const raw = await readBody(c, Math.min(deps.maxBodyBytes, MAX_ADMIN_BODY));
  return validate(schema, optional && raw.length === 0 ? {} : parseJsonBody(raw), what);
}

/**
 * Only an administrator may act on an administrator (create one, give it keys, attach policies, delete it): policies
 * cannot raise anyone above what they grant, but a key for an administrator would be everything at once.
 */
export function refuseAdminTarget(c: Context<ApiEnv>, target: Pick<PrincipalsTable, 'name' | 'is_admin'>, action: string): void {
  if (Number(target.is_admin) === 1 && !c.get('principal').isAdmin) {
    throw accessDenied(`User: ${c.get('principal').name} is not authorized to perform: ${action} on administrator ${target.name}; only an administrator may.`);
  }
}
