import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useSyncExternalStore } from 'react';

/**
 * A router of a few lines: the console has a handful of pages, and the server answers every path under /console/ with
 * index.html, so history URLs reload and bookmark like any other.
 */
export const BASE = '/console';

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
window.addEventListener('popstate', notify);

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

const snapshot = () => location.pathname + location.search;

export interface Route {
  /** The path below the console's base, without trailing slash: "", "models", "knowledge-bases/ABC". */
  path: string;
  segments: string[];
  query: URLSearchParams;
}

export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, location.origin);
  const below = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
  const path = below.replace(/^\/+|\/+$/g, '');
  return { path, segments: path ? path.split('/').map(decodeURIComponent) : [], query: url.searchParams };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const href = `${BASE}/${to.replace(/^\/+/, '')}`;
  if (opts.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  notify();
}

/** A link that navigates without reloading, while staying a real link (middle-click, copy address, keyboard). */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const href = `${BASE}/${to.replace(/^\/+/, '')}`;
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={href} onClick={click} {...rest} />;
}

/** Sets the document title while a page is shown, so history entries and tabs say where they lead. */
export function useTitle(title: string, active = true): void {
  useEffect(() => {
    if (active) document.title = `${title} · Quarry`;
  }, [title, active]);
}
