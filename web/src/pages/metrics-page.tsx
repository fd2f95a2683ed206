import { useId, useMemo, useState } from 'react';
import { metricsApi } from '../api/metrics';
import { useConsole } from '../console-context';
import { MetricsTable } from '../metrics/metrics-table';
import { MetricsTotals } from '../metrics/metrics-totals';
import { REFRESH_MS, useMetrics } from '../metrics/use-metrics';
import { Link, useTitle } from '../lib/router';
import '../dashboards.css';

/**
 * /metrics: GET /metrics (what Prometheus scrapes) read as a table per model and API — invocations, errors, error rate,
 * tokens, latency p50 and p95 — refreshed every few seconds while shown. Counts run from the server's start and are
 * this replica's; the route needs quarry:GetMetrics in the default account, like any other.
 */
export function MetricsPage({ active }: { active: boolean }) {
  useTitle('Metrics', active);
  const { api } = useConsole();
  const metrics = useMemo(() => metricsApi(api), [api]);
  const [auto, setAuto] = useState(true);
  const { rows, error, updatedAt, load } = useMetrics(metrics, active, auto);
  const autoId = useId();

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Metrics</h1>
          <p className="muted">
            Model calls through every API since this server started, as <code>GET /metrics</code> reports them to Prometheus. Latency percentiles are estimated from the histogram&apos;s
            buckets.
          </p>
        </div>
        <div className="inline-form metrics-controls">
          <label className="check" htmlFor={autoId}>
            <input id={autoId} type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
            Refresh every {REFRESH_MS / 1000} s
          </label>
          <button type="button" className="button-secondary" onClick={load}>
            Refresh
          </button>
        </div>
      </header>
      {/* Not a live region: a refresh every few seconds read aloud each time would drown the page. */}
      <p className="muted small" data-testid="metrics-updated">
        {updatedAt ? `Updated ${updatedAt.toLocaleTimeString()}.` : ''}
      </p>
      {rows && rows.length > 0 && <MetricsTotals rows={rows} />}
      <MetricsTable
        rows={rows}
        error={error}
        reload={load}
        empty={
          <>
            Every call to a model through any API (Bedrock, OpenAI, Anthropic) is counted here. Make one in the <Link to="playground">Playground</Link>, or from a program with one of
            your <Link to="keys">API keys</Link>; {auto ? 'this page refreshes by itself.' : 'then press Refresh.'}
          </>
        }
      />
    </>
  );
}
