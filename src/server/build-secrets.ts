import type { Logger } from '../core/index.js';
import { API_KEY_SECRET_COLUMN } from '../iam/index.js';
import { loadMasterKeys, SecretKeyring } from '../secrets/index.js';
import type { Store } from '../store/index.js';

/**
 * Opens the secrets keyring every recoverable secret in the store is sealed with. The master key comes from where the
 * first releases kept it (QUARRY_MASTER_KEY, else `<data dir>/master.key`, created on first start), so a data dir
 * written by them starts unchanged; its `v1.` rows are re-sealed as envelopes here. A wrong master key throws
 * KeyringStartupError: the server must not start and seal new secrets the existing ones cannot be read beside.
 * Declaring a new sealed column is one line in `columns`.
 */
export async function buildSecrets(opts: { store: Store; dataDir: string; env: NodeJS.ProcessEnv; log: Logger; refreshMs?: number }): Promise<SecretKeyring> {
  const master = loadMasterKeys({ dataDir: opts.dataDir, env: opts.env });
  if (master.generatedFile) opts.log.info({ file: master.generatedFile }, 'generated a master key for secrets at rest; back it up, it cannot be recovered');
  if (master.warning) opts.log.warn({ source: master.source }, master.warning);
  const keyring = await SecretKeyring.open(opts.store.db, master, { columns: [API_KEY_SECRET_COLUMN], ...(opts.refreshMs !== undefined ? { refreshMs: opts.refreshMs } : {}) });
  opts.log.info({ masterKeyId: master.current.id, activeKeyId: keyring.activeKeyId }, 'secrets keyring open');
  return keyring;
}
