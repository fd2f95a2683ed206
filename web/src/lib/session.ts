/**
 * The API key lives in sessionStorage: it survives a reload but not the tab, and is never written anywhere a later
 * visitor of this browser profile could find it.
 */
const STORAGE_KEY = 'quarry.apiKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (privacy settings); the console then asks for the key on every load.
    return null;
  }
}

export function storeKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // See storedKey.
  }
}
