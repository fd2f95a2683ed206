import { randomBytes } from 'node:crypto';

/** Bedrock's shape (`tooluse_` + 22 URL-safe characters), so clients that pattern-match ids keep working. */
export function newToolUseId(): string {
  return `tooluse_${randomBytes(16).toString('base64url').slice(0, 22)}`;
}
