import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import type { ApiClient } from './api/api-client';
import { isAbort, messageOf } from './api/api-error';
import { type CatalogModel, loadCatalog } from './api/catalog';

interface CatalogState {
  models: CatalogModel[] | undefined;
  error: string | undefined;
  reload: () => void;
}

interface ConsoleValue {
  api: ApiClient;
  catalog: CatalogState;
  /** Signs the console in with another key at once (after its own key was rotated), without a trip to the sign-in page. */
  switchKey: (key: string) => void;
}

const ConsoleContext = createContext<ConsoleValue | undefined>(undefined);

/** The signed-in client and the model catalog, loaded once and shared by every page (each reloads it on demand). */
export function ConsoleProvider({ api, switchKey, children }: { api: ApiClient; switchKey: (key: string) => void; children: ReactNode }) {
  const [models, setModels] = useState<CatalogModel[]>();
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    setError(undefined);
    loadCatalog(api, ac.signal).then(setModels, (e: unknown) => {
      if (!isAbort(e)) setError(messageOf(e));
    });
    return () => ac.abort();
  }, [api, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return <ConsoleContext.Provider value={{ api, catalog: { models, error, reload }, switchKey }}>{children}</ConsoleContext.Provider>;
}

export function useConsole(): ConsoleValue {
  const v = useContext(ConsoleContext);
  if (!v) throw new Error('useConsole outside ConsoleProvider');
  return v;
}

export const textModels = (models: CatalogModel[] | undefined) => (models ?? []).filter((m) => m.kind === 'text');
/** Models of kind `image` (Runtime.generateImages): what an app's image widget can use. */
export const imageModels = (models: CatalogModel[] | undefined) => (models ?? []).filter((m) => m.kind === 'image');
export const embeddingModels = (models: CatalogModel[] | undefined) => (models ?? []).filter((m) => m.kind === 'embedding');
