import { randomInt } from 'node:crypto';
import { notFound, validation } from '../core/errors.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Bedrock's guardrail ids: twelve lower-case letters and digits. */
export function newGuardrailId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export const isGuardrailId = (s: string): boolean => /^[a-z0-9]{12}$/.test(s);

export function guardrailArn(region: string, accountId: string, id: string): string {
  return `arn:aws:bedrock:${region}:${accountId}:guardrail/${id}`;
}

/** The working copy every guardrail has; numbered versions are immutable snapshots of it. */
export const DRAFT = 'DRAFT';

/**
 * The id named by a `guardrailIdentifier`, which Bedrock accepts as an id or an ARN. An ARN in another account, or
 * anything that is not a guardrail id, names nothing this caller can see: answered as not found, never as a hint that
 * the guardrail exists elsewhere.
 */
export function guardrailIdOf(identifier: string | undefined, accountId: string): string {
  const ref = identifier ?? '';
  const arn = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:(\d{12}):guardrail\/([a-z0-9]+)$/.exec(ref);
  if (arn) {
    if (arn[1] !== accountId || !isGuardrailId(arn[2]!)) throw guardrailNotFound(ref);
    return arn[2]!;
  }
  if (!isGuardrailId(ref)) throw guardrailNotFound(ref);
  return ref;
}

export const guardrailNotFound = (ref: string, version?: string) =>
  notFound(`Guardrail ${ref.slice(0, 200)}${version && version !== DRAFT ? ` version ${version}` : ''} was not found.`);

/** `DRAFT` or a version number 1–99999999, as Bedrock spells them; anything else is a ValidationException. */
export function parseGuardrailVersion(version: string | undefined): { version: string; number: number } {
  if (version === undefined || version === DRAFT) return { version: DRAFT, number: 0 };
  if (!/^[1-9][0-9]{0,7}$/.test(version)) throw validation(`Guardrail version ${version.slice(0, 40)} is not DRAFT or a version number.`);
  return { version, number: Number(version) };
}
