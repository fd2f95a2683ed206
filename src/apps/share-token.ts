import { createHash, randomBytes } from 'node:crypto';

/**
 * Link tokens (`qa_` for an app's share link, `qs_` for a snapshot's): a prefix and 32 random bytes, unguessable and
 * recognisable when one turns up in a log or a chat. Only their SHA-256 is stored, as with API keys.
 */
export const newLinkToken = (prefix: 'qa' | 'qs') => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const isLinkToken = (prefix: 'qa' | 'qs', token: string) => new RegExp(`^${prefix}_[A-Za-z0-9_-]{43}$`).test(token);
export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');
