import { API_KEY_SECRET_COLUMN } from '../../src/iam/index.js';
import { loadMasterKeys, SecretKeyring } from '../../src/secrets/index.js';
import type { Database } from '../../src/store/index.js';

/** The keyring a KeyStore seals with, as the server opens it: master key from `<dir>/master.key`. Run secretMigrations first. */
export function openTestKeyring(db: Database, dir: string): Promise<SecretKeyring> {
  return SecretKeyring.open(db, loadMasterKeys({ dataDir: dir, env: {} }), { columns: [API_KEY_SECRET_COLUMN] });
}
