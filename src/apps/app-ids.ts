import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Ten upper-case letters and digits, as Bedrock's own resource ids. */
export function newAppId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export const isAppId = (s: string | undefined): s is string => s !== undefined && /^[0-9A-Z]{10}$/.test(s);

export function appArn(region: string, accountId: string, appId: string): string {
  return `arn:aws:bedrock:${region}:${accountId}:app/${appId}`;
}
