import { useMemo } from 'react';
import type { DeploymentHealth, OperationsApi } from '../api/operations';
import { ResourceList } from '../components/resource-list';
import { deploymentVerdict } from '../lib/deployment-verdict';
import { formatCount, formatMs } from '../lib/format';
import { usePageList } from '../lib/use-page-list';
import { DrainControl } from './drain-control';

/**
 * Routing's deployments as this replica sees them: verdict, breaker, traffic and failures, active checks, and Drain /
 * Restore, which apply to every replica.
 */
export function DeploymentHealthList({ ops, active }: { ops: OperationsApi; active: boolean }) {
  const source = useMemo(() => ({ list: (): Promise<DeploymentHealth[]> => ops.deployments() }), [ops]);
  const { list, error, load } = usePageList(source, active);
  return (
    <ResourceList
      title="Deployments"
      titleId="ops-deployments-title"
      list={list}
      error={error}
      reload={load}
      errorTitle="Deployment health could not be read"
      what="deployments"
      empty={{
        title: 'No deployments',
        body: 'Routing has built no deployment yet: the configuration names no model this server can serve. Add models (or deployments) to the configuration file and restart.',
      }}
      label="Deployments"
      columns={[{ label: 'Deployment' }, { label: 'Health' }, { label: 'In flight', numeric: true }, { label: 'Calls', numeric: true }, { label: 'Failures', numeric: true }, { label: 'Latency', numeric: true }, { label: 'Checks' }, { label: 'Rotation', hidden: true }]}
      row={(d) => {
        const v = deploymentVerdict(d);
        return (
          <tr key={d.id} data-deployment={d.id}>
            <td>
              <strong>{d.id}</strong>
              <div className="muted small">
                <code>{d.model}</code> on {d.provider}
                {d.region ? ` · ${d.region}` : ''}
              </div>
            </td>
            <td>
              <span className={`badge badge-${v.tone}`}>{v.label}</span>
              {v.why && <div className="muted small">{v.why}</div>}
            </td>
            <td className="num">{formatCount(d.outstanding)}</td>
            <td className="num">{formatCount(d.calls)}</td>
            <td className="num">
              {formatCount(d.failures)}
              {d.timeouts > 0 && <div className="muted small">{formatCount(d.timeouts)} timed out</div>}
              {d.breakerOpened > 0 && <div className="muted small">breaker opened {formatCount(d.breakerOpened)}×</div>}
            </td>
            <td className="num">{d.calls > 0 ? formatMs(d.latencyMs) : '—'}</td>
            <td className="small">
              {d.active ? (
                <>
                  {d.active.state}, {formatCount(d.active.checks)} run
                  {d.active.lastCheckAt && <div className="muted">last {new Date(d.active.lastCheckAt).toLocaleTimeString()}</div>}
                </>
              ) : (
                <span className="muted">not configured</span>
              )}
            </td>
            <td>
              <DrainControl d={d} ops={ops} onChanged={load} />
            </td>
          </tr>
        );
      }}
    />
  );
}
