import type { ReactNode } from 'react';
import { ResourceList } from '../components/resource-list';
import { formatCount } from '../lib/format';
import { formatRate, formatSeconds, type ModelApiMetrics } from '../lib/metrics-summary';

/** One row per model and API: calls, failures (by code), error rate, tokens, and latency percentiles. */
export function MetricsTable({ rows, error, reload, empty }: { rows: ModelApiMetrics[] | undefined; error: string | undefined; reload: () => void; empty: ReactNode }) {
  return (
    <ResourceList
      title="By model and API"
      titleId="metrics-table-title"
      list={rows}
      error={error}
      reload={reload}
      errorTitle="Metrics could not be read"
      what="metrics"
      empty={{ title: 'No model calls yet', body: empty }}
      label="Metrics by model and API"
      columns={[
        { label: 'Model' },
        { label: 'API' },
        { label: 'Invocations', numeric: true },
        { label: 'Errors', numeric: true },
        { label: 'Error rate', numeric: true },
        { label: 'Input tokens', numeric: true },
        { label: 'Output tokens', numeric: true },
        { label: 'p50', numeric: true },
        { label: 'p95', numeric: true },
      ]}
      row={(r) => (
        <tr key={`${r.model}\u0000${r.api}`} data-model={r.model} data-api={r.api}>
          <td>
            <code>{r.model}</code>
          </td>
          <td>
            <code>{r.api}</code>
          </td>
          <td className="num" data-stat="invocations">
            {formatCount(r.invocations)}
          </td>
          <td className="num" data-stat="errors">
            {formatCount(r.errors)}
            {r.errorCodes.map((c) => (
              <div key={c.code} className="muted small">
                {c.code} ×{formatCount(c.count)}
              </div>
            ))}
          </td>
          <td className="num" data-stat="error-rate">
            {r.errors > 0 ? <span className="badge badge-bad">{formatRate(r.errorRate)}</span> : formatRate(r.errorRate)}
          </td>
          <td className="num" data-stat="input-tokens">
            {formatCount(r.inputTokens)}
          </td>
          <td className="num" data-stat="output-tokens">
            {formatCount(r.outputTokens)}
          </td>
          <td className="num" data-stat="p50">
            {formatSeconds(r.p50)}
          </td>
          <td className="num" data-stat="p95">
            {formatSeconds(r.p95)}
          </td>
        </tr>
      )}
    />
  );
}
