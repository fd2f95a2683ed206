import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A master key and its id: a fingerprint, so replicas agree on ids without storing anything but the key. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface MasterKeys {
  /** Wraps the keyring's keys. */
  current: MasterKey;
  /** Older master keys, only read: keyring keys still wrapped with one are re-wrapped with `current` at start. */
  previous: MasterKey[];
  /** Where they came from, for messages: `QUARRY_MASTER_KEY` or the file's path. */
  source: string;
  /** Set when no key was given and a new key file was written now. */
  generatedFile?: string;
  /** A reason to worry that is no reason to refuse to start (a key file others may read). */
  warning?: string;
}

export interface MasterKeyOptions {
  dataDir: string;
  /** `secrets.masterKeyFile`; when given it must exist. */
  keyFile?: string;
  env?: NodeJS.ProcessEnv;
}

export const masterKeyId = (key: Buffer) => `mk-${createHash('sha256').update('quarry master key id\0').update(key).digest('hex').slice(0, 16)}`;

function decodeKeys(text: string, source: string): MasterKey[] {
  const items = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new Error(`${source} holds no master key.`);
  return items.map((item, i) => {
    const key = Buffer.from(item, 'base64');
    // Never echo the value: it is the key (or most of it).
    if (key.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(item)) {
      throw new Error(`${source}: master key ${i + 1} is not 32 bytes in base64 (make one with: openssl rand -base64 32).`);
    }
    return { id: masterKeyId(key), key };
  });
}

/**
 * The master key, from QUARRY_MASTER_KEY (base64 of 32 bytes) or a key file (one base64 key per line), first the
 * current key, then older ones still being rotated out. With neither, `<dataDir>/master.key` is created (0600).
 * Several replicas must be given the same key: each generating its own would lock the others out of the keyring.
 */
export function loadMasterKeys(opts: MasterKeyOptions): MasterKeys {
  const env = opts.env ?? process.env;
  const fromEnv = env.QUARRY_MASTER_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const [current, ...previous] = decodeKeys(fromEnv, 'QUARRY_MASTER_KEY');
    return { current: current!, previous, source: 'QUARRY_MASTER_KEY' };
  }
  const file = opts.keyFile ?? join(opts.dataDir, 'master.key');
  let generatedFile: string | undefined;
  if (!existsSync(file)) {
    if (opts.keyFile) throw new Error(`secrets.masterKeyFile ${file} does not exist (create it with: openssl rand -base64 32 > ${file}; chmod 600 ${file}).`);
    mkdirSync(dirname(file), { recursive: true });
    // wx: two processes starting at once never overwrite each other's key.
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      generatedFile = file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  let warning: string | undefined;
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    if (opts.keyFile) warning = `the master key file ${file} may be read by other users (mode ${mode.toString(8)}); chmod 600 it.`;
    // The data dir's own key: ours to fix, as the first version of this file did.
    else chmodSync(file, 0o600);
  }
  const [current, ...previous] = decodeKeys(readFileSync(file, 'utf8'), file);
  return { current: current!, previous, source: file, ...(generatedFile ? { generatedFile } : {}), ...(warning ? { warning } : {}) };
}
