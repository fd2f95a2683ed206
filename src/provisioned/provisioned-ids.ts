import { randomBytes } from 'node:crypto';
import { resourceArn } from '../iam/index.js';

// Bedrock's provisioned-model ids are 12 lower-case letters and digits; keeping the shape lets SDK-side validation pass.
const ID = /^[a-z0-9]{12}$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ARN = /^arn:aws[\w-]*:bedrock:[^:]*:(\d{12}):provisioned-model\/([a-z0-9]{12})$/;

export function newProvisionedId(): string {
  const bytes = randomBytes(12);
  let id = '';
  // 36 does not divide 256: the bias (a few percent on some letters) does not matter for an identifier.
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

export function isProvisionedId(s: string): boolean {
  return ID.test(s);
}

export function provisionedArn(region: string, accountId: string, id: string): string {
  return resourceArn({ type: 'provisioned-model', id, region, accountId });
}

/**
 * The id a path or a modelId names: the bare id, or a provisioned-model ARN in the caller's account. An ARN in another
 * account names nothing here (its owner's capacity is not the caller's), which callers answer as not found.
 */
export function provisionedIdOf(identifier: string, accountId: string): string | undefined {
  let s = identifier;
  if (s.includes('%')) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return undefined;
    }
  }
  if (ID.test(s)) return s;
  const m = ARN.exec(s);
  return m && m[1] === accountId ? m[2] : undefined;
}
