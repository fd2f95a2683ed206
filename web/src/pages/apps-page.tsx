import { useMemo, useState } from 'react';
import { appsApi } from '../api/apps';
import { AppBuilder } from '../apps/app-builder';
import { AppList } from '../apps/app-list';
import { useConsole } from '../console-context';
import { useRoute, useTitle } from '../lib/router';

/** /apps lists the account's apps; /apps/new builds one; /apps/{id} edits and runs one. */
export function AppsPage({ active }: { active: boolean }) {
  const route = useRoute();
  const sub = active && route.segments[0] === 'apps' ? route.segments[1] : undefined;
  useTitle('Apps', active && !sub);
  const { api } = useConsole();
  const apps = useMemo(() => appsApi(api), [api]);
  const [created, setCreated] = useState<string>();
  if (!sub) return <AppList apps={apps} active={active} />;
  // A new app becomes /apps/{id} once created: the same builder stays mounted across that change (a run it started
  // keeps streaming), while opening another app mounts a fresh one.
  const key = sub === 'new' || sub === created ? 'new' : `app-${sub}`;
  return <AppBuilder key={key} apps={apps} id={sub === 'new' ? undefined : sub} active={active} onCreated={setCreated} />;
}
