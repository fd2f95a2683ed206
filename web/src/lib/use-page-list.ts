import { useCallback, useEffect, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';

/**
 * A list page's data: fetched each time the page is shown (pages stay mounted while hidden, so what was created
 * elsewhere — the SDK, the CLI, another page — appears without a manual reload), with the server's error as text and
 * `load` for after a change.
 */
export function usePageList<T>(source: { list(): Promise<T[]> }, active: boolean) {
  const [list, setList] = useState<T[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    setError(undefined);
    source.list().then(setList, (e: unknown) => {
      if (!isAbort(e)) setError(messageOf(e));
    });
  }, [source]);
  useEffect(() => {
    if (active) load();
  }, [active, load]);
  return { list, error, load };
}
