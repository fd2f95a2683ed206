/**
 * What a request asks of the response cache (the `x-quarry-cache` header): `on` uses it whatever the temperature,
 * `off` neither reads nor stores, `bypass` skips the lookup but stores the fresh answer (to refresh an entry).
 * Absent or anything else: the default, which caches only requests at temperature 0.
 */
export type CacheDirective = 'default' | 'on' | 'off' | 'bypass';

export function parseCacheDirective(header: string | undefined): CacheDirective {
  if (header === undefined) return 'default';
  switch (header.trim().toLowerCase()) {
    case 'on':
      return 'on';
    case 'off':
      return 'off';
    case 'bypass':
      return 'bypass';
    default:
      return 'default';
  }
}
