import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyStore } from './key-store.js';

export interface BootstrapResult {
  /** Present when credentials were generated now; shown once and written to `file`. */
  generated?: { apiKey: string; accessKeyId: string; secretAccessKey: string; file: string };
  seededFromEnv: boolean;
}

/**
 * Seeds an administrator on first start. QUARRY_BOOTSTRAP_API_KEY and QUARRY_BOOTSTRAP_ACCESS_KEY_ID /
 * QUARRY_BOOTSTRAP_SECRET_ACCESS_KEY are added whenever set (so automation can rely on them across restarts);
 * without them, an empty store gets generated credentials, printed once and kept in a 0600 file.
 */
export async function bootstrapCredentials(keys: KeyStore, dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<BootstrapResult> {
  const apiKey = env.QUARRY_BOOTSTRAP_API_KEY;
  const akid = env.QUARRY_BOOTSTRAP_ACCESS_KEY_ID;
  const secret = env.QUARRY_BOOTSTRAP_SECRET_ACCESS_KEY;
  if (Boolean(akid) !== Boolean(secret)) {
    throw new Error('Set both QUARRY_BOOTSTRAP_ACCESS_KEY_ID and QUARRY_BOOTSTRAP_SECRET_ACCESS_KEY, or neither.');
  }
  const empty = (await keys.countKeys()) === 0;
  if (apiKey || akid) {
    if (apiKey && apiKey.length < 16) throw new Error('QUARRY_BOOTSTRAP_API_KEY must be at least 16 characters.');
    const admin = await keys.ensurePrincipal('admin', true);
    if (apiKey) await keys.addBearerKey(admin, apiKey);
    if (akid && secret) await keys.addAccessKey(admin, akid, secret);
    return { seededFromEnv: true };
  }
  if (!empty) return { seededFromEnv: false };
  const admin = await keys.ensurePrincipal('admin', true);
  const bearer = await keys.addBearerKey(admin);
  const access = await keys.addAccessKey(admin);
  const file = join(dataDir, 'admin-credentials.json');
  const generated = { apiKey: bearer.apiKey, accessKeyId: access.accessKeyId, secretAccessKey: access.secretAccessKey, file };
  writeFileSync(file, `${JSON.stringify({ apiKey: generated.apiKey, accessKeyId: generated.accessKeyId, secretAccessKey: generated.secretAccessKey }, null, 2)}\n`, {
    mode: 0o600,
  });
  chmodSync(file, 0o600);
  return { generated, seededFromEnv: false };
}
