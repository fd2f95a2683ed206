import { createDecipheriv } from 'node:crypto';
import { SecretDecryptError } from './envelope.js';
import type { MasterKey } from './master-keys.js';

/**
 * Opens the format Quarry used before envelope encryption (`v1.<iv>.<tag>.<ciphertext>`, AES-256-GCM straight under
 * the master key, no AAD). Only read, at start, to re-seal such rows as envelopes; nothing writes it any more.
 */
export function isLegacySealed(value: string): boolean {
  return value.startsWith('v1.') && value.split('.').length === 4;
}

export function openLegacySealed(value: string, keys: readonly MasterKey[]): string {
  const [, iv, tag, body] = value.split('.') as [string, string, string, string];
  for (const { key } of keys) {
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
    } catch {
      // The next key, if any.
    }
  }
  throw new SecretDecryptError('A secret sealed by an earlier Quarry does not open with the master key.');
}
