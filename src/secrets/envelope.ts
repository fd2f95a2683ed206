import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The stored form of a secret: `qse1.<keyId>.<wrappedDataKey>.<iv>.<ciphertext>`, base64url parts. Each record has
 * its own random 256-bit data key; the data key is sealed with the keyring key named by `keyId`. Rotation rewrites
 * only the first two parts (about 80 bytes), never the ciphertext, so re-wrapping a large record costs the same as a
 * small one. The ciphertext's AAD is the record's context (`table.column:id`): a sealed value copied onto another row
 * does not open there.
 *
 * node:crypto is the right library: AES-256-GCM is OpenSSL's, constant-time and hardware-accelerated, and every
 * primitive needed here (random bytes, GCM with AAD, SHA-256) is in it, so no dependency adds supply-chain risk to the
 * one module that guards every secret.
 */
export const ENVELOPE_VERSION = 'qse1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface Envelope {
  keyId: string;
  wrappedKey: Buffer;
  iv: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  body: Buffer;
}

/** A sealed value that is malformed, tampered with, or sealed for another record: never decrypted into garbage. */
export class SecretDecryptError extends Error {
  override name = 'SecretDecryptError';
}

const b64 = (b: Buffer) => b.toString('base64url');

export function isEnvelope(value: string): boolean {
  return value.startsWith(`${ENVELOPE_VERSION}.`);
}

export function formatEnvelope(e: Envelope): string {
  return [ENVELOPE_VERSION, e.keyId, b64(e.wrappedKey), b64(e.iv), b64(e.body)].join('.');
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function parseEnvelope(value: string): Envelope {
  const parts = value.split('.');
  if (parts.length !== 5 || parts[0] !== ENVELOPE_VERSION || !parts.every((p) => B64URL.test(p))) {
    throw new SecretDecryptError('Not a sealed secret (expected qse1.<key id>.<wrapped key>.<iv>.<ciphertext>).');
  }
  const [, keyId, wrapped, iv, body] = parts as [string, string, string, string, string];
  const e: Envelope = { keyId, wrappedKey: Buffer.from(wrapped, 'base64url'), iv: Buffer.from(iv, 'base64url'), body: Buffer.from(body, 'base64url') };
  if (!keyId || e.iv.length !== IV_BYTES || e.body.length < TAG_BYTES || e.wrappedKey.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) {
    throw new SecretDecryptError('A sealed secret has parts of the wrong length.');
  }
  return e;
}

/** AES-256-GCM; the result is iv ‖ ciphertext ‖ tag when `iv` is not given separately. */
export function gcmSeal(key: Buffer, plain: Buffer, aad: string, iv: Buffer = randomBytes(IV_BYTES)): { iv: Buffer; body: Buffer } {
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  return { iv, body: Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]) };
}

export function gcmOpen(key: Buffer, iv: Buffer, body: Buffer, aad: string, what: string): Buffer {
  if (body.length < TAG_BYTES) throw new SecretDecryptError(`${what}: ciphertext too short.`);
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([d.update(body.subarray(0, body.length - TAG_BYTES)), d.final()]);
  } catch {
    // GCM's tag check failed: wrong key, edited bytes, or another record's context. Never say more than that.
    throw new SecretDecryptError(`${what} failed authentication (wrong key, tampered with, or sealed for another record).`);
  }
}

/** iv ‖ ciphertext ‖ tag in one buffer: how data keys and keyring keys are stored wrapped. */
export function wrapKey(kek: Buffer, key: Buffer, aad: string): Buffer {
  const { iv, body } = gcmSeal(kek, key, aad);
  return Buffer.concat([iv, body]);
}

export function unwrapKey(kek: Buffer, wrapped: Buffer, aad: string, what: string): Buffer {
  const key = gcmOpen(kek, wrapped.subarray(0, IV_BYTES), wrapped.subarray(IV_BYTES), aad, what);
  if (key.length !== KEY_BYTES) throw new SecretDecryptError(`${what} is not a 256-bit key.`);
  return key;
}

export const newKey = () => randomBytes(KEY_BYTES);
