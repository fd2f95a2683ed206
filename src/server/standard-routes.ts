import type { Hono } from 'hono';
import { openaiRoutes } from '../api/openai/openai-routes.js';
import type { ApiDeps, ApiEnv } from '../api/shared/api-env.js';

/** The wire APIs beyond Bedrock's, mounted by the CLI and by tests alike. */
export function standardRoutes(deps: ApiDeps): Hono<ApiEnv>[] {
  return [openaiRoutes(deps)];
}
