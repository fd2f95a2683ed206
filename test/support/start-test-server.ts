import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.js';
import { createScriptedProvider } from '../../src/providers/scripted/index.js';
import { parseConfig } from '../../src/server/config.js';
import { type QuarryServer, type QuarryServerOptions, startQuarry } from '../../src/server/quarry-server.js';
import { standardRoutes } from '../../src/server/standard-routes.js';

export const TEST_API_KEY = 'qk-test-0123456789abcdef';
export const TEST_ACCESS_KEY_ID = 'QKTESTACCESSKEY00001';
export const TEST_SECRET_ACCESS_KEY = 'test-secret-0123456789abcdefghijklmnop';

export interface TestServer extends QuarryServer {
  stop(): Promise<void>;
}

/**
 * A real server on a loopback port with the scripted provider and known admin credentials, in a fresh data dir.
 * `yaml` is appended to the config (more providers and models).
 */
export async function startTestServer(yaml = '', overrides: Partial<QuarryServerOptions> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-test-'));
  const config = parseConfig(`providers:\n  - id: scripted\n    type: scripted\n${yaml}`, {});
  const server = await startQuarry({
    config,
    dataDir,
    port: 0,
    log: silentLogger,
    autoProviders: false,
    extraProviderTypes: { scripted: createScriptedProvider },
    routes: standardRoutes,
    env: {
      QUARRY_BOOTSTRAP_API_KEY: TEST_API_KEY,
      QUARRY_BOOTSTRAP_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
      QUARRY_BOOTSTRAP_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    },
    ...overrides,
  });
  return {
    ...server,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
