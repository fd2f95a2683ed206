import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Bedrock's knowledge-base, data-source and ingestion-job ids: ten upper-case letters and digits. */
export function newResourceId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export const isResourceId = (s: string) => /^[0-9A-Z]{10}$/.test(s);

export function knowledgeBaseArn(region: string, accountId: string, id: string): string {
  return `arn:aws:bedrock:${region}:${accountId}:knowledge-base/${id}`;
}
