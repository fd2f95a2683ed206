import { formatCount } from '../lib/format';
import { formatRate, type ModelApiMetrics } from '../lib/metrics-summary';

/** The whole server's figures at a glance, summed over the table's rows. */
export function MetricsTotals({ rows }: { rows: ModelApiMetrics[] }) {
  const sum = (f: (r: ModelApiMetrics) => number) => rows.reduce((a, r) => a + f(r), 0);
  const invocations = sum((r) => r.invocations);
  const errors = sum((r) => r.errors);
  return (
    <dl className="stat-grid" aria-label="Totals">
      <div>
        <dt>Invocations</dt>
        <dd data-total="invocations">{formatCount(invocations)}</dd>
      </div>
      <div>
        <dt>Errors</dt>
        <dd data-total="errors">
          {formatCount(errors)} <span className="muted small">({formatRate(invocations > 0 ? errors / invocations : 0)})</span>
        </dd>
      </div>
      <div>
        <dt>Input tokens</dt>
        <dd data-total="input-tokens">{formatCount(sum((r) => r.inputTokens))}</dd>
      </div>
      <div>
        <dt>Output tokens</dt>
        <dd data-total="output-tokens">{formatCount(sum((r) => r.outputTokens))}</dd>
      </div>
    </dl>
  );
}
