import { useMemo } from 'react';
import { provisionedApi } from '../api/provisioned';
import { useConsole } from '../console-context';
import { useRoute, useTitle } from '../lib/router';
import { ProvisionedList } from '../provisioned/provisioned-list';
import { UtilisationView } from '../provisioned/utilisation-view';
import '../dashboards.css';

/** /provisioned-throughput lists, buys, renames and deletes; /provisioned-throughput/{id} shows one's utilisation. */
export function ProvisionedPage({ active }: { active: boolean }) {
  useTitle('Provisioned throughput', active);
  const { api } = useConsole();
  const pt = useMemo(() => provisionedApi(api), [api]);
  const route = useRoute();
  const id = active && route.segments[0] === 'provisioned-throughput' ? route.segments[1] : undefined;
  return id ? <UtilisationView key={id} pt={pt} id={id} /> : <ProvisionedList pt={pt} active={active} />;
}
