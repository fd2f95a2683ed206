/** API key lifetimes and states as the console shows them. Pure, so the tests run them in Node. */


const DAY = 24 * 3600;

/** The lifetimes the create form offers; '' never expires. */
export const KEY_LIFETIMES: { value: string; label: string; seconds?: number }[] = [
  { value: '', label: 'Never' },
  { value: '7d', label: '7 days', seconds: 7 * DAY },
  { value: '30d', label: '30 days', seconds: 30 * DAY },
  { value: '90d', label: '90 days', seconds: 90 * DAY },
  { value: '365d', label: '1 year', seconds: 365 * DAY },
];

export const lifetimeSeconds = (value: string): number | undefined => KEY_LIFETIMES.find((l) => l.value === value)?.seconds;

/**
 * How long a rotated key's old secret keeps working, so the programs that use it can be given the new one first. The
 * server caps it at the old key's own expiry and at 30 days.
 */
export const ROTATION_GRACE: { value: string; label: string; seconds: number }[] = [
  { value: 'now', label: 'Stops now', seconds: 0 },
  { value: '1h', label: '1 hour', seconds: 3600 },
  { value: '1d', label: '1 day', seconds: DAY },
  { value: '7d', label: '7 days', seconds: 7 * DAY },
];

export const graceSeconds = (value: string): number => ROTATION_GRACE.find((g) => g.value === value)?.seconds ?? 0;

export type KeyStatus = 'Active' | 'Inactive' | 'Expired';

export const KEY_STATUS: Record<KeyStatus, { label: string; tone: 'good' | 'muted' | 'bad' }> = {
  Active: { label: 'active', tone: 'good' },
  Inactive: { label: 'disabled', tone: 'muted' },
  Expired: { label: 'expired', tone: 'bad' },
};

/** What a caller sends as its key: the bearer key itself, or for SigV4 the access key id with the secret access key. */
export function secretOf(k: { apiKey?: string; secretAccessKey?: string }): string | undefined {
  return k.apiKey ?? k.secretAccessKey;
}
