import type { Hono } from 'hono';
import { anthropicRoutes } from '../api/anthropic/anthropic-routes.js';
import { openaiRoutes } from '../api/openai/openai-routes.js';
import type { ApiDeps, ApiEnv } from '../api/shared/api-env.js';

/**
 * The wire APIs beyond Bedrock's, mounted by the CLI and by tests alike. Anthropic's go first: its /v1/models
 * handlers answer only requests that carry anthropic-version and pass the rest on to OpenAI's.
 */
export function standardRoutes(deps: ApiDeps): Hono<ApiEnv>[] {
  return [anthropicRoutes(deps), openaiRoutes(deps)];
}
