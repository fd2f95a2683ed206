import { useCallback, useEffect, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { ProvisionedApi, ProvisionedThroughput, UtilisationReport } from '../api/provisioned';
import { BarChart } from '../components/bar-chart';
import { ErrorNotice, Loading } from '../components/notice';
import { formatCount, formatUsd } from '../lib/format';
import { COMMITMENT_LABEL, modelIdOf } from '../lib/provisioned-terms';
import { Link, useTitle } from '../lib/router';
import { periodLabel } from '../lib/usage-series';

const WINDOWS = [
  { hours: 24, label: 'Last 24 hours' },
  { hours: 72, label: 'Last 3 days' },
  { hours: 168, label: 'Last 7 days' },
] as const;

const TERM: Record<string, string> = { 'no-commitment': 'No commitment', '1-month': '1 month', '6-month': '6 months', 'on-demand': 'On demand' };
const percent = (share: number) => `${share < 0.1 && share > 0 ? (share * 100).toFixed(1) : Math.round(share * 100)}%`;

/** One throughput's hours: how busy its units were, what they cost, and what the same tokens would have cost on demand. */
export function UtilisationView({ pt, id }: { pt: ProvisionedApi; id: string }) {
  const [row, setRow] = useState<ProvisionedThroughput>();
  const [report, setReport] = useState<UtilisationReport>();
  const [hours, setHours] = useState<number>(24);
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useTitle(row ? `${row.provisionedModelName} · Provisioned throughput` : 'Provisioned throughput');

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is how Reload asks for the same report again.
  useEffect(() => {
    const ac = new AbortController();
    setError(undefined);
    Promise.all([pt.get(id), pt.utilisation(id, hours, ac.signal)]).then(
      ([r, u]) => {
        setRow(r);
        setReport(u);
      },
      (e: unknown) => {
        if (!isAbort(e)) setError(messageOf(e));
      },
    );
    return () => ac.abort();
  }, [pt, id, hours, generation]);

  const t = report?.totals;
  const tokenShare = report?.hours.some((h) => h.tokenUtilisation !== undefined);

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="provisioned-throughput">Provisioned throughput</Link> <span aria-hidden="true">/</span> <span aria-current="page">{row?.provisionedModelName ?? id}</span>
      </nav>
      {error && (
        <ErrorNotice title={`Provisioned throughput ${id} could not be loaded`} onRetry={reload}>
          {error} <Link to="provisioned-throughput">Back to the list</Link>
        </ErrorNotice>
      )}
      {!report && !error && <Loading what="utilisation" />}
      {row && report && t && (
        <>
          <header className="page-header">
            <div>
              <h1>{row.provisionedModelName}</h1>
              <p className="muted">
                {report.modelUnits} unit{report.modelUnits === 1 ? '' : 's'} of <code>{modelIdOf(row.foundationModelArn)}</code> · {COMMITMENT_LABEL[row.commitmentDuration ?? '']} · up to{' '}
                {report.capacity.concurrentRequests} requests at once
                {report.capacity.tokensPerMinute !== undefined ? ` and ${formatCount(report.capacity.tokensPerMinute)} tokens a minute` : ''}
              </p>
            </div>
            <div className="inline-form">
              <div className="field field-inline">
                <label htmlFor="pt-window">Period</label>
                <select id="pt-window" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
                  {WINDOWS.map((w) => (
                    <option key={w.hours} value={w.hours}>
                      {w.label}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="button-secondary" onClick={reload}>
                Reload
              </button>
            </div>
          </header>
          <dl className="stat-grid" aria-label="Utilisation totals">
            <div data-total="requests">
              <dt>Requests</dt>
              <dd>{formatCount(t.requests)}</dd>
            </div>
            <div data-total="throttled">
              <dt>Throttled at capacity</dt>
              <dd>{formatCount(t.throttled)}</dd>
            </div>
            <div data-total="utilisation">
              <dt>Concurrency used</dt>
              <dd>{percent(t.concurrencyUtilisation)}</dd>
            </div>
            {t.tokenUtilisation !== undefined && (
              <div data-total="token-utilisation">
                <dt>Token capacity used</dt>
                <dd>{percent(t.tokenUtilisation)}</dd>
              </div>
            )}
            <div data-total="provisioned-cost">
              <dt>Units cost</dt>
              <dd>{formatUsd(t.provisionedUsd)}</dd>
            </div>
            <div data-total="on-demand-cost">
              <dt>Same tokens on demand</dt>
              <dd>{t.onDemandUsd === undefined ? <span className="muted">no price</span> : formatUsd(t.onDemandUsd)}</dd>
            </div>
          </dl>
          <section className="panel" aria-label="Hourly utilisation">
            <BarChart
              title="Concurrency used per hour"
              labels={report.hours.map((h) => periodLabel(h.hour, 'hour'))}
              names={['Concurrency used']}
              values={report.hours.map((h) => [h.concurrencyUtilisation])}
              format={percent}
              max={1}
            />
            {tokenShare && (
              <BarChart
                title="Token capacity used per hour"
                labels={report.hours.map((h) => periodLabel(h.hour, 'hour'))}
                names={['Token capacity used']}
                values={report.hours.map((h) => [h.tokenUtilisation ?? 0])}
                format={percent}
                max={1}
              />
            )}
          </section>
          <section className="panel" aria-labelledby="pt-break-even-title">
            <h2 id="pt-break-even-title">Break-even against on demand</h2>
            {report.breakEven ? (
              <>
                <p data-testid="break-even-verdict">
                  At the load seen in this period, kept up around the clock, on demand would cost {formatUsd(report.breakEven.onDemand.monthlyUsd)} a month;{' '}
                  {report.breakEven.cheapest === 'on-demand' ? (
                    <strong>on demand is cheaper than any term.</strong>
                  ) : (
                    <strong>{TERM[report.breakEven.cheapest]} provisioned throughput is the cheapest.</strong>
                  )}
                </p>
                <div className="table-wrap">
                  <table className="table" aria-label="Break-even by term">
                    <thead>
                      <tr>
                        <th scope="col">Term</th>
                        <th scope="col" className="num">
                          Per unit-hour
                        </th>
                        <th scope="col" className="num">
                          A month for this load ({report.breakEven.modelUnits} unit{report.breakEven.modelUnits === 1 ? '' : 's'})
                        </th>
                        <th scope="col" className="num">
                          Utilisation now
                        </th>
                        <th scope="col" className="num">
                          Breaks even at
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.breakEven.terms.map((term) => (
                        <tr key={term.term} data-term={term.term}>
                          <td>
                            {TERM[term.term]} {term.cheaper && <span className="badge badge-good">cheaper</span>}
                          </td>
                          <td className="num">{formatUsd(term.hourlyPerUnit)}</td>
                          <td className="num">{formatUsd(term.monthlyUsd)}</td>
                          <td className="num">{percent(term.utilisation)}</td>
                          <td className="num">{Number.isFinite(term.breakEvenUtilisation) && term.breakEvenUtilisation <= 1 ? percent(term.breakEvenUtilisation) : 'never'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            ) : (
              <p className="muted" data-testid="break-even-verdict">
                {report.breakEvenError ??
                  (t.inputTokens + t.outputTokens === 0
                    ? 'No tokens went through these units in this period, so there is no load to weigh against on-demand prices yet.'
                    : 'The pricing catalog has no on-demand price for this model to compare with.')}
              </p>
            )}
          </section>
        </>
      )}
    </>
  );
}
