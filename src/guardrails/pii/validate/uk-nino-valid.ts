/**
 * HMRC's rules for a National Insurance number prefix: neither letter is D, F, I, Q, U or V; the second is not O; and
 * BG, GB, KN, NK, NT, TN and ZZ are never issued. The suffix is A–D.
 */
export function ukNinoValid(prefix: string, suffix: string): boolean {
  if (!/^[A-Z]{2}$/.test(prefix) || !/^[A-D]$/.test(suffix)) return false;
  if (/[DFIQUV]/.test(prefix) || prefix[1] === 'O') return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(prefix);
}
