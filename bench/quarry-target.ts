// Quarry as the benchmark runs it: the production server (auth, metrics, usage metering and JSON access logs on),
// one openai-compatible provider pointing at the mock upstream.
import { parseConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { startQuarry } from '../src/server/quarry-server.js';
import { standardRoutes } from '../src/server/standard-routes.js';

// An optional fourth argument is YAML appended to the configuration (bench/rate-limit.ts adds quotas with it,
// bench/scale-out.ts a PostgreSQL store and Redis).
const [upstream, dataDir, apiKey, extraYaml = ''] = process.argv.slice(2) as [string, string, string, string?];
const config = parseConfig(
  `providers:
  - id: upstream
    type: openai-compatible
    baseUrl: ${upstream}/v1
    apiKey: bench
models:
  - id: acme.chat-v1:0
    provider: upstream
    upstreamModel: gpt-test
    pricing: { inputPer1k: 0.0005, outputPer1k: 0.0015 }
${extraYaml}`,
  {},
);
const server = await startQuarry({
  config,
  dataDir,
  port: 0,
  log: createLogger('info'),
  autoProviders: false,
  routes: standardRoutes,
  // Replicas of one deployment (bench/scale-out.ts) share the store's keyring, so they must share its master key.
  env: { QUARRY_BOOTSTRAP_API_KEY: apiKey, ...(process.env.QUARRY_MASTER_KEY ? { QUARRY_MASTER_KEY: process.env.QUARRY_MASTER_KEY } : {}) },
});
process.send?.({ port: server.port });
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
